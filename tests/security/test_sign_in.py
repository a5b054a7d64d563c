import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthjustice.accounts.middleware import SESSION_REFRESHED_KEY, SESSION_STARTED_KEY
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


def _let_time_pass(client, seconds: float) -> None:
    """Move the signed-in session's clock back, as if `seconds` had passed with no request."""
    session = client.session
    row = Session.objects.filter(session_key=session.session_key)
    expiry = row.get().expire_date
    for key in (SESSION_STARTED_KEY, SESSION_REFRESHED_KEY):
        if key in session:
            session[key] -= seconds
    session.save()
    row.update(expire_date=expiry - timedelta(seconds=seconds))


def _session_writes(queries) -> list[str]:
    return [
        q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ]


def test_inactivity_timeout_is_fifteen_minutes(client, settings):
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    user = staff(team=TeamFactory())
    _sign_in(client, user.username, PASSWORD)
    assert client.get(reverse("web:home")).status_code == 200
    _let_time_pass(client, 15 * 60 + 1)
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_session_in_use_stays_open_past_fifteen_minutes(client):
    user = staff(team=TeamFactory())
    _sign_in(client, user.username, PASSWORD)
    for _ in range(6):  # a page every 5 minutes for half an hour
        _let_time_pass(client, 5 * 60)
        assert client.get(reverse("web:home")).status_code == 200


def test_page_views_do_not_write_the_session_each_time(client, settings):
    user = staff(team=TeamFactory())
    _sign_in(client, user.username, PASSWORD)
    client.get(reverse("web:home"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("web:home")).status_code == 200
    assert _session_writes(queries) == []

    _let_time_pass(client, settings.SESSION_REFRESH_SECONDS)
    expiry = Session.objects.get(session_key=client.session.session_key).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("web:home")).status_code == 200
    assert len(_session_writes(queries)) == 1
    refreshed = Session.objects.get(session_key=client.session.session_key).expire_date
    assert refreshed - expiry >= timedelta(seconds=settings.SESSION_REFRESH_SECONDS - 5)


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
