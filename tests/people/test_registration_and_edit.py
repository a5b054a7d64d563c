"""Registering and changing a person: bad input gets a clear message and nothing half-written."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.people.models import CareRelationship, Person, PersonAlias
from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db

VALID_NHS = "9434765919"


def _form(team, **overrides):
    data = {
        "team": str(team.public_id),
        "given_name": "Jordan",
        "family_name": "Whitehouse",
        "date_of_birth_0": "12",
        "date_of_birth_1": "6",
        "date_of_birth_2": "1990",
        "sex": "1",
        "nhs_number": "943 476 5919",
        "other_names": "Jay White\nJordan Smith",
    }
    data.update(overrides)
    return data


def _jordan(team):
    """Jordan Whitehouse, born 12 June 1990, cared for by `team`: the form's person."""
    return PersonFactory(
        given_name="Jordan",
        family_name="Whitehouse",
        date_of_birth=datetime.date(1990, 6, 12),
        team=team,
    )


def _register_without_nhs_number(client, team):
    data = _form(team, nhs_number="", nhs_number_missing_reason="declined")
    return client.post(reverse("people:register"), data).content.decode()


@pytest.fixture
def practitioner_client(signed_in):
    team = TeamFactory()
    user = staff(team=team)
    return signed_in(user), team, user


def test_register_creates_person_aliases_relationship_and_audit(practitioner_client):
    client, team, _ = practitioner_client
    response = client.post(reverse("people:register"), _form(team))
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", kwargs={"public_id": person.public_id})
    assert person.nhs_number == VALID_NHS
    assert person.date_of_birth == datetime.date(1990, 6, 12)
    assert {a.family_name for a in PersonAlias.objects.all()} == {"White", "Smith"}
    assert CareRelationship.objects.filter(person=person, team=team).exists()
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(person.public_id)).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nhs_number": "943 476 5910"}, "does not add up"),
        ({"date_of_birth_0": "31", "date_of_birth_1": "2"}, "real date"),
        ({"date_of_birth_2": str(timezone.localdate().year + 1)}, "in the past"),
        ({"date_of_birth_2": "1850"}, "after 1900"),
        ({"date_of_birth_1": ""}, "Date of birth must include a day, month and year"),
        ({"given_name": "x" * 101}, "First name must be 100 characters or fewer"),
        ({"nhs_number": "", "nhs_number_missing_reason": ""}, "why there is no NHS number"),
        ({"pnc_id": "12345"}, "PNC ID"),
        ({"no_fixed_abode": "on", "address_line_1": "1 High Street"}, "no fixed abode"),
        ({"sex": ""}, "Select sex"),
    ],
)
def test_bad_registration_input_is_refused_with_a_message(practitioner_client, overrides, message):
    client, team, _ = practitioner_client
    response = client.post(reverse("people:register"), _form(team, **overrides))
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert not Person.objects.exists()
    assert not PersonAlias.objects.exists()


def test_duplicate_nhs_number_is_refused(practitioner_client):
    client, team, _ = practitioner_client
    PersonFactory(nhs_number=VALID_NHS, team=team)
    response = client.post(reverse("people:register"), _form(team, confirm_not_duplicate="yes"))
    assert "already registered" in response.content.decode()
    assert Person.objects.count() == 1


def test_likely_duplicate_is_shown_before_registering(practitioner_client):
    client, team, _ = practitioner_client
    existing = _jordan(team)
    body = _register_without_nhs_number(client, team)
    assert "may already be registered" in body
    assert str(existing.public_id) in body
    assert Person.objects.count() == 1
    # The warning, in the design system's warning callout, and the box that answers it come
    # first in the form, before any field to fill in again.
    form = body[body.index("<form") :]
    assert form.index("nhsuk-card--warning") < form.index('name="team"')
    assert form.index('name="confirm_not_duplicate"') < form.index('name="team"')
    # Confirming it is a different person registers them.
    client.post(
        reverse("people:register"),
        _form(
            team, nhs_number="", confirm_not_duplicate="yes", nhs_number_missing_reason="declined"
        ),
    )
    assert Person.objects.count() == 2


def test_duplicate_held_by_another_team_is_counted_not_shown(practitioner_client):
    client, team, _ = practitioner_client
    hidden = _jordan(TeamFactory())
    body = _register_without_nhs_number(client, team)
    assert "1 record held by other teams may match" in body
    assert str(hidden.public_id) not in body


def _edit_data(person, **overrides):
    data = {
        "version": person.version,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth_0": str(person.date_of_birth.day),
        "date_of_birth_1": str(person.date_of_birth.month),
        "date_of_birth_2": str(person.date_of_birth.year),
        "sex": person.sex,
        "nhs_number": person.nhs_number,
        "ethnicity_self_reported": "on" if person.ethnicity_self_reported else "",
    }
    data.update(overrides)
    return data


def test_edit_saves_changes_and_audits_field_names_not_values(practitioner_client):
    client, team, _ = practitioner_client
    person = PersonFactory(team=team, family_name="Brown")
    url = reverse("people:edit", kwargs={"public_id": person.public_id})
    response = client.post(url, _edit_data(person, family_name="Browne"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.family_name == "Browne"
    assert person.version == 2
    event = AuditEvent.objects.get(action=Action.UPDATE)
    assert event.fields_changed == ["family_name"]
    assert "Browne" not in str(event.detail)


def test_stale_edit_is_refused_and_the_newer_edit_survives(practitioner_client):
    client, team, _ = practitioner_client
    person = PersonFactory(team=team, family_name="Brown")
    url = reverse("people:edit", kwargs={"public_id": person.public_id})
    stale_form = _edit_data(person, family_name="Browning")
    client.post(url, _edit_data(person, family_name="Browne"))  # someone else saves first
    response = client.post(url, stale_form)
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    person.refresh_from_db()
    assert person.family_name == "Browne"


def test_edit_get_shows_the_current_version(practitioner_client):
    client, team, _ = practitioner_client
    person = PersonFactory(team=team)
    response = client.get(reverse("people:edit", kwargs={"public_id": person.public_id}))
    assert f'value="{person.version}"' in response.content.decode()


def test_the_person_chose_their_ethnic_category_is_not_ticked_for_them(practitioner_client):
    client, _, _ = practitioner_client
    body = client.get(reverse("people:register")).content.decode()
    box = body[body.index('name="ethnicity_self_reported"') :]
    box = box[: box.index(">")]
    assert "checked" not in box


def test_without_the_matcher_registration_falls_back_to_the_name_search(
    practitioner_client, monkeypatch
):
    from healthjustice.people import duplicates

    monkeypatch.setattr(
        duplicates, "duplicate_checks", duplicates.duplicate_checks.copy(empty=True)
    )
    client, team, _ = practitioner_client
    existing = _jordan(team)
    body = _register_without_nhs_number(client, team)
    assert "may already be registered" in body
    assert str(existing.public_id) in body
    assert "the same person (" not in body  # the name search gives reasons, not a probability
    assert Person.objects.count() == 1
