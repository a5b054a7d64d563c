"""A team leader searches the register for duplicates and works the review queue: one pair is
merged (and the merge can be undone from the merged records), the other recorded as two
different people. Axe on every page, and the pair page fits a phone."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from healthjustice.matching import services
from healthjustice.organisations.roles import Role
from tests.browser.conftest import assert_accessible, open_from_header
from tests.browser.phone import assert_fits_phone
from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db(transaction=True)

NO_NHS = {"nhs_number": None, "nhs_number_missing_reason": "not_traced"}


def test_team_leader_finds_duplicates_and_decides_each_pair(login, live_server):
    # Given a team that registered Kieran Walsh twice, and twin sisters with one NHS number
    # traced
    team = TeamFactory(name="Stoke custody L&D")
    leader = staff(Role.TEAM_LEADER, team=team)
    born = datetime.date(1985, 2, 1)
    PersonFactory(
        team=team, given_name="Kieran", family_name="Walsh", date_of_birth=born, postcode="ST4 1NF"
    )
    PersonFactory(
        team=team,
        given_name="Kieren",
        family_name="Walsh",
        date_of_birth=born,
        postcode="ST4 1NF",
        **NO_NHS,
    )
    twins = datetime.date(1999, 7, 14)
    PersonFactory(team=team, given_name="Aisha", family_name="Begum", date_of_birth=twins)
    PersonFactory(team=team, given_name="Aysha", family_name="Begum", date_of_birth=twins, **NO_NHS)
    PersonFactory.create_batch(6, team=team)
    page = login(leader)

    # When they open the possible duplicates from the header
    open_from_header(page, "Possible duplicates")
    expect(page.get_by_role("heading", level=1)).to_have_text("Possible duplicate records")
    expect(page.get_by_text("There are no pairs waiting to be checked.")).to_be_visible()
    assert_accessible(page)

    # And search the register
    page.get_by_role("button", name="Search the register for duplicates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search for duplicate records")
    expect(page.get_by_text("Finished")).to_be_visible()
    expect(page.get_by_text("Proposed", exact=True)).to_be_visible()
    assert_accessible(page)

    # Then both pairs wait in the queue
    page.get_by_role("link", name="Check the proposed pairs").click()
    checks = page.get_by_role("link", name=re.compile("^Check "))
    expect(checks).to_have_count(2)
    assert_accessible(page)

    # When they open the Walsh pair
    page.get_by_role("link", name=re.compile("Check Kier")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check a possible duplicate")
    expect(page.get_by_text(re.compile(r"the same person \(\d+%\)"))).to_be_visible()
    expect(page.get_by_role("table", name="Which details agree")).to_be_visible()
    assert_accessible(page)
    assert_fits_phone(page)
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # And decide they are the same person, keeping the first record
    page.get_by_label(re.compile("the first record")).check()
    page.get_by_label("Why are these records the same person?").fill(
        "Same date of birth and address; registered twice before the NHS number was traced"
    )
    page.get_by_role("button", name="Same person: merge the records").click()

    # Then the records are merged and only the twins' pair is left
    expect(page.get_by_text("The records have been merged")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Check "))).to_have_count(1)

    # And the merge can be undone from the merged records
    open_from_header(page, "Merged records")
    expect(page.get_by_role("link", name=re.compile("^Undo"))).to_have_count(1)
    assert_accessible(page)

    # When they open the twins' pair and say they are not the same without a reason
    open_from_header(page, "Possible duplicates")
    page.get_by_role("link", name=re.compile("Check A")).click()
    page.get_by_role("button", name="Not the same person").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(
        page.get_by_role("link", name="Enter why these records are not the same person")
    ).to_be_visible()
    assert_accessible(page)

    # And then give one
    page.get_by_label("Why are these records not the same person?").fill(
        "Twin sisters: the GP confirmed two patients"
    )
    page.get_by_role("button", name="Not the same person").click()

    # Then nothing is left to check, and a new search does not propose the twins again
    expect(page.get_by_text("Recorded as not the same person")).to_be_visible()
    expect(page.get_by_text("There are no pairs waiting to be checked.")).to_be_visible()
    page.get_by_role("button", name="Search the register for duplicates").click()
    expect(page.get_by_text("Finished")).to_be_visible()
    page.get_by_role("link", name="Check the proposed pairs").click()
    expect(page.get_by_text("There are no pairs waiting to be checked.")).to_be_visible()


def test_information_governance_sees_a_pair_without_the_records(login, live_server):
    # Given a proposed pair in a team whose organisation's IG auditor opens the queue
    team = TeamFactory(name="Stoke custody L&D")
    ig = staff(Role.IG_AUDITOR, team=team)
    born = datetime.date(1979, 11, 3)
    PersonFactory(team=team, given_name="Declan", family_name="Moss", date_of_birth=born)
    PersonFactory(team=team, given_name="Declan", family_name="Moss", date_of_birth=born, **NO_NHS)
    PersonFactory.create_batch(4, team=team)
    services.find_duplicates()
    page = login(ig)

    # When they open the pair from the queue
    page.goto(f"{live_server.url}/duplicates/")
    page.get_by_role("link", name=re.compile("Check Declan")).click()

    # Then they see names, dates of birth and which details agree, and may only say "not the same"
    expect(page.get_by_role("table", name="Which details agree")).to_be_visible()
    expect(page.get_by_text("not the records themselves")).to_be_visible()
    expect(page.get_by_role("button", name="Same person: merge the records")).to_have_count(0)
    expect(page.get_by_role("button", name="Not the same person")).to_be_visible()
    assert_accessible(page)
    assert_fits_phone(page)
