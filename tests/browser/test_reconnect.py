"""A RECONNECT practitioner takes a referral (refused outside the window first), checks
eligibility, starts pre-release support and records the release: axe on every page, and the
episode page fits a phone. A team leader then works through release day planning, the support
worker, the support plan's changes, post-release support, handover and engagement and a recall,
as on a shift: each form sent wrong first, axe on the page with its errors and without."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from healthjustice.journeys.choices import Stage
from healthjustice.journeys.selectors import current_stage
from healthjustice.organisations.choices import WorkerType
from healthjustice.organisations.models import Site
from healthjustice.organisations.permissions import clear_permission_cache
from healthjustice.organisations.roles import Role
from healthjustice.reconnect import services
from healthjustice.reconnect.models import FirstWeekAppointment, ReconnectReferral
from tests.browser.conftest import assert_accessible
from tests.browser.phone import assert_fits_phone
from tests.factories import MembershipFactory, PersonFactory, RegionFactory, TeamFactory, staff
from tests.reconnect.factories import (
    post_release,
    pre_release,
    prison,
    reconnect_team,
    released,
)

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
    assert_fits_phone(page)
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


def _reconnect_world(given_name: str, family_name: str):
    """A RECONNECT team at a prison, its team leader, a peer support worker and a person."""
    region = RegionFactory(name="Staffordshire")
    team = reconnect_team(like=TeamFactory(name="Stoke custody L&D", region=region))
    prison(team)
    leader = staff(Role.TEAM_LEADER, team=team)
    peer = staff(Role.PRACTITIONER, team=team, worker_type=WorkerType.PEER_SUPPORT)
    person = PersonFactory(given_name=given_name, family_name=family_name, team=team)
    return team, leader, peer, person


def _error_then(page, button: str) -> None:
    """Send the form as it is: the error summary shows, and the page stays accessible."""
    page.get_by_role("button", name=button).click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_release_day_planning_the_support_worker_and_the_plan_before_release(login, live_server):
    # Given someone in pre-release support, expected out in 30 days, with a need in the plan
    team, leader, peer, person = _reconnect_world("Alex", "Turner")
    episode = pre_release(team=team, person=person, actor=leader)
    services.plan_need_add(
        actor=leader,
        episode=episode,
        area="gp",
        goal="A GP near home",
        action="Book a registration appointment",
    )
    release_on = timezone.localdate() + 30 * D

    # When the team leader plans the gate meet, first leaving out where and who
    page = login(leader)
    page.goto(f"{live_server.url}/episodes/{episode.public_id}/")
    assert_accessible(page)
    page.get_by_role("link", name="Plan the gate meet").click()
    assert_accessible(page)
    page.get_by_label("Time of the meet").fill("8:30am")
    _error_then(page, "Save the plan")
    page.get_by_label("Where").fill("HMP Stafford gate")
    page.get_by_label("Who will meet them").fill("Peer support worker")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("HMP Stafford gate").first).to_be_visible()

    # Books a GP appointment, first for a day after the first week
    page.get_by_role("link", name="Book a first-week appointment").click()
    assert_accessible(page)
    page.get_by_label("GP", exact=True).check()
    _fill_date(page, "appointment_on", release_on + 9 * D)
    _error_then(page, "Book the appointment")
    _fill_date(page, "appointment_on", release_on + D)
    page.get_by_label("Where, or with whom (optional)").fill("Hanley surgery")
    page.get_by_role("button", name="Book the appointment").click()
    expect(page.get_by_text("Hanley surgery").first).to_be_visible()

    # Moves it, first without a reason
    page.get_by_role("link", name="Change the date").click()
    assert_accessible(page)
    _fill_date(page, "appointment_on", release_on + 2 * D)
    _error_then(page, "Save the new date")
    page.get_by_label("Why is it changed or rebooked?").fill("The surgery moved it")
    page.get_by_role("button", name="Save the new date").click()
    expect(page.get_by_text("The surgery moved it")).to_be_visible()
    appointment = FirstWeekAppointment.objects.get(episode=episode)
    assert appointment.appointment_on == release_on + 2 * D
    assert appointment.previous_on == release_on + D

    # Allocates the peer support worker, first choosing no one
    page.get_by_role("link", name="Allocate a support worker").click()
    assert_accessible(page)
    _error_then(page, "Allocate")
    page.get_by_label(f"{peer.display_name} (Peer support worker)").check()
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_text(f"{peer.display_name} is their support worker")).to_be_visible()

    # Changes the action agreed for the GP need, first with nothing new
    page.get_by_role("link", name="Change the action or mark met").click()
    assert_accessible(page)
    page.get_by_label("No", exact=True).check()
    _error_then(page, "Save the update")
    page.get_by_label("New action agreed (if the action changes)").fill(
        "Take them to the surgery on release day"
    )
    page.get_by_role("button", name="Save the update").click()
    expect(page.get_by_text("Take them to the surgery on release day")).to_be_visible()
    assert_accessible(page)


def test_after_release_a_shift_of_support_handover_and_engagement(login, live_server):
    # Given someone released today, with a GP appointment today and a need in the plan
    team, leader, _peer, person = _reconnect_world("Chris", "Doyle")
    episode = released(team=team, person=person, actor=leader)
    today = timezone.localdate()
    services.appointment_book(actor=leader, episode=episode, kind="gp", appointment_on=today)
    services.plan_need_add(
        actor=leader, episode=episode, area="housing", goal="A tenancy", action="Duty to refer"
    )

    # When the team leader starts post-release support
    page = login(leader)
    page.goto(f"{live_server.url}/episodes/{episode.public_id}/")
    page.get_by_role("link", name="Start post-release support").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start post-release support").click()
    assert current_stage(episode) == Stage.POST_RELEASE

    # They did not attend the GP: attendance, then a rebooking
    page.get_by_role("link", name="Record attendance").click()
    assert_accessible(page)
    _error_then(page, "Save attendance")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Did not attend.")).to_be_visible()
    page.get_by_role("link", name="Rebook").click()
    assert_accessible(page)
    _fill_date(page, "appointment_on", today + 2 * D)
    page.get_by_label("Why is it changed or rebooked?").fill("Missed it; rebooked")
    page.get_by_role("button", name="Save the new date").click()
    expect(page.get_by_text("Missed it; rebooked")).to_be_visible()

    # Extends support, first with no reason
    page.get_by_role("link", name="Extend support (team leader)").click()
    assert_accessible(page)
    _fill_date(page, "extended_to", today + 270 * D)
    _error_then(page, "Approve the extension")
    page.get_by_label("Reason for the extension").fill("Housing not settled yet")
    page.get_by_role("button", name="Approve the extension").click()
    expect(page.get_by_text("Housing not settled yet")).to_be_visible()

    # Records a handover, first with no service named
    page.get_by_role("link", name="Record a handover").click()
    assert_accessible(page)
    page.get_by_label("Type of community service").select_option("drugs_alcohol")
    _fill_date(page, "handed_over_on", today)
    _error_then(page, "Save the handover")
    page.get_by_label("Name of the community service").fill("Stoke Recovery Service")
    page.get_by_role("button", name="Save the handover").click()
    expect(page.get_by_text("Stoke Recovery Service").first).to_be_visible()

    # Confirms engagement at the first appointment, first saying no without notes
    page.get_by_role("link", name="Confirm engagement at the first appointment").click()
    assert_accessible(page)
    _fill_date(page, "checked_on", today)
    page.get_by_label("No", exact=True).check()
    _error_then(page, "Save the engagement check")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save the engagement check").click()
    expect(page.get_by_role("link", name="Confirm engagement after 4 weeks")).to_be_visible()

    # Marks the housing need met
    page.get_by_role("link", name="Change the action or mark met").click()
    assert_accessible(page)
    page.get_by_label("Yes", exact=True).check()
    _error_then(page, "Save the update")
    _fill_date(page, "met_on", today)
    page.get_by_role("button", name="Save the update").click()
    expect(page.get_by_text(f"Met on {today.day}").first).to_be_visible()

    # And moves the episode to handed over
    page.get_by_role("link", name="Move to handed over").click()
    assert_accessible(page)
    page.get_by_role("button", name="Move to handed over").click()
    assert current_stage(episode) == Stage.HANDED_OVER
    assert_accessible(page)


def test_a_recall_to_custody_closes_the_episode(login, live_server):
    # Given someone released 10 days ago, in post-release support
    team, leader, _peer, person = _reconnect_world("Dee", "Ashton")
    today = timezone.localdate()
    episode = post_release(team=team, person=person, actor=leader, released_on=today - 10 * D)

    # When the team leader records a recall, first dated before the release
    page = login(leader)
    page.goto(f"{live_server.url}/episodes/{episode.public_id}/")
    page.get_by_role("link", name="Record a recall to custody").click()
    assert_accessible(page)
    _fill_date(page, "recalled_on", today - 20 * D)
    _error_then(page, "Record the recall and close the episode")
    _fill_date(page, "recalled_on", today)
    page.get_by_role("button", name="Record the recall and close the episode").click()

    # Then the episode is closed
    assert current_stage(episode) == Stage.CLOSED
    assert_accessible(page)


def test_someone_in_two_reconnect_teams_chooses_the_team(login, live_server):
    # Given a team leader in two RECONNECT teams
    team, leader, _peer, person = _reconnect_world("Pat", "Quinn")
    other = reconnect_team(like=TeamFactory(name="Wolverhampton custody L&D"))
    MembershipFactory(user=leader, team=other, role=Role.TEAM_LEADER)
    clear_permission_cache(leader)
    site = Site.objects.get()

    # When they take a referral, first without choosing the team
    page = login(leader)
    page.goto(f"{live_server.url}/people/{person.public_id}/")
    page.get_by_role("link", name="Take a RECONNECT referral").click()
    assert_accessible(page)
    page.get_by_label("Prison healthcare").check()
    page.get_by_label("What health need").fill("No GP")
    page.get_by_label("Prison or immigration removal centre").select_option(str(site.public_id))
    _fill_date(page, "expected_release_on", timezone.localdate() + 20 * D)
    _error_then(page, "Record the referral")
    page.get_by_label(team.name).check()
    page.get_by_role("button", name="Record the referral").click()

    # Then the episode is with the team chosen
    expect(page.get_by_role("heading", name="RECONNECT", exact=True)).to_be_visible()
    assert ReconnectReferral.objects.get().episode.team == team
