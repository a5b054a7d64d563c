"""Each row matched against the register as the viewer may see it, taking people on from
rows, and deleting rows nobody took on."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.imports.choices import ListKind, MatchState
from healthjustice.imports.models import ListRow
from healthjustice.imports.selectors import row_match
from healthjustice.imports.services import list_import, list_rows_purge, row_take_on
from healthjustice.journeys.choices import EpisodeSetting
from healthjustice.journeys.models import CriminalJusticeContext
from healthjustice.people.models import CareRelationship, Person, RecordRestriction
from healthjustice.reconnect.models import ReconnectReferral
from tests.factories import PersonFactory
from tests.imports.lists import (
    COURT_HEADER,
    CUSTODY_HEADER,
    RELEASE_HEADER,
    csv_file,
    custody_row,
    hearing,
    pnc,
    release_on,
)

pytestmark = pytest.mark.django_db

DOB = date(1988, 3, 14)


def _custody(lw, *rows: str) -> list[ListRow]:
    list_import(
        actor=lw.practitioner,
        team=lw.team,
        kind=ListKind.CUSTODY,
        file_name="c.csv",
        data=csv_file(CUSTODY_HEADER, *rows),
    )
    return list(ListRow.objects.order_by("line"))


def test_a_person_held_by_the_team_is_known_by_pnc_id(lw):
    person = PersonFactory(team=lw.team, pnc_id="2019/0123456E", given_name="Dan")
    (row,) = _custody(lw, custody_row(name="Someone Else", dob=""))
    match = row_match(lw.practitioner, row)
    assert match.state == MatchState.KNOWN and match.people == [person]
    assert match.by == "identifier"
    assert row.match_state == MatchState.KNOWN


def test_a_person_held_by_the_team_is_known_by_name_and_date_of_birth(lw):
    person = PersonFactory(
        team=lw.team, given_name="Daniel", family_name="Fletcher", date_of_birth=DOB
    )
    (row,) = _custody(lw, custody_row(pnc_id=""))
    match = row_match(lw.practitioner, row)
    assert match.state == MatchState.KNOWN and match.people == [person]
    assert match.by == "name and date of birth"


def test_a_person_held_by_another_team_is_counted_never_named(lw):
    PersonFactory(
        team=lw.other_team, given_name="Daniel", family_name="Fletcher", date_of_birth=DOB
    )
    (row,) = _custody(lw, custody_row(pnc_id=""))
    match = row_match(lw.practitioner, row)
    assert match.state == MatchState.HIDDEN and match.hidden == 1 and match.people == []
    # The other team's practitioner sees the same row as known to them.
    assert row_match(lw.other, row).state == MatchState.KNOWN


def test_a_hidden_match_by_identifier_is_counted(lw):
    PersonFactory(team=lw.other_team, pnc_id="19/0123456E")
    (row,) = _custody(lw, custody_row(name="Someone Else", dob=""))
    match = row_match(lw.practitioner, row)
    assert (match.state, match.hidden, match.by) == (MatchState.HIDDEN, 1, "identifier")


def test_a_restricted_record_is_neither_named_nor_counted(lw):
    person = PersonFactory(
        team=lw.other_team, given_name="Daniel", family_name="Fletcher", date_of_birth=DOB
    )
    RecordRestriction.objects.create(person=person, reason="staff", created_by=lw.other)
    (row,) = _custody(lw, custody_row(pnc_id=""))
    assert row_match(lw.practitioner, row).state == MatchState.NEW


def test_someone_not_on_the_register_is_new(lw):
    PersonFactory(team=lw.team, given_name="Daniel", family_name="Fletcher", date_of_birth=DOB)
    (row,) = _custody(lw, custody_row(name="Priya Sharma", dob="1990-01-01", pnc_id=""))
    assert row_match(lw.practitioner, row).state == MatchState.NEW


def test_a_father_of_the_same_name_is_not_taken_for_his_son(lw):
    PersonFactory(
        team=lw.team, given_name="Daniel", family_name="Fletcher", date_of_birth=date(1961, 5, 2)
    )
    (row,) = _custody(lw, custody_row(pnc_id=""))
    assert row_match(lw.practitioner, row).state == MatchState.NEW


def test_a_new_custody_row_registers_the_person_and_opens_an_episode_with_the_clock(lw):
    (row,) = _custody(lw, custody_row())
    taken = row_take_on(actor=lw.practitioner, row=row)
    person = Person.objects.get()
    assert (person.given_name, person.family_name, person.date_of_birth) == (
        "Daniel",
        "Fletcher",
        DOB,
    )
    assert person.pnc_id == pnc()
    episode = taken.episode
    assert episode.person == person and episode.team == lw.team
    assert episode.setting == EpisodeSetting.POLICE_CUSTODY and episode.site == lw.suite
    context = CriminalJusticeContext.objects.get(episode=episode)
    assert context.arrived_in_custody_at == row.event_at
    assert context.custody_record_reference == "NAC/26/000001"
    assert context.offence_category == "violence"
    assert taken.taken_on_at and taken.taken_on_by == lw.practitioner and taken.person == person
    assert AuditEvent.objects.filter(object_type="list_row", object_id=str(row.public_id)).exists()
    assert AuditEvent.objects.filter(object_type="person", action="create").exists()
    with pytest.raises(ValidationError, match="already taken"):
        row_take_on(actor=lw.leader, row=row)


def test_a_known_row_opens_an_episode_for_the_chosen_record(lw):
    person = PersonFactory(team=lw.team, pnc_id="19/0123456E")
    (row,) = _custody(lw, custody_row())
    taken = row_take_on(actor=lw.practitioner, row=row, person=person)
    assert taken.episode.person == person
    assert Person.objects.count() == 1


def test_a_known_row_is_not_registered_again(lw):
    PersonFactory(team=lw.team, pnc_id="19/0123456E", date_of_birth=DOB)
    (row,) = _custody(lw, custody_row())
    with pytest.raises(ValidationError, match="may already hold"):
        row_take_on(actor=lw.practitioner, row=row)
    assert Person.objects.count() == 1 and not ListRow.objects.get().taken_on_at


def test_a_hidden_row_cannot_be_registered_nor_taken_to_another_record(lw):
    hidden = PersonFactory(team=lw.other_team, pnc_id="19/0123456E", date_of_birth=DOB)
    mine = PersonFactory(team=lw.team)
    (row,) = _custody(lw, custody_row())
    with pytest.raises(ValidationError):
        row_take_on(actor=lw.practitioner, row=row)
    with pytest.raises(ValidationError, match="Choose one of the records"):
        row_take_on(actor=lw.practitioner, row=row, person=mine)
    assert not CareRelationship.objects.filter(person=hidden, team=lw.team).exists()


def test_a_court_row_opens_an_episode_with_the_hearing(lw):
    list_import(
        actor=lw.practitioner,
        team=lw.team,
        kind=ListKind.COURT,
        file_name="court.csv",
        data=csv_file(
            COURT_HEADER,
            f"North Staffordshire Justice Centre,3,{hearing()},Chloe Whitmore,1992-05-21,"
            "NFA,Theft from a shop,",
        ),
    )
    row = ListRow.objects.get()
    taken = row_take_on(actor=lw.practitioner, row=row)
    episode = taken.episode
    assert episode.setting == EpisodeSetting.MAGISTRATES_COURT and episode.site == lw.court
    context = CriminalJusticeContext.objects.get(episode=episode)
    assert context.court == lw.court and context.hearing_at == row.event_at
    assert "courtroom 3" in episode.reason
    assert taken.person.no_fixed_abode


def test_a_release_row_makes_a_reconnect_referral(lw):
    list_import(
        actor=lw.rc_worker,
        team=lw.rc_team,
        kind=ListKind.RELEASE,
        file_name="release.csv",
        data=csv_file(
            RELEASE_HEADER,
            f'HMP Stafford,A1234BC,"Hughes, Liam",1990-01-17,{release_on(30)},licence',
        ),
    )
    row = ListRow.objects.get()
    taken = row_take_on(actor=lw.rc_worker, row=row)
    referral = ReconnectReferral.objects.get(episode=taken.episode)
    assert referral.release_on == timezone.localdate() + timedelta(days=30)
    assert referral.referrer == "release_list"
    assert taken.episode.team == lw.rc_team and taken.person.prison_number == "A1234BC"


def test_a_release_row_outside_the_window_says_why_and_writes_nothing(lw):
    list_import(
        actor=lw.rc_worker,
        team=lw.rc_team,
        kind=ListKind.RELEASE,
        file_name="release.csv",
        data=csv_file(
            RELEASE_HEADER, f"HMP Stafford,A1234BC,Liam Hughes,1990-01-17,{release_on(200)},"
        ),
    )
    row = ListRow.objects.get()
    with pytest.raises(ValidationError, match="outside the RECONNECT window"):
        row_take_on(actor=lw.rc_worker, row=row)
    assert not Person.objects.exists()
    assert ListRow.objects.get().taken_on_at is None


def test_a_row_of_another_team_cannot_be_taken_on(lw):
    from django.core.exceptions import PermissionDenied

    (row,) = _custody(lw, custody_row())
    with pytest.raises(PermissionDenied):
        row_take_on(actor=lw.other, row=row)


def test_rows_never_taken_on_are_deleted_after_the_retention_period(lw, settings):
    old, taken, recent = _custody(
        lw, custody_row("NAC/1"), custody_row("NAC/2", pnc_id=""), custody_row("NAC/3")
    )
    row_take_on(actor=lw.practitioner, row=taken)
    long_ago = timezone.now() - timedelta(days=31)
    ListRow.objects.filter(pk__in=[old.pk, taken.pk]).update(created_at=long_ago)
    assert list_rows_purge() == 1
    assert set(ListRow.objects.values_list("pk", flat=True)) == {taken.pk, recent.pk}
    settings.HJ_LIST_RETENTION_DAYS = 0
    call_command("purge_list_rows")
    assert set(ListRow.objects.values_list("pk", flat=True)) == {taken.pk}
    assert AuditEvent.objects.filter(object_type="list_row", action="delete").count() == 2


def test_the_row_a_person_was_taken_on_from_is_in_their_subject_access_export(lw):
    import json

    from healthjustice.governance.subject_access import subject_access_document

    (row,) = _custody(lw, custody_row())
    taken = row_take_on(actor=lw.practitioner, row=row)
    document = json.loads(json.dumps(subject_access_document(taken.person), default=str))
    (entry,) = document["list_rows"]
    assert entry["reference"] == "NAC/26/000001" and entry["line"] == 2
    assert entry["offence_category"]["label"] == "Violence against the person"


def test_a_person_shared_by_agreement_is_known_as_on_registration(lw):
    from healthjustice.organisations.choices import Pathway
    from tests.factories import AgreementFactory

    person = PersonFactory(
        team=lw.other_team, given_name="Daniel", family_name="Fletcher", date_of_birth=DOB
    )
    agreement = AgreementFactory(purposes=[Pathway.LIAISON_DIVERSION], starts_on=date(2020, 1, 1))
    agreement.organisations.set([lw.team.organisation, lw.other_team.organisation])
    agreement.regions.set([lw.region])
    (row,) = _custody(lw, custody_row(pnc_id=""))
    match = row_match(lw.practitioner, row)
    assert match.state == MatchState.KNOWN and match.people == [person]
