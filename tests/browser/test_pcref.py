"""An equality lead keeps the trust's PCREF plan and its involvement register and writes the
quarterly board report, and a member of the public reads the plan's progress from a phone."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from healthjustice.organisations.roles import Role
from healthjustice.pcref import quarters, services
from healthjustice.pcref.models import (
    ActionStatus,
    BoardReport,
    Competency,
    Involvement,
    PlanAction,
)
from tests.browser.conftest import assert_accessible
from tests.browser.phone import PHONE, overflow
from tests.factories import TeamFactory, staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_equality_lead_keeps_the_plan_and_the_register(login, live_server):
    team = TeamFactory(name="Stoke custody L&D")
    lead = staff(Role.EQUALITY_LEAD, team=team)
    page = login(lead)

    # The equality lead opens the plan from the header
    more = page.get_by_role("button", name="More")
    if more.count() and more.first.is_visible():
        more.first.click()
    page.get_by_role("link", name="PCREF plan and involvement").filter(visible=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PCREF plan")
    assert_accessible(page)

    # An action with no owner and no due date is refused with clear messages
    page.get_by_role("button", name="Add an action").click()
    assert_accessible(page)
    page.get_by_label("Competency").select_option(label="Co-production")
    page.get_by_label("What we will do").fill("Pay people with lived experience for their time.")
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter who is responsible for this action")
    expect(page.get_by_role("alert")).to_contain_text("Enter the date the action is due")
    assert_accessible(page)
    assert not PlanAction.objects.exists()

    # Then it is added
    page.get_by_label("Who is responsible").fill("Head of involvement")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_text("The action has been added to the plan.")).to_be_visible()
    assert_accessible(page)

    # The register: consent with no contact detail is refused
    page.get_by_role("link", name="Involvement register").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Involvement register")
    assert_accessible(page)
    page.get_by_role("button", name="Add to the register").click()
    page.get_by_label("Carer", exact=True).check()
    page.get_by_label("Name", exact=True).fill("Grace Example")
    page.get_by_label("Activity").fill("Carers' reference group")
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Their role").fill("Member")
    page.get_by_label("Voucher").check()
    page.get_by_label("Amount in pounds (optional)").fill("25")
    page.get_by_label("They agree to be contacted again").check()
    page.get_by_role("button", name="Add to the register").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a contact detail")
    assert_accessible(page)
    assert not Involvement.objects.exists()
    page.get_by_label("Contact detail").fill("grace@example.com")
    page.get_by_role("button", name="Add to the register").click()
    expect(page.get_by_text("The record has been added to the register.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Grace Example"))).to_contain_text("Voucher")
    assert_accessible(page)

    # And opens the record, and the figures by ethnic group
    page.get_by_role("link", name="Grace Example").click()
    expect(page.get_by_label("Contact detail")).to_have_value("grace@example.com")
    assert_accessible(page)
    page.goto(f"{live_server.url}/pcref/involvement/figures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who is involved, by ethnic group")
    expect(page.get_by_text("fewer than 5").first).to_be_visible()
    assert_accessible(page)


def test_the_public_reads_the_plan_on_a_phone(page, live_server):
    team = TeamFactory(name="Stoke custody L&D")
    lead = staff(Role.EQUALITY_LEAD, team=team)
    services.save_action(
        actor=lead,
        organisation=team.organisation,
        competency=Competency.WORKFORCE,
        action_text="Publish the ethnic make-up of our staff beside that of the people we serve.",
        owner="Workforce information manager",
        due_on=date(2026, 9, 30),
        status=ActionStatus.DONE,
        evidence="Published in the annual equality report.",
    )
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/pcref/plan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Our race equality plan: progress")
    expect(page.get_by_text("Published in the annual equality report.")).to_be_visible()
    expect(page.get_by_role("link", name="pcref@example.nhs.uk")).to_be_visible()
    assert overflow(page) is None
    assert_accessible(page)


def test_equality_lead_writes_the_board_report_and_downloads_it(login, live_server):
    team = TeamFactory(name="Stoke custody L&D")
    lead = staff(Role.EQUALITY_LEAD, team=team)
    quarter = quarters.last_complete()
    services.save_action(
        actor=lead,
        organisation=team.organisation,
        competency=Competency.CO_PRODUCTION,
        action_text="Pay people with lived experience for their time.",
        owner="Head of involvement",
        due_on=quarter.next().first_day,
        status=ActionStatus.IN_PROGRESS,
    )
    page = login(lead)

    # From the plan to the board report, for the last complete quarter
    page.goto(f"{live_server.url}/pcref/")
    page.get_by_role("link", name="Quarterly PCREF board report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PCREF board report")
    expect(page.get_by_role("heading", level=2).first).to_contain_text(quarter.label)
    expect(page.get_by_text("Pay people with lived experience for their time.")).to_be_visible()
    assert_accessible(page)

    # An empty narrative is refused, then the narrative is written
    page.get_by_role("link", name="Write the summary, what we heard and what we changed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write the board report")
    assert_accessible(page)
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter a summary, what we heard or what we changed"
    )
    assert_accessible(page)
    page.get_by_label("Summary").fill("Access for Black men rose after the custody outreach.")
    page.get_by_label("What we heard from patients and carers").fill("Waits felt long.")
    page.get_by_label("What we changed").fill("Leaflets in six languages.")
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("The board report has been saved.")).to_be_visible()
    expect(page.get_by_text("Waits felt long.")).to_be_visible()
    assert BoardReport.objects.get().summary.startswith("Access for Black men")
    assert_accessible(page)

    # The PDF downloads
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as a PDF file").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert download.value.suggested_filename.endswith(f"{quarter.key.lower()}.pdf")

    # And the report fits a phone screen
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.get_by_text("Leaflets in six languages.")).to_be_visible()
    assert overflow(page) is None
    assert_accessible(page)
