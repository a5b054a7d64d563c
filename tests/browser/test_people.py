"""A practitioner finds, registers and views people, with axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.phone import assert_fits
from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_practitioner_finds_registers_and_views_a_person(login, live_server):
    # Given a practitioner whose team works with Sam Okafor
    team = TeamFactory(name="Stoke custody L&D")
    user = staff(team=team)
    PersonFactory(given_name="Samuel", family_name="Okafor", team=team)
    page = login(user)
    assert_accessible(page)

    # When they search with a typo in the family name
    page.get_by_role("link", name="Find a person").first.click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Samuel Okafer")
    page.get_by_role("button", name="Search").click()

    # Then the record is found, and the search is not in the URL
    expect(page.get_by_role("link", name=re.compile("Samuel OKAFOR"))).to_be_visible()
    assert "Okaf" not in page.url
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Samuel OKAFOR")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Samuel OKAFOR")
    assert_accessible(page)

    # When they register someone new, leaving out a required answer first
    page.goto(f"{live_server.url}/people/register/")
    assert_accessible(page)
    page.get_by_label("First name", exact=True).fill("Priya")
    page.get_by_label("Last name", exact=True).fill("Chauhan")
    page.get_by_role("button", name="Register").click()

    # Then the NHS error summary says what is missing
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select")
    assert_accessible(page)

    # When they complete the form
    page.get_by_label("Female", exact=True).check()
    page.locator("#id_date_of_birth_0").fill("4")
    page.locator("#id_date_of_birth_1").fill("11")
    page.locator("#id_date_of_birth_2").fill("1991")
    page.get_by_label("If there is no NHS number, why not?").select_option("not_traced")
    page.get_by_role("button", name="Register").click()

    # Then they are on the new person's page, with the registration on the timeline
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priya CHAUHAN")
    expect(page.locator(".hj-timeline")).to_contain_text("Registered by Stoke custody L&D")
    assert_accessible(page)

    # And the edit page is accessible too
    page.get_by_role("link", name=re.compile("Change details")).click()
    assert_accessible(page)


def test_break_glass_restriction_and_other_names_pages_are_usable(login, live_server):
    from healthjustice.organisations.roles import Role

    # Given a person held by another team, and a team leader in the practitioner's team
    own_team = TeamFactory(name="Cannock court L&D")
    holder = TeamFactory(name="Stoke custody L&D")
    PersonFactory(given_name="Leah", family_name="Morgan", team=holder)
    own_person = PersonFactory(given_name="Ravi", family_name="Sandhu", team=own_team)
    practitioner = staff(team=own_team)
    leader = staff(Role.TEAM_LEADER, team=own_team)

    # When the practitioner breaks the glass with a reason
    page = login(practitioner)
    page.goto(f"{live_server.url}/people/break-glass/")
    assert_accessible(page)
    page.get_by_label("Name").fill("Leah Morgan")
    page.get_by_label("Why do you need to open a record outside your teams?").fill(
        "Custody sergeant reports she has taken an overdose"
    )
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Open record")).click()

    # Then the record opens, marked as break-glass
    expect(page.locator(".nhsuk-card--warning")).to_contain_text("Opened with break-glass")
    assert_accessible(page)

    # And the other-names page works for their own team's person
    page.goto(f"{live_server.url}/people/{own_person.public_id}/other-names/add/")
    assert_accessible(page)
    page.get_by_label("Last name").fill("Sandhu-Kaur")
    page.get_by_role("button", name="Add name").click()
    expect(page.get_by_text("Sandhu-Kaur")).to_be_visible()

    # And the service's own information pages and the 404 page are accessible
    for path in ("/accessibility/", "/privacy/", "/people/00000000-0000-0000-0000-000000000000/"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)

    # When the team leader restricts the record
    page.get_by_role("button", name="Sign out").click()
    page = login(leader)
    page.goto(f"{live_server.url}/people/{own_person.public_id}/restrict/")
    assert_accessible(page)
    page.get_by_label("Member of staff", exact=True).check()
    page.get_by_role("button", name="Restrict the record").click()
    expect(page.locator(".hj-restricted-banner")).to_be_visible()
    assert_accessible(page)


def test_a_likely_duplicate_is_shown_at_the_top_of_the_registration_form(login, live_server):
    import datetime

    # Given a person already registered with the practitioner's team
    team = TeamFactory(name="Stoke custody L&D")
    PersonFactory(
        given_name="Jordan",
        family_name="Whitehouse",
        date_of_birth=datetime.date(1990, 6, 12),
        team=team,
    )
    page = login(staff(team=team))
    page.set_viewport_size({"width": 375, "height": 812})

    # When they register the same name and date of birth
    page.goto(f"{live_server.url}/people/register/")
    page.get_by_label("First name", exact=True).fill("Jordan")
    page.get_by_label("Last name", exact=True).fill("Whitehouse")
    page.locator("#id_date_of_birth_0").fill("12")
    page.locator("#id_date_of_birth_1").fill("6")
    page.locator("#id_date_of_birth_2").fill("1990")
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("If there is no NHS number, why not?").select_option("not_traced")
    page.get_by_role("button", name="Register").click()

    # Then the warning is the first thing in the form, above the first field, on a phone too
    warning = page.locator("form .nhsuk-card--warning")
    expect(warning).to_contain_text("This person may already be registered")
    # with how likely it is in words and which details agree
    expect(warning).to_contain_text("almost certainly the same person")
    expect(warning).to_contain_text("Date of birth: agrees")
    assert (
        warning.bounding_box()["y"]
        < page.get_by_label("First name", exact=True).bounding_box()["y"]
    )
    assert_fits(page)
    assert_accessible(page)

    # When they confirm it is a different person, the registration goes ahead
    page.get_by_label("I have checked: this is a different person").check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jordan WHITEHOUSE")
