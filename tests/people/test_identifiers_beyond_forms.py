"""Identifiers are checked wherever a record is written: services (imports, commands) and the
model (admin), not only the registration form."""

import nhs_number
import pytest
from django.core.exceptions import ValidationError

from healthjustice.people.models import Person
from healthjustice.people.services import person_register, person_update
from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db

VALID = nhs_number.generate(for_region=nhs_number.REGION_SYNTHETIC)[0]
# The same number with its check digit changed: ten digits that do not add up.
BAD_CHECK_DIGIT = VALID[:9] + str((int(VALID[9]) + 1) % 10)


def _data(**extra):
    return {"given_name": "Ana", "family_name": "Lee", "sex": "2", **extra}


def test_registering_with_a_wrong_check_digit_is_refused_and_nothing_is_stored():
    team = TeamFactory()
    with pytest.raises(ValidationError) as refused:
        person_register(actor=staff(team=team), team=team, data=_data(nhs_number=BAD_CHECK_DIGIT))
    assert "nhs_number" in refused.value.message_dict
    assert not Person.objects.exists()


def test_identifiers_are_stored_in_their_standard_form():
    team = TeamFactory()
    spaced = f"{VALID[:3]} {VALID[3:6]} {VALID[6:]}"
    person = person_register(
        actor=staff(team=team),
        team=team,
        data=_data(nhs_number=spaced, pnc_id="19/123a", prison_number="a1234bc"),
    )
    assert (person.nhs_number, person.pnc_id, person.prison_number) == (
        VALID,
        "19/0000123A",
        "A1234BC",
    )


def test_an_edit_with_a_wrong_check_digit_is_refused():
    team = TeamFactory()
    person = PersonFactory(team=team)
    before = person.nhs_number
    with pytest.raises(ValidationError) as refused:
        person_update(
            actor=staff(team=team),
            person=person,
            data={"nhs_number": BAD_CHECK_DIGIT},
            expected_version=person.version,
        )
    assert "nhs_number" in refused.value.message_dict
    person.refresh_from_db()
    assert person.nhs_number == before


def test_the_model_field_refuses_a_wrong_check_digit():
    person = PersonFactory.build(nhs_number=BAD_CHECK_DIGIT)
    with pytest.raises(ValidationError) as refused:
        person.clean_fields(exclude=[f.name for f in Person._meta.fields if f.name != "nhs_number"])
    assert "nhs_number" in refused.value.message_dict
