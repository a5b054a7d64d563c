import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import TeamFactory, staff

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "healthjustice.config.settings.production",
        "DJANGO_SECRET_KEY": "x7!" * 20 + "not-a-real-secret-only-for-the-deploy-check",
        "DJANGO_ALLOWED_HOSTS": "healthjustice.example.nhs.uk",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set only for the browser tests
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("pooling", "disabled"), [(None, "False"), ("1", "True")])
def test_server_side_cursors_are_off_behind_a_transaction_pooler(pooling, disabled):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "healthjustice.config.settings.production",
        "DJANGO_SECRET_KEY": "x7!" * 20 + "not-a-real-secret-only-for-a-settings-test",
        "DATABASE_URL": "postgres://healthjustice@db.example.nhs.uk:6432/healthjustice",
    }
    env.pop("DATABASE_TRANSACTION_POOLING", None)
    if pooling:
        env["DATABASE_TRANSACTION_POOLING"] = pooling
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == disabled


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "healthjustice.config.settings.production"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_pages_forbid_caching_and_carry_a_nonce_csp(signed_in):
    client = signed_in(staff(team=TeamFactory()))
    response = client.get(reverse("people:search"))
    assert response["Cache-Control"] == "no-store"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("people:search"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/accounts/sign-in/", "/healthz", "/no-such-page/", "/static/web/site.css", "/people/"],
)
def test_every_response_switches_off_powerful_browser_features(client, path):
    response = client.get(path)
    policy = {
        part.split("=")[0].strip(): part.split("=")[1].strip()
        for part in response["Permissions-Policy"].split(",")
    }
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "hid"):
        assert policy[feature] == "()", feature
