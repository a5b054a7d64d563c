"""`manage.py seed_demo`: the demo organisations, sign-ins and synthetic people."""

import datetime
from io import StringIO

import nhs_number
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from healthjustice.accounts.models import User
from healthjustice.audit.models import AuditEvent
from healthjustice.carers.models import CarerMessageReply
from healthjustice.demo import accounts as demo_accounts
from healthjustice.demo import registry
from healthjustice.feedback import services as feedback_services
from healthjustice.feedback.models import Feedback
from healthjustice.organisations.choices import CareSetting, Pathway, SiteKind
from healthjustice.organisations.models import (
    DataSharingAgreement,
    Membership,
    OpeningHours,
    Organisation,
    Region,
    Site,
    Team,
)
from healthjustice.organisations.roles import STAFF_ROLES, Role
from healthjustice.people.access import access_basis, person_is_visible_to
from healthjustice.people.merging import person_merge
from healthjustice.people.models import (
    CareRelationship,
    Person,
    PersonAlias,
    PersonChange,
    PersonMerge,
    RecordRestriction,
    SearchName,
)
from healthjustice.people.selectors import person_search
from healthjustice.screening.models import RiskAlert
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

PEOPLE = 40
REGION_NAMES = {"Staffordshire and Stoke-on-Trent", "Black Country"}
DEMO_ROLES = [r for r in STAFF_ROLES]


def seed(*args: str, **options) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, **{"people": PEOPLE, **options})
    return out.getvalue()


def list_accounts() -> list[str]:
    out = StringIO()
    call_command("seed_demo", "--list-accounts", stdout=out)
    return out.getvalue().splitlines()


def snapshot() -> dict[str, object]:
    models = [
        Region,
        Organisation,
        Team,
        Site,
        OpeningHours,
        DataSharingAgreement,
        User,
        Membership,
        Person,
        PersonAlias,
        SearchName,
        CareRelationship,
        RecordRestriction,
        PersonChange,
        AuditEvent,
    ]
    counts = {m.__name__: m.objects.count() for m in models}
    counts["people"] = sorted(Person.objects.values_list("public_id", flat=True))
    counts["passwords"] = sorted(User.objects.values_list("username", "password"))
    return counts


@pytest.fixture(scope="class")
def class_seeded(django_db_setup, django_db_blocker):
    """`seed_demo` without other apps' seeders, run once for the tests that only read what it
    loaded, in a transaction rolled back when they are done; each test runs in a
    savepoint inside it (pytest-django's `db`)."""
    registry.load_app_demo_modules()
    with django_db_blocker.unblock(), transaction.atomic():
        with pytest.MonkeyPatch.context() as patch:  # as `base_only`, for the load alone
            patch.setattr(registry, "_seeders", registry._seeders.copy(empty=True))
            patch.setattr(registry, "_resets", registry._resets.copy(empty=True))
            seed()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def base_seeded(class_seeded, db) -> None:
    """The base demo as `seed()` leaves it, shared by the class (see `class_seeded`)."""


