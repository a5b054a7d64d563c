"""Ward staff manage carers and agreements; a carer uses the portal on a phone. Axe throughout."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from healthjustice.carers import services
from healthjustice.carers.choices import MeetingKind, ShareCategory
from tests.browser.conftest import assert_accessible
from tests.carers.factories import PageFactory, StayFactory, Ward, carer_account
from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
CARER_PASSWORD = "violet-harbour-lantern-93"


def _h1(page):
    return page.get_by_role("heading", level=1)


def test_ward_staff_add_a_carer_record_an_agreement_and_log_contacts(login, live_server):
    # Given a key worker on a low secure ward where Daniel Brooks is staying
    team = TeamFactory(name="Cedar Ward team")
    key_worker = staff(team=team, user__first_name="Priya", user__last_name="Shah")
    patient = PersonFactory(given_name="Daniel", family_name="Brooks", team=team)
    StayFactory(person=patient, team=team, key_worker=key_worker)
    page = login(key_worker)

    # When they open the carers' work list and the patient
    page.get_by_role("link", name="Carers").first.click()
    expect(_h1(page)).to_have_text("Carers")
    assert_accessible(page)
    page.get_by_role("link", name="Daniel BROOKS").click()
    expect(_h1(page)).to_have_text("Carers and secure services")
    expect(page.locator("main")).to_contain_text("You can always, without the patient's consent")
    assert_accessible(page)

    # And add a carer, first leaving the form empty
    page.get_by_role("link", name="Add a carer").click()
    assert_accessible(page)
    page.get_by_label("First name").fill("")
    page.get_by_role("button", name="Add carer").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter first name")
    assert_accessible(page)
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Brooks")
    page.get_by_label("Phone number (optional)").fill("07700 900321")
    page.get_by_label("Phone call", exact=True).check()
    page.get_by_label("Early evenings (5pm to 8pm)").check()
    page.get_by_label("Language they prefer").fill("English")
    today = timezone.localdate()
    page.locator("#id_date_identified_0").fill(str(today.day))
    page.locator("#id_date_identified_1").fill(str(today.month))
    page.locator("#id_date_identified_2").fill(str(today.year))
    page.get_by_label("Identified at the patient's first contact with the service").check()
    page.get_by_label("Named contact (optional)").select_option(label="Priya Shah")
    page.get_by_label("Their relationship to the patient").select_option("parent")
    page.get_by_label("They are named on the patient's care plan").check()
    page.get_by_role("button", name="Add carer").click()

    # Then the carer has their own record, with their named contact
    expect(_h1(page)).to_have_text("Grace Brooks")
    expect(page.locator("main")).to_contain_text("Priya Shah")
    assert_accessible(page)

    # When they record what Daniel agrees to share with Grace
    page.get_by_role("link", name=re.compile("Daniel BROOKS")).click()
    expect(_h1(page)).to_have_text("Sharing information with Grace")
    assert_accessible(page)
    page.get_by_role("link", name="Record what Daniel agrees to share").click()
    assert_accessible(page)
    page.get_by_label("General wellbeing").check()
    page.get_by_label("Meetings, such as care programme approach reviews and tribunals").check()
    page.get_by_label("Assessed: has capacity to make this decision").check()
    page.get_by_role("button", name="Save agreement").click()
    expect(page.locator("main")).to_contain_text(
        "General wellbeing, Meetings, such as care programme approach reviews and tribunals"
    )
    assert_accessible(page)

    # And write an update for Grace
    page.get_by_role("link", name="Write something for Grace").click()
    assert_accessible(page)
    page.get_by_label("General wellbeing").check()
    page.get_by_label("Title").fill("A settled week")
    page.get_by_label("What you want the carer to read").fill("Daniel went to the music group.")
    page.get_by_role("button", name="Share with Grace").click()
    expect(page.locator("main table").first).to_contain_text("A settled week")

    # When they log a call in which medication was discussed, which Daniel has not agreed to
    page.get_by_role("link", name="Log a contact with Grace").click()
    assert_accessible(page)
    page.get_by_label("What was discussed").fill("Grace asked about his new tablets.")
    page.get_by_label("Medication", exact=True).check()
    page.get_by_role("button", name="Save contact").click()

    # Then it is refused with the reason, and nothing is logged
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Daniel has not agreed to share Medication"
    )
    assert_accessible(page)

    # When they log only what was agreed
    page.get_by_label("Medication", exact=True).uncheck()
    page.get_by_label("General wellbeing").check()
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator("main")).to_contain_text("The contact has been added to the log.")
    assert_accessible(page)

    # And invite Grace to the portal: the link is shown once
    page.get_by_role("link", name="Grace Brooks").last.click()
    page.get_by_role("link", name="Invite Grace to the carers' portal").click()
    assert_accessible(page)
    page.get_by_role("button", name="Make an invitation link").click()
    expect(page.locator("#invitation-link")).to_contain_text("/carers/portal/invitation/")
    expect(page.locator("main")).to_contain_text("You will not see this link again")
    assert_accessible(page)


def test_team_leader_reviews_shares_reads_the_report_and_edits_pages(login, live_server):
    # Given a ward where a share without consent was logged
    ward = Ward()
    carer, rel = ward.carer(named_contact=ward.key_worker, identified_at_first_contact=True)
    ward.agree(rel, [ShareCategory.WELLBEING])
    services.contact_record(
        actor=ward.key_worker,
        carer=carer,
        relationship=rel,
        staff=ward.key_worker,
        occurred_at=timezone.now(),
        mode="phone",
        direction="to_carer",
        summary="Shared relapse signs: children at risk at home.",
        categories_shared=[ShareCategory.CARE_PLAN],
        lawful_basis="safeguarding",
        lawful_basis_detail="Children at risk",
    )
    PageFactory(title="Visiting", slug="visiting")
    page = login(ward.ward_manager)

    # When the ward manager opens the review list and reviews the share
    page.goto(f"{live_server.url}{reverse('carers:home')}")
    assert_accessible(page)
    page.get_by_role("link", name="Shares without consent to review").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Review")).click()
    assert_accessible(page)
    page.get_by_label("Sharing was appropriate").check()
    page.get_by_role("button", name="Save review").click()
    expect(page.locator("main")).to_contain_text("There is nothing to review.")
    assert_accessible(page)

    # Then the Triangle of Care report shows charts, each with its numbers
    page.goto(f"{live_server.url}{reverse('carers:report')}")
    expect(page.locator("svg.hj-chart")).to_have_count(5)
    expect(page.locator("main")).to_contain_text("100% (1 of 1)")
    assert_accessible(page)

    # And the information pages can be edited
    page.goto(f"{live_server.url}{reverse('carers:pages')}")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Visiting")).click()
    assert_accessible(page)
    page.get_by_label("Page text").fill("Book your visit.\n\n## What to bring\n- Photo ID")
    page.get_by_role("button", name="Save page").click()
    expect(page.locator("main")).to_contain_text("has been published")
    assert_accessible(page)


def test_carer_joins_and_sees_exactly_what_was_agreed_then_nothing_after_withdrawal(
    page, login, live_server
):
    # Given a patient who agreed to share wellbeing and meetings with Grace, but not medication
    ward = Ward()
    name = ward.patient.given_name
    carer, rel = ward.carer(given_name="Grace", named_contact=ward.key_worker)
    ward.agree(rel, [ShareCategory.WELLBEING, ShareCategory.MEDICATION])
    ward.write(rel, ShareCategory.MEDICATION, "New tablets")
    agreement = ward.agree(rel, [ShareCategory.WELLBEING, ShareCategory.MEETINGS])
    ward.write(rel, ShareCategory.WELLBEING, "A settled week")
    ward.write(
        rel,
        ShareCategory.MEETINGS,
        "Care programme approach review",
        meeting_kind=MeetingKind.CPA_REVIEW,
        meeting_at=timezone.now() + datetime.timedelta(days=10),
        meeting_place="Meeting room 2",
    )
    PageFactory(title="Visiting", slug="visiting", body="Book your visit.\n\n- Bring photo ID")
    issued = services.carer_invite(actor=ward.key_worker, carer=carer)

    # When Grace opens her invitation on her phone and sets up her account
    page.set_viewport_size(PHONE)
    invitation = reverse("carers:portal_invitation", kwargs={"token": issued.token})
    page.goto(f"{live_server.url}{invitation}")
    expect(_h1(page)).to_have_text("Set up your account")
    assert_accessible(page)
    page.get_by_label("Choose a username").fill("grace.brooks")
    page.get_by_label("Choose a password").fill(CARER_PASSWORD)
    page.get_by_label("Type the password again").fill(CARER_PASSWORD)
    page.get_by_role("button", name="Set up account").click()
    expect(page.locator("main")).to_contain_text("Your account is ready")
    assert_accessible(page)

    # And signs in
    carer.refresh_from_db()
    page = login(carer.user, password=CARER_PASSWORD)
    expect(_h1(page)).to_have_text("Hello, Grace")
    expect(page.locator("main")).to_contain_text(ward.key_worker.display_name)
    assert_accessible(page)

    # Then she sees what was agreed, and not medication
    page.get_by_role("link", name=f"Information about {name}").click()
    main = page.locator("main")
    expect(main).to_contain_text("A settled week")
    expect(main).to_contain_text("Care programme approach review")
    expect(main).not_to_contain_text("New tablets")
    expect(main).not_to_contain_text("Medication")
    assert_accessible(page)

    # And she can read the information pages
    page.goto(f"{live_server.url}{reverse('carers:portal_pages')}")
    assert_accessible(page)
    page.get_by_role("link", name="Visiting").click()
    expect(page.locator("main")).to_contain_text("Bring photo ID")
    assert_accessible(page)

    # When she sends a message with markup, it is refused; as plain text, it is sent
    page.goto(f"{live_server.url}{reverse('carers:portal_messages')}")
    assert_accessible(page)
    page.get_by_label("Your message").fill("<b>Hello</b>")
    page.get_by_role("button", name="Send message").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("plain text")
    assert_accessible(page)
    page.get_by_label("Your message").fill("Can I bring photos on Saturday?")
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("main")).to_contain_text("Your message has been sent.")
    assert_accessible(page)

    # And she can change how she is contacted
    page.goto(f"{live_server.url}{reverse('carers:portal_preferences')}")
    assert_accessible(page)
    page.get_by_label("Text message").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Your contact details have been saved.")

    # When the patient withdraws the agreement
    services.agreement_withdraw(actor=ward.key_worker, agreement=agreement, reason="Changed mind")

    # Then the very next page shows nothing about them
    page.goto(
        f"{live_server.url}{reverse('carers:portal_person', kwargs={'public_id': rel.public_id})}"
    )
    main = page.locator("main")
    expect(main).to_contain_text("no information about the person you care for")
    expect(main).not_to_contain_text("A settled week")
    expect(main).not_to_contain_text(name)
    assert_accessible(page)
    page.goto(f"{live_server.url}{reverse('carers:portal')}")
    expect(page.get_by_role("link", name=f"Information about {name}")).to_have_count(0)
    assert_accessible(page)


def test_staff_page_refuses_a_carer_in_the_browser(page, login, live_server):
    ward = Ward()
    carer, _rel = ward.carer()
    user = carer_account(carer)
    login(user)
    response = page.goto(f"{live_server.url}{reverse('carers:home')}")
    assert response.status == 403


def test_key_worker_replies_in_the_portal_and_the_carer_reads_it_on_a_phone(
    page, login, live_server
):
    # Given Grace, who may be told about wellbeing only, sent a message to her key worker
    ward = Ward()
    carer, rel = ward.carer(given_name="Grace", named_contact=ward.key_worker)
    carer_account(carer)
    ward.agree(rel, [ShareCategory.WELLBEING])
    services.message_send(actor=carer.user, carer=carer, body="How has he been this week?")
    page = login(ward.key_worker)

    # When the key worker opens the message from the work list
    page.goto(f"{live_server.url}{reverse('carers:home')}")
    page.get_by_role("link", name=re.compile("Grace")).first.click()
    expect(_h1(page)).to_have_text(re.compile("^Message from Grace"))
    expect(page.locator("main")).to_contain_text("You can always, without the patient's consent")
    assert_accessible(page)

    # And replies about his medication, which the patient has not agreed to share
    page.get_by_label("Your reply").fill("His new tablets are helping.")
    page.get_by_label("Medication", exact=True).check()
    page.get_by_role("button", name="Send reply").click()

    # Then it is refused with the reason, and nothing is sent
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        f"{ward.patient.given_name} has not agreed to share Medication"
    )
    assert_accessible(page)

    # When the reply shares only wellbeing
    page.get_by_label("Your reply").fill("He has had a settled week and enjoyed the music group.")
    page.get_by_label("Medication", exact=True).uncheck()
    page.get_by_label("General wellbeing").check()
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("main")).to_contain_text("Your reply has been sent.")
    assert_accessible(page)

    # Then Grace reads it on her phone, with who replied
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page = login(carer.user)
    # On a phone the design system folds the header's navigation into a "More" menu
    page.locator("header").get_by_role("button", name="More").click()
    page.get_by_role("link", name="Messages").first.click()
    expect(_h1(page)).to_have_text("Messages")
    main = page.locator("main")
    expect(main).to_contain_text("He has had a settled week and enjoyed the music group.")
    expect(main).to_contain_text(f"Reply from {ward.key_worker.display_name}")
    expect(main).not_to_contain_text("His new tablets")
    assert_accessible(page)
