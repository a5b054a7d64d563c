"""A team leader reads the RECONNECT dashboard and downloads the RECONNECT monthly return."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, open_from_header, wait_for_header
from tests.reporting.reconnect_known import build_reconnect_known

pytestmark = pytest.mark.django_db(transaction=True)


def test_team_leader_reads_the_reconnect_dashboard_and_downloads_the_return(login, live_server):
    # Given a leader of a RECONNECT team with two months of known figures
    known = build_reconnect_known()
    page = login(known.leader)

    # When they go from the service dashboard to the RECONNECT dashboard for those months
    open_from_header(page, "Service dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Service dashboard")
    wait_for_header(page)
    page.get_by_role("link", name="RECONNECT dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("RECONNECT dashboard")
    assert_accessible(page)
    page.get_by_label("From", exact=True).select_option(known.a.key)
    page.get_by_label("To", exact=True).select_option(known.b.key)
    page.get_by_role("button", name="Show figures").click()

    # Then every figure is a titled chart followed by its table, each rate with its n
    expect(page.locator("svg.hj-chart")).to_have_count(7)
    expect(
        page.get_by_role(
            "img", name="Bar chart: per cent registered with a GP within 28 days, by month released"
        )
    ).to_be_visible()
    gp = page.get_by_role("table", name=re.compile("Registered with a GP within 28 days"))
    expect(gp.get_by_role("row", name=re.compile("All months"))).to_contain_text("60%")
    handover = page.get_by_role("table", name=re.compile("engagement confirmed at 4 weeks"))
    expect(handover.get_by_role("row", name=re.compile("All months"))).to_contain_text("25%")
    assert_accessible(page)

    # When they ask for last month's RECONNECT return (run at once by the test task backend)
    page.get_by_label("Month", exact=True).select_option(known.b.key)
    page.get_by_role("button", name="Download the RECONNECT return").click()

    # Then the export page offers the file
    expect(page.get_by_role("heading", level=1)).to_contain_text("Staffordshire")
    expect(page.get_by_text("The data return has 7 rows")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download the CSV file")).click()
    download = download_info.value
    assert download.suggested_filename == f"reconnect-return-{known.b.key}-staffordshire.csv"
    assert download.path().read_text().startswith("episode_ref,region,team,referrer")
