"""A RECONNECT team's worklist: release tomorrow with no gate meet planned first, then a contact
after release overdue, in words; the team leader changes the days allowed without a contact and
the list follows (axe on each page)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from healthjustice.organisations.roles import Role
from healthjustice.reconnect.models import ReconnectTeamSettings
from tests.browser.conftest import assert_accessible
from tests.factories import RegionFactory, TeamFactory, staff
from tests.reconnect.factories import prison, reconnect_team
from tests.worklist.test_reconnect_rules import _after, _before, _planned

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.timedelta(days=1)


def _named(episode, given, family):
    episode.person.given_name, episode.person.family_name = given, family
    episode.person.save()


def test_reconnect_worklist_ranks_release_day_first_and_follows_the_teams_setting(
    login, live_server
):
    ld = TeamFactory(name="Stoke custody L&D", region=RegionFactory(name="Staffordshire"))
    team = reconnect_team(like=ld)
    prison(team)
    leader = staff(Role.TEAM_LEADER, team=team, user__first_name="Asha", user__last_name="Patel")
    # Made in reverse order, so that the wait since referral does not decide.
    quiet = _after(team, leader, 20, contact_days_ago=5)
    _named(quiet, "Dara", "Quinn")
    overdue = _after(team, leader, 20, contact_days_ago=9)
    _named(overdue, "Leon", "Barker")
    _planned(team, leader, 40)
    tomorrow = _before(team, leader, 1)
    _named(tomorrow, "Kofi", "Mensah")
    today = timezone.localdate()

    page = login(leader)
    page.goto(f"{live_server.url}/episodes/worklist/")
    assert_accessible(page)
    rows = page.locator("table.hj-worklist tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Kofi MENSAH")
    expect(rows.nth(0)).to_contain_text(
        f"Release tomorrow ({(today + D).day} {today + D:%B %Y}): no gate meet planned"
    )
    expect(rows.nth(1)).to_contain_text("Leon BARKER")
    expect(rows.nth(1)).to_contain_text(
        "Contact after release overdue: none for 9 days (the team's limit is 7 days)"
    )
    expect(page.locator("table.hj-worklist")).not_to_contain_text("none for 5 days")

    # The team leader allows 4 days: the quieter one is overdue too.
    page.get_by_role("link", name="Your RECONNECT teams' settings").click()
    assert_accessible(page)
    page.get_by_role("link", name="Change the settings").click()
    assert_accessible(page)
    field = page.get_by_label("Days after release without a contact before one is overdue")
    field.fill("0")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    field.fill("4")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.get_by_text(f"The settings of {team.name} are saved.")).to_be_visible()
    assert_accessible(page)
    assert ReconnectTeamSettings.objects.get(team=team).contact_days == 4

    page.goto(f"{live_server.url}/episodes/worklist/")
    expect(rows.nth(2)).to_contain_text("Dara QUINN")
    expect(rows.nth(2)).to_contain_text(
        "Contact after release overdue: none for 5 days (the team's limit is 4 days)"
    )
    assert_accessible(page)
