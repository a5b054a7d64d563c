"""Several audit chains (HJ_AUDIT_CHAINS): writers spread over them, each verifies and is
anchored, and the original chain's rows verify as they always did."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from healthjustice.audit import chains
from healthjustice.audit.chain import hashed_fields, row_digest
from healthjustice.audit.models import Action, AuditEvent, ChainHead
from healthjustice.audit.services import audit_record
from healthjustice.audit.verification import verify_trail
from healthjustice.core.append_only import allow_purge
from tests.audit.factories import ig_auditor

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table
HEAD_TABLE = ChainHead._meta.db_table


def write_on(chain: int, n: int = 1) -> None:
    for _ in range(n):
        connection._hj_audit_chain = chain  # type: ignore[attr-defined]
        audit_record(actor=None, action=Action.VIEW, object_type="person", object_id="x")


@pytest.fixture
def three_chains():
    """Two rows on chain 1 before there were several chains, then rows on chains 1, 2 and 3."""
    # PostgreSQL's sequence does not roll back with a test's transaction: start it afresh, as
    # on a new database, so rows are numbered from 1.
    chains.resync_sequence()
    chains._heads_made.clear()
    with override_settings(HJ_AUDIT_CHAINS=1):
        write_on(1, 2)
    chains.resync_sequence()  # as a deployment does when it moves to several chains
    with override_settings(HJ_AUDIT_CHAINS=3):
        chains._heads_made.clear()
        for chain in (2, 3, 1, 2, 3, 2):
            write_on(chain)
        yield list(AuditEvent.objects.order_by("seq"))
    chains._heads_made.clear()
    del connection._hj_audit_chain


def run(command: str, *args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def sql(statement: str, params: list | None = None) -> None:
    allow_purge()
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def test_rows_are_numbered_across_the_trail_and_each_chain_links_in_order(three_chains):
    assert [e.seq for e in three_chains] == list(range(1, 9))
    assert [e.chain for e in three_chains] == [1, 1, 2, 3, 1, 2, 3, 2]
    on_two = [e for e in three_chains if e.chain == 2]
    assert on_two[1].prev_hash == on_two[0].hash and on_two[2].prev_hash == on_two[1].hash
    heads = {h.id: (h.last_seq, h.last_hash) for h in ChainHead.objects.all()}
    assert heads[2] == (8, on_two[2].hash)
    assert heads[1] == (5, three_chains[4].hash)


def test_several_chains_verify_intact(three_chains):
    report = verify_trail()
    assert report.intact and report.rows == 8
    code, out, _ = run("audit_verify")
    assert code == 0 and "Audit trail intact: 8 rows" in out


def test_rows_of_the_first_chain_hash_as_before_and_others_name_their_chain(three_chains):
    assert "chain" not in hashed_fields(three_chains[0])
    assert "chain" not in hashed_fields(three_chains[4])
    assert hashed_fields(three_chains[2])["chain"] == 2


def test_a_row_moved_to_another_chain_breaks_the_trail(three_chains):
    sql(f"UPDATE {TABLE} SET chain = 3 WHERE seq = 6")  # noqa: S608
    report = verify_trail()
    assert not report.intact
    assert report.problem.seq == 6


def test_a_row_altered_on_a_later_chain_is_named(three_chains):
    sql(f"UPDATE {TABLE} SET action = 'export' WHERE seq = 7")  # noqa: S608
    code, _, err = run("audit_verify")
    assert code == 1
    assert "Audit trail broken at row 7: row 7 was altered after it was written" in err


def test_a_row_taken_out_of_the_middle_of_a_chain_is_found(three_chains):
    sql(f"DELETE FROM {TABLE} WHERE seq = 6")  # noqa: S608
    report = verify_trail()
    assert report.problem.seq == 8
    assert "missing" in report.problem.message


def test_rows_of_a_chain_whose_head_was_removed_are_found(three_chains):
    sql(f"DELETE FROM {HEAD_TABLE} WHERE id = 3")  # noqa: S608
    report = verify_trail()
    assert report.problem.seq == 4
    assert "belongs to no chain" in report.problem.message


def test_a_removed_head_is_not_silently_started_again(three_chains):
    sql(f"UPDATE {HEAD_TABLE} SET last_seq = 0 WHERE id = 3")  # noqa: S608
    with override_settings(HJ_AUDIT_CHAINS=3), pytest.raises(Exception, match="head is at row 0"):
        write_on(3)


def test_the_anchor_holds_every_chains_head_and_finds_a_rewrite_of_any(three_chains, tmp_path):
    path = Path(tmp_path) / "anchor.jsonl"
    code, _, err = run("audit_anchor", "--out", str(path))
    assert code == 0, err
    document = json.loads(path.read_text())
    assert (document["seq"], document["hash"]) == (8, three_chains[-1].hash)
    assert {(c["chain"], c["seq"]) for c in document["chains"]} == {(1, 5), (2, 8), (3, 7)}
    code, out, _ = run("audit_verify", "--anchor", str(path))
    assert code == 0 and "3 anchors match" in out

    # Someone rewrites chain 3's last row and recomputes its hash and the head: the chain
    # alone still checks out, the anchor does not.
    row = AuditEvent.objects.get(seq=7)
    row.action = Action.EXPORT
    forged = row_digest(row.prev_hash, hashed_fields(row))
    sql(f"UPDATE {TABLE} SET action = 'export', hash = %s WHERE seq = 7", [forged])  # noqa: S608
    sql(f"UPDATE {HEAD_TABLE} SET last_hash = %s WHERE id = 3", [forged])  # noqa: S608
    assert verify_trail().intact
    code, _, err = run("audit_verify", "--anchor", str(path))
    assert code == 1
    assert "row 7 has a different hash now" in err


def test_each_head_counts_its_rows_and_the_ig_home_page_shows_the_total(three_chains, signed_in):
    assert {h.id: h.length for h in ChainHead.objects.all()} == {1: 3, 2: 3, 3: 2}
    html = signed_in(ig_auditor()).get(reverse("audit:home")).content.decode()
    assert f"{AuditEvent.objects.count()} events recorded." in html
