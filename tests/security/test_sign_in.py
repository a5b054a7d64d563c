import time

import pytest
from django.urls import reverse

from healthjustice.accounts.middleware import SESSION_STARTED_KEY
from healthjustice.audit.models import Action, AuditEvent
from tests.factories import TeamFactory, staff

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def _sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_sign_in_and_failed_sign_in_are_audited(client):
    user = staff(team=TeamFactory())
    _sign_in(client, user.username, "wrong-password")
    assert AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).count() == 1
    response = _sign_in(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=Action.SIGN_IN, actor_id=str(user.public_id)).exists()
    assert "wrong-password" not in str(list(AuditEvent.objects.values()))


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, settings):
    user = staff(team=TeamFactory())
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, user.username, "wrong-password")
    response = _sign_in(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "locked" in response.content.decode()
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"Try again in {minutes} minutes" in response.content.decode()


def test_session_ends_after_the_absolute_lifetime(client, settings):
    user = staff(team=TeamFactory())
    _sign_in(client, user.username, PASSWORD)
    assert client.get(reverse("web:home")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_inactivity_timeout_is_fifteen_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from healthjustice.config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sign_out_form_in_the_header_carries_a_csrf_token():
    from django.test import Client

    from tests.conftest import MODEL_BACKEND

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff(team=TeamFactory()), backend=MODEL_BACKEND)
    page = client.get(reverse("web:home")).content.decode()
    form = page[page.index('action="/accounts/sign-out/"') :]
    token = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 302


def test_failed_sign_in_with_an_unknown_username_does_not_keep_what_was_typed(client):
    _sign_in(client, "my-secret-Passw0rd!", "anything")
    event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert "my-secret" not in str(event.detail)
    assert event.detail["account_known"] is False
