"""A practitioner screens someone, completes a questionnaire, and deals with the risk alert."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories import PersonFactory, TeamFactory, staff
from tests.screening.factories import make_episode

pytestmark = pytest.mark.django_db(transaction=True)


def _answer(page, item: int, option: int) -> None:
    """Choose option `option` (from 0) of item `item`; the first radio's id has no suffix."""
    suffix = "" if option == 0 else f"-{option + 1}"
    page.locator(f"#item_{item}{suffix}").check()


def test_practitioner_screens_and_completes_phq9_with_risk_alert(login, live_server):
    # Given a practitioner and an episode at 'identified' for someone their team works with
    team = TeamFactory(name="Stoke custody L&D")
    user = staff(team=team)
    person = PersonFactory(given_name="Jordan", family_name="Whitfield", team=team)
    episode = make_episode(team=team, person=person, actor=user)
    page = login(user)

    # When they open the episode and choose to record a screening
    page.goto(f"{live_server.url}/episodes/{episode.public_id}/")
    assert_accessible(page)
    page.get_by_role("link", name="Record a screening").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a screening")
    assert_accessible(page)

    # And save without answering
    page.get_by_role("button", name="Save screening").click()

    # Then the error summary says what is missing
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select the level of risk")
    assert_accessible(page)

    # When they complete the screening
    page.get_by_label("Mental health", exact=True).check()
    page.get_by_label("Self-harm or suicide risk").check()
    page.get_by_label("High", exact=True).check()
    page.get_by_label("Urgent (within the hour)").check()
    page.locator("#full_assessment_needed").check()
    page.get_by_label("Notes (optional)").fill("Tearful; says things are hopeless since eviction")
    page.get_by_role("button", name="Save screening").click()

    # Then the screening overview shows it and the episode is screened
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening and questionnaires")
    expect(page.locator("main")).to_contain_text("Stage: Screened")
    assert_accessible(page)

    # When they complete a PHQ-9 scoring 1, with item 9 answered 'several days'
    page.get_by_role("link", name="Complete a questionnaire").click()
    assert_accessible(page)
    page.get_by_label("PHQ-9: Patient Health Questionnaire").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("PHQ-9")
    assert_accessible(page)
    for item in range(1, 9):
        _answer(page, item, 0)
    page.get_by_role("button", name="Save answers").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("PHQ-9 item 9: select an answer")
    assert_accessible(page)
    _answer(page, 9, 1)
    page.get_by_role("button", name="Save answers").click()

    # Then the result shows the computed total, band and the risk alert
    expect(page.get_by_role("heading", level=1)).to_have_text("PHQ-9 result")
    expect(page.locator("main")).to_contain_text("1 out of 27")
    expect(page.locator("main")).to_contain_text("PHQ-9 item 9 answered 'several days'")
    assert_accessible(page)

    # And the episode page shows the alert before everything else
    page.goto(f"{live_server.url}/episodes/{episode.public_id}/")
    expect(page.locator(".hj-risk-alert")).to_contain_text("1 risk alert not yet acknowledged")
    assert_accessible(page)

    # When they acknowledge it with what they did
    page.locator(".hj-risk-alert").get_by_role("link", name=re.compile("Acknowledge")).click()
    assert_accessible(page)
    page.get_by_label("What did you do about this risk?").fill(
        "Told the custody sergeant; on constant observation; safety plan agreed"
    )
    page.get_by_role("button", name="Acknowledge alert").click()

    # Then the alert is no longer outstanding
    expect(page.locator("main")).to_contain_text("Acknowledged by")
    page.goto(f"{live_server.url}/episodes/{episode.public_id}/")
    expect(page.locator(".hj-risk-alert")).to_have_count(0)

    # And the history and licensed-tool pages are accessible
    page.goto(
        f"{live_server.url}/screening/episode/{episode.public_id}/questionnaires/phq9/history/"
    )
    expect(page.locator("main")).to_contain_text("First score (baseline)")
    assert_accessible(page)
    page.goto(f"{live_server.url}/screening/episode/{episode.public_id}/licensed-tools/")
    assert_accessible(page)
    today = timezone.localdate()
    page.get_by_label("Score (percentage)").fill("38.5")
    page.locator("#id_administered_on_0").fill(str(today.day))
    page.locator("#id_administered_on_1").fill(str(today.month))
    page.locator("#id_administered_on_2").fill(str(today.year))
    page.get_by_role("button", name="Save score").click()
    expect(page.locator("main")).to_contain_text("screen positive")
    assert_accessible(page)
