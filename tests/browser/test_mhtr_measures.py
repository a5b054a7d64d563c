"""An MHTR practitioner records PHQ-9, GAD-7 and CORE-10 at the assessment, at a session and at
the end, and reads the trajectory: axe on every page, and the trajectory fits a phone."""

import pytest
from playwright.sync_api import expect

from healthjustice.mhtr import measures
from healthjustice.mhtr.models import Measure
from healthjustice.organisations.roles import Role
from tests.browser.conftest import assert_accessible
from tests.browser.phone import assert_fits_phone
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.mhtr.factories import mhtr_team, ordered_episode
from tests.mhtr.test_measures import attended, gad7, phq9

pytestmark = pytest.mark.django_db(transaction=True)


def _answer(page, code: str, answers: list[int]) -> None:
    for number, index in enumerate(answers, start=1):
        page.locator(f'input[name="{code}_item_{number}"][value="{index}"]').check()


def test_measures_recorded_and_the_trajectory_shows_improvement(login, live_server):
    region = RegionFactory(name="Staffordshire")
    ld_team = TeamFactory(name="Stoke custody L&D", region=region)
    team = mhtr_team(like=ld_team)
    worker = staff(Role.PRACTITIONER, team=team)
    person = PersonFactory(given_name="Dev", family_name="Patel", team=ld_team)
    episode = ordered_episode(team=team, person=person, actor=worker)
    went = attended(episode, worker, days_ago=3)
    page = login(worker)

    # The episode page links to the measures; the assessment's form names what is missing
    page.goto(f"{live_server.url}/episodes/{episode.public_id}/")
    page.get_by_role("link", name="Record measures and see them over time").click()
    assert_accessible(page)
    page.get_by_role("link", name="At the suitability assessment").click()
    assert_accessible(page)
    _answer(page, "phq9", phq9(18)[:3])
    page.get_by_role("button", name="Save the measures").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.get_by_text("PHQ-9 item 4: select an answer").first).to_be_visible()
    assert_accessible(page)
    _answer(page, "phq9", phq9(18))
    _answer(page, "gad7", gad7(12))
    page.get_by_role("button", name="Save the measures").click()
    expect(page.get_by_text("Recorded: PHQ-9, GAD-7.")).to_be_visible()

    # At the session
    page.get_by_role("link", name="At the session on").click()
    assert_accessible(page)
    _answer(page, "phq9", phq9(14))
    page.get_by_role("button", name="Save the measures").click()
    expect(page.get_by_text("Recorded: PHQ-9.")).to_be_visible()

    # At the end
    page.get_by_role("link", name="At the end of treatment").click()
    assert_accessible(page)
    _answer(page, "phq9", phq9(8))
    _answer(page, "gad7", gad7(6))
    page.get_by_role("button", name="Save the measures").click()

    # The trajectory: charts with their tables, and what they show
    expect(page.get_by_role("heading", name="Measures over time")).to_be_visible()
    expect(page.get_by_role("img", name="PHQ-9 scores over time")).to_be_visible()
    expect(page.get_by_role("table", name="PHQ-9 scores")).to_be_visible()
    assert Measure.objects.filter(episode=episode).count() == 5
    assert measures.trajectory_of(episode)["phq9"][-1].total == 8
    assert went.measures.count() == 1
    assert_accessible(page)
    page.screenshot(path="/tmp/mhtr_trajectory.png", full_page=True)
    assert_fits_phone(page)
