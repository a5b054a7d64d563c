"""A practitioner assesses, records consent, issues a court report only with consent, and
sees the report refused once consent is withdrawn."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from healthjustice.assessments.models import Report
from tests.browser.conftest import assert_accessible
from tests.factories import PersonFactory, TeamFactory, staff
from tests.screening.factories import make_episode

pytestmark = pytest.mark.django_db(transaction=True)


def _fill_assessment(page) -> None:
    at = timezone.localtime(timezone.now() - timedelta(minutes=20))
    page.locator("#id_assessed_on_0").fill(str(at.day))
    page.locator("#id_assessed_on_1").fill(str(at.month))
    page.locator("#id_assessed_on_2").fill(str(at.year))
    page.get_by_label("Time the assessment started").fill(at.strftime("%H:%M"))
    page.get_by_label("In person").check()
    page.get_by_label("Presenting needs").fill("Hearing voices; not sleeping; recently homeless")
    page.get_by_label("Risk to self").fill("None identified")
    page.get_by_label("Risk to others").fill("None identified")
    page.get_by_label("Risk from others").fill("Exploited by people using his flat")
    page.get_by_label("Formulation", exact=True).fill("Possible first episode of psychosis")
    page.get_by_label("Recommendations", exact=True).fill("Early intervention in psychosis")


def test_practitioner_assesses_and_reports_only_with_consent(login, live_server):
    # Given a practitioner and a screened episode
    team = TeamFactory(name="Cannock court L&D")
    user = staff(team=team, user__job_title="Mental health nurse")
    person = PersonFactory(given_name="Callum", family_name="Reeves", team=team)
    episode = make_episode(team=team, person=person, actor=user, stage="screened")
    page = login(user)

    # When they record an assessment, first leaving out required answers
    page.goto(f"{live_server.url}/assessments/episode/{episode.public_id}/")
    assert_accessible(page)
    page.get_by_role("link", name="Record an assessment").click()

    # Then they are asked to record consent to the assessment first, and do
    expect(page.locator("main")).to_contain_text("Record consent to the assessment first")
    assert_accessible(page)
    page.get_by_role("link", name="Record consent to the assessment").click()
    expect(page.get_by_label("The assessment itself")).to_be_checked()
    assert_accessible(page)
    page.locator("#capacity_assessed-2").check()
    page.get_by_label("Given", exact=True).check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an assessment")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the presenting needs")
    assert_accessible(page)
    _fill_assessment(page)
    page.get_by_role("button", name="Save assessment").click()

    # Then the assessment is shown and the episode is assessed
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessment")
    expect(page.locator("main")).to_contain_text("Exploited by people using his flat")
    assert_accessible(page)
    page.get_by_role("link", name="Change the assessment").click()
    assert_accessible(page)

    # When they try to issue a court report without consent
    page.goto(f"{live_server.url}/assessments/episode/{episode.public_id}/reports/new/")
    assert_accessible(page)
    page.get_by_label("Court report for bail or remand").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#id_section_recommendations")).to_have_value(
        "Early intervention in psychosis"
    )
    assert_accessible(page)
    page.get_by_label("Court", exact=True).check()
    page.get_by_label("Advice relevant to bail or remand").fill("Hostel place available tonight")
    page.get_by_label("I have checked the report").check()
    page.get_by_role("button", name="Issue report").click()

    # Then it is refused, clearly, and nothing is issued
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("no consent in force")
    assert_accessible(page)
    assert not Report.objects.exists()

    # When they record consent to share with the court from the report, keeping the draft
    page.get_by_role("button", name="Save this draft and record consent").click()
    expect(page.get_by_label("Sharing with the court")).to_be_checked()
    assert_accessible(page)
    page.locator("#capacity_assessed-2").check()
    page.get_by_label("Given", exact=True).check()
    page.get_by_role("button", name="Save decision").click()

    # Then they are back at the report with what they had written, and issue it
    expect(page.locator("main")).to_contain_text("This is the draft you were writing")
    expect(page.get_by_label("Advice relevant to bail or remand")).to_have_value(
        "Hostel place available tonight"
    )
    assert_accessible(page)
    page.get_by_label("I have checked the report").check()
    page.get_by_role("button", name="Issue report").click()

    # Then the disclosure record is shown, with a PDF to download
    expect(page.get_by_role("heading", level=1)).to_have_text("Court report for bail or remand")
    expect(page.locator("main")).to_contain_text("Consent to share with this recipient")
    expect(page.locator("main")).to_contain_text("Article 6(1)(e)")
    assert_accessible(page)
    report = Report.objects.get()
    pdf = page.request.get(f"{live_server.url}/assessments/reports/{report.public_id}/pdf/")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    page.get_by_role("link", name="Issue a correction").click()
    assert_accessible(page)

    # When consent is withdrawn
    page.goto(f"{live_server.url}/assessments/consent/{person.public_id}/")
    expect(page.locator("main")).to_contain_text("Sharing with carers")
    assert_accessible(page)
    page.get_by_role("link", name="Withdraw consent: Sharing with the court").click()
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw consent").click()
    expect(page.locator("main")).to_contain_text("Withdrawn")

    # Then a new report is refused at once
    page.goto(
        f"{live_server.url}/assessments/episode/{episode.public_id}/reports/new/court_bail_remand/"
    )
    page.get_by_label("Court", exact=True).check()
    page.get_by_label("Advice relevant to bail or remand").fill("Hostel place available tonight")
    page.get_by_label("I have checked the report").check()
    page.get_by_role("button", name="Issue report").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("no consent in force")
    assert Report.objects.count() == 1

    # And the issued report says consent has changed since
    page.goto(f"{live_server.url}/assessments/reports/{report.public_id}/")
    expect(page.locator("main")).to_contain_text("Consent has changed since")
    assert_accessible(page)
