"""Carers join only by invitation: single use, expiring, hashed, and nothing half-created."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action, AuditEvent
from healthjustice.carers import services
from healthjustice.carers.models import CarerInvitation
from tests.carers.factories import Ward

pytestmark = pytest.mark.django_db

GOOD = {
    "username": "maria.okafor",
    "password": "violet-harbour-lantern-93",
    "password_again": "violet-harbour-lantern-93",
}


@pytest.fixture
def invited():
    ward = Ward()
    carer, _rel = ward.carer()
    issued = services.carer_invite(actor=ward.key_worker, carer=carer)
    url = reverse("carers:portal_invitation", kwargs={"token": issued.token})
    return ward, carer, issued, url


def test_invitation_stores_only_a_hash_of_the_token(invited):
    _ward, _carer, issued, _url = invited
    invitation = CarerInvitation.objects.get()
    assert issued.token not in invitation.token_hash
    assert invitation.token_hash == services.hash_token(issued.token)
    assert not AuditEvent.objects.filter(detail__icontains=issued.token).exists()


def test_invitation_expires_after_the_configured_days(settings):
    settings.HJ_CARER_INVITATION_DAYS = 3
    ward = Ward()
    carer, _rel = ward.carer()
    issued = services.carer_invite(actor=ward.key_worker, carer=carer)
    lifetime = issued.invitation.expires_at - issued.invitation.created_at
    assert lifetime == datetime.timedelta(days=3)


def test_accepting_creates_a_carer_account_that_can_sign_in(client, invited):
    _ward, carer, _issued, url = invited
    response = client.post(url, GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    carer.refresh_from_db()
    assert carer.user.kind == User.Kind.CARER
    assert carer.user.username == "maria.okafor"
    assert CarerInvitation.objects.get().used_at is not None
    signed = client.post(
        reverse("accounts:login"), {"username": "maria.okafor", "password": GOOD["password"]}
    )
    assert signed.status_code == 302
    assert client.get(reverse("web:home"))["Location"] == reverse("carers:portal")


def test_reused_link_is_refused_with_a_clear_page_and_audited(client, invited):
    _ward, _carer, _issued, url = invited
    client.post(url, GOOD)
    response = client.get(url)
    assert response.status_code == 410
    assert "This link has already been used" in response.content.decode()
    second = client.post(url, {**GOOD, "username": "someone.else"})
    assert second.status_code == 410
    assert not User.objects.filter(username="someone.else").exists()
    reasons = [
        e.detail["reason"]
        for e in AuditEvent.objects.filter(action=Action.DENIED, object_type="carer_invitation")
    ]
    assert reasons == ["used", "used"]


def test_expired_link_is_refused(client, invited):
    _ward, carer, _issued, url = invited
    CarerInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.post(url, GOOD)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    carer.refresh_from_db()
    assert carer.user is None
    assert not User.objects.filter(username="maria.okafor").exists()


def test_unknown_link_is_refused_and_audited(client):
    url = reverse("carers:portal_invitation", kwargs={"token": "made-up-token"})
    response = client.get(url)
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    event = AuditEvent.objects.get(action=Action.DENIED, object_type="carer_invitation")
    assert event.detail == {"reason": "unknown"}


def test_newer_invitation_replaces_the_older_link(client, invited):
    ward, carer, _issued, old_url = invited
    services.carer_invite(actor=ward.key_worker, carer=carer)
    response = client.get(old_url)
    assert response.status_code == 410
    assert "replaced by a newer one" in response.content.decode()


def test_weak_password_is_refused_and_nothing_is_created(client, invited):
    _ward, carer, _issued, url = invited
    response = client.post(
        url, {"username": "maria.okafor", "password": "password", "password_again": "password"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not User.objects.filter(username="maria.okafor").exists()
    carer.refresh_from_db()
    assert carer.user is None
    assert CarerInvitation.objects.get().used_at is None


def test_username_already_taken_is_refused(client, invited):
    ward, _carer, _issued, url = invited
    response = client.post(url, {**GOOD, "username": ward.key_worker.username.upper()})
    assert "That username is taken" in response.content.decode()
    assert CarerInvitation.objects.get().used_at is None


def test_signed_in_user_cannot_use_an_invitation(signed_in, invited):
    ward, carer, _issued, url = invited
    response = signed_in(ward.key_worker).post(url, GOOD)
    assert response.status_code == 403
    carer.refresh_from_db()
    assert carer.user is None


def test_carer_who_has_an_account_cannot_be_invited_again(client, invited):
    ward, carer, _issued, url = invited
    client.post(url, GOOD)
    carer.refresh_from_db()
    with pytest.raises(ValidationError):
        services.carer_invite(actor=ward.key_worker, carer=carer)
    assert CarerInvitation.objects.count() == 1


def test_staff_invite_page_shows_the_link_once(signed_in):
    ward = Ward()
    carer, _rel = ward.carer()
    client = signed_in(ward.key_worker)
    url = reverse("carers:invite", kwargs={"public_id": carer.public_id})
    page = client.post(url).content.decode()
    assert "/carers/portal/invitation/" in page
    assert "You will not see this link again" in page
    again = client.get(url).content.decode()
    assert "/carers/portal/invitation/" not in again
    detail = client.get(reverse("carers:carer_detail", kwargs={"public_id": carer.public_id}))
    assert "/carers/portal/invitation/" not in detail.content.decode()
