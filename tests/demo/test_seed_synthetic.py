"""`manage.py seed_synthetic`: bulk people for load tests."""

import random
from collections import Counter
from io import StringIO

import nhs_number
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.audit.services import audit_record
from healthjustice.audit.verification import verify_trail
from healthjustice.core.bulk import TableWriter, _from_copy_text, copy_text
from healthjustice.demo import synthetic as synthetic_module
from healthjustice.demo.ethnicity import HIGH_LEVEL, code_weights
from healthjustice.demo.identifiers import pnc_id, prison_number, sequential_nhs_numbers
from healthjustice.demo.synthetic import LOADED, SyntheticLoader, rebuild_indexes
from healthjustice.journeys.models import Episode, EpisodeStatus
from healthjustice.journeys.stages import ORDER
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Team
from healthjustice.people.identifiers import clean_pnc_id, clean_prison_number
from healthjustice.people.models import CareRelationship, Person, PersonAlias, SearchName
from healthjustice.people.services import _search_rows
from healthjustice.screening.models import Screening
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


def synthetic(**options) -> None:
    call_command("seed_synthetic", stdout=StringIO(), **options)


def test_seed_synthetic_creates_people_with_search_names_and_care_relationships():
    synthetic(people=500, batch=200, seed=1)
    assert Person.objects.count() == 500
    assert not Person.objects.filter(search_names=None).exists()
    assert not Person.objects.filter(care_relationships=None).exists()
    assert SearchName.objects.filter(is_alias=True).count() == PersonAlias.objects.count() > 0
    team = Team.objects.get()
    assert CareRelationship.objects.filter(team=team).count() == 500


def test_seed_synthetic_nhs_numbers_are_valid_unique_and_synthetic():
    synthetic(people=500, seed=2)
    numbers = list(Person.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True))
    assert 400 < len(numbers) < 500
    assert len(set(numbers)) == len(numbers)
    assert all(nhs_number.is_valid(n) and n[0] == "9" for n in numbers)
    assert not Person.objects.filter(nhs_number=None, nhs_number_missing_reason="").exists()


def test_seed_synthetic_search_names_match_the_registration_service():
    synthetic(people=200, seed=3)
    for person in Person.objects.prefetch_related("search_names", "aliases")[:50]:
        stored = {
            (s.given, s.family, s.given_key, s.family_key, s.is_alias)
            for s in person.search_names.all()
        }
        expected = {
            (s.given, s.family, s.given_key, s.family_key, s.is_alias) for s in _search_rows(person)
        }
        assert stored == expected


def test_seed_synthetic_links_people_to_existing_teams_not_carers():
    first, second = TeamFactory(), TeamFactory()
    carers = TeamFactory(pathway=Pathway.CARERS)
    synthetic(people=500, seed=4, primary_share=0.6)
    per_team = Counter(CareRelationship.objects.values_list("team_id", flat=True))
    assert per_team[carers.pk] == 0
    assert per_team[first.pk] > per_team[second.pk] > 0
    assert Team.objects.count() == 3


def test_seed_synthetic_runs_again_without_clashing_nhs_numbers():
    synthetic(people=300, seed=5)
    synthetic(people=300, seed=5)
    assert Person.objects.count() == 600


def test_seed_synthetic_rejects_a_bad_people_count():
    with pytest.raises(CommandError):
        synthetic(people=0)


def test_sequential_nhs_numbers_are_valid_and_skip_taken_ones():
    first = sequential_nhs_numbers(random.Random(1))
    taken = [next(first) for _ in range(3)]
    numbers = sequential_nhs_numbers(random.Random(1), taken)
    batch = [next(numbers) for _ in range(1000)]
    assert not set(batch) & set(taken)
    assert len(set(batch)) == 1000
    assert all(nhs_number.is_valid(n) for n in batch)


def test_pnc_ids_and_prison_numbers_pass_the_service_validators():
    rng = random.Random(6)
    for _ in range(200):
        value = pnc_id(rng, rng.randint(1995, 2026))
        assert clean_pnc_id(value) == value
        number = prison_number(rng)
        assert clean_prison_number(number) == number


def test_ethnic_code_weights_sum_to_100_with_not_stated_and_not_known():
    for area in HIGH_LEVEL:
        weights = code_weights(area)
        assert sum(weights.values()) == pytest.approx(100)
        assert weights["Z"] > 0 and weights["99"] > 0
    asian = {"H", "J", "K", "L"}
    black_country = sum(w for c, w in code_weights("blackcountry").items() if c in asian)
    staffordshire = sum(w for c, w in code_weights("staffordshire").items() if c in asian)
    assert black_country > 5 * staffordshire


def test_seed_synthetic_adds_episodes_status_rows_screenings_in_proportion():
    synthetic(people=400, seed=7)
    episodes = Episode.objects.count()
    assert 1.3 * 400 < episodes < 1.7 * 400
    assert not Episode.objects.filter(statuses=None).exists()
    assert EpisodeStatus.objects.count() > 2 * episodes
    first = EpisodeStatus.objects.filter(seq=1).values_list("stage", flat=True).distinct()
    assert set(first) == {str(ORDER[0])}
    assert Episode.objects.exclude(statuses__stage="closed").exists()
    screened = Episode.objects.filter(statuses__stage="screened").count()
    assert 0.5 * screened < Screening.objects.count() <= screened
    assert not Screening.objects.exclude(episode__statuses__stage="screened").exists()
    same_team = (
        Episode.objects.filter(person__care_relationships__team=F("team")).distinct().count()
    )
    assert same_team == episodes


