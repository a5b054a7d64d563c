"""A practitioner finds, registers and views people, with axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
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
