"""An information-governance auditor checks who looked at a person and reviews break-glass."""

import re

import pytest
from playwright.sync_api import expect

from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.organisations.roles import Role
from healthjustice.people.services import break_glass_open
from tests.browser.conftest import assert_accessible
from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_ig_auditor_sees_who_looked_and_reviews_break_glass(login, live_server):
    # Given Sam Okafor, whose record a practitioner opened and another opened with break-glass
    team = TeamFactory(name="Stoke custody L&D")
    person = PersonFactory(given_name="Samuel", family_name="Okafor", team=team)
    looker = staff(team=team, user__first_name="Priya", user__last_name="Shah")
    audit_record(
        actor=looker, action=Action.VIEW, object_type="person", object_id=str(person.public_id)
    )
    outsider = staff(team=TeamFactory(), user__first_name="Tom", user__last_name="Reed")
    break_glass_open(
        actor=outsider,
        person_public_id=person.public_id,
        reason="Custody sergeant reports a self-harm risk tonight",
    )
    # (an IG auditor of the trust that holds the record: their reach is their own trust's)
    auditor = staff(
        Role.IG_AUDITOR,
        team=TeamFactory(name="Information governance", organisation=team.organisation),
    )
    page = login(auditor)

    # When the auditor opens the audit trail
    page.get_by_role("link", name="Audit trail").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    assert_accessible(page)

    # And asks who looked at a person, first forgetting to say who
    page.get_by_role("link", name="Who looked at this person").click()
    assert_accessible(page)
    page.get_by_role("button", name="Find person").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter an NHS number")
    assert_accessible(page)

    # Then finds them by NHS number, which never appears in the address
    page.get_by_label("NHS number, PNC ID or prison number").fill(person.nhs_number_display)
    page.get_by_role("button", name="Find person").click()
    assert person.nhs_number not in page.url
    assert_accessible(page)
    page.get_by_role("link", name="Samuel OKAFOR").click()

    # Then they see who looked at the record, including the break-glass access
    expect(page.get_by_role("heading", level=1)).to_have_text("Samuel OKAFOR")
    table = page.locator("table")
    expect(table).to_contain_text("Priya Shah")
    expect(table).to_contain_text("Person record opened under break-glass")
    assert_accessible(page)

    # And can narrow the list to a date range
    page.locator("#id_date_from_0").fill("1")
    page.locator("#id_date_from_1").fill("1")
    page.locator("#id_date_from_2").fill("2020")
    page.get_by_role("button", name="Apply filter").click()
    expect(page.locator("table")).to_contain_text("Priya Shah")
    assert_accessible(page)

    # And to what was seen through the user's own team (not break-glass, not an agreement)
    page.get_by_label("Basis of access").select_option(label="Own team")
    page.get_by_role("button", name="Apply filter").click()
    expect(page.locator("table")).to_contain_text("Basis of access: Own team")
    expect(page.locator("table")).not_to_contain_text("break-glass")
    assert_accessible(page)

    # And can download everything held about them for a subject access request
    with page.expect_download() as download:
        page.get_by_role("button", name="Export everything held (subject access request)").click()
    assert re.fullmatch(
        rf"subject-access-{person.public_id}-\d{{4}}-\d{{2}}-\d{{2}}\.json",
        download.value.suggested_filename,
    )
    # And as a readable PDF to send to the person
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as PDF (subject access request)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert_accessible(page)

    # When they look at what the practitioner looked at
    page.get_by_role("link", name=re.compile("Priya Shah")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priya Shah")
    expect(page.locator("table")).to_contain_text("Samuel OKAFOR")
    assert_accessible(page)

    # When they review the break-glass access, first without an outcome
    page.get_by_role("link", name="Break-glass reviews").first.click()
    expect(page.locator("table")).to_contain_text("Awaiting review")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Review")).first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Save review").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select whether")
    assert_accessible(page)
    page.get_by_label("Inappropriate: escalated").check()
    page.get_by_label("Review note").fill("No emergency recorded; escalated to the team leader")
    page.get_by_role("button", name="Save review").click()

    # Then the review is recorded and the access is no longer awaiting review
    expect(page.get_by_role("status")).to_contain_text("Review recorded")
    expect(page.locator("table")).to_contain_text("Inappropriate: escalated")
    expect(page.locator("table")).not_to_contain_text("Awaiting review")
    assert_accessible(page)
