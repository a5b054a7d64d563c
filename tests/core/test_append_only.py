"""Append-only records refuse change through the ORM everywhere, and through SQL on PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from healthjustice.core.append_only import AppendOnlyError, allow_purge, guarded_tables
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import EpisodeStatus
from tests.factories import TeamFactory
from tests.journeys.factories import make_episode

pytestmark = pytest.mark.django_db

EXPECTED = {
    "assessments_consentevent",
    "assessments_report",
    "audit_auditevent",
    "journeys_custodyevent",
    "journeys_episodestatus",
}
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database trigger is PostgreSQL's"
)


def test_the_records_of_who_did_what_are_all_append_only():
    assert set(guarded_tables()) >= EXPECTED


def test_the_orm_refuses_update_and_delete_of_a_written_row():
    status = make_episode(TeamFactory(), stage=Stage.SCREENED).statuses.first()
    status.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        status.save()
    with pytest.raises(AppendOnlyError):
        status.delete()
    with pytest.raises(AppendOnlyError):
        EpisodeStatus.objects.filter(pk=status.pk).update(note="rewritten")
    with pytest.raises(AppendOnlyError):
        EpisodeStatus.objects.filter(pk=status.pk).delete()


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = c.relname || '_append_only' AND NOT t.tgisinternal"
        )
        return {row[0] for row in cursor.fetchall()}


@postgres_only
def test_every_append_only_table_has_its_trigger():
    missing = set(guarded_tables()) - _triggers()
    assert not missing, f"append-only tables without a trigger: {sorted(missing)}"


@postgres_only
@pytest.mark.parametrize("statement", ["UPDATE {t} SET note = 'x'", "DELETE FROM {t}"])
def test_sql_from_any_client_is_refused(statement):
    make_episode(TeamFactory(), stage=Stage.SCREENED)
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(t="journeys_episodestatus"))
    assert EpisodeStatus.objects.count() == 2


@postgres_only
def test_the_demo_reset_may_purge_once_it_says_so():
    make_episode(TeamFactory(), stage=Stage.SCREENED)
    with transaction.atomic():
        allow_purge()
        EpisodeStatus._base_manager.filter(stage=Stage.SCREENED).delete()
    assert EpisodeStatus.objects.count() == 1
