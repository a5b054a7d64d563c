"""A team leader reads the service dashboard and downloads the monthly data return."""

import re

import pytest
from playwright.sync_api import expect

from healthjustice.reporting.models import DataReturnExport, ExportStatus
from tests.browser.conftest import assert_accessible, open_from_header
from tests.reporting.known_data import build_known

pytestmark = pytest.mark.django_db(transaction=True)


def test_team_leader_reads_the_dashboard_and_downloads_the_return(login, live_server):
    # Given a team leader of a team with a month of known figures
    known = build_known()
    page = login(known.leader_a)

    # When they open the service dashboard for that month
    open_from_header(page, "Service dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Service dashboard")
    assert_accessible(page)
    page.get_by_label("From", exact=True).select_option(known.month.key)
    page.get_by_label("To", exact=True).select_option(known.month.key)
    page.get_by_role("button", name="Show figures").click()

    # Then every chart is an image with a title, followed by its table of numbers
    charts = page.locator("svg.hj-chart")
    expect(charts).to_have_count(8)
    expect(
        page.get_by_role("img", name="Bar chart: episodes by the stage they are at now")
    ).to_be_visible()
    screening = page.get_by_role("table", name=re.compile("Hours from referral to screening"))
    expect(screening.get_by_role("row", name=re.compile("All months"))).to_contain_text("5.5")
    expect(page.get_by_text("fewer than 5")).to_have_count(0)
    assert_accessible(page)

    # When they filter to a setting with no episodes
    page.get_by_label("Setting", exact=True).select_option("crown_court")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_text("in the setting crown court")).to_be_visible()
    assert_accessible(page)

    # And ask for the data return (run at once by the test task backend)
    page.get_by_label("Month", exact=True).select_option(known.month.key)
    page.get_by_role("button", name="Download the data return").click()

    # Then the export page offers the file
    expect(page.get_by_role("heading", level=1)).to_contain_text("Staffordshire")
    expect(page.get_by_text("The data return has 18 rows")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download the CSV file")).click()
    download = download_info.value
    assert download.suggested_filename == f"ld-return-{known.month.key}-staffordshire.csv"
    assert download.path().read_text().startswith("episode_ref,region,team,site,setting")


def test_export_page_shows_progress_until_the_file_is_ready(login, live_server):
    # Given an export that a worker has started but not finished
    known = build_known()
    export = DataReturnExport.objects.create(
        region=known.region,
        month=known.month.first_day,
        requested_by=known.leader_a,
        status=ExportStatus.RUNNING,
        progress=40,
    )
    page = login(known.leader_a)

    # When they open its page
    page.goto(f"{live_server.url}/reports/exports/{export.public_id}/")

    # Then it shows the progress, accessibly
    expect(page.get_by_label(re.compile("Progress: 40% done"))).to_be_visible()
    assert_accessible(page)

    # When the worker finishes, the page updates itself without a reload
    DataReturnExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE, progress=100, rows=0, file="exports/never-written.csv"
    )
    expect(page.get_by_role("link", name=re.compile("Download the CSV file"))).to_be_visible(
        timeout=8000
    )
    expect(page.get_by_text("The data return has 0 rows")).to_be_visible()
    assert_accessible(page)
