import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.carers import services
from healthjustice.carers.choices import ContactDirection, ContactMode, LawfulBasis, ShareCategory
from healthjustice.carers.models import CarerContact, SharingAgreement
from tests.carers.factories import Ward

pytestmark = pytest.mark.django_db


def _log(ward, carer, rel, categories, actor=None, **kwargs):
    actor = actor or ward.key_worker
    return services.contact_record(
        actor=actor,
        carer=carer,
        relationship=rel,
        staff=actor,
        occurred_at=kwargs.pop("occurred_at", timezone.now()),
        mode=ContactMode.PHONE,
        direction=ContactDirection.TO_CARER,
        summary=kwargs.pop("summary", "Talked about the week."),
        categories_shared=categories,
        **kwargs,
    )


def test_contact_sharing_agreed_categories_is_recorded_and_not_flagged():
    ward = Ward()
    carer, rel = ward.carer()
    ward.agree(rel, [ShareCategory.WELLBEING])
    contact = _log(ward, carer, rel, [ShareCategory.WELLBEING])
    assert contact.flagged_for_review is False
    assert contact.outside_agreement == []


def test_contact_sharing_outside_the_agreement_is_refused_with_the_reason_and_audited():
    ward = Ward()
    carer, rel = ward.carer()
    ward.agree(rel, [ShareCategory.WELLBEING])
    with pytest.raises(services.ShareNotAllowed) as exc:
        _log(ward, carer, rel, [ShareCategory.WELLBEING, ShareCategory.MEDICATION])
    message = exc.value.message_dict["categories_shared"][0]
    assert "has not agreed to share Medication" in message
    assert not CarerContact.objects.exists()
    denial = AuditEvent.objects.filter(action=Action.DENIED, object_type="carer_contact").get()
    assert denial.detail["reason"] == "share_outside_agreement"
    assert denial.detail["person"] == str(ward.patient.public_id)


def test_contact_sharing_with_no_agreement_in_force_is_refused():
    ward = Ward()
    carer, rel = ward.carer()
    with pytest.raises(services.ShareNotAllowed) as exc:
        _log(ward, carer, rel, [ShareCategory.WELLBEING])
    assert "no information-sharing agreement" in exc.value.message_dict["categories_shared"][0]


def test_contact_with_lawful_basis_is_recorded_and_flagged_for_review():
    ward = Ward()
    carer, rel = ward.carer()
    ward.agree(rel, [ShareCategory.WELLBEING])
    contact = _log(
        ward,
        carer,
        rel,
        [ShareCategory.CARE_PLAN],
        lawful_basis=LawfulBasis.SAFEGUARDING,
        lawful_basis_detail="Children at risk at home",
    )
    assert contact.flagged_for_review is True
    assert contact.outside_agreement == [ShareCategory.CARE_PLAN]
    assert contact.lawful_basis == LawfulBasis.SAFEGUARDING


def test_contact_with_lawful_basis_needs_an_explanation():
    ward = Ward()
    carer, rel = ward.carer()
    with pytest.raises(ValidationError) as exc:
        _log(ward, carer, rel, [ShareCategory.CARE_PLAN], lawful_basis=LawfulBasis.SERIOUS_RISK)
    assert "lawful_basis_detail" in exc.value.message_dict
    assert not CarerContact.objects.exists()


def test_contact_is_judged_against_the_agreement_in_force_when_it_happened():
    ward = Ward()
    carer, rel = ward.carer()
    agreement = ward.agree(rel, [ShareCategory.MEDICATION])
    SharingAgreement.objects.filter(pk=agreement.pk).update(
        recorded_at=timezone.now() - datetime.timedelta(days=10)
    )
    services.agreement_withdraw(actor=ward.key_worker, agreement=agreement, reason="Changed mind")
    # Five days ago medication was agreed: recording that contact now is allowed.
    earlier = _log(
        ward,
        carer,
        rel,
        [ShareCategory.MEDICATION],
        occurred_at=timezone.now() - datetime.timedelta(days=5),
    )
    assert earlier.flagged_for_review is False
    with pytest.raises(services.ShareNotAllowed):
        _log(ward, carer, rel, [ShareCategory.MEDICATION])


def test_contact_in_the_future_is_refused():
    ward = Ward()
    carer, rel = ward.carer()
    with pytest.raises(ValidationError):
        _log(ward, carer, rel, [], occurred_at=timezone.now() + datetime.timedelta(days=1))


def test_review_by_the_team_leader_who_shared_is_refused():
    ward = Ward()
    carer, rel = ward.carer()
    contact = _log(
        ward,
        carer,
        rel,
        [ShareCategory.CARE_PLAN],
        actor=ward.ward_manager,
        lawful_basis=LawfulBasis.SAFEGUARDING,
        lawful_basis_detail="Risk",
    )
    with pytest.raises(ValidationError):
        services.contact_review(
            actor=ward.ward_manager, contact=contact, outcome="appropriate", note=""
        )
    contact.refresh_from_db()
    assert contact.reviewed_at is None


def test_review_by_a_team_leader_clears_the_flag_from_the_list(signed_in):
    ward = Ward()
    carer, rel = ward.carer()
    contact = _log(
        ward,
        carer,
        rel,
        [ShareCategory.CARE_PLAN],
        lawful_basis=LawfulBasis.SAFEGUARDING,
        lawful_basis_detail="Risk",
    )
    client = signed_in(ward.ward_manager)
    listing = client.get(reverse("carers:flagged")).content.decode()
    assert escape(carer.full_name) in listing
    response = client.post(
        reverse("carers:flagged_review", kwargs={"public_id": contact.public_id}),
        {"outcome": "appropriate", "note": "Right call"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.reviewed_by == ward.ward_manager
    assert escape(carer.full_name) not in client.get(reverse("carers:flagged")).content.decode()


def test_practitioner_cannot_open_the_review_list(signed_in):
    ward = Ward()
    assert signed_in(ward.key_worker).get(reverse("carers:flagged")).status_code == 403


def test_contact_form_shows_the_refusal_next_to_the_categories(signed_in):
    ward = Ward()
    _carer, rel = ward.carer()
    ward.agree(rel, [ShareCategory.WELLBEING])
    today = timezone.localdate()
    response = signed_in(ward.key_worker).post(
        reverse("carers:contact_add", kwargs={"public_id": rel.public_id}),
        {
            "staff": str(ward.key_worker.public_id),
            "occurred_on_0": today.day,
            "occurred_on_1": today.month,
            "occurred_on_2": today.year,
            "occurred_time": "00:01",
            "mode": ContactMode.PHONE,
            "direction": ContactDirection.TO_CARER,
            "summary": "Talked about medication",
            "categories_shared": [ShareCategory.MEDICATION],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "has not agreed to share Medication" in page
    assert not CarerContact.objects.exists()
