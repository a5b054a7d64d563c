"""What every signed-in page pays: the user's memberships are read once per request, and
the layout's header and footer are rendered once for the same inputs."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthjustice.organisations.permissions import (
    clear_permission_cache,
    current_memberships,
    user_permissions,
)
from healthjustice.web.navigation import primary_team
from tests.factories import staff

pytestmark = pytest.mark.django_db


def test_permissions_team_and_roles_share_one_read_of_the_memberships(
    django_assert_num_queries,
):
    user = staff()
    with django_assert_num_queries(1):
        perms = user_permissions(user)
        team = primary_team(user)
        memberships = current_memberships(user)
    assert perms and team == memberships[0].team


def test_clearing_the_permission_cache_forgets_the_memberships(django_assert_num_queries):
    user = staff()
    current_memberships(user)
    clear_permission_cache(user)
    with django_assert_num_queries(1):
        current_memberships(user)


def test_the_home_page_reads_the_memberships_once(signed_in):
    client = signed_in(staff())
    client.get(reverse("web:home"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("web:home")).status_code == 200
    membership_reads = [q for q in ctx.captured_queries if "organisations_membership" in q["sql"]]
    assert len(membership_reads) == 1


def _header_params(name: str) -> dict:
    return {
        "service": {"text": "Service", "href": "/"},
        "account": {"items": [{"text": name, "icon": True}, {"html": "<!--slot-->"}]},
        "navigation": {"items": [{"text": "Worklist", "href": "/w/", "current": False}]},
    }


def test_the_header_is_rendered_once_for_the_same_inputs(monkeypatch):
    from django.template import engines

    from healthjustice.web.components import KeptRendering

    env = engines["jinja2"].env
    header = KeptRendering(env, "nhsuk/components/header/macro.jinja", "header")
    macro = env.get_template("nhsuk/components/header/macro.jinja").module.header
    first = header(_header_params("Ada Lovelace"), {"<!--slot-->": "<b>one</b>"})
    assert str(first) == str(macro(_header_params("Ada Lovelace"))).replace(
        "<!--slot-->", "<b>one</b>"
    )

    def not_again(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(env, "get_template", not_again)
    again = header(_header_params("Ada Lovelace"), {"<!--slot-->": "<b>two</b>"})
    assert str(again) == str(first).replace("<b>one</b>", "<b>two</b>")
    with pytest.raises(AssertionError, match="rendered again"):
        header(_header_params("Grace Hopper"))


def test_each_page_signs_out_with_its_own_request_token_and_names_its_user(client):
    from tests.factories import TeamFactory

    first = staff(team=TeamFactory(name="Northern liaison"), user__first_name="Ada")
    second = staff(team=TeamFactory(name="Southern liaison"), user__first_name="Grace")
    for user, team, other in ((first, "Northern", "Grace"), (second, "Southern", "Ada")):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        page = client.get(reverse("web:home")).content.decode()
        assert f"{user.display_name} – {team} liaison" in page
        assert other not in page
    enforcing = Client(enforce_csrf_checks=True)
    enforcing.force_login(first, backend="django.contrib.auth.backends.ModelBackend")
    page = enforcing.get(reverse("web:home")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = enforcing.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in enforcing.session
