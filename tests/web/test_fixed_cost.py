"""What every signed-in page pays: the user's memberships are read once per request."""

import pytest
from django.db import connection
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