def test_seed_synthetic_audit_rows_continue_a_verifiable_chain():
    person = PersonFactory()
    audit_record(actor=None, action=Action.VIEW, object_type="person", object_id="x")
    synthetic(people=120, batch=50, seed=8, audit_per_person=7)
    audit_record(actor=None, action=Action.VIEW, object_type="person", object_id="y")
    assert AuditEvent.objects.filter(actor_username="load.worker").count() == 120 * 7
    report = verify_trail()
    assert report.intact, report.problem
    about = AuditEvent.objects.filter(object_type="person", action="view").exclude(object_id="x")
    assert about.exclude(access_basis="own_team").filter(actor_username="load.worker").count() == 0
    assert person.pk


def test_seed_synthetic_options_turn_episodes_and_audit_off():
    synthetic(people=100, seed=9, episodes_per_person=0, audit_per_person=0)
    assert Person.objects.count() == 100
    assert not Episode.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "options",
    [{"episodes_per_person": -1}, {"screening_share": 2}, {"audit_per_person": -1}],
)
def test_seed_synthetic_rejects_bad_proportions(options):
    with pytest.raises(CommandError):
        synthetic(people=10, **options)


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="indexes are rebuilt on PostgreSQL only"
)
LOADED_TABLES = [model._meta.db_table for model in LOADED]


def index_and_constraint_definitions() -> tuple[list[tuple], list[tuple]]:
    """Every index and constraint of the loaded tables, as the catalogue gives them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE tablename = ANY(%s) ORDER BY 1, 2",
            [LOADED_TABLES],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT c.relname, k.conname, k.contype, k.convalidated, k.condeferrable, "
            "k.condeferred, pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "JOIN pg_class c ON c.oid = k.conrelid WHERE c.relname = ANY(%s) ORDER BY 1, 2",
            [LOADED_TABLES],
        )
        constraints = cursor.fetchall()
    return indexes, constraints


@postgresql_only
def test_seed_synthetic_rebuild_puts_back_every_index_and_constraint_as_it_was():
    before = index_and_constraint_definitions()
    indexes, constraints = before
    assert len(indexes) > 50 and any(row[2] == "f" for row in constraints)
    out = StringIO()
    call_command("seed_synthetic", people=300, batch=100, seed=10, indexes="rebuild", stdout=out)
    assert "Dropped" in out.getvalue()
    assert index_and_constraint_definitions() == before
    assert Person.objects.count() == 300
    assert Episode.objects.count() > 300
    report = verify_trail()
    assert report.intact, report.problem


@postgresql_only
@pytest.mark.parametrize("where", ["making rows", "writing rows"])
def test_seed_synthetic_rebuild_that_fails_midway_leaves_the_indexes_and_no_rows(
    monkeypatch, where
):
    """The second batch fails, in the thread that makes the rows or in the one that writes
    them, after the first batch is written."""
    before = index_and_constraint_definitions()
    calls = []
    if where == "making rows":
        make_audit = SyntheticLoader._audit_text

        def failing(self, about):
            calls.append(len(about))
            if len(calls) == 2:
                raise RuntimeError("the database went away")
            return make_audit(self, about)

        monkeypatch.setattr(SyntheticLoader, "_audit_text", failing)
    else:
        write_text = TableWriter.write_text

        def failing(self, model, fields, text):
            if model is AuditEvent:
                calls.append(text.count("\n"))
                if len(calls) == 2:
                    raise RuntimeError("the database went away")
            write_text(self, model, fields, text)

        monkeypatch.setattr(TableWriter, "write_text", failing)
    with pytest.raises(RuntimeError, match="went away"):
        synthetic(people=300, batch=100, seed=11, indexes="rebuild")
    assert calls[0] == (100 if where == "making rows" else 1000)
    assert index_and_constraint_definitions() == before
    for model in LOADED:
        assert not model._base_manager.exists(), model.__name__


@postgresql_only
def test_seed_synthetic_indexes_auto_rebuilds_only_when_the_run_is_large(monkeypatch):
    monkeypatch.setattr(synthetic_module, "REBUILD_AT_LEAST", 100)
    out = StringIO()
    call_command("seed_synthetic", people=150, seed=12, stdout=out)
    assert "Dropped" in out.getvalue()  # at least 100, and more than the table held
    out = StringIO()
    call_command("seed_synthetic", people=120, seed=12, stdout=out)
    assert "Dropped" not in out.getvalue()  # fewer than the 150 already there
    out = StringIO()
    call_command("seed_synthetic", people=99, seed=12, indexes="keep", stdout=out)
    assert "Dropped" not in out.getvalue()
    assert Person.objects.count() == 369


def test_seed_synthetic_indexes_auto_keeps_them_for_a_small_run_and_on_sqlite():
    synthetic(people=50, seed=13)
    assert not rebuild_indexes("auto", 50)
    if connection.vendor == "sqlite":
        assert not rebuild_indexes("auto", 10_000_000)


def test_seed_synthetic_rejects_an_unknown_indexes_choice():
    with pytest.raises(CommandError, match="--indexes must be one of auto, rebuild, keep"):
        synthetic(people=10, indexes="drop")
    assert not Person.objects.exists()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's message")
def test_seed_synthetic_rejects_rebuilding_indexes_on_sqlite():
    with pytest.raises(CommandError, match="PostgreSQL only"):
        synthetic(people=10, indexes="rebuild")
    assert not Person.objects.exists()


@pytest.mark.parametrize("value", ["plain", "tab\there", "two\nlines\r", "back\\slash\\N", "\\N"])
def test_copy_text_escapes_what_copy_reads_as_structure_and_reads_back(value):
    line = copy_text(value)
    assert "\t" not in line and "\n" not in line and "\r" not in line
    assert _from_copy_text(line) == value
    assert _from_copy_text("\\N") is None
