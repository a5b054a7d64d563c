"""An MHTR practitioner records a referral from probation from the person's page; a team leader
changes the team's settings from the worklist: axe on every page, mistakes included."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from healthjustice.mhtr.models import MhtrReferral, TeamSettings
from healthjustice.organisations.roles import Role
from tests.browser.conftest import assert_accessible
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.mhtr.factories import mhtr_team

pytestmark = pytest.mark.django_db(transaction=True)


def _team():
    region = RegionFactory(name="Staffordshire")
    return mhtr_team(like=TeamFactory(name="Stoke custody L&D", region=region))


def test_a_referral_from_probation_recorded_from_the_person_page(login, live_server):
    # Given a person the MHTR team knows
    team = _team()
    worker = staff(Role.PRACTITIONER, team=team)
    person = PersonFactory(given_name="Dev", family_name="Patel", team=team)

    # When the practitioner records a referral from their page, first with mistakes
    page = login(worker)
    page.goto(f"{live_server.url}/people/{person.public_id}/")
    page.get_by_role("link", name="Record an MHTR referral").click()
    assert_accessible(page)
    page.get_by_label("Probation").check()
    page.get_by_role("button", name="Record the referral").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Referrer's name").fill("Gemma Whitfield")
    page.get_by_label("Referrer's organisation").fill("Stoke-on-Trent PDU")
    page.get_by_label("How to contact the referrer").fill("01632 960 214")
    today = timezone.localdate()
    page.locator("#id_received_on_0").fill(str(today.day))
    page.locator("#id_received_on_1").fill(str(today.month))
    page.locator("#id_received_on_2").fill(str(today.year))
    page.get_by_label("Reason for the referral").fill("Low mood; a community order is likely")
    page.get_by_role("button", name="Record the referral").click()

    # Then the MHTR episode is open at referred, naming the referrer
    expect(page.get_by_text("The referral is recorded")).to_be_visible()
    expect(page.get_by_text("Gemma Whitfield", exact=False).first).to_be_visible()
    assert_accessible(page)
    assert MhtrReferral.objects.get().route == "probation"


def test_a_team_leader_changes_the_mhtr_team_settings(login, live_server):
    # Given a team leader of an MHTR team
    team = _team()
    leader = staff(Role.TEAM_LEADER, team=team)

    # When they follow the worklist's link and change the settings, first out of bounds
    page = login(leader)
    page.goto(f"{live_server.url}/episodes/worklist/")
    page.get_by_role("link", name="Your MHTR teams' settings").click()
    assert_accessible(page)
    page.get_by_role("link", name="Change the settings").click()
    assert_accessible(page)
    page.get_by_label("Planned number of sessions").fill("99")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Planned number of sessions").fill("10")
    page.get_by_role("button", name="Save the settings").click()

    # Then the list shows the new value
    expect(page.get_by_text(f"The settings of {team.name} are saved.")).to_be_visible()
    assert_accessible(page)
    assert TeamSettings.objects.get(team=team).planned_sessions == 10
