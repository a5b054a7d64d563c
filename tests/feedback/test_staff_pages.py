"""The staff feedback pages, through real requests: who may use them, what they show, and what
each form refuses with which message."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.feedback import services
from healthjustice.feedback.models import (
    ActionStatus,
    Feedback,
    ImprovementAction,
    ReplyContact,
    Theme,
)
from healthjustice.organisations.roles import Role
from tests.factories import TeamFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="Stoke custody L&D")


@pytest.fixture
def leader(team):
    return staff(Role.TEAM_LEADER, team=team)


@pytest.fixture
def theme():
    return Theme.objects.create(name="Waiting")


def give(team, days_ago=0, reply=False, **answers):
    data = {"experience": "poor", "treated_fairly": "partly", "could_be_better": "The wait"}
    data.update(answers)
    feedback = services.give_feedback(
        team=team,
        answers=data,
        contact={"name": "Sam", "contact": "sam@example.com"} if reply else None,
    )
    Feedback.objects.filter(pk=feedback.pk).update(
        received_at=timezone.now() - timedelta(days=days_ago)
    )
    feedback.refresh_from_db()
    return feedback


def action_for(team, actor, theme, published=False, **extra):
    kwargs = dict(
        actor=actor,
        team=team,
        theme=theme,
        you_said="You waited without knowing why.",
        we_did="We now say how long the wait is likely to be.",
        owner="Team leader",
        status=ActionStatus.PLANNED,
        done_on=None,
        is_published=published,
    )
    kwargs.update(extra)
    return services.save_action(**kwargs)


# Who may use the pages


@pytest.mark.parametrize(
    "role", [Role.PRACTITIONER, Role.EQUALITY_LEAD, Role.IG_AUDITOR, Role.SYSTEM_ADMIN]
)
def test_only_leaders_reach_the_staff_pages(role, team, signed_in):
    feedback = give(team)
    client = signed_in(staff(role, team=team))
    for url in (
        reverse("feedback:staff_list"),
        reverse("feedback:staff_item", kwargs={"public_id": feedback.public_id}),
        reverse("feedback:staff_actions"),
        reverse("feedback:staff_action_new"),
    ):
        assert client.get(url).status_code == 403, url


def test_a_leader_of_another_team_cannot_open_this_teams_feedback_or_actions(
    team, leader, theme, signed_in
):
    feedback = give(team)
    action = action_for(team, leader, theme)
    other = staff(Role.TEAM_LEADER, team=TeamFactory(name="Cannock court L&D"))
    client = signed_in(other)
    item = reverse("feedback:staff_item", kwargs={"public_id": feedback.public_id})
    assert client.get(item).status_code == 404
    respond = reverse("feedback:staff_respond", kwargs={"public_id": feedback.public_id})
    assert client.post(respond, {"response": "x", "version": 1}).status_code == 404
    assert (
        client.get(
            reverse("feedback:staff_action", kwargs={"public_id": action.public_id})
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("feedback:staff_action_new"), {"feedback": feedback.public_id}
        ).status_code
        == 404
    )
    listing = client.get(reverse("feedback:staff_list")).content.decode()
    assert "No feedback has been received yet" in listing


def test_the_header_links_leaders_to_the_feedback_pages(team, leader, signed_in):
    page = signed_in(leader).get(reverse("web:home")).content.decode()
    assert f'href="{reverse("feedback:staff_list")}"' in page
    practitioner = staff(Role.PRACTITIONER, team=team)
    page = signed_in(practitioner).get(reverse("web:home")).content.decode()
    assert f'href="{reverse("feedback:staff_list")}"' not in page


# The list


def test_the_list_shows_the_teams_feedback_newest_first_with_counts(team, leader, signed_in):
    give(team, days_ago=5, could_be_better="Older feedback")
    give(team, days_ago=1, could_be_better="Newer feedback")
    answered = give(team, days_ago=3, could_be_better="Answered", reply=True)
    services.record_response(feedback=answered, actor=leader, themes=[], response="Sorry")
    give(TeamFactory(), could_be_better="Another team's feedback")
    page = signed_in(leader).get(reverse("feedback:staff_list")).content.decode()
    assert page.index("Newer feedback") < page.index("Answered") < page.index("Older feedback")
    assert "Another team" not in page
    assert "New: 2" in page and "Responded, reply to send: 1" in page and "Closed: 0" in page
    assert "Showing 1 to 3 of 3" in page
    assert "nhsuk-table--responsive" in page
    shown = AuditEvent.objects.get(action=Action.VIEW, object_type="feedback_list")
    assert str(answered.public_id) in shown.detail["feedback"]
    assert len(shown.detail["feedback"]) == 3


def test_the_list_filters_by_status_theme_team_and_dates(team, leader, theme, signed_in):
    second = TeamFactory(name="Stafford court L&D")
    staff(Role.TEAM_LEADER, team=second, user=leader)
    give(team, days_ago=20, could_be_better="Long ago")
    tagged = give(team, days_ago=2, could_be_better="Tagged waiting")
    services.record_response(feedback=tagged, actor=leader, themes=[theme], response="")
    closed = give(second, days_ago=1, could_be_better="Court feedback")
    services.record_response(feedback=closed, actor=leader, themes=[], response="Thank you")
    client = signed_in(leader)
    url = reverse("feedback:staff_list")

    def shown(**query) -> str:
        return client.get(url, query).content.decode()

    page = shown(status="closed")
    assert "Court feedback" in page and "Tagged waiting" not in page
    page = shown(theme=theme.pk)
    assert "Tagged waiting" in page and "Long ago" not in page
    page = shown(team=str(second.public_id))
    assert "Court feedback" in page and "Long ago" not in page
    ten_days_ago = timezone.localdate() - timedelta(days=10)
    page = shown(
        date_from_0=ten_days_ago.day, date_from_1=ten_days_ago.month, date_from_2=ten_days_ago.year
    )
    assert "Tagged waiting" in page and "Court feedback" in page and "Long ago" not in page
    page = shown(status="new")
    assert "Long ago" in page and "Tagged waiting" in page and "Court feedback" not in page


def test_a_backwards_date_range_is_refused_with_a_clear_message(team, leader, signed_in):
    give(team)
    page = (
        signed_in(leader)
        .get(
            reverse("feedback:staff_list"),
            {
                "date_from_0": "10",
                "date_from_1": "11",
                "date_from_2": "2026",
                "date_to_0": "1",
                "date_to_1": "11",
                "date_to_2": "2026",
            },
        )
        .content.decode()
    )
    assert "must be the same as or after the 'from' date" in unescape(page)
    assert "Correct the filter to see feedback" in page


def test_the_list_is_paginated(team, leader, signed_in):
    for i in range(30):
        give(team, days_ago=i, could_be_better=f"Comment number {i:02d}")
    client = signed_in(leader)
    first = client.get(reverse("feedback:staff_list")).content.decode()
    assert "Showing 1 to 25 of 30" in first and "Comment number 00" in first
    assert "?page=2" in first
    second = client.get(reverse("feedback:staff_list"), {"page": 2}).content.decode()
    assert "Showing 26 to 30 of 30" in second and "Comment number 29" in second


# One piece of feedback


def test_reading_feedback_is_audited_and_shows_the_reply_contact(team, leader, signed_in):
    feedback = give(team, reply=True, what_was_good="The nurse listened")
    page = (
        signed_in(leader)
        .get(reverse("feedback:staff_item", kwargs={"public_id": feedback.public_id}))
        .content.decode()
    )
    assert "The nurse listened" in page and "sam@example.com" in page
    assert "These contact details will be deleted" in page
    event = AuditEvent.objects.get(action=Action.VIEW, object_type="feedback")
    assert event.object_id == str(feedback.public_id)
    assert event.detail["contact_shown"] is True


def test_responding_tags_themes_and_records_the_response(team, leader, theme, signed_in):
    feedback = give(team)
    url = reverse("feedback:staff_respond", kwargs={"public_id": feedback.public_id})
    response = signed_in(leader).post(
        url, {"themes": [theme.pk], "response": "We are sorry.", "version": feedback.version}
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.response == "We are sorry." and feedback.responded_by == leader
    assert list(feedback.themes.all()) == [theme]
    assert feedback.version == 2
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_type="feedback").exists()


def test_a_response_with_web_page_code_is_refused_and_nothing_is_stored(
    team, leader, theme, signed_in
):
    feedback = give(team)
    url = reverse("feedback:staff_respond", kwargs={"public_id": feedback.public_id})
    response = signed_in(leader).post(
        url, {"themes": [theme.pk], "response": "<b>Sorry</b>", "version": feedback.version}
    )
    assert response.status_code == 400
    assert "Our response must be written in plain words" in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.response == "" and not feedback.themes.exists()


def test_a_response_saved_by_someone_else_meanwhile_is_not_overwritten(team, leader, signed_in):
    feedback = give(team)
    colleague = staff(Role.SERVICE_MANAGER, team=team)
    services.record_response(
        feedback=feedback, actor=colleague, themes=[], response="Colleague's words"
    )
    url = reverse("feedback:staff_respond", kwargs={"public_id": feedback.public_id})
    response = signed_in(leader).post(url, {"response": "My words", "version": 1})
    assert response.status_code == 400
    assert "Someone else changed this feedback while you were editing it" in (
        response.content.decode()
    )
    feedback.refresh_from_db()
    assert feedback.response == "Colleague's words"


# Recording the reply


def test_recording_the_reply_asks_for_confirmation_then_deletes_the_contact(
    team, leader, signed_in
):
    feedback = give(team, reply=True)
    services.record_response(feedback=feedback, actor=leader, themes=[], response="Sorry")
    feedback.refresh_from_db()
    client = signed_in(leader)
    url = reverse("feedback:staff_reply_sent", kwargs={"public_id": feedback.public_id})
    page = client.get(url).content.decode()
    assert "The contact details will be deleted" in page
    refused = client.post(url, {"version": feedback.version})
    assert refused.status_code == 400
    assert "Confirm that you have replied" in refused.content.decode()
    assert ReplyContact.objects.filter(feedback=feedback).exists()
    done = client.post(url, {"confirm": "on", "version": feedback.version})
    assert done.status_code == 302
    assert not ReplyContact.objects.filter(feedback=feedback).exists()
    feedback.refresh_from_db()
    assert feedback.reply_sent_at is not None and feedback.status == "closed"
    page = client.get(done["Location"]).content.decode()
    assert "sam@example.com" not in page
    assert "contact details deleted" in page


def test_the_reply_cannot_be_recorded_before_the_response(team, leader, signed_in):
    feedback = give(team, reply=True)
    url = reverse("feedback:staff_reply_sent", kwargs={"public_id": feedback.public_id})
    response = signed_in(leader).post(url, {"confirm": "on", "version": feedback.version})
    assert response.status_code == 400
    assert "Record the team's response before recording that you replied" in unescape(
        response.content.decode()
    )
    assert ReplyContact.objects.filter(feedback=feedback).exists()


def test_the_response_cannot_be_emptied_once_the_reply_was_sent(team, leader, signed_in):
    feedback = give(team, reply=True)
    feedback = services.record_response(feedback=feedback, actor=leader, themes=[], response="Ok")
    feedback = services.record_reply_sent(feedback=feedback, actor=leader)
    url = reverse("feedback:staff_respond", kwargs={"public_id": feedback.public_id})
    response = signed_in(leader).post(url, {"response": "", "version": feedback.version})
    assert response.status_code == 400
    assert "the reply has already been sent" in response.content.decode()


# Actions


def test_an_action_written_from_feedback_is_a_linked_draft(team, leader, theme, signed_in):
    feedback = give(team)
    client = signed_in(leader)
    url = reverse("feedback:staff_action_new") + f"?feedback={feedback.public_id}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "team": str(team.public_id),
            "theme": theme.pk,
            "you_said": "You waited without knowing why.",
            "we_did": "We now say how long the wait is likely to be.",
            "owner": "Team leader",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    action = ImprovementAction.objects.get()
    assert not action.is_published
    assert list(action.feedback.all()) == [feedback]
    public = client.get(reverse("feedback:you_said_we_did")).content.decode()
    assert "how long the wait is likely" not in public


def test_an_incomplete_action_is_refused_with_a_message_for_each_part(team, leader, signed_in):
    response = signed_in(leader).post(
        reverse("feedback:staff_action_new"),
        {"team": str(team.public_id), "status": "done"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    for message in (
        "Select the theme of this action",
        "Enter what people told us",
        "Enter what we did, or will do",
        "Enter who is responsible for this action",
    ):
        assert message in page
    assert not ImprovementAction.objects.exists()


def test_a_done_action_needs_its_date(team, leader, theme, signed_in):
    response = signed_in(leader).post(
        reverse("feedback:staff_action_new"),
        {
            "team": str(team.public_id),
            "theme": theme.pk,
            "you_said": "Said",
            "we_did": "Did",
            "owner": "Team leader",
            "status": "done",
        },
    )
    assert response.status_code == 400
    assert "Enter the date the action was done" in response.content.decode()
    assert not ImprovementAction.objects.exists()


def test_an_action_cannot_be_written_for_another_team(leader, theme, signed_in):
    other = TeamFactory()
    response = signed_in(leader).post(
        reverse("feedback:staff_action_new"),
        {
            "team": str(other.public_id),
            "theme": theme.pk,
            "you_said": "Said",
            "we_did": "Did",
            "owner": "Team leader",
            "status": "planned",
        },
    )
    assert response.status_code == 400
    assert not ImprovementAction.objects.exists()


def test_a_draft_is_changed_then_published_then_withdrawn(team, leader, theme, signed_in):
    action = action_for(team, leader, theme)
    client = signed_in(leader)
    url = reverse("feedback:staff_action", kwargs={"public_id": action.public_id})
    publish = reverse("feedback:staff_action_publish", kwargs={"public_id": action.public_id})
    changed = {
        "theme": theme.pk,
        "you_said": "You waited without knowing why.",
        "we_did": "A card saying how long the wait usually is.",
        "owner": "Team leader",
        "status": "done",
        "done_on_0": "1",
        "done_on_1": "11",
        "done_on_2": "2026",
        "version": action.version,
    }
    assert client.post(url, changed).status_code == 302
    action.refresh_from_db()
    assert action.we_did.startswith("A card") and action.done_on == date(2026, 11, 1)

    assert client.post(publish, {"publish": "yes", "version": action.version}).status_code == 302
    action.refresh_from_db()
    assert action.is_published
    public = client.get(reverse("feedback:you_said_we_did")).content.decode()
    assert "A card saying how long the wait usually is." in public

    # A published action is read, not changed, until it is withdrawn.
    page = client.get(url).content.decode()
    assert "Withdraw from the public page" in page and "Save draft" not in page
    refused = client.post(url, {**changed, "we_did": "Quietly changed", "version": action.version})
    assert refused.status_code == 400
    assert "Withdraw it from the public page before changing it" in refused.content.decode()
    action.refresh_from_db()
    assert action.we_did.startswith("A card")

    assert client.post(publish, {"publish": "no", "version": action.version}).status_code == 302
    action.refresh_from_db()
    assert not action.is_published
    assert "A card saying" not in client.get(reverse("feedback:you_said_we_did")).content.decode()


def test_publishing_from_a_stale_page_is_refused(team, leader, theme, signed_in):
    action = action_for(team, leader, theme)
    client = signed_in(leader)
    publish = reverse("feedback:staff_action_publish", kwargs={"public_id": action.public_id})
    response = client.post(publish, {"publish": "yes", "version": action.version + 5}, follow=True)
    assert "Someone else changed this action" in response.content.decode()
    action.refresh_from_db()
    assert not action.is_published


def test_the_actions_list_shows_the_teams_actions_and_filters_them(team, leader, theme, signed_in):
    action_for(team, leader, theme, we_did="A draft plan")
    action_for(team, leader, theme, we_did="A published change", published=True)
    action_for(TeamFactory(), leader, theme, we_did="Another team's action")
    client = signed_in(leader)
    page = client.get(reverse("feedback:staff_actions")).content.decode()
    assert "A draft plan" in page and "A published change" in page
    assert "Another team" not in page
    drafts = client.get(reverse("feedback:staff_actions"), {"published": "no"}).content.decode()
    assert "A draft plan" in drafts and "A published change" not in drafts


def test_a_leader_prints_a_leaflet_whose_qr_code_opens_the_form_for_their_team(
    team, leader, signed_in, settings
):
    settings.HJ_PUBLIC_BASE_URL = "https://healthjustice.example.nhs.uk/"
    client = signed_in(leader)
    listing = client.get(reverse("feedback:staff_list")).content.decode()
    url = reverse("feedback:staff_leaflet", kwargs={"team_id": team.public_id})
    assert url in listing

    page = unescape(client.get(url).content.decode())

    address = f"https://healthjustice.example.nhs.uk/feedback/?team={team.public_id}"
    assert f'aria-label="QR code for {address}"' in page
    assert "<svg" in page and 'class="qrline"' in page
    assert address in page
    assert "pcref@example.nhs.uk" in page or settings.HJ_PCREF_CONTACT_EMAIL in page


def test_a_leaflet_for_another_teams_feedback_is_not_found(team, leader, signed_in):
    other = TeamFactory(name="Walsall court L&D")
    response = signed_in(leader).get(
        reverse("feedback:staff_leaflet", kwargs={"team_id": other.public_id})
    )
    assert response.status_code == 404


def test_the_leaflet_address_is_the_pages_own_when_no_public_address_is_set(
    team, leader, signed_in, settings
):
    settings.HJ_PUBLIC_BASE_URL = ""
    page = unescape(
        signed_in(leader)
        .get(reverse("feedback:staff_leaflet", kwargs={"team_id": team.public_id}))
        .content.decode()
    )
    assert f"http://testserver/feedback/?team={team.public_id}" in page
