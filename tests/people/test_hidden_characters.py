"""Names, other names and addresses keep no control, invisible or bidirectional characters."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from healthjustice.core.text import clean_single_line, visible_words
from healthjustice.people.models import Person, PersonAlias
from healthjustice.people.services import alias_add, person_register, person_update
from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # right-to-left override: "Smith" + RLO + "htims" shows as "Smithsmith"
HIDDEN = ["\u200b", "\u200d", "\ufeff", "\u2066", "\u2069", "\u202a", RLO, "\x00", "\x1b", "\u2028"]
ONLY_HIDDEN = "\u200b\u202e\u2066\x07"
MESSAGE = "not only hidden or control characters"


@pytest.mark.parametrize("ch", HIDDEN)
def test_hidden_characters_are_removed(ch):
    assert clean_single_line(f"Jor{ch}dan") == "Jordan"


def test_line_breaks_and_runs_of_space_become_one_space():
    assert clean_single_line("  Anne\n\tMarie\u00a0 Smith ") == "Anne Marie Smith"


def test_letters_of_every_script_are_kept():
    for name in ("Siân", "Zoë", "Ó Súilleabháin", "Анна", "محمد", "李", "Nguyễn"):
        assert clean_single_line(name) == name


def _form(team, **overrides):
    data = {
        "team": str(team.public_id),
        "given_name": "Jordan",
        "family_name": "Whitehouse",
        "sex": "1",
        "nhs_number": "943 476 5919",
        "address_line_1": "1 High Street",
        "town": "Stoke-on-Trent",
    }
    data.update(overrides)
    return data


@pytest.fixture
def practitioner(signed_in):
    team = TeamFactory()
    user = staff(team=team)
    return signed_in(user), team, user


def test_register_stores_names_and_address_without_hidden_characters(practitioner):
    client, team, _ = practitioner
    response = client.post(
        reverse("people:register"),
        _form(
            team,
            given_name=f"Jor\u200bdan{RLO}",
            family_name="White\u2066house\x00",
            address_line_1=f"1 High{RLO} Street",
            address_line_2="Flat\u202a 2",
            town="Stoke-on-Trent\u200d",
            other_names=f"Jay\u200b Wh{RLO}ite",
        ),
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.given_name, person.family_name) == ("Jordan", "Whitehouse")
    assert (person.address_line_1, person.address_line_2) == ("1 High Street", "Flat 2")
    assert person.town == "Stoke-on-Trent"
    alias = PersonAlias.objects.get()
    assert (alias.given_name, alias.family_name) == ("Jay", "White")


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("given_name", "First name"),
        ("family_name", "Last name"),
        ("preferred_name", "Preferred name"),
        ("address_line_1", "Address line 1"),
        ("town", "Town or city"),
        ("other_names", "Each other name"),
    ],
)
def test_register_refuses_a_value_made_only_of_hidden_characters(practitioner, field, label):
    client, team, _ = practitioner
    response = client.post(reverse("people:register"), _form(team, **{field: ONLY_HIDDEN}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert f"{label} must include letters or numbers that can be seen" in body
    assert not Person.objects.exists()


def test_edit_refuses_a_name_made_only_of_hidden_characters(practitioner):
    client, team, _ = practitioner
    person = PersonFactory(team=team, given_name="Sam", family_name="Cole")
    page = reverse("people:edit", kwargs={"public_id": person.public_id})
    data = {
        "version": person.version,
        "given_name": "Sam",
        "family_name": "\u200b\u200b",
        "date_of_birth_0": str(person.date_of_birth.day),
        "date_of_birth_1": str(person.date_of_birth.month),
        "date_of_birth_2": str(person.date_of_birth.year),
        "sex": person.sex,
        "nhs_number": person.nhs_number,
    }
    response = client.post(page, data)
    assert response.status_code == 200
    assert "Last name must include letters or numbers that can be seen" in response.content.decode()
    person.refresh_from_db()
    assert person.family_name == "Cole"


def test_alias_form_strips_and_refuses(practitioner):
    client, team, _ = practitioner
    person = PersonFactory(team=team)
    page = reverse("people:alias_add", kwargs={"public_id": person.public_id})
    response = client.post(page, {"given_name": "", "family_name": RLO, "kind": "alias"})
    assert response.status_code == 200
    assert "Last name must include letters or numbers that can be seen" in response.content.decode()
    assert not person.aliases.exists()
    response = client.post(page, {"given_name": "", "family_name": f"Bl{RLO}ack", "kind": "alias"})
    assert response.status_code == 302
    assert person.aliases.get().family_name == "Black"


# The service and model layers refuse them too, for management commands, imports and admin.


def test_services_strip_hidden_characters_and_refuse_names_made_of_them():
    team = TeamFactory()
    user = staff(team=team)
    data = {
        "given_name": f"Ana{RLO}",
        "family_name": "Lee\u200b",
        "sex": "2",
        "nhs_number_missing_reason": "not_known",
        "town": f"Leek{RLO}",
    }
    person = person_register(actor=user, team=team, data=data, aliases=[("", f"Le{RLO}e")])
    assert (person.given_name, person.family_name, person.town) == ("Ana", "Lee", "Leek")
    assert person.aliases.get().family_name == "Lee"

    with pytest.raises(ValidationError) as refused:
        person_register(actor=user, team=team, data={**data, "given_name": ONLY_HIDDEN})
    assert "given_name" in refused.value.message_dict
    assert Person.objects.count() == 1

    with pytest.raises(ValidationError) as refused:
        person_update(
            actor=user,
            person=person,
            data={"family_name": ONLY_HIDDEN},
            expected_version=person.version,
        )
    assert "family_name" in refused.value.message_dict
    person.refresh_from_db()
    assert person.family_name == "Lee"

    alias = alias_add(
        actor=user, person=person, given_name="", family_name=f"K{RLO}ay", kind="alias"
    )
    assert alias.family_name == "Kay"
    with pytest.raises(ValidationError):
        alias_add(actor=user, person=person, given_name="", family_name=ONLY_HIDDEN, kind="alias")
    assert person.aliases.count() == 2


def test_saving_a_model_strips_hidden_characters_whoever_saves_it():
    person = PersonFactory(given_name=f"Mo{RLO}", address_line_2="Unit\x1b 4")
    person.refresh_from_db()
    assert (person.given_name, person.address_line_2) == ("Mo", "Unit 4")
    person.family_name = ONLY_HIDDEN
    with pytest.raises(ValidationError):
        person.save()
    alias = PersonAlias.objects.create(person=person, given_name="Li\u200d", family_name=f"Ng{RLO}")
    alias.refresh_from_db()
    assert (alias.given_name, alias.family_name) == ("Li", "Ng")
    with pytest.raises(ValidationError):
        PersonAlias.objects.create(person=person, given_name="\u200d", family_name="Ng")


def test_plain_ascii_is_cleaned_as_any_text_is():
    # Printable ASCII takes a quick path: every ASCII character, alone, between letters and in
    # a run, comes out as the character-by-character cleaning gives it.
    for ch in map(chr, range(128)):
        for value in (ch, f"Jo{ch}an", f" {ch}{ch} Ann  {ch}  Lee ", f"{ch}\t{ch}"):
            assert clean_single_line(value) == visible_words(value), repr(value)
    assert clean_single_line("  Anne   Marie Smith ") == "Anne Marie Smith"
