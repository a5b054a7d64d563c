"""An L&D practitioner refers for an MHTR; the MHTR practitioner records the order, a missed
session and the notice to probation: axe on every page, and the episode page fits a phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from healthjustice.mhtr.models import ComplianceNotice, MhtrReferral
from healthjustice.organisations.roles import Role
from tests.browser.conftest import assert_accessible
from tests.browser.phone import assert_fits_phone
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.interventions.factories import make_episode
from tests.mhtr.factories import mhtr_team, ordered_episode, session

pytestmark = pytest.mark.django_db(transaction=True)


def test_referral_from_ld_then_a_missed_session_and_its_notice(login, live_server):
    # Given an L&D episode in a region with an MHTR team
    region = RegionFactory(name="Staffordshire")
    ld_team = TeamFactory(name="Stoke custody L&D", region=region)
    ld_worker = staff(Role.PRACTITIONER, team=ld_team)
    team = mhtr_team(like=ld_team)
    worker = staff(Role.PRACTITIONER, team=team)
    person = PersonFactory(given_name="Dev", family_name="Patel", team=ld_team)
    ld = make_episode(team=ld_team, person=person)

    # When the L&D practitioner refers from the episode page
    page = login(ld_worker)
    page.goto(f"{live_server.url}/episodes/{ld.public_id}/")
    page.get_by_role("link", name="Refer for an MHTR assessment").click()
    assert_accessible(page)
    page.get_by_role("button", name="Refer for an MHTR assessment").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why are you referring them").fill("Low mood; likely community order")
    page.get_by_role("button", name="Refer for an MHTR assessment").click()

    # Then the episode page says so
    expect(page.get_by_text(f"Referred to {team.name} on")).to_be_visible()
    assert MhtrReferral.objects.get().episode.team == team

    # Given an MHTR order with a session missed
    episode = ordered_episode(team=team, person=person, actor=worker)
    booked = session(episode, worker)
    page.context.clear_cookies()
    page = login(worker)
    page.goto(f"{live_server.url}/mhtr/sessions/{booked.public_id}/outcome/")
    assert_accessible(page)
    page.get_by_label("Did not attend").check()
    page.get_by_role("button", name="Save the outcome").click()

    # Then the episode shows the notice due, and it fits a phone
    expect(page.get_by_role("heading", name="Mental Health Treatment Requirement")).to_be_visible()
    expect(page.get_by_text("Record as sent")).to_be_visible()
    assert_accessible(page)
    assert_fits_phone(page)

    # When they record the notice as sent
    page.get_by_role("link", name="Record as sent").click()
    assert_accessible(page)
    today = timezone.localdate()
    page.locator("#id_sent_on_0").fill(str(today.day))
    page.locator("#id_sent_on_1").fill(str(today.month))
    page.locator("#id_sent_on_2").fill(str(today.year))
    page.get_by_label("Secure email").check()
    page.get_by_role("button", name="Record the notice as sent").click()
    expect(page.get_by_text("to Sam Example", exact=False).first).to_be_visible()
    assert ComplianceNotice.objects.get().disclosure.method == "secure_email"
    assert_accessible(page)
