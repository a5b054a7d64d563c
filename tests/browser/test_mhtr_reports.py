"""The MHTR practitioner records when the pre-sentence report is due, gives the team's view for
it through the report engine, and writes the end-of-treatment letter: axe on every page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from healthjustice.assessments.models import Report
from healthjustice.interventions.services import closure_record
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.selectors import current_stage
from healthjustice.organisations.roles import Role
from tests.assessments.factories import give_consent
from tests.browser.conftest import assert_accessible
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.mhtr.factories import mhtr_team, ordered_episode, suitable_episode

pytestmark = pytest.mark.django_db(transaction=True)


def _fill_date(page, prefix, day):
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def test_psr_due_date_the_view_for_the_psr_and_the_end_letter(login, live_server):
    region = RegionFactory(name="Staffordshire")
    ld_team = TeamFactory(name="Stoke custody L&D", region=region)
    team = mhtr_team(like=ld_team)
    worker = staff(Role.PRACTITIONER, team=team)
    person = PersonFactory(given_name="Dev", family_name="Patel", team=ld_team)
    episode = suitable_episode(team=team, person=person, actor=worker)
    give_consent(person, worker, purpose="share_probation")
    today = timezone.localdate()

    # The due date: a past date is refused on the form, then tomorrow is kept
    page = login(worker)
    page.goto(f"{live_server.url}/episodes/{episode.public_id}/")
    page.get_by_role("link", name="Record when the report is due").click()
    assert_accessible(page)
    _fill_date(page, "due_on", today - datetime.timedelta(days=1))
    page.get_by_role("button", name="Save the date").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    _fill_date(page, "due_on", today + datetime.timedelta(days=1))
    page.get_by_role("button", name="Save the date").click()
    expect(page.get_by_text("(the adjourned hearing)")).to_be_visible()

    # The view for the PSR, started from the suitability assessment
    page.get_by_role("link", name="Give the view for the pre-sentence report").click()
    assert_accessible(page)
    page.get_by_role("button", name="Issue report").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Mental health needs").fill("Low mood since a bereavement.")
    page.get_by_label("I have checked the report").check()
    page.get_by_role("button", name="Issue report").click()
    expect(page.get_by_text("has been issued")).to_be_visible()
    assert_accessible(page)
    assert current_stage(episode) == Stage.PSR_VIEW_GIVEN

    # The end-of-treatment letter once an order has ended
    other = PersonFactory(given_name="Amy", family_name="Clarke", team=ld_team)
    ended = ordered_episode(team=team, person=other, actor=worker)
    closure_record(
        actor=worker, episode=ended, closure_reason="order_revoked", summary="Revoked by the court"
    )
    give_consent(other, worker, purpose="share_gp")
    page.goto(f"{live_server.url}/episodes/{ended.public_id}/")
    page.get_by_role("link", name="Write the end-of-treatment letter").click()
    assert_accessible(page)
    page.get_by_label("GP", exact=True).check()
    page.get_by_label("Treatment given and progress").fill("Worked on sleep and low mood.")
    page.get_by_label("I have checked the report").check()
    page.get_by_role("button", name="Issue report").click()
    expect(page.get_by_text("has been issued")).to_be_visible()
    assert_accessible(page)
    assert Report.objects.filter(episode=ended, recipient="gp").exists()
