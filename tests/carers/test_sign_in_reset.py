"""Staff reset a carer's sign-in: the old password stops, and a single-use link sets a new one."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action, AuditEvent
from healthjustice.carers import services
from healthjustice.carers.models import CarerInvitation
from tests.carers.factories import CARER_PASSWORD, Ward, carer_account

pytestmark = pytest.mark.django_db

NEW = "quartz-meadow-lantern-71"
GOOD = {"password": NEW, "password_again": NEW}


def _signs_in(username: str, password: str) -> bool:
    response = Client().post(
        reverse("accounts:login"), {"username": username, "password": password}
    )
    return response.status_code == 302


@pytest.fixture
def ward():
    return Ward()


@pytest.fixture
def carer_with_account(ward):
    carer, _rel = ward.carer()
    user = carer_account(carer, username="grace.brooks")
    return carer, user


def _reset(ward, carer):
    issued = services.carer_sign_in_reset(actor=ward.key_worker, carer=carer)
    return issued, reverse("carers:portal_invitation", kwargs={"token": issued.token})


def test_the_carer_page_offers_a_reset_to_staff(signed_in, ward, carer_with_account):
    carer, _user = carer_with_account
    page = signed_in(ward.key_worker).get(
        reverse("carers:carer_detail", kwargs={"public_id": carer.public_id})
    )
    assert reverse("carers:sign_in_reset", kwargs={"public_id": carer.public_id}) in (
        page.content.decode()
    )


def test_reset_stops_the_old_password_and_ends_sessions(ward, carer_with_account):
    carer, user = carer_with_account
    carers_phone = Client()
    carers_phone.post(
        reverse("accounts:login"), {"username": user.username, "password": CARER_PASSWORD}
    )
    assert carers_phone.get(reverse("carers:portal")).status_code == 200
    _reset(ward, carer)
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert not _signs_in(user.username, CARER_PASSWORD)
    ended = carers_phone.get(reverse("carers:portal"))
    assert ended.status_code == 302
    assert ended["Location"].startswith(reverse("accounts:login"))


def test_the_link_sets_a_new_password_on_the_same_account(client, ward, carer_with_account):
    carer, user = carer_with_account
    accounts_before = User.objects.count()
    _issued, url = _reset(ward, carer)
    form = client.get(url)
    assert form.status_code == 200
    page = form.content.decode()
    assert "Choose a new password" in page
    assert "grace.brooks" in page
    assert 'name="username"' not in page
    response = client.post(url, GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    carer.refresh_from_db()
    assert carer.user_id == user.pk
    assert User.objects.count() == accounts_before
    assert _signs_in("grace.brooks", NEW)
    assert not _signs_in("grace.brooks", CARER_PASSWORD)


def test_the_link_works_once(client, ward, carer_with_account):
    carer, user = carer_with_account
    _issued, url = _reset(ward, carer)
    client.post(url, GOOD)
    again = client.get(url)
    assert again.status_code == 410
    assert "This link has already been used" in again.content.decode()
    second = client.post(url, {"password": "another-quartz-lantern-5", "password_again": "x"})
    assert second.status_code == 410
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_an_expired_link_is_refused_and_sets_nothing(client, ward, carer_with_account):
    carer, user = carer_with_account
    _issued, url = _reset(ward, carer)
    CarerInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.post(url, GOOD)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()
    denied = AuditEvent.objects.get(action=Action.DENIED, object_type="carer_invitation")
    assert denied.detail == {"reason": "expired"}


def test_a_newer_reset_replaces_the_older_link(client, ward, carer_with_account):
    carer, _user = carer_with_account
    _old, old_url = _reset(ward, carer)
    _reset(ward, carer)
    response = client.post(old_url, GOOD)
    assert response.status_code == 410
    assert "replaced by a newer one" in response.content.decode()


def test_a_weak_new_password_is_refused_and_the_link_stays_open(client, ward, carer_with_account):
    carer, user = carer_with_account
    _issued, url = _reset(ward, carer)
    response = client.post(url, {"password": "password", "password_again": "password"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "This password is too short" in page
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert CarerInvitation.objects.get().used_at is None


def test_passwords_that_do_not_match_are_refused(client, ward, carer_with_account):
    carer, _user = carer_with_account
    _issued, url = _reset(ward, carer)
    response = client.post(url, {"password": NEW, "password_again": NEW + "x"})
    assert "The passwords do not match" in response.content.decode()
    assert CarerInvitation.objects.get().used_at is None


def test_a_reset_link_can_never_make_a_second_account(ward, carer_with_account):
    carer, user = carer_with_account
    issued, _url = _reset(ward, carer)
    with pytest.raises(services.InvitationProblem):
        services.invitation_accept(token=issued.token, username="second.account", password=NEW)
    assert not User.objects.filter(username="second.account").exists()
    carer.refresh_from_db()
    assert carer.user_id == user.pk


def test_an_invitation_for_a_new_account_cannot_reset_a_password(ward):
    carer, _rel = ward.carer()
    issued = services.carer_invite(actor=ward.key_worker, carer=carer)
    with pytest.raises(services.InvitationProblem):
        services.invitation_password_reset(token=issued.token, password=NEW)
    assert CarerInvitation.objects.get().used_at is None


def test_signing_in_was_locked_but_the_new_password_works_at_once(
    client, ward, carer_with_account, settings
):
    carer, user = carer_with_account
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _signs_in(user.username, "not-my-password")
    assert (
        Client()
        .post(reverse("accounts:login"), {"username": user.username, "password": CARER_PASSWORD})
        .status_code
        == 429
    )
    _issued, url = _reset(ward, carer)
    client.post(url, GOOD)
    assert _signs_in(user.username, NEW)


def test_an_account_switched_off_after_the_reset_cannot_use_the_link(
    client, ward, carer_with_account
):
    carer, user = carer_with_account
    _issued, url = _reset(ward, carer)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(url)
    assert response.status_code == 410
    assert "Your account is switched off" in response.content.decode()
    assert client.post(url, GOOD).status_code == 410
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_someone_signed_in_cannot_use_a_reset_link(signed_in, ward, carer_with_account):
    carer, user = carer_with_account
    _issued, url = _reset(ward, carer)
    response = signed_in(ward.key_worker).post(url, GOOD)
    assert response.status_code == 403
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_reset_and_new_password_are_audited_without_secrets(client, ward, carer_with_account):
    carer, user = carer_with_account
    issued, url = _reset(ward, carer)
    client.post(url, GOOD)
    updates = AuditEvent.objects.filter(
        action=Action.UPDATE, object_type="carer_account", object_id=str(user.public_id)
    ).order_by("seq")
    assert [e.fields_changed for e in updates] == [["password"], ["password"]]
    assert updates[0].actor_id == str(ward.key_worker.public_id)
    assert updates[1].actor_id == str(user.public_id)
    created = AuditEvent.objects.get(action=Action.CREATE, object_type="carer_invitation")
    assert created.detail["account"] == str(user.public_id)
    everything = str(list(AuditEvent.objects.values()))
    assert issued.token not in everything
    assert NEW not in everything
    user.refresh_from_db()
    assert user.password not in everything


def test_the_staff_page_shows_the_link_once(signed_in, ward, carer_with_account):
    carer, _user = carer_with_account
    client = signed_in(ward.key_worker)
    url = reverse("carers:sign_in_reset", kwargs={"public_id": carer.public_id})
    before = client.get(url).content.decode()
    assert "Reset sign-in" in before
    assert "/carers/portal/invitation/" not in before
    page = client.post(url).content.decode()
    assert "/carers/portal/invitation/" in page
    assert "You will not see this link again" in page
    assert "grace.brooks" in page
    assert "/carers/portal/invitation/" not in client.get(url).content.decode()


def test_a_carer_without_an_account_is_refused_with_a_clear_message(signed_in, ward):
    carer, _rel = ward.carer()
    client = signed_in(ward.key_worker)
    url = reverse("carers:sign_in_reset", kwargs={"public_id": carer.public_id})
    expected = str(escape(f"{carer.given_name} does not have an account for the carers' portal"))
    assert expected in client.get(url).content.decode()
    page = client.post(url).content.decode()
    assert expected in page
    assert "/carers/portal/invitation/" not in page
    assert not CarerInvitation.objects.exists()
    denied = AuditEvent.objects.get(action=Action.DENIED, object_type="carer_account")
    assert denied.detail["reason"] == "no_account"


def test_a_switched_off_account_is_refused(signed_in, ward, carer_with_account):
    carer, user = carer_with_account
    User.objects.filter(pk=user.pk).update(is_active=False)
    carer.refresh_from_db()
    with pytest.raises(ValidationError, match="switched off"):
        services.carer_sign_in_reset(actor=ward.key_worker, carer=carer)
    user.refresh_from_db()
    assert user.check_password(CARER_PASSWORD)
    assert not CarerInvitation.objects.exists()
    page = signed_in(ward.key_worker).post(
        reverse("carers:sign_in_reset", kwargs={"public_id": carer.public_id})
    )
    assert "is switched off, so it cannot be reset" in page.content.decode()


def test_a_carer_no_longer_caring_for_anyone_is_refused(ward, carer_with_account):
    carer, user = carer_with_account
    carer.relationships.update(ended_on=timezone.localdate())
    with pytest.raises(ValidationError, match="no longer a carer"):
        services.carer_sign_in_reset(actor=ward.key_worker, carer=carer)
    user.refresh_from_db()
    assert user.check_password(CARER_PASSWORD)
    denied = AuditEvent.objects.get(action=Action.DENIED, object_type="carer_account")
    assert denied.detail["reason"] == "relationship_ended"


def test_staff_who_cannot_see_the_carer_cannot_reset_them(carer_with_account):
    carer, user = carer_with_account
    elsewhere = Ward()
    with pytest.raises(PermissionDenied):
        services.carer_sign_in_reset(actor=elsewhere.key_worker, carer=carer)
    user.refresh_from_db()
    assert user.check_password(CARER_PASSWORD)
