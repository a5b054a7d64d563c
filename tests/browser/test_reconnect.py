"""A RECONNECT practitioner takes a referral (refused outside the window first), checks
eligibility, starts pre-release support and records the release: axe on every page, and the
episode page fits a phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from healthjustice.journeys.choices import Stage
from healthjustice.journeys.selectors import current_stage
from healthjustice.organisations.roles import Role
from healthjustice.reconnect.models import ReconnectReferral
from tests.browser.conftest import assert_accessible
from tests.browser.test_phone_screens import PHONE, overflow
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.reconnect.factories import pre_release, prison, reconnect_team, released

pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.timedelta(days=1)


def _fill_date(page, name: str, day: datetime.date) -> None:
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def test_referral_eligibility_pre_release_and_release(login, live_server):
    # Given a RECONNECT team working at a prison, and a person it knows
    region = RegionFactory(name="Staffordshire")
    ld_team = TeamFactory(name="Stoke custody L&D", region=region)
    team = reconnect_team(like=ld_team)
    site = prison(team)
    worker = staff(Role.PRACTITIONER, team=team)
    person = PersonFactory(given_name="Lee", family_name="Morgan", team=team)
    today = timezone.localdate()

    # When the practitioner takes a referral from the person's page
    page = login(worker)
    page.goto(f"{live_server.url}/people/{person.public_id}/")
    page.get_by_role("link", name="Take a RECONNECT referral").click()
    assert_accessible(page)
    page.get_by_role("button", name="Record the referral").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)

    # A release 16 weeks away is outside the window: refused with its dates
    page.get_by_label("Prison healthcare").check()
    page.get_by_label("What health need").fill("No GP; on a methadone script")
    page.get_by_label("Prison or immigration removal centre").select_option(str(site.public_id))
    _fill_date(page, "expected_release_on", today + 112 * D)
    page.get_by_role("button", name="Record the referral").click()
    expect(page.get_by_text("outside the RECONNECT window").first).to_be_visible()
    assert not ReconnectReferral.objects.exists()

    # Inside the window it is taken
    _fill_date(page, "expected_release_on", today + 20 * D)
    page.get_by_role("button", name="Record the referral").click()
    expect(page.get_by_role("heading", name="RECONNECT", exact=True)).to_be_visible()
    episode = ReconnectReferral.objects.get().episode
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert overflow(page) is None, overflow(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Eligibility
    page.get_by_role("link", name="Check eligibility").click()
    assert_accessible(page)
    _fill_date(page, "checked_on", today)
    page.get_by_label("On remand in prison").check()
    page.locator("input[name=health_need][value=yes]").check()
    page.get_by_label("Eligible", exact=True).check()
    page.get_by_role("button", name="Save the eligibility check").click()
    expect(page.get_by_text("Every condition holds")).to_be_visible()

    # Release details
    page.get_by_role("link", name="Change the release details").click()
    assert_accessible(page)
    page.get_by_label("Accommodation on release").select_option("none")
    page.get_by_role("button", name="Save the release details").click()
    expect(page.get_by_text("No accommodation")).to_be_visible()

    # Pre-release support, then the release
    page.get_by_role("link", name="Start pre-release support").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start pre-release support").click()
    assert current_stage(episode) == Stage.PRE_RELEASE
    page.get_by_role("link", name="Record the release").click()
    assert_accessible(page)
    _fill_date(page, "released_on", today + D)
    page.get_by_label("End of sentence").check()
    page.get_by_role("button", name="Record the release").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    _fill_date(page, "released_on", today)
    page.get_by_role("button", name="Record the release").click()
    expect(page.get_by_text("Actual release date")).to_be_visible()
    assert current_stage(episode) == Stage.RELEASED


def test_support_plan_and_contacts_before_release(login, live_server):
    # Given someone in pre-release support
    region = RegionFactory(name="Staffordshire")
    team = reconnect_team(like=TeamFactory(name="Stoke custody L&D", region=region))
    prison(team)
    worker = staff(Role.PRACTITIONER, team=team)
    person = PersonFactory(given_name="Sam", family_name="Okafor", team=team)
    episode = pre_release(team=team, person=person, actor=worker)
    today = timezone.localdate()

    # When the practitioner adds a need to the support plan, first with nothing filled in
    page = login(worker)
    page.goto(f"{live_server.url}/episodes/{episode.public_id}/")
    page.get_by_role("link", name="Add a need to the support plan").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add the need").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Housing").check()
    page.get_by_label("Goal").fill("Somewhere to live on release")
    page.get_by_label("Action agreed").fill("Duty to refer to the council")
    page.get_by_role("button", name="Add the need").click()
    expect(page.get_by_text("Somewhere to live on release")).to_be_visible()

    # And records a contact, first with nothing filled in
    page.get_by_role("link", name="Record a contact").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save the contact").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    _fill_date(page, "contact_on", today)
    page.get_by_label("Video call").check()
    page.get_by_label("Notes").fill("Planned the first week: GP and housing")
    page.get_by_role("button", name="Save the contact").click()

    # Then the episode page lists it as a contact before release
    expect(page.get_by_text("Planned the first week: GP and housing")).to_be_visible()
    expect(page.get_by_text("(before release)")).to_be_visible()
    assert_accessible(page)


def test_gate_meet(login, live_server):
    # Given someone released today
    region = RegionFactory(name="Staffordshire")
    team = reconnect_team(like=TeamFactory(name="Stoke custody L&D", region=region))
    prison(team)
    worker = staff(Role.PRACTITIONER, team=team)
    person = PersonFactory(given_name="Jo", family_name="Reid", team=team)
    episode = released(team=team, person=person, actor=worker)

    # When the practitioner records that they were not met, without saying what happened
    page = login(worker)
    page.goto(f"{live_server.url}/episodes/{episode.public_id}/")
    page.get_by_role("link", name="Record the gate meet").click()
    assert_accessible(page)
    page.get_by_label("No", exact=True).check()
    page.get_by_label("Who met them, or was to").fill("Support worker")
    page.get_by_label("Where").fill("HMP Stafford gate")
    page.get_by_role("button", name="Save the gate meet").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("If not met, what happened?").fill("Released early; met at probation")

    # Then it is saved and shown on the episode
    page.get_by_role("button", name="Save the gate meet").click()
    expect(page.get_by_text("Released early; met at probation")).to_be_visible()
    assert_accessible(page)
