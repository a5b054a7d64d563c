"""A practitioner refers on, follows up, records the outcome and closes, with axe on every page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.selectors import current_stage
from healthjustice.organisations.roles import Role
from tests.browser.conftest import assert_accessible
from tests.factories import PersonFactory, TeamFactory, staff
from tests.interventions.factories import OnwardReferralFactory, make_episode

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()


def _fill_date(page, prefix: str, value: datetime.date) -> None:
    page.locator(f"#id_{prefix}_0").fill(str(value.day))
    page.locator(f"#id_{prefix}_1").fill(str(value.month))
    page.locator(f"#id_{prefix}_2").fill(str(value.year))


def test_practitioner_refers_on_records_the_outcome_and_closes(login, live_server):
    # Given a practitioner whose team has assessed Dev Patel
    team = TeamFactory(name="Stoke custody L&D")
    user = staff(Role.PRACTITIONER, team=team)
    person = PersonFactory(given_name="Dev", family_name="Patel", team=team)
    episode = make_episode(team=team, person=person, stage=Stage.ASSESSED, allocated_worker=user)
    page = login(user)

    # When they open the episode and choose to refer on
    page.goto(f"{live_server.url}/episodes/{episode.public_id}/")
    expect(page.get_by_role("heading", name="Onward referrals and closure")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Refer on to another service").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer on to another service")
    assert_accessible(page)

    # And send the form with nothing in it
    page.get_by_role("button", name="Record the referral").click()

    # Then the error summary says what is missing
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select the type of service")
    assert_accessible(page)

    # When they complete it, with the first appointment yesterday
    page.get_by_label("Drugs and alcohol").check()
    page.get_by_label("Name of the service").fill("Stoke Recovery Service")
    _fill_date(page, "referred_on", TODAY - datetime.timedelta(days=1))
    _fill_date(page, "first_appointment_on", TODAY - datetime.timedelta(days=1))
    page.get_by_role("group", name=re.compile("support them")).get_by_label("Yes").check()
    page.get_by_role("button", name="Record the referral").click()

    # Then the episode has moved on, and the referral is on its page
    expect(page.get_by_text("now at the intervention stage")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("^Stoke Recovery Service"))).to_be_visible()
    assert current_stage(episode) == Stage.INTERVENTION
    assert_accessible(page)

    # And its follow-up is overdue on their list
    page.goto(f"{live_server.url}/referrals/follow-ups/")
    expect(page.get_by_text("1 day overdue")).to_be_visible()
    assert_accessible(page)

    # When they record the outcome from the list
    page.get_by_role("link", name=re.compile("Record outcome")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stoke Recovery Service")
    assert_accessible(page)
    page.get_by_role("group", name="Did they attend the first appointment?").get_by_label(
        "Yes"
    ).check()
    _fill_date(page, "attended_on", TODAY - datetime.timedelta(days=1))
    page.get_by_label("Engaged with the service").check()
    page.get_by_role("button", name="Save the outcome").click()

    # Then the follow-up is done
    expect(page.get_by_text("The outcome for Stoke Recovery Service is saved")).to_be_visible()
    referral = OnwardReferral.objects.get()
    assert referral.attended is True and referral.follow_up_done_at is not None
    page.goto(f"{live_server.url}/referrals/follow-ups/")
    expect(page.get_by_text("No follow-ups are due")).to_be_visible()

    # When they close the episode without saying why
    page.goto(f"{live_server.url}/referrals/episodes/{episode.public_id}/close/")
    assert_accessible(page)
    page.get_by_role("button", name="Close the episode").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Select why the episode is closing"
    )
    assert_accessible(page)

    # And then with the reason and the outcome
    page.get_by_label("Support completed or handed on").check()
    page.get_by_label("Outcome of the episode").fill("Engaged with the recovery service")
    page.get_by_role("button", name="Close the episode").click()

    # Then the episode is closed, with its outcome on the page
    expect(page.get_by_text("The episode is closed.")).to_be_visible()
    expect(page.get_by_text("Engaged with the recovery service")).to_be_visible()
    assert current_stage(episode) == Stage.CLOSED
    assert_accessible(page)


def test_follow_ups_marked_done_from_the_team_list(login, live_server):
    # Given a team with an overdue follow-up on a colleague's episode
    team = TeamFactory(name="Cannock court L&D")
    user = staff(Role.PRACTITIONER, team=team)
    colleague = staff(Role.PRACTITIONER, team=team)
    episode = make_episode(team=team, stage=Stage.INTERVENTION, allocated_worker=colleague)
    OnwardReferralFactory(
        episode=episode,
        created_by=colleague,
        service_name="Cannock Housing Options",
        first_appointment_on=TODAY - datetime.timedelta(days=3),
    )
    page = login(user)

    # When they look at their team's follow-ups
    page.goto(f"{live_server.url}/referrals/follow-ups/")
    expect(page.get_by_text("No follow-ups are due")).to_be_visible()
    page.get_by_role("link", name="My teams'").click()
    expect(page.get_by_text("3 days overdue")).to_be_visible()
    assert_accessible(page)

    # And mark it done
    page.get_by_role("button", name=re.compile("Mark as done")).click()

    # Then it leaves the list, and they stay on the team view
    expect(page.get_by_text("is marked as done")).to_be_visible()
    expect(page.get_by_text("No follow-ups are due in your teams")).to_be_visible()
    assert_accessible(page)
