"""An equality lead keeps the trust's PCREF plan and its involvement register, and a member of
the public reads the plan's progress from a phone."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from healthjustice.organisations.roles import Role
from healthjustice.pcref import services
from healthjustice.pcref.models import ActionStatus, Competency, Involvement, PlanAction
from tests.browser.conftest import assert_accessible
from tests.browser.test_phone_screens import PHONE, overflow
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
