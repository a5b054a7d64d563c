import datetime

import nhs_number
import pytest
from django.urls import reverse
from markupsafe import escape

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.people import services
from healthjustice.people.models import SearchName
from healthjustice.people.selectors import person_search
from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_and_user():
    team = TeamFactory()
    return team, staff(team=team)


@pytest.mark.parametrize(
    "typed",
    ["Kieran Walsh", "kieran walsh", "Kieran Welsh", "Kieron Walsh", "Keiran Walshe", "Walsh"],
)
def test_search_finds_names_despite_typos_and_case(team_and_user, typed):
    team, user = team_and_user
    person = PersonFactory(given_name="Kieran", family_name="Walsh", team=team)
    PersonFactory(given_name="Amelia", family_name="Hughes", team=team)
    assert [m.person for m in person_search(user, name=typed)] == [person]


def test_search_finds_a_person_by_an_alias(team_and_user):
    team, user = team_and_user
    person = PersonFactory(given_name="Kieran", family_name="Walsh", team=team)
    services.alias_add(
        actor=user, person=person, given_name="Danny", family_name="Marsh", kind="alias"
    )
    [match] = person_search(user, name="Danny Marsh")
    assert match.person == person
    assert match.via_alias


def test_search_by_date_of_birth_and_identifiers(team_and_user):
    team, user = team_and_user
    person = PersonFactory(
        date_of_birth=datetime.date(1984, 3, 15),
        pnc_id="2019/0123456A",
        prison_number="A1234BC",
        team=team,
    )
    PersonFactory(date_of_birth=datetime.date(1970, 1, 1), team=team)
    for criteria in (
        {"date_of_birth": datetime.date(1984, 3, 15)},
        {"identifier": person.nhs_number_display},
        {"identifier": "2019/123456a"},
        {"identifier": "a1234bc"},
    ):
        assert [m.person for m in person_search(user, **criteria)] == [person], criteria


def test_date_of_birth_narrows_name_matches(team_and_user):
    team, user = team_and_user
    PersonFactory(
        given_name="Kieran", family_name="Walsh", team=team, date_of_birth=datetime.date(1990, 1, 1)
    )
    wanted = PersonFactory(
        given_name="Kieran",
        family_name="Walsh",
        team=team,
        date_of_birth=datetime.date(2001, 7, 30),
    )
    results = person_search(user, name="Kieran Walsh", date_of_birth=datetime.date(2001, 7, 30))
    assert [m.person for m in results] == [wanted]


def test_search_is_audited_without_the_terms(team_and_user):
    _, user = team_and_user
    person_search(user, name="Kieran Walsh")
    event = AuditEvent.objects.get(action=Action.SEARCH)
    assert event.detail["criteria"] == ["name"]
    assert "Walsh" not in str(event.detail)


def test_search_page_uses_post_and_never_puts_terms_in_the_url(signed_in, team_and_user):
    team, user = team_and_user
    person = PersonFactory(team=team, family_name="O'Brien")  # an apostrophe is escaped in HTML
    client = signed_in(user)
    response = client.get(reverse("people:search"), {"name": person.family_name})
    assert escape(person.full_name) not in response.content.decode()
    response = client.post(reverse("people:search"), {"identifier": person.nhs_number})
    assert escape(person.full_name) in response.content.decode()


def test_empty_search_gets_a_clear_message(signed_in, team_and_user):
    client = signed_in(team_and_user[1])
    response = client.post(reverse("people:search"), {})
    assert "Enter a name, a date of birth or an identifier" in response.content.decode()


def test_search_names_follow_an_edited_date_of_birth():
    """List imports look people up by name and date of birth in the search names alone, so
    the copy there changes with the record."""
    team = TeamFactory()
    actor = staff(team=team)
    person = services.person_register(
        actor=actor,
        team=team,
        data={
            "given_name": "Mary Ann",
            "family_name": "Okafor",
            "sex": "2",
            "date_of_birth": datetime.date(1980, 3, 4),
            "nhs_number": nhs_number.generate(for_region=nhs_number.REGION_SYNTHETIC)[0],
        },
    )
    rows = SearchName.objects.filter(person=person)
    assert set(rows.values_list("given_first", "date_of_birth")) == {
        ("mary", datetime.date(1980, 3, 4))
    }
    services.person_update(
        actor=actor,
        person=person,
        data={"date_of_birth": datetime.date(1980, 4, 3)},
        expected_version=person.version,
    )
    assert set(rows.values_list("date_of_birth", flat=True)) == {datetime.date(1980, 4, 3)}
