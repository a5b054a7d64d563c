"""`manage.py audit_verify` and the append-only guard on the audit trail."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from healthjustice.audit.chain import hashed_fields, row_digest
from healthjustice.audit.models import Action, AuditEvent
from healthjustice.audit.services import audit_record
from healthjustice.audit.verification import verify_trail
from healthjustice.core.append_only import allow_purge
from tests.factories import PersonFactory, staff

pytestmark = pytest.mark.django_db(transaction=False)

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def trail():
    user = staff()
    person = PersonFactory()
    for action in (Action.SEARCH, Action.VIEW, Action.UPDATE, Action.VIEW, Action.EXPORT):
        audit_record(
            actor=user,
            action=action,
            object_type="person",
            object_id=str(person.public_id),
            fields_changed=["postcode"] if action == Action.UPDATE else None,
        )
    return list(AuditEvent.objects.order_by("seq"))


def run_verify(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def sql(statement: str, params: list | None = None) -> None:
    """Raw SQL as someone with database access, who can lift PostgreSQL's append-only trigger."""
    allow_purge()
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def test_audit_verify_intact_chain_passes(trail):
    code, out, err = run_verify()
    assert code == 0
    assert "Audit trail intact: 5 rows" in out
    assert err == ""


def test_audit_verify_empty_trail_passes():
    code, out, _ = run_verify()
    assert code == 0
    assert "Audit trail intact: 0 rows" in out


def test_audit_verify_streams_in_small_chunks(trail):
    code, out, _ = run_verify("--chunk-size", "2")
    assert code == 0
    assert "Audit trail intact: 5 rows" in out


def test_audit_verify_names_a_row_altered_by_raw_sql(trail):
    sql(f"UPDATE {TABLE} SET actor_username = %s WHERE seq = 3", ["someone_else"])  # noqa: S608
    code, out, err = run_verify()
    assert code == 1
    assert "Audit trail broken at row 3: row 3 was altered after it was written" in err
    assert "intact" not in out


def test_audit_verify_in_chunks_names_a_row_altered_in_a_later_chunk(trail):
    sql(f"UPDATE {TABLE} SET actor_username = %s WHERE seq = 5", ["someone_else"])  # noqa: S608
    code, _, err = run_verify("--chunk-size", "2")
    assert code == 1
    assert "Audit trail broken at row 5: row 5 was altered after it was written" in err


def test_audit_verify_catches_an_altered_action(trail):
    sql(f"UPDATE {TABLE} SET action = %s WHERE seq = 2", [Action.SEARCH.value])  # noqa: S608
    code, _, err = run_verify()
    assert code == 1
    assert "broken at row 2" in err


def test_audit_verify_catches_a_deleted_row(trail):
    sql(f"DELETE FROM {TABLE} WHERE seq = 3")  # noqa: S608
    code, _, err = run_verify()
    assert code == 1
    assert "Audit trail broken at row 4: row 3 is missing" in err


def test_audit_verify_catches_a_forged_row_inserted_with_seq_shifted(trail):
    # Make room at row 3 (in two steps, so the unique seq never collides), then forge it.
    sql(f"UPDATE {TABLE} SET seq = seq + 1000 WHERE seq >= 3")  # noqa: S608
    sql(f"UPDATE {TABLE} SET seq = seq - 999 WHERE seq >= 1003")  # noqa: S608
    sql(
        f"INSERT INTO {TABLE} (seq, occurred_at, actor_id, actor_username, remote_addr, action, "  # noqa: S608
        "object_type, object_id, fields_changed, detail, prev_hash, hash) "
        "VALUES (%s, %s, '', 'forger', '', 'view', 'person', '', '[]', '{}', %s, %s)",
        [3, timezone.now(), trail[1].hash, "f" * 64],
    )
    code, _, err = run_verify()
    assert code == 1
    assert "Audit trail broken at row 3: row 3 was altered after it was written" in err


