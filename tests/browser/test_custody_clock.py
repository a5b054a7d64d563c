"""A practitioner records an extension and then leaving custody; a team leader reopens a
mistaken closure (axe on every page)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import EpisodeStatus
from healthjustice.journeys.selectors import current_stage
from healthjustice.organisations.roles import Role
from tests.browser.conftest import assert_accessible
from tests.factories import PersonFactory, TeamFactory, staff
from tests.journeys.factories import make_episode

pytestmark = pytest.mark.django_db(transaction=True)


def _fill_when(page, at):
    page.locator("#id_at_date_0").fill(str(at.day))
    page.locator("#id_at_date_1").fill(str(at.month))
    page.locator("#id_at_date_2").fill(str(at.year))
    page.get_by_label("Time it was authorised, or they left").fill(at.strftime("%H:%M"))


def test_practitioner_extends_the_custody_clock_then_records_leaving(login, live_server):
    # Given someone 20 hours into the 24-hour clock
    team = TeamFactory(name="Stoke custody L&D")
    user = staff(team=team)
    now = timezone.now()
    episode = make_episode(
        team,
        person=PersonFactory(given_name="Leon", family_name="Barker", team=team),
        referred_at=now - datetime.timedelta(hours=19),
        cj={"arrived_in_custody_at": now - datetime.timedelta(hours=20, minutes=5)},
    )
    page = login(user)
    page.goto(f"{live_server.url}/episodes/{episode.public_id}/")
    expect(page.get_by_text("20 of 24 hours used.")).to_be_visible()

    # When they record an extension without a rank, they are told what is missing
    page.get_by_role("link", name="Record an extension, a warrant or leaving custody").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Custody clock")
    assert_accessible(page)
    page.get_by_label("Extension by a superintendent (PACE s.42)").check()
    _fill_when(page, timezone.localtime() - datetime.timedelta(minutes=30))
    page.get_by_label("New limit, in hours from the relevant time").fill("36")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Choose the rank of the officer who authorised it"
    )
    assert_accessible(page)

    # When they complete it
    page.get_by_label("Rank of the officer who authorised the extension").select_option(
        "superintendent"
    )
    page.get_by_label("Officer's name (extension) or magistrates' court (warrant)").fill(
        "Priya Raman"
    )
    page.get_by_role("button", name="Save").click()

    # Then the episode page shows the new limit and who authorised it
    expect(page.locator(".hj-custody-clock")).to_contain_text(
        "20 of 36 hours used, extended by Superintendent Priya Raman"
    )
    assert_accessible(page)

    # And when they record that the person was bailed, the clock stops
    page.get_by_role("link", name="Record an extension, a warrant or leaving custody").click()
    page.get_by_label("Left custody", exact=True).check()
    _fill_when(page, timezone.localtime() - datetime.timedelta(minutes=5))
    page.get_by_label("How they left custody").select_option("bailed")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".hj-custody-clock")).to_contain_text("the clock has stopped")
    assert_accessible(page)


def test_team_leader_reopens_a_mistaken_closure(login, live_server):
    team = TeamFactory(name="Stoke custody L&D")
    leader = staff(Role.TEAM_LEADER, team=team)
    episode = make_episode(team, stage=Stage.CLOSED)
    assert EpisodeStatus.objects.filter(episode=episode, stage=Stage.CLOSED).exists()
    page = login(leader)
    page.goto(f"{live_server.url}/episodes/{episode.public_id}/")
    expect(page.get_by_role("heading", name="Reopen this episode")).to_be_visible()
    page.get_by_role("button", name="Reopen the episode").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter why you are reopening this episode"
    )
    assert_accessible(page)
    page.get_by_label("Why are you reopening this episode?").fill("Closed the wrong episode")
    page.get_by_role("button", name="Reopen the episode").click()
    expect(page.get_by_text("The episode has been reopened.")).to_be_visible()
    assert_accessible(page)
    assert current_stage(episode) == Stage.INTERVENTION
