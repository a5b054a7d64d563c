"""An equality lead reads the race equity figures and downloads them as CSV."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.phone import assert_fits
from tests.equity.known import build_known

pytestmark = pytest.mark.django_db(transaction=True)


def test_equality_lead_reads_the_figures_and_downloads_them(login, live_server):
    # Given an equality lead of a region with a month of known figures
    known = build_known()
    page = login(known.equality_lead)

    # When they open the race equity figures from the header
    page.get_by_role("link", name="Race equity figures").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Race equity figures")
    assert_accessible(page)
    page.get_by_label("Region or team").select_option(f"region:{known.region.public_id}")
    page.get_by_label("From", exact=True).select_option(known.month)
    page.get_by_label("To", exact=True).select_option(known.month)
    page.get_by_role("button", name="Show figures").click()

    # Then each chart is an image with a title, followed by its table of numbers
    expect(page.locator("svg.hj-chart")).to_have_count(2)
    expect(
        page.get_by_role("img", name=re.compile("people seen per 100,000 residents"))
    ).to_be_visible()
    groups = page.get_by_role("table", name="People seen by broad ethnic group")
    expect(groups.get_by_role("row", name=re.compile("Black or Black British"))).to_contain_text(
        "statistically clear: higher than the reference group"
    )
    expect(page.get_by_text("fewer than 5").first).to_be_visible()
    assert_accessible(page)

    # And the CSV holds the same suppressed figures
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these figures as a CSV file").click()
    text = download_info.value.path().read_text()
    assert "section,table,row,column,value" in text
    assert "<5" in text


def test_team_leader_sees_their_team_on_a_phone(login, live_server, browser):
    known = build_known()
    page = login(known.leader_a)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/equity/?first_month={known.month}&last_month={known.month}")
    expect(page.get_by_role("heading", level=2, name="Stoke custody L&D")).to_be_visible()
    expect(page.get_by_text("Rates per 100,000 need the population a team serves")).to_be_visible()
    assert_fits(page)
    assert_accessible(page)


def test_equality_lead_moves_to_the_carers_figures_by_keyboard(login, live_server):
    # Given an equality lead whose region has a carers' team
    from healthjustice.organisations.choices import Pathway
    from tests.factories import TeamFactory

    known = build_known()
    TeamFactory(name="Forensic carers", region=known.region, pathway=Pathway.CARERS)
    page = login(known.equality_lead)
    page.goto(f"{live_server.url}/equity/")

    # When they choose the carers' figures from the pathways, with the keyboard
    page.get_by_role("navigation", name="Pathways").get_by_role(
        "link", name="Carers' support"
    ).focus()
    page.keyboard.press("Enter")

    # Then the page says which pathway it shows, and its steps, and stays accessible
    expect(page.get_by_role("heading", name="Filters: Carers' support")).to_be_visible()
    expect(
        page.get_by_role("heading", level=2, name=re.compile("Forensic carers|all teams"))
    ).to_be_visible()
    expect(page.get_by_text("Offered a carer's assessment").first).to_be_visible()
    assert_accessible(page)
