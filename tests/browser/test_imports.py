"""A practitioner uploads the night's custody list with one bad row, sees the error and who
is known or possibly known, and opens an episode from a row (axe and a phone's width on every
page)."""

import datetime

import pytest
from playwright.sync_api import expect

from healthjustice.organisations.choices import SiteKind
from healthjustice.organisations.models import Site
from healthjustice.organisations.roles import Role
from tests.browser.conftest import assert_accessible
from tests.browser.phone import assert_fits_phone
from tests.factories import PersonFactory, TeamFactory, staff
from tests.imports.lists import CUSTODY_HEADER, csv_file, custody_row

pytestmark = pytest.mark.django_db(transaction=True)


def assert_fits_phone_and_accessible(page) -> None:
    """The page at a phone's width scrolls only downwards, and passes axe there too."""
    size = page.viewport_size
    try:
        assert_fits_phone(page)
        assert_accessible(page)
    finally:
        page.set_viewport_size(size)


def test_practitioner_uploads_a_custody_list_and_opens_an_episode(login, live_server, tmp_path):
    # Given a custody L&D team at Northern Area Custody, who know Daniel Fletcher
    team = TeamFactory(name="Stoke custody L&D")
    suite = Site.objects.create(
        name="Northern Area Custody", kind=SiteKind.CUSTODY_SUITE, region=team.region
    )
    suite.teams.add(team)
    user = staff(Role.PRACTITIONER, team=team)
    PersonFactory(
        team=team,
        given_name="Daniel",
        family_name="Fletcher",
        date_of_birth=datetime.date(1988, 3, 14),
    )
    PersonFactory(team=team, given_name="Aisha", family_name="Begum", date_of_birth=None)
    path = tmp_path / "custody.csv"
    path.write_bytes(
        csv_file(
            CUSTODY_HEADER,
            custody_row("NAC/1", pnc_id=""),
            custody_row("NAC/2", name="Priya Sharma", dob="1990-01-01", pnc_id=""),
            custody_row("NAC/3", name="Tom Baker", dob="31/02/1990", pnc_id=""),
            custody_row("NAC/4", name="Aisha Begum", dob="1996-11-02", pnc_id=""),
        )
    )
    page = login(user)

    # When they upload the night's custody list
    page.goto(f"{live_server.url}/lists/")
    assert_accessible(page)
    assert_fits_phone_and_accessible(page)
    page.get_by_role("button", name="Upload a list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a list")
    assert_accessible(page)
    assert_fits_phone_and_accessible(page)
    page.get_by_label("Custody list").check()
    page.locator("input[type=file][name=file]").set_input_files(str(path))
    page.get_by_role("button", name="Upload the list").click()

    # Then they see the refused row with its line and reason, and who is known or new
    expect(page.get_by_role("heading", level=1)).to_have_text("Custody list")
    expect(page.locator(".hj-row-errors")).to_contain_text(
        "Line 4: the date of birth '31/02/1990' is not a date"
    )
    expect(page.locator("#row-2")).to_contain_text("Known to your team")
    expect(page.locator("#row-3")).to_contain_text("New")
    expect(page.locator("#row-5")).to_contain_text("Possible match")
    expect(
        page.locator("#row-5").get_by_role("button", name="Register as new and open an episode")
    ).to_be_visible()
    assert_accessible(page)
    assert_fits_phone_and_accessible(page)

    # And one action registers the new person and opens their custody episode with the clock
    page.locator("#row-3").get_by_role("button", name="Register and open an episode").click()
    expect(page.locator(".hj-custody-clock")).to_be_visible()
    assert_accessible(page)
