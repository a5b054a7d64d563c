"""What every signed-in page pays: the user's memberships are read once per request, and
the layout's header and footer are rendered once for the same inputs."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from markupsafe import Markup

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


def test_the_skip_link_and_breadcrumbs_are_the_macros_own_rendered_once(signed_in, monkeypatch):
    from django.template import engines

    from tests.factories import PersonFactory, TeamFactory

    env = engines["jinja2"].env
    kept = env.globals["kept"]

    def macro(name: str, template: str, params: dict) -> str:
        return str(getattr(env.get_template(template).module, name)(params))

    crumbs = {
        "items": [{"href": reverse("web:home"), "text": "Home"}],
        "href": "/p/",
        "text": "Find",
    }
    expected = macro("breadcrumb", "nhsuk/components/breadcrumb/macro.jinja", crumbs)
    skip = {"href": "#maincontent", "text": "Skip to main content"}
    skip_html = macro("skipLink", "nhsuk/components/skip-link/macro.jinja", skip)
    person = PersonFactory(team=TeamFactory())
    client = signed_in(staff(team=person.care_relationships.get().team))
    page = client.get(reverse("people:detail", kwargs={"public_id": person.public_id}))
    assert skip_html in page.content.decode()
    # The person page's breadcrumbs, from the kept rendering of its own parameters.
    page_crumbs = {**crumbs, "href": reverse("people:search"), "text": "Find a person"}
    assert str(kept["breadcrumb"](page_crumbs)) in page.content.decode()
    assert str(kept["breadcrumb"](crumbs)) == expected

    def not_again(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(env, "get_template", not_again)
    assert str(kept["breadcrumb"](crumbs)) == expected
    assert str(kept["skipLink"](skip)) == skip_html
    # Text and HTML that read the same are different inputs.
    as_html = {**crumbs, "text": Markup("Find")}
    with pytest.raises(AssertionError, match="rendered again"):
        kept["breadcrumb"](as_html)