class TestTheLoadedBaseDemo:
    """Tests that read what one `seed_demo` (base data only) loaded: it is loaded once for the
    class and gone when the class is done, so the module's other tests start empty."""

    def test_seed_demo_builds_both_regions_and_the_partner_trusts(self, base_seeded):
        assert set(Region.objects.values_list("name", flat=True)) == REGION_NAMES
        assert dict(Organisation.objects.values_list("ods_code", "name")) == {
            "RRE": "Midlands Partnership University NHS Foundation Trust",
            "RLY": "North Staffordshire Combined Healthcare NHS Trust",
        }

    def test_seed_demo_gives_each_region_custody_court_mhtr_and_reconnect_teams(self, base_seeded):
        for region in Region.objects.all():
            teams = Team.objects.filter(region=region)
            ld_settings = sorted(
                s
                for t in teams.filter(pathway=Pathway.LIAISON_DIVERSION)
                for s in t.settings_covered
            )
            assert ld_settings == [CareSetting.COURT, CareSetting.POLICE_CUSTODY]
            assert teams.filter(pathway=Pathway.MHTR).count() == 1
            assert teams.filter(pathway=Pathway.RECONNECT).count() == 1
            assert all(t.settings_covered for t in teams)
        carers = Team.objects.get(pathway=Pathway.CARERS)
        assert carers.region.name == "Staffordshire and Stoke-on-Trent"

    def test_seed_demo_sites_have_opening_hours_and_covering_teams(self, base_seeded):
        for name in ["Northern Area Custody", "Oldbury custody suite"]:
            custody = Site.objects.get(name=name)
            hours = list(custody.opening_hours.all())
            assert custody.kind == SiteKind.CUSTODY_SUITE
            assert [h.weekday for h in hours] == list(range(7))
            assert {(h.opens, h.closes) for h in hours} == {
                (datetime.time(0, 0), datetime.time(23, 59))
            }
            assert all(
                CareSetting.POLICE_CUSTODY in t.settings_covered for t in custody.teams.all()
            )
            assert custody.teams.exists()
        court = Site.objects.get(name="Walsall Magistrates' Court")
        assert [h.weekday for h in court.opening_hours.all()] == [0, 1, 2, 3, 4]
        assert {(h.opens, h.closes) for h in court.opening_hours.all()} == {
            (datetime.time(9, 0), datetime.time(17, 0))
        }
        assert Site.objects.filter(kind=SiteKind.PRISON, name="HMP Featherstone").exists()
        assert not Site.objects.filter(teams=None).exists()

    def test_seed_demo_records_the_staffordshire_sharing_agreement(self, base_seeded):
        agreement = DataSharingAgreement.objects.get()
        assert {o.ods_code for o in agreement.organisations.all()} == {"RRE", "RLY"}
        assert [r.name for r in agreement.regions.all()] == ["Staffordshire and Stoke-on-Trent"]
        assert sorted(agreement.purposes) == sorted(
            [Pathway.LIAISON_DIVERSION, Pathway.MHTR, Pathway.RECONNECT]
        )

    def test_seed_demo_creates_one_account_per_role_per_region(self, base_seeded):
        for region in ["staffs", "blackcountry"]:
            for role in DEMO_ROLES:
                user = User.objects.get(username=f"{role.value}.{region}")
                assert user.is_demo
                assert user.job_title
                assert user.first_name and user.last_name
                assert set(user.memberships.values_list("role", flat=True)) == {role.value}
                assert user.check_password(demo_accounts.DEFAULT_DEMO_PASSWORD)
        second = User.objects.get(username="practitioner2.staffs")
        assert [m.team.name for m in second.memberships.all()] == [
            "Staffordshire courts liaison and diversion"
        ]
        assert not User.objects.filter(memberships__role=Role.CARER).exists()
        assert User.objects.filter(is_demo=True).count() == 2 * len(DEMO_ROLES) + 1

    def test_seed_demo_people_have_valid_synthetic_nhs_numbers_or_a_reason(self, base_seeded):
        people = list(Person.objects.all())
        assert len(people) == PEOPLE
        for person in people:
            if person.nhs_number:
                assert nhs_number.is_valid(person.nhs_number)
                assert person.nhs_number.startswith("9")
            else:
                assert person.nhs_number_missing_reason
        numbers = [p.nhs_number for p in people if p.nhs_number]
        assert len(numbers) == len(set(numbers))

    def test_seed_demo_people_have_ethnic_categories_search_names_and_care_teams(self, base_seeded):
        demo_team_ids = set(Team.objects.values_list("id", flat=True))
        for person in Person.objects.prefetch_related("care_relationships", "search_names"):
            assert person.ethnic_category is not None
            assert person.created_by.is_demo
            teams = {r.team_id for r in person.care_relationships.all()}
            assert 1 <= len(teams) <= 2
            assert teams <= demo_team_ids
            names = {(s.given, s.family) for s in person.search_names.all() if not s.is_alias}
            assert (person.given_name.lower(), person.family_name.lower()) in names
        assert SearchName.objects.filter(is_alias=True).count() == PersonAlias.objects.count()

    def test_seed_demo_restricts_two_records_to_the_staffordshire_team_leader(self, base_seeded):
        leader = User.objects.get(username="team_leader.staffs")
        restrictions = list(RecordRestriction.objects.all())
        assert len(restrictions) == 2
        for restriction in restrictions:
            assert list(restriction.allowed_users.all()) == [leader]
            assert person_is_visible_to(leader, restriction.person)
            practitioner = User.objects.get(username="practitioner.staffs")
            assert not person_is_visible_to(practitioner, restriction.person)

    def test_seed_demo_practitioners_in_different_teams_see_different_people(self, base_seeded):
        custody = User.objects.get(username="practitioner.staffs")
        court = User.objects.get(username="practitioner2.staffs")
        only_custody = (
            Person.objects.filter(care_relationships__team__name__contains="custody")
            .exclude(care_relationships__team__name__contains="court")
            .exclude(restriction__isnull=False)
            .filter(care_relationships__team__region__name__startswith="Staffordshire")
            .first()
        )
        assert only_custody is not None
        assert person_is_visible_to(custody, only_custody)
        assert not person_is_visible_to(court, only_custody)
        found = person_search(custody, name=only_custody.full_name, audit=False)
        assert only_custody in [m.person for m in found]

    def test_seed_demo_twice_changes_nothing(self, base_seeded, base_only):
        before = snapshot()
        output = seed()
        assert snapshot() == before
        assert "already loaded" in output

    def test_list_accounts_prints_username_password_role_and_team(self, base_seeded):
        before = snapshot()
        lines = list_accounts()
        assert snapshot() == before
        assert len(lines) == User.objects.filter(is_demo=True).count()
        rows = [line.split("\t") for line in lines]
        assert all(len(row) == 4 for row in rows)
        assert {row[1] for row in rows} == {demo_accounts.DEFAULT_DEMO_PASSWORD}
        by_user = {row[0]: row for row in rows}
        assert by_user["practitioner.staffs"][2:] == [
            "practitioner",
            "Staffordshire custody liaison and diversion",
        ]
        assert by_user["team_leader.blackcountry"][2] == "team_leader"
        assert {row[2] for row in rows} == {r.value for r in DEMO_ROLES}

    def test_seed_demo_agreement_opens_the_partner_trusts_patients_in_staffordshire_only(
        self, base_seeded
    ):
        partner_people = [
            p
            for p in Person.objects.filter(care_relationships__team__organisation__ods_code="RLY")
            .exclude(care_relationships__team__organisation__ods_code="RRE")
            .exclude(restriction__isnull=False)
            .distinct()
        ]
        assert partner_people
        black_country = User.objects.get(username="practitioner.blackcountry")
        staffordshire = User.objects.get(username="practitioner.staffs")
        assert not [p for p in partner_people if person_is_visible_to(black_country, p)]
        shared = [p for p in partner_people if person_is_visible_to(staffordshire, p)]
        assert shared
        basis = access_basis(staffordshire, shared[0])
        assert basis.agreement == DataSharingAgreement.objects.get()


