"""A team leader reads a carer's feedback, responds, records the reply and publishes what the
team did about it on the public "You said, we did" page."""

import re

import pytest
from playwright.sync_api import expect

from healthjustice.feedback import services
from healthjustice.feedback.models import ReplyContact, Theme
from healthjustice.organisations.roles import Role
from tests.browser.conftest import assert_accessible, open_from_header
from tests.factories import TeamFactory, staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_team_leader_responds_to_feedback_and_publishes_an_action(login, live_server):
    # Given a carer's feedback about the team, asking for a reply
    team = TeamFactory(name="Stoke custody L&D")
    leader = staff(Role.TEAM_LEADER, team=team)
    Theme.objects.create(name="Carers and family")
    Theme.objects.create(name="Waiting")
    feedback = services.give_feedback(
        team=team,
        answers={
            "experience": "poor",
            "treated_fairly": "partly",
            "could_be_better": "Nobody told me where my son had been taken.",
            "relationship": "carer",
        },
        contact={"name": "Grace", "contact": "grace@example.com"},
    )
    page = login(leader)

    # When the team leader opens Feedback from the header (under "More" when it is full)
    open_from_header(page, "Feedback", exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback")
    expect(page.get_by_text("New: 1")).to_be_visible()
    assert_accessible(page)

    # And reads the feedback
    page.get_by_role("link", name=re.compile("open feedback for Stoke custody L&D")).click()
    expect(page.get_by_text("Nobody told me where my son had been taken.")).to_be_visible()
    expect(page.get_by_text("grace@example.com")).to_be_visible()
    expect(page.get_by_text("These contact details will be deleted")).to_be_visible()
    assert_accessible(page)

    # And saves a response with web page code in it: it is refused, with a clear message
    page.get_by_label("Our response").fill("<b>Sorry</b>")
    page.get_by_role("button", name="Save themes and response").click()
    expect(page.get_by_role("alert")).to_contain_text("Our response must be written in plain words")
    assert_accessible(page)

    # Then tags the theme and records the response
    page.get_by_label("Carers and family").check()
    page.get_by_label("Our response").fill("We are sorry. We now ask who we should tell.")
    page.get_by_role("button", name="Save themes and response").click()
    expect(page.get_by_text("The themes and response have been saved.")).to_be_visible()
    expect(page.get_by_text("Responded, reply to send")).to_be_visible()
    assert_accessible(page)

    # And records the reply, which deletes the contact details once confirmed
    page.get_by_role("link", name="Record that you replied and delete the contact details").click()
    expect(page.get_by_text("The contact details will be deleted")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record the reply and delete the contact details").click()
    expect(page.get_by_role("alert")).to_contain_text("Confirm that you have replied")
    assert_accessible(page)
    page.get_by_label("I have replied to this person. Delete their contact details").check()
    page.get_by_role("button", name="Record the reply and delete the contact details").click()
    expect(page.get_by_text("contact details deleted")).to_be_visible()
    expect(page.get_by_text("grace@example.com")).to_have_count(0)
    assert not ReplyContact.objects.filter(feedback=feedback).exists()

    # And writes an action about it, saved as a draft
    page.get_by_role("link", name="Write an action about this feedback").click()
    assert_accessible(page)
    page.get_by_label("Theme").select_option(label="Carers and family")
    page.get_by_label("What people told us").fill(
        "Families were not told where you had been taken."
    )
    page.get_by_label("What we did, or will do").fill(
        "We ask everyone who we should tell, and tell them."
    )
    page.get_by_label("Who is responsible").fill("Team leader")
    page.get_by_label("Done").check()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_text("The action has been saved as a draft")).to_be_visible()
    assert_accessible(page)

    # And publishes it
    page.get_by_role("button", name="Publish on the You said, we did page").click()
    expect(page.get_by_text("The action is now on the public")).to_be_visible()
    expect(page.get_by_role("button", name="Withdraw from the public page")).to_be_visible()
    assert_accessible(page)

    # Then it is on the public page, and the team's actions list says it is published
    page.get_by_role("link", name="You said, we did", exact=True).first.click()
    expect(page.get_by_text("We ask everyone who we should tell, and tell them.")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/feedback/actions/")
    row = page.get_by_role("row", name=re.compile("We ask everyone who we should tell"))
    expect(row).to_contain_text("Published")
    assert_accessible(page)


def test_team_leader_prints_a_leaflet_with_a_qr_code(login, live_server):
    # Given a team leader on the feedback page
    team = TeamFactory(name="Walsall court L&D")
    leader = staff(Role.TEAM_LEADER, team=team)
    page = login(leader)
    page.goto(f"{live_server.url}/feedback/received/")

    # When they open their team's leaflet
    page.get_by_role("link", name="Print a feedback leaflet for Walsall court L&D").click()

    # Then the QR code is an image named by the address it opens, and the page is accessible
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Feedback leaflet for Walsall court L&D"
    )
    qr = page.get_by_role("img", name=re.compile("QR code for http.+feedback.+team="))
    expect(qr).to_be_visible()
    assert_accessible(page)

    # And on paper only the leaflet is printed: no header, no instructions
    page.emulate_media(media="print")
    expect(page.locator(".nhsuk-header")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_hidden()
    expect(
        page.get_by_role("heading", name="Tell us what you think of Walsall court L&D")
    ).to_be_visible()