def test_audit_verify_catches_a_correctly_hashed_row_appended_beyond_the_head(trail):
    last = trail[-1]
    forged = AuditEvent(
        seq=last.seq + 1,
        occurred_at=timezone.now(),
        actor_id="",
        actor_username="forger",
        remote_addr="",
        action=Action.VIEW,
        object_type="person",
        object_id="",
        fields_changed=[],
        detail={},
        prev_hash=last.hash,
    )
    forged.hash = row_digest(forged.prev_hash, hashed_fields(forged))
    forged.save()
    code, _, err = run_verify()
    assert code == 1
    assert "Audit trail broken at row 6: row 6 was inserted beyond the chain head" in err


def test_audit_verify_catches_truncation_of_the_last_rows(trail):
    sql(f"DELETE FROM {TABLE} WHERE seq > 3")  # noqa: S608
    code, _, err = run_verify()
    assert code == 1
    assert "Audit trail broken at row 4: rows after 3 were removed (head at 5)" in err


def test_audit_verify_catches_a_rewritten_tail_through_the_head(trail):
    # A forger who alters row 4 and recomputes every later hash still cannot match the head.
    prev = trail[2].hash
    for event in trail[3:]:
        if event.seq == 4:
            event.actor_username = "someone_else"
        event.prev_hash = prev
        event.hash = row_digest(prev, hashed_fields(event))
        sql(
            f"UPDATE {TABLE} SET actor_username = %s, prev_hash = %s, hash = %s WHERE seq = %s",  # noqa: S608
            [event.actor_username, event.prev_hash, event.hash, event.seq],
        )
        prev = event.hash
    code, _, err = run_verify()
    assert code == 1
    assert "Audit trail broken at row 5: row 5 does not match the chain head" in err


def test_verify_trail_reports_rows_and_problem(trail):
    report = verify_trail(chunk_size=3)
    assert report.intact
    assert report.rows == 5


def test_audit_event_save_on_an_existing_row_raises(trail):
    event = AuditEvent.objects.get(seq=2)
    event.actor_username = "someone_else"
    with pytest.raises(PermissionError):
        event.save()


def test_audit_event_delete_raises(trail):
    with pytest.raises(PermissionError):
        AuditEvent.objects.get(seq=2).delete()


def test_audit_queryset_update_raises(trail):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(seq=2).update(actor_username="someone_else")


def test_audit_queryset_delete_raises(trail):
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 5


def _legacy_digest(event: AuditEvent) -> str:
    """A row's hash as written before the basis of access was recorded (the fields then)."""
    fields = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "remote_addr": event.remote_addr,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "fields_changed": event.fields_changed,
        "detail": event.detail,
    }
    return row_digest(event.prev_hash, fields)


@pytest.fixture
def trail_across_the_basis_change(trail):
    """Rows from before the basis of access was recorded, then rows that record it."""
    assert all(_legacy_digest(e) == e.hash for e in trail)
    team_member = staff()
    person = PersonFactory(team=team_member.memberships.get().team)
    for _ in range(2):
        audit_record(
            actor=team_member,
            action=Action.VIEW,
            object_type="person",
            object_id=str(person.public_id),
        )
    return list(AuditEvent.objects.order_by("seq"))


def test_audit_verify_passes_rows_before_and_after_the_basis_was_recorded(
    trail_across_the_basis_change,
):
    rows = trail_across_the_basis_change
    assert [r.access_basis for r in rows] == [""] * 5 + ["own_team"] * 2
    assert verify_trail().intact
    code, out, _ = run_verify()
    assert (code, "Audit trail intact: 7 rows" in out) == (0, True)


@pytest.mark.parametrize(
    ("seq", "basis"),
    [(6, "break_glass"), (6, ""), (2, "own_team")],
    ids=["changed", "cleared", "added"],
)
def test_audit_verify_catches_a_tampered_basis_of_access(trail_across_the_basis_change, seq, basis):
    sql(f"UPDATE {TABLE} SET access_basis = %s WHERE seq = %s", [basis, seq])  # noqa: S608
    code, _, err = run_verify()
    assert code == 1
    assert f"row {seq} was altered after it was written" in err
