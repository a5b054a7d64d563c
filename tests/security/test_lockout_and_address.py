"""Lockout follows the username wherever the attempts come from; addresses come from trusted
proxies only, for the lockout and the audit trail alike."""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from healthjustice.audit.client_address import (
    axes_client_ip,
    client_address,
    parse_trusted_proxies,
)
from healthjustice.audit.models import Action, AuditEvent
from tests.factories import TeamFactory, staff

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def _sign_in(client, username, password, addr, forwarded=None):
    extra = {"REMOTE_ADDR": addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def test_a_locked_username_stays_locked_from_another_address(client, settings):
    user = staff(team=TeamFactory())
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, user.username, "wrong-password", "198.51.100.1")
    response = _sign_in(client, user.username, PASSWORD, "203.0.113.9")
    assert response.status_code == 429


def test_one_address_failing_for_many_usernames_is_locked_as_well(client, settings):
    users = [staff(team=TeamFactory()) for _ in range(settings.AXES_FAILURE_LIMIT + 1)]
    for user in users[:-1]:
        _sign_in(client, user.username, "wrong-password", "198.51.100.1")
    assert _sign_in(client, users[-1].username, PASSWORD, "198.51.100.1").status_code == 429
    # The account itself is not locked: from elsewhere it signs in.
    assert _sign_in(client, users[-1].username, PASSWORD, "203.0.113.9").status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(client, settings):
    user = staff(team=TeamFactory())
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, user.username, "wrong-password", f"198.51.100.{n + 1}")
    assert _sign_in(client, user.username, PASSWORD, "203.0.113.9").status_code == 302


def test_a_forwarded_for_header_is_ignored_from_an_untrusted_peer(client, settings):
    settings.HJ_TRUSTED_PROXIES = []
    user = staff(team=TeamFactory())
    _sign_in(client, user.username, "wrong-password", "198.51.100.7", forwarded="192.0.2.1")
    failed = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert failed.remote_addr == "198.51.100.7"
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


def test_spoofed_addresses_cannot_escape_the_address_limit(client, settings):
    settings.HJ_TRUSTED_PROXIES = ["10.0.0.0/8"]
    users = [staff(team=TeamFactory()) for _ in range(settings.AXES_FAILURE_LIMIT + 1)]
    for n, user in enumerate(users[:-1]):
        _sign_in(client, user.username, "wrong", "198.51.100.7", forwarded=f"192.0.2.{n}")
    assert _sign_in(client, users[-1].username, PASSWORD, "198.51.100.7").status_code == 429


def test_a_forwarded_for_header_is_believed_from_a_trusted_proxy(client, settings):
    settings.HJ_TRUSTED_PROXIES = ["10.0.0.0/8"]
    user = staff(team=TeamFactory())
    _sign_in(client, user.username, "wrong-password", "10.1.2.3", forwarded="203.0.113.50")
    assert AuditEvent.objects.get(action=Action.SIGN_IN_FAILED).remote_addr == "203.0.113.50"
    assert AccessAttempt.objects.get().ip_address == "203.0.113.50"
    _sign_in(client, user.username, PASSWORD, "10.1.2.3", forwarded="203.0.113.50")
    assert AuditEvent.objects.get(action=Action.SIGN_IN).remote_addr == "203.0.113.50"


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_the_client_is_the_first_untrusted_hop_from_the_right(settings):
    settings.HJ_TRUSTED_PROXIES = ["10.0.0.0/8", "192.168.1.1"]
    # The client wrote the leftmost entry itself; the proxies appended the rest.
    request = _request("10.0.0.2", "1.2.3.4, 203.0.113.8, 192.168.1.1")
    assert client_address(request) == "203.0.113.8"


def test_an_unreadable_hop_stops_the_walk(settings):
    settings.HJ_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("10.0.0.2", "203.0.113.8, not-an-address")) == "10.0.0.2"
    assert client_address(_request("10.0.0.2", "")) == "10.0.0.2"


def test_only_proxies_forwarding_means_the_leftmost_proxy(settings):
    settings.HJ_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("10.0.0.2", "10.0.0.9")) == "10.0.0.9"


def test_ipv6_proxies_and_clients(settings):
    settings.HJ_TRUSTED_PROXIES = ["2001:db8::/32"]
    assert client_address(_request("2001:db8::1", "2001:db8:ffff::5, 2a00:1450::1")) == (
        "2a00:1450::1"
    )
    assert client_address(_request("2a00:1450::1", "198.51.100.1")) == "2a00:1450::1"


def test_trusted_proxies_setting_refuses_what_is_not_an_address():
    assert parse_trusted_proxies(" 10.0.0.1 , 10.2.0.0/16,,") == ["10.0.0.1", "10.2.0.0/16"]
    with pytest.raises(ImproperlyConfigured, match="HJ_TRUSTED_PROXIES"):
        parse_trusted_proxies("10.0.0.1, proxy.example.org")


def test_no_address_at_all_is_stored_as_none_by_the_lockout():
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    assert client_address(request) == ""
    assert axes_client_ip(request) is None
