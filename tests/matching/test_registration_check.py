"""Registering a person checks the register with the matcher: the user sees the likely matches
they may see, with the probability in words and which details agree, and only a count of those
held elsewhere; relatives are never presented as certain; nothing is recorded as viewed."""

import datetime

import pytest
from django.urls import reverse

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.matching.registration import likely_duplicates
from healthjustice.organisations.permissions import clear_permission_cache
from healthjustice.people import services
from healthjustice.people.duplicates import NewPerson
from healthjustice.people.models import Person, RecordRestriction
from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db

NO_NHS = {"nhs_number": None, "nhs_number_missing_reason": "not_traced"}
DOB = datetime.date(1985, 2, 1)


@pytest.fixture
def team():
    return TeamFactory(name="Stoke custody L&D")


@pytest.fixture
def user(team):
    return staff(team=team)


def _form(team, given="Jonathan", family="Whitehouse", dob=DOB, **overrides):
    data = {
        "team": str(team.public_id),
        "given_name": given,
        "family_name": family,
        "date_of_birth_0": str(dob.day),
        "date_of_birth_1": str(dob.month),
        "date_of_birth_2": str(dob.year),
        "sex": "1",
        "nhs_number": "",
        "nhs_number_missing_reason": "declined",
    }
    data.update(overrides)
    return data


def _jonathan(team, **details):
    """Jonathan Whitehouse, born on DOB, with no NHS number, cared for by `team`."""
    values = {"given_name": "Jonathan", "family_name": "Whitehouse", "date_of_birth": DOB}
    return PersonFactory(team=team, **{**values, **NO_NHS, **details})


def _check(user, given="Jonathan", family="Whitehouse", dob=DOB, **details):
    return likely_duplicates(user, NewPerson(given, family, dob, **details))


def _shown(check):
    return [m.person for m in check.shown]


# Who sees what ------------------------------------------------------------------------------


def test_a_likely_match_the_user_may_see_is_shown_with_words_and_the_details_that_agree(
    signed_in, team, user
):
    existing = _jonathan(team)
    body = signed_in(user).post(reverse("people:register"), _form(team)).content.decode()
    assert "This person may already be registered" in body
    assert str(existing.public_id) in body
    assert "almost certainly the same person" in body
    assert "Given name: agrees. The same." in body
    assert "Date of birth: agrees. The same." in body
    assert "NHS number: no evidence." in body
    assert "held by other teams" not in body
    assert Person.objects.count() == 1


def test_a_likely_match_held_by_another_team_is_counted_never_named(signed_in, team, user):
    elsewhere = _jonathan(TeamFactory())
    body = signed_in(user).post(reverse("people:register"), _form(team)).content.decode()
    assert "1 record held by other teams may match" in body
    assert str(elsewhere.public_id) not in body
    assert "Whitehouse" not in body.replace('value="Whitehouse"', "")
    check = _check(user)
    assert (check.shown, check.hidden) == ([], 1)


def test_break_glass_shows_the_record_opened_and_a_restricted_one_is_not_even_counted(team, user):
    other = TeamFactory()
    opened = _jonathan(other)
    check = _check(user)
    assert (check.shown, check.hidden) == ([], 1)
    services.break_glass_open(
        actor=user, person_public_id=opened.public_id, reason="Emergency in custody now"
    )
    clear_permission_cache(user)
    check = _check(user)
    assert (_shown(check), check.hidden) == ([opened], 0)
    restricted = _jonathan(other)
    RecordRestriction.objects.create(person=restricted, reason="staff_member")
    check = _check(user)
    assert (_shown(check), check.hidden) == ([opened], 0)


def test_both_teams_at_once_show_ours_and_count_theirs(team, user):
    ours = _jonathan(team)
    _jonathan(TeamFactory())
    check = _check(user)
    assert (_shown(check), check.hidden) == ([ours], 1)


# What is found ------------------------------------------------------------------------------


def test_a_nickname_with_day_and_month_swapped_is_found(team, user):
    existing = _jonathan(team)
    check = _check(user, given="Jon", dob=datetime.date(1985, 1, 2))
    assert _shown(check) == [existing]
    words = {a.label: a.verdict for a in check.shown[0].agreements}
    assert words["Given name"] == "partly"
    assert words["Date of birth"] == "partly"


def test_a_pnc_id_in_its_short_form_finds_the_long_form_held(team, user):
    existing = _jonathan(team, pnc_id="2019/0123456E")
    check = _check(user, given="John", family="Whitehous", dob=None, pnc_id="19/0123456E")
    assert _shown(check) == [existing]
    assert check.shown[0].reasons == ["an identifier matches"]
    assert {a.label: a.verdict for a in check.shown[0].agreements}["PNC ID"] == "agrees"


def test_another_name_given_at_registration_is_looked_up_too(team, user):
    existing = PersonFactory(
        given_name="Kieron", family_name="Welsh", date_of_birth=DOB, team=team, **NO_NHS
    )
    check = _check(user, given="Kyle", family="Marsh", other_names=(("Kieron", "Welsh"),))
    assert _shown(check) == [existing]


def test_a_namesake_born_on_another_day_is_not_a_likely_match(team, user):
    _jonathan(team, date_of_birth=datetime.date(1985, 9, 23))
    _jonathan(TeamFactory(), date_of_birth=datetime.date(1987, 2, 1))
    check = _check(user)
    assert (check.shown, check.hidden) == ([], 0)


def test_twins_are_shown_but_never_as_certain(team, user):
    twin = _jonathan(team, given_name="Danielle", postcode="ST4 1AB")
    check = _check(user, given="Daniel", postcode="ST4 1AB")
    assert _shown(check) == [twin]
    assert check.shown[0].in_words.startswith("possibly the same person")
    # A twin in another team is not counted as a likely match either.
    twin.care_relationships.update(team=TeamFactory())
    clear_permission_cache(user)
    assert (_check(user, given="Daniel", postcode="ST4 1AB").hidden) == 0


def test_a_father_and_son_of_the_same_name_are_not_matched(team, user):
    _jonathan(team, date_of_birth=datetime.date(1960, 3, 14), postcode="ST4 1AB")
    check = _check(user, dob=datetime.date(1988, 3, 14), postcode="ST4 1AB")
    assert (check.shown, check.hidden) == ([], 0)


# Audit and the answer -----------------------------------------------------------------------


def test_the_warning_records_no_view_of_the_candidates_and_confirming_registers(
    signed_in, team, user
):
    existing = _jonathan(team)
    client = signed_in(user)
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    body = client.post(reverse("people:register"), _form(team)).content.decode()
    assert str(existing.public_id) in body
    added = AuditEvent.objects.exclude(pk__in=before)
    assert not added.filter(action=Action.VIEW).exists()
    assert not added.filter(object_id=str(existing.public_id)).exists()
    response = client.post(reverse("people:register"), _form(team, confirm_not_duplicate="yes"))
    assert response.status_code == 302
    assert Person.objects.count() == 2
