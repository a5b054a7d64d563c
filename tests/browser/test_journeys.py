"""A practitioner works their worklist: takes an episode, opens it and moves it on (axe on
every page)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.selectors import current_stage
from tests.browser.conftest import assert_accessible
from tests.factories import PersonFactory, TeamFactory, staff
from tests.journeys.factories import make_episode, make_screening, make_site

pytestmark = pytest.mark.django_db(transaction=True)


def test_practitioner_takes_an_episode_from_the_worklist_and_moves_it_to_screened(
    login, live_server
):
    # Given a custody team whose worklist has someone 19 hours into the custody clock
    team = TeamFactory(name="Stoke custody L&D")
    site = make_site(team, name="Northern Area Custody")
    user = staff(team=team, user__first_name="Asha", user__last_name="Patel")
    now = timezone.now()
    urgent = make_episode(
        team,
        person=PersonFactory(given_name="Leon", family_name="Barker", team=team),
        site=site,
        referred_at=now - datetime.timedelta(hours=18),
        cj={"arrived_in_custody_at": now - datetime.timedelta(hours=19)},
    )
    screened = make_episode(
        team,
        person=PersonFactory(given_name="Mina", family_name="Shah", team=team),
        stage=Stage.SCREENED,
        referred_at=now - datetime.timedelta(hours=3),
    )
    make_screening(screened, user, risk="medium", urgency="soon")
    page = login(user)

    # When they open the worklist
    page.get_by_role("link", name="Worklist").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
    assert_accessible(page)

    # Then the person in custody comes first and the row says why
    first_row = page.locator("table.hj-worklist tbody tr").first
    expect(first_row).to_contain_text("Leon BARKER")
    expect(first_row).to_contain_text("19 hours of 24 in custody")
    expect(page.locator("table.hj-worklist")).to_contain_text("Medium risk, soon")

    # When they take it, the list updates in place and says so
    first_row.get_by_role("button", name=re.compile("Take the episode for Leon BARKER")).click()
    expect(page.locator("#worklist-status")).to_contain_text(
        "You have taken the episode for Leon BARKER"
    )
    expect(page.locator("table.hj-worklist tbody tr").first).to_contain_text("You")
    assert page.url.endswith("/episodes/worklist/")
    assert_accessible(page)
    assert Episode.objects.get(pk=urgent.pk).allocated_worker_id == user.pk

    # When they open the episode
    page.get_by_role("link", name="Leon BARKER").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leon BARKER")
    expect(page.get_by_text("Criminal offence data (UK GDPR Article 10)")).to_be_visible()
    assert_accessible(page)

    # And try to skip to assessed without a reason, they are told why not
    page.get_by_label("Move to assessed").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Give a reason for skipping screened."
    )
    assert_accessible(page)

    # When they move it to screened
    page.get_by_label("Move to screened").check()
    page.get_by_label("Note (optional)").fill("Screened in the cell; PHQ-9 to follow")
    page.get_by_role("button", name="Save").click()

    # Then the stage and its history say so
    expect(page.get_by_text("The episode has moved to screened.")).to_be_visible()
    history = page.locator("table", has_text="Stage history")
    expect(history).to_contain_text("Screened in the cell; PHQ-9 to follow")
    expect(history).to_contain_text("Asha Patel")
    assert_accessible(page)
    assert current_stage(urgent) == Stage.SCREENED

    # And the criminal-justice details page is accessible too
    page.get_by_role("link", name="Change criminal-justice details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Criminal-justice details")
    assert_accessible(page)


def test_practitioner_opens_an_episode_from_the_person_page(login, live_server):
    team = TeamFactory(name="Stafford court L&D")
    make_site(team, name="North Staffordshire Justice Centre", kind="court")
    user = staff(team=team)
    person = PersonFactory(given_name="Ruth", family_name="Adebayo", team=team)
    page = login(user)
    page.goto(f"{live_server.url}/people/{person.public_id}/")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Open an episode")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open an episode")
    assert_accessible(page)

    # A hearing before the referral is refused with a clear message
    page.get_by_label("Where are they being seen?").select_option("magistrates_court")
    page.get_by_label("Who referred them?").select_option("court_staff")
    page.get_by_label("Reason for the referral").fill("Distressed in the court cells")
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    page.locator("#id_hearing_date_0").fill(str(last_week.day))
    page.locator("#id_hearing_date_1").fill(str(last_week.month))
    page.locator("#id_hearing_date_2").fill(str(last_week.year))
    page.get_by_label("Time of the court hearing").fill("10:00")
    page.get_by_role("button", name="Open episode").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "The hearing date must be on or after the referral date"
    )
    assert_accessible(page)
    assert not Episode.objects.exists()

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.locator("#id_hearing_date_0").fill(str(tomorrow.day))
    page.locator("#id_hearing_date_1").fill(str(tomorrow.month))
    page.locator("#id_hearing_date_2").fill(str(tomorrow.year))
    page.get_by_role("button", name="Open episode").click()
    expect(page.get_by_text("An episode has been opened for Ruth ADEBAYO.")).to_be_visible()
    assert_accessible(page)

    # The person page lists it
    page.get_by_role("link", name="Ruth ADEBAYO").first.click()
    expect(page.locator("#person-section-1")).to_have_text("Episodes")
    expect(
        page.get_by_role("link", name=re.compile("View the Liaison and Diversion"))
    ).to_be_visible()
