"""Carers' equality-monitoring answers: optional, asked by staff or by the carer, and shown."""

import pytest
from django.urls import reverse
from django.utils import timezone

from healthjustice.carers.models import Carer
from healthjustice.people.models import EthnicCategory
from tests.carers.factories import CarerFactory, Ward, carer_account

pytestmark = pytest.mark.django_db


def _category(code: str) -> EthnicCategory:
    return EthnicCategory.objects.get(code=code, code_list__is_current=True)


def _add(ward: Ward, **answers: str) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "given_name": "Grace",
        "family_name": "Mensah",
        "phone": "07700 900321",
        "preferred_contact_method": "phone",
        "preferred_contact_time": "any",
        "language": "English",
        "date_identified_0": str(today.day),
        "date_identified_1": str(today.month),
        "date_identified_2": str(today.year),
        "relationship": "parent",
        "team": str(ward.team.public_id),
        **answers,
    }


def test_staff_record_a_carers_own_answers_and_the_carer_page_shows_them(signed_in):
    ward = Ward()
    client = signed_in(ward.key_worker)
    black_african = _category("N")
    client.post(
        reverse("carers:carer_add", kwargs={"public_id": ward.patient.public_id}),
        _add(
            ward,
            ethnic_category=str(black_african.pk),
            ethnicity_own_words="Ghanaian British",
            age_group="41_64",
            sex="2",
            religion="christian",
            disability="no",
        ),
    )
    carer = Carer.objects.get()
    assert carer.ethnic_category == black_african
    assert (carer.ethnicity_own_words, carer.age_group, carer.religion, carer.disability) == (
        "Ghanaian British",
        "41_64",
        "christian",
        "no",
    )
    page = client.get(reverse("carers:carer_detail", kwargs={"public_id": carer.public_id}))
    text = page.content.decode()
    assert "Black or Black British" in text and "in their words: Ghanaian British" in text
    assert "41 to 64" in text


def test_every_question_may_be_left_unanswered(signed_in):
    ward = Ward()
    signed_in(ward.key_worker).post(
        reverse("carers:carer_add", kwargs={"public_id": ward.patient.public_id}), _add(ward)
    )
    carer = Carer.objects.get()
    assert carer.ethnic_category is None
    assert (carer.age_group, carer.sex, carer.sexual_orientation, carer.disability) == (
        "",
        "",
        "",
        "",
    )


def test_an_answer_not_on_the_list_is_refused_and_nothing_is_stored(signed_in):
    ward = Ward()
    response = signed_in(ward.key_worker).post(
        reverse("carers:carer_add", kwargs={"public_id": ward.patient.public_id}),
        _add(ward, ethnic_category="999999", sexual_orientation="7"),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Select their ethnic group from the list" in text
    assert "Select their sexual orientation from the list" in text
    assert not Carer.objects.exists()


def test_a_carer_answers_for_themselves_in_the_portal(signed_in):
    carer = CarerFactory()
    client = signed_in(carer_account(carer))
    page = client.get(reverse("carers:portal_preferences")).content.decode()
    assert "Your ethnic group (optional)" in page and "About you" in page
    mixed = _category("D")
    response = client.post(
        reverse("carers:portal_preferences"),
        {
            "preferred_contact_method": "phone",
            "preferred_contact_time": "any",
            "phone": "07700 900111",
            "language": "English",
            "ethnic_category": str(mixed.pk),
            "sexual_orientation": "Z",
            "version": carer.version,
        },
    )
    assert response.status_code == 302
    carer.refresh_from_db()
    assert (carer.ethnic_category, carer.sexual_orientation) == (mixed, "Z")


def test_the_edit_form_shows_the_answer_already_recorded(signed_in):
    ward = Ward()
    carer, _rel = ward.carer()
    Carer.objects.filter(pk=carer.pk).update(ethnic_category=_category("H"), age_group="65_plus")
    page = signed_in(ward.key_worker).get(
        reverse("carers:carer_edit", kwargs={"public_id": carer.public_id})
    )
    text = page.content.decode()
    assert f'value="{_category("H").pk}" selected' in text
    assert 'value="65_plus" selected' in text
