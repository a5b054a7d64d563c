"""Anchors: `manage.py audit_anchor`, and `manage.py audit_verify --anchor` finding a rewrite of
the whole chain that the chain alone cannot."""

import json
import os
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from healthjustice.audit.anchors import ANCHOR_FORMAT
from healthjustice.audit.chain import hashed_fields, row_digest
from healthjustice.audit.models import Action, AuditEvent, ChainHead
from healthjustice.audit.services import audit_record
from healthjustice.core.append_only import allow_purge
from tests.factories import PersonFactory, staff

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table
HEAD_TABLE = ChainHead._meta.db_table


@pytest.fixture
def trail():
    user = staff()
    person = PersonFactory()
    for action in (Action.SEARCH, Action.VIEW, Action.UPDATE, Action.VIEW, Action.EXPORT):
        audit_record(
            actor=user, action=action, object_type="person", object_id=str(person.public_id)
        )
    return list(AuditEvent.objects.order_by("seq"))


def run(command: str, *args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def anchor_to(path: Path, *args: str) -> None:
    code, _, err = run("audit_anchor", "--out", str(path), *args)
    assert code == 0, err


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def sql(statement: str, params: list | None = None) -> None:
    """Raw SQL as someone with database access, who can lift PostgreSQL's append-only trigger."""
    allow_purge()
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def rewrite_chain(from_seq: int, actor_username: str) -> None:
    """What someone with database access could do: alter a row, then recompute every hash from
    it to the end and move the chain head to match, so the chain alone checks out."""
    events = list(AuditEvent.objects.order_by("seq"))
    prev = events[from_seq - 2].hash if from_seq > 1 else "0" * 64
    for event in events[from_seq - 1 :]:
        if event.seq == from_seq:
            event.actor_username = actor_username
        event.prev_hash = prev
        event.hash = row_digest(prev, hashed_fields(event))
        sql(
            f"UPDATE {TABLE} SET actor_username = %s, prev_hash = %s, hash = %s WHERE seq = %s",  # noqa: S608
            [event.actor_username, event.prev_hash, event.hash, event.seq],
        )
        prev = event.hash
    sql(f"UPDATE {HEAD_TABLE} SET last_hash = %s WHERE id = 1", [prev])  # noqa: S608


def temporary_files(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.startswith(".")]


# audit_anchor


def test_audit_anchor_writes_the_chain_head_as_one_json_line(trail, tmp_path):
    path = tmp_path / "anchors.jsonl"
    anchor_to(path)
    text = path.read_text()
    assert text.endswith("\n") and text.count("\n") == 1
    [anchor] = lines(path)
    last = trail[-1]
    assert anchor["format"] == ANCHOR_FORMAT
    assert anchor["seq"] == 5
    assert anchor["hash"] == last.hash == ChainHead.objects.get().last_hash
    assert anchor["last_event_at"] == last.occurred_at.isoformat()
    anchored_at = datetime.fromisoformat(anchor["anchored_at"])
    assert abs(timezone.now() - anchored_at) < timedelta(minutes=1)
    assert temporary_files(tmp_path) == []


def test_audit_anchor_writes_to_standard_output(trail):
    code, out, _ = run("audit_anchor", "--out", "-")
    assert code == 0
    assert json.loads(out)["hash"] == trail[-1].hash


def test_audit_anchor_refuses_to_overwrite_an_existing_file(trail, tmp_path):
    path = tmp_path / "anchor.json"
    path.write_text("kept\n")
    with pytest.raises(CommandError, match="already exists: it was not overwritten"):
        run("audit_anchor", "--out", str(path))
    assert path.read_text() == "kept\n"
    assert temporary_files(tmp_path) == []


def test_audit_anchor_append_adds_a_line_and_every_line_is_verified(trail, tmp_path):
    path = tmp_path / "anchors.jsonl"
    anchor_to(path)
    audit_record(actor=None, action=Action.VIEW, object_type="page")
    anchor_to(path, "--append")
    assert [a["seq"] for a in lines(path)] == [5, 6]
    code, out, err = run("audit_verify", "--anchor", str(path))
    assert code == 0, err
    assert "Audit trail intact: 6 rows, 2 anchors match" in out


def test_audit_anchor_append_creates_a_missing_file(trail, tmp_path):
    path = tmp_path / "anchors.jsonl"
    anchor_to(path, "--append")
    assert [a["seq"] for a in lines(path)] == [5]


def test_audit_anchor_append_refuses_a_file_that_is_not_anchors(trail, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("shopping list\n")
    with pytest.raises(CommandError, match="line 1 is not a JSON document on its own"):
        run("audit_anchor", "--out", str(path), "--append")
    assert path.read_text() == "shopping list\n"


def test_audit_anchor_append_refuses_a_line_that_is_not_an_anchor(trail, tmp_path):
    path = tmp_path / "anchors.jsonl"
    path.write_text('{"seq": 1}\n')
    with pytest.raises(CommandError, match='has no "hash"'):
        run("audit_anchor", "--out", str(path), "--append")
    assert path.read_text() == '{"seq": 1}\n'


def test_audit_anchor_append_is_all_or_nothing(trail, tmp_path):
    path = tmp_path / "anchors.jsonl"
    anchor_to(path)
    before = path.read_text()
    with (
        mock.patch("healthjustice.audit.anchors.os.replace", side_effect=OSError(28, "No space")),
        pytest.raises(CommandError, match="was not written: No space"),
    ):
        run("audit_anchor", "--out", str(path), "--append")
    assert path.read_text() == before
    assert temporary_files(tmp_path) == []


def test_audit_anchor_does_not_leave_a_partial_file(trail, tmp_path):
    path = tmp_path / "anchor.json"
    with (
        mock.patch("healthjustice.audit.anchors.os.fsync", side_effect=OSError(5, "I/O error")),
        pytest.raises(CommandError, match="was not written: I/O error"),
    ):
        run("audit_anchor", "--out", str(path))
    assert not path.exists()
    assert temporary_files(tmp_path) == []


def test_audit_anchor_without_hard_links_still_refuses_to_overwrite(trail, tmp_path):
    path = tmp_path / "anchor.json"
    with mock.patch("healthjustice.audit.anchors.os.link", side_effect=OSError(1, "No links")):
        anchor_to(path)
        assert lines(path)[0]["seq"] == 5
        with pytest.raises(CommandError, match="already exists"):
            run("audit_anchor", "--out", str(path))
    assert temporary_files(tmp_path) == []


def test_audit_anchor_refuses_append_to_standard_output(trail):
    with pytest.raises(CommandError, match="--append needs a file"):
        run("audit_anchor", "--out", "-", "--append")


def test_audit_anchor_refuses_a_missing_folder(trail, tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        run("audit_anchor", "--out", str(tmp_path / "nowhere" / "anchor.json"))


def test_audit_anchor_refuses_an_empty_trail(tmp_path):
    with pytest.raises(CommandError, match="nothing to anchor"):
        run("audit_anchor", "--out", str(tmp_path / "anchor.json"))
    assert not (tmp_path / "anchor.json").exists()


def test_audit_anchor_refuses_a_head_that_does_not_match_the_last_row(trail, tmp_path):
    sql(f"UPDATE {TABLE} SET actor_username = %s WHERE seq = 5", ["someone_else"])  # noqa: S608
    with pytest.raises(CommandError, match=r"chain head \(row 5\) does not match"):
        run("audit_anchor", "--out", str(tmp_path / "anchor.json"))
    assert not (tmp_path / "anchor.json").exists()


# audit_verify --anchor


def test_a_rewritten_chain_passes_the_chain_check_but_not_the_anchor(trail, tmp_path):
    path = tmp_path / "anchors.jsonl"
    anchor_to(path)
    rewrite_chain(3, "someone_else")

    code, out, _ = run("audit_verify")
    assert code == 0
    assert "Audit trail intact" in out

    code, out, err = run("audit_verify", "--anchor", str(path))
    assert code == 1
    assert "intact" not in out
    assert (f"Audit trail broken at row 5: the anchor on line 1 of {path} (row 5, anchored ") in err
    assert "does not match: row 5 has a different hash now, so the trail was rewritten" in err


def test_audit_verify_names_the_first_anchor_that_does_not_match(trail, tmp_path):
    path = tmp_path / "anchors.jsonl"
    path.write_text(
        "".join(
            json.dumps({"seq": e.seq, "hash": e.hash, "anchored_at": f"day {e.seq}"}) + "\n"
            for e in (trail[1], trail[3], trail[4])
        )
    )
    rewrite_chain(4, "someone_else")
    code, _, err = run("audit_verify", "--anchor", str(path))
    assert code == 1
    assert f"broken at row 4: the anchor on line 2 of {path} (row 4, anchored day 4)" in err
    assert "line 3" not in err


def test_audit_verify_finds_rows_removed_after_an_anchor(trail, tmp_path):
    path = tmp_path / "anchor.json"
    anchor_to(path)
    sql(f"DELETE FROM {TABLE} WHERE seq > 3")  # noqa: S608
    sql(f"UPDATE {HEAD_TABLE} SET last_seq = 3, last_hash = %s WHERE id = 1", [trail[2].hash])  # noqa: S608
    assert run("audit_verify")[0] == 0
    code, _, err = run("audit_verify", "--anchor", str(path))
    assert code == 1
    assert "broken at row 5" in err
    assert "row 5 is no longer in the trail" in err


def test_audit_verify_reports_both_a_broken_chain_and_a_broken_anchor(trail, tmp_path):
    path = tmp_path / "anchor.json"
    path.write_text(json.dumps({"seq": 2, "hash": "a" * 64}))
    sql(f"UPDATE {TABLE} SET actor_username = %s WHERE seq = 4", ["someone_else"])  # noqa: S608
    code, _, err = run("audit_verify", "--anchor", str(path))
    assert code == 1
    assert err.index("broken at row 2: the anchor") < err.index("broken at row 4: row 4 was")
    verify = AuditEvent.objects.filter(action=Action.VERIFY).get()
    assert verify.detail["first_bad_seq"] == 2


def test_audit_verify_reads_one_pretty_printed_anchor(trail, tmp_path):
    path = tmp_path / "anchor.json"
    path.write_text(json.dumps({"seq": 5, "hash": trail[-1].hash}, indent=2))
    code, out, _ = run("audit_verify", "--anchor", str(path))
    assert code == 0
    assert "Audit trail intact: 5 rows, 1 anchor match" in out


GOOD_HASH = "0123456789abcdef" * 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty: it holds no anchors"),
        ("\n  \n", "is empty: it holds no anchors"),
        ("not json at all", "line 1 is not valid JSON"),
        ('{\n  "seq": 5,\n  "hash": \n}', "line 4 is not valid JSON"),
        (f'{{"seq": 1, "hash": "{GOOD_HASH}"}}\n{{"seq": 2,\n', "line 2 is not valid JSON"),
        ("[1, 2]", "the anchor on line 1 is not a JSON object"),
        ('"hello"\n', "the anchor on line 1 is not a JSON object"),
        ('{"hash": "' + GOOD_HASH + '"}', 'the anchor on line 1 has no "seq"'),
        ("{}", 'the anchor on line 1 has no "seq" and "hash"'),
        ('\n{"seq": 3}', 'the anchor on line 2 has no "hash"'),
        ('{"seq": "5", "hash": "' + GOOD_HASH + '"}', '"seq" that is not a row number'),
        ('{"seq": true, "hash": "' + GOOD_HASH + '"}', '"seq" that is not a row number'),
        ('{"seq": 0, "hash": "' + GOOD_HASH + '"}', '"seq" that is not a row number'),
        ('{"seq": 5, "hash": "abc"}', '"hash" that is not 64 lower-case hexadecimal'),
        ('{"seq": 5, "hash": "' + GOOD_HASH.upper() + '"}', '"hash" that is not 64 lower-case'),
        ('{"seq": 5, "hash": null}', '"hash" that is not 64 lower-case hexadecimal'),
    ],
)
def test_audit_verify_explains_a_bad_anchor_file_and_records_nothing(
    trail, tmp_path, content, message
):
    path = tmp_path / "anchors.jsonl"
    path.write_text(content)
    with pytest.raises(CommandError, match="The audit trail was not checked") as raised:
        run("audit_verify", "--anchor", str(path))
    assert message in str(raised.value)
    assert str(path) in str(raised.value)
    assert raised.value.returncode == 2
    assert not AuditEvent.objects.filter(action=Action.VERIFY).exists()


def test_audit_verify_explains_a_missing_anchor_file(trail, tmp_path):
    path = tmp_path / "gone.jsonl"
    with pytest.raises(CommandError, match=f"{path}: no such file"):
        run("audit_verify", "--anchor", str(path))


def test_audit_verify_explains_a_folder_given_as_the_anchor_file(trail, tmp_path):
    with pytest.raises(CommandError, match="is a folder, not an anchor file"):
        run("audit_verify", "--anchor", str(tmp_path))


def test_audit_verify_explains_an_anchor_file_that_is_not_text(trail, tmp_path):
    path = tmp_path / "anchor.json"
    path.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(CommandError, match="is not a text file"):
        run("audit_verify", "--anchor", str(path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_audit_verify_explains_an_unreadable_anchor_file(trail, tmp_path):
    path = tmp_path / "anchor.json"
    path.write_text("{}")
    path.chmod(0)
    with pytest.raises(CommandError, match="cannot be read: Permission denied"):
        run("audit_verify", "--anchor", str(path))


# The verification is recorded


def test_audit_verify_records_an_intact_run(trail, tmp_path):
    path = tmp_path / "anchor.json"
    anchor_to(path)
    assert run("audit_verify", "--anchor", str(path))[0] == 0
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.seq == 6
    assert event.action == Action.VERIFY
    assert event.object_type == "audit_trail"
    assert event.actor_id == ""
    assert event.detail == {"outcome": "intact", "rows_checked": 5, "anchors_checked": 1}
    # The record of the check is itself part of the chain.
    assert run("audit_verify")[1].startswith("Audit trail intact: 6 rows")


def test_audit_verify_records_a_broken_run_with_the_first_bad_row(trail):
    sql(f"UPDATE {TABLE} SET actor_username = %s WHERE seq = 3", ["someone_else"])  # noqa: S608
    assert run("audit_verify")[0] == 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == Action.VERIFY
    assert event.detail == {
        "outcome": "broken",
        "rows_checked": 3,
        "anchors_checked": 0,
        "first_bad_seq": 3,
        "problem": "row 3 was altered after it was written",
    }


def test_audit_verify_says_when_the_result_cannot_be_recorded(trail):
    sql(f"DELETE FROM {HEAD_TABLE}")  # noqa: S608
    code, _, err = run("audit_verify")
    assert code == 1
    assert "The result could not be recorded in the audit trail" in err
    assert "Audit trail broken at row 1: the chain head is missing" in err
    assert not AuditEvent.objects.filter(action=Action.VERIFY).exists()
