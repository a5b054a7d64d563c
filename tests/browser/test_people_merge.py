"""A team leader merges two records of the same person and undoes it, with axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from healthjustice.organisations.roles import Role
from tests.browser.conftest import assert_accessible
from tests.factories import PersonFactory, TeamFactory, staff
from tests.screening.factories import make_episode

pytestmark = pytest.mark.django_db(transaction=True)


def test_team_leader_merges_two_records_and_undoes_it(login, live_server):
    # Given a team leader whose team registered Kieran Walsh twice, once without an NHS number
    team = TeamFactory(name="Stoke custody L&D")
    leader = staff(Role.TEAM_LEADER, team=team)
    keep = PersonFactory(given_name="Kieran", family_name="Walsh", pnc_id="", team=team)
    duplicate = PersonFactory(
        given_name="Kieran",
        family_name="Walsh",
        date_of_birth=keep.date_of_birth,
        pnc_id="2019/0123456A",
        nhs_number=None,
        nhs_number_missing_reason="not_traced",
        team=team,
    )
    make_episode(team=team, person=duplicate, actor=leader)
    page = login(leader)

    # When they open the first record and choose to merge it
    page.goto(f"{live_server.url}/people/{keep.public_id}/")
    page.get_by_role("link", name=re.compile("Merge with another record")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge with another record")
    assert_accessible(page)

    # Then the other record is offered as a likely duplicate
    page.get_by_role("link", name="Compare with Kieran WALSH").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check these are the same person")
    assert_accessible(page)

    # When they confirm without a reason, they are asked for one
    page.get_by_label(re.compile("the record you started from")).check()
    page.get_by_role("button", name="Merge the records").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)

    # When they give a reason and merge
    page.get_by_label("Why are these records the same person?").fill(
        "Same date of birth; registered twice before the NHS number was traced"
    )
    page.get_by_role("button", name="Merge the records").click()

    # Then the kept record holds the PNC ID and the episode, and says so
    expect(page.get_by_text("The records have been merged")).to_be_visible()
    expect(page.get_by_text("2019/0123456A")).to_be_visible()
    assert_accessible(page)

    # And the merged record's old address leads to the kept record
    page.goto(f"{live_server.url}/people/{duplicate.public_id}/")
    assert str(keep.public_id) in page.url
    expect(page.get_by_text("was merged into this one")).to_be_visible()

    # When they open the merged records from the header (under "More" when the header is full)
    # and undo the merge
    more = page.get_by_role("button", name="More")
    if more.count() and more.first.is_visible():
        more.first.click()
    page.get_by_role("link", name="Merged records").filter(visible=True).first.click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Undo")).click()
    assert_accessible(page)
    page.get_by_label("Why are you undoing this merge?").fill("Different people after all")
    page.get_by_role("button", name="Undo the merge").click()

    # Then both records are back
    expect(page.get_by_text("The merge has been undone")).to_be_visible()
    expect(page.get_by_text("Undone", exact=True)).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/people/{duplicate.public_id}/")
    assert str(duplicate.public_id) in page.url