def test_seed_demo_with_every_app_seeder_twice_changes_nothing_and_lists_all_accounts():
    seed()
    before = snapshot()
    seed()
    assert snapshot() == before
    usernames = [line.split("\t")[0] for line in list_accounts()]
    assert sorted(usernames) == sorted(
        User.objects.filter(is_demo=True).values_list("username", flat=True)
    )
    assert {"practitioner.staffs", "system_admin.blackcountry"} <= set(usernames)


def recent_features() -> dict[str, set]:
    """The demo items showing recent features, by public id: merges, hand-raised risk alerts,
    replies to carers, and likely duplicates (unmerged records sharing a family name and date of
    birth, one without an NHS number)."""
    unmerged = Person.objects.filter(created_by__is_demo=True, merged_into=None)
    groups: dict[tuple, list[Person]] = {}
    for person in unmerged.exclude(date_of_birth=None):
        groups.setdefault((person.family_name, person.date_of_birth), []).append(person)
    return {
        "merges": set(
            PersonMerge.objects.filter(undone_at=None).values_list("public_id", flat=True)
        ),
        "alerts": set(
            RiskAlert.objects.filter(raised_by__isnull=False, acknowledged_at=None).values_list(
                "public_id", flat=True
            )
        ),
        "replies": set(CarerMessageReply.objects.values_list("public_id", flat=True)),
        "duplicates": {
            tuple(sorted(str(p.public_id) for p in group))
            for group in groups.values()
            if len(group) == 2 and any(p.nhs_number is None for p in group)
        },
    }


