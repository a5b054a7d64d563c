"""An empty form sent by POST is a bound form with errors, never a silent blank page."""

import pytest
from django.urls import reverse

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.carers import services
from healthjustice.carers.choices import ShareCategory
from healthjustice.carers.models import CarerMessage, SharingAgreement
from tests.carers.factories import Ward, carer_account

pytestmark = pytest.mark.django_db


def test_portal_message_empty_post_shows_errors_and_sends_nothing(signed_in):
    ward = Ward()
    carer, _rel = ward.carer(named_contact=ward.key_worker)
    client = signed_in(carer_account(carer))
    response = client.post(reverse("carers:portal_messages"), {})
    assert response.status_code == 200
    assert "Enter your message" in response.content.decode()
    assert not CarerMessage.objects.exists()
    refused = AuditEvent.objects.get(action=Action.DENIED, object_type="carer_message")
    assert refused.detail["reasons"] == ["body"]


def test_invitation_empty_post_shows_errors_and_creates_no_account(client):
    ward = Ward()
    carer, _rel = ward.carer()
    issued = services.carer_invite(actor=ward.key_worker, carer=carer)
    url = reverse("carers:portal_invitation", kwargs={"token": issued.token})
    response = client.post(url, {})
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    carer.refresh_from_db()
    assert carer.user_id is None


def test_agreement_withdraw_empty_post_shows_errors_and_keeps_the_agreement(signed_in):
    ward = Ward()
    _carer, rel = ward.carer()
    agreement = ward.agree(rel, [ShareCategory.WELLBEING])
    url = reverse("carers:agreement_withdraw", kwargs={"public_id": agreement.public_id})
    response = signed_in(ward.key_worker).post(url, {})
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    assert SharingAgreement.objects.get(pk=agreement.pk).ended_at is None


def test_shared_item_add_empty_post_shows_errors(signed_in):
    ward = Ward()
    _carer, rel = ward.carer()
    ward.agree(rel, [ShareCategory.WELLBEING])
    url = reverse("carers:shared_item_add", kwargs={"public_id": rel.public_id})
    response = signed_in(ward.key_worker).post(url, {})
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    assert not rel.shared_items.exists()