def test_seed_demo_reset_with_every_app_seeder_loads_again():
    seed(people=10)
    first = recent_features()
    assert {name: len(ids) for name, ids in first.items()} == {
        "merges": 1,
        "alerts": 1,
        "replies": 1,
        "duplicates": 1,
    }
    leader = User.objects.get(username="team_leader.staffs")
    (pair,) = first["duplicates"]
    keep, duplicate = Person.objects.filter(public_id__in=pair)
    # The merge the demo leaves to the user, made, does not stop a reset either.
    person_merge(actor=leader, keep=keep, duplicate=duplicate, reason="Same person, two spellings")
    demo_feedback = Feedback.objects.count()
    real = feedback_services.give_feedback(
        team=leader.memberships.first().team,
        answers={"experience": "good", "treated_fairly": "yes", "what_was_good": "Kind"},
        contact=None,
    )

    output = seed("--reset", people=10)

    assert "Removed" in output
    again = recent_features()
    assert {name: len(ids) for name, ids in again.items()} == {
        "merges": 1,
        "alerts": 1,
        "replies": 1,
        "duplicates": 1,
    }
    assert all(not first[name] & again[name] for name in first)
    # The demo's feedback, answered or not, is replaced, not added to; a real piece stays.
    assert Feedback.objects.filter(is_demo=True).count() == demo_feedback
    assert Feedback.objects.filter(pk=real.pk).exists()
    assert Person.objects.filter(created_by__is_demo=True).count() >= 10
    assert User.objects.filter(username="practitioner.staffs", is_demo=True).exists()


def test_seed_demo_reset_refuses_when_another_record_was_merged_into_a_demo_record():
    seed(people=10)
    custody = Team.objects.get(name="Staffordshire custody liaison and diversion")
    other = PersonFactory(team=custody, nhs_number=None, nhs_number_missing_reason="not_traced")
    demo_person = (
        Person.objects.filter(
            created_by__is_demo=True, merged_into=None, restriction=None, nhs_number__isnull=False
        )
        .filter(care_relationships__team=custody)
        .first()
    )
    leader = User.objects.get(username="team_leader.staffs")
    person_merge(actor=leader, keep=demo_person, duplicate=other, reason="Same person")
    with pytest.raises(CommandError, match="cannot be removed"):
        seed("--reset", people=10)
    assert Person.objects.filter(pk=demo_person.pk).exists()
    assert User.objects.filter(username="team_leader.staffs").exists()


def test_seed_demo_if_empty_does_nothing_when_loaded(base_only):
    seed("--if-empty")
    assert Person.objects.count() == PEOPLE
    before = snapshot()
    output = seed("--if-empty", people=5)
    assert snapshot() == before
    assert "nothing to do" in output


def test_seed_demo_reset_reloads_demo_people_and_keeps_others(base_only):
    other = PersonFactory(team=TeamFactory())
    seed()
    first = set(Person.objects.filter(created_by__is_demo=True).values_list("public_id", flat=True))
    seed("--reset", people=10)
    second = set(
        Person.objects.filter(created_by__is_demo=True).values_list("public_id", flat=True)
    )
    assert len(second) == 10
    assert not first & second
    assert Person.objects.filter(pk=other.pk).exists()
    assert User.objects.filter(is_demo=True).count() == 2 * len(DEMO_ROLES) + 1


def test_list_accounts_uses_the_password_from_the_environment(monkeypatch, base_only):
    monkeypatch.setenv("HJ_DEMO_PASSWORD", "Another-Demo-Pass-77")
    seed()
    assert User.objects.get(username="system_admin.staffs").check_password("Another-Demo-Pass-77")
    assert {line.split("\t")[1] for line in list_accounts()} == {"Another-Demo-Pass-77"}


def test_list_accounts_without_demo_data_fails_and_creates_nothing(base_only):
    with pytest.raises(CommandError, match="No demo data") as excinfo:
        list_accounts()
    assert excinfo.value.returncode == 1
    assert not Region.objects.exists()
    assert not User.objects.exists()


def test_seed_demo_refuses_a_weak_demo_password(monkeypatch, base_only):
    monkeypatch.setenv("HJ_DEMO_PASSWORD", "password")
    with pytest.raises(CommandError, match="HJ_DEMO_PASSWORD"):
        seed()
    assert not User.objects.exists()
    assert not Person.objects.exists()
