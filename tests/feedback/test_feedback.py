import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.feedback import services
from healthjustice.feedback.models import (
    ActionStatus,
    Feedback,
    ImprovementAction,
    ReplyContact,
    Submission,
    Theme,
)
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def answers(team, **extra):
    data = {
        "team": str(team.public_id),
        "experience": "good",
        "treated_fairly": "yes",
        "what_was_good": "Kind staff",
        "could_be_better": "",
    }
    data.update(extra)
    return data


def test_public_form_needs_no_sign_in_and_stores_anonymous_feedback(client):
    team = TeamFactory()
    assert client.get(reverse("feedback:give")).status_code == 200
    response = client.post(reverse("feedback:give"), answers(team))
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.team == team and not feedback.wants_reply
    assert not ReplyContact.objects.exists()
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="feedback").exists()


def test_no_team_is_refused_with_a_clear_message(client):
    team = TeamFactory()
    data = answers(team)
    del data["team"]
    response = client.post(reverse("feedback:give"), data)
    assert response.status_code == 400
    assert "Select the team your feedback is about" in response.content.decode()
    assert not Feedback.objects.exists()


def test_oversized_message_is_refused(client):
    team = TeamFactory()
    response = client.post(reverse("feedback:give"), answers(team, could_be_better="x" * 2001))
    assert "must be 2,000 characters or fewer" in response.content.decode()
    assert not Feedback.objects.exists()


def test_oversized_request_is_refused_before_reading(client):
    team = TeamFactory()
    response = client.post(reverse("feedback:give"), answers(team, could_be_better="x" * 20000))
    assert response.status_code == 400
    assert "too long to send" in response.content.decode()
    assert not Feedback.objects.exists()


def test_markup_is_refused(client):
    team = TeamFactory()
    response = client.post(
        reverse("feedback:give"), answers(team, what_was_good='<a href="x">buy</a>')
    )
    assert "without web page code" in response.content.decode()
    assert not Feedback.objects.exists()


def test_honeypot_is_refused(client):
    team = TeamFactory()
    response = client.post(reverse("feedback:give"), answers(team, website="http://spam"))
    assert response.status_code == 400
    assert not Feedback.objects.exists()


@override_settings(HJ_FEEDBACK_LIMIT=3)
def test_a_burst_from_one_address_is_refused(client):
    team = TeamFactory()
    for _ in range(3):
        assert client.post(reverse("feedback:give"), answers(team)).status_code == 302
    response = client.post(reverse("feedback:give"), answers(team))
    assert response.status_code == 400
    assert "Try again later" in response.content.decode()
    assert Feedback.objects.count() == 3
    # Another address is not held back by the first.
    other = client.post(reverse("feedback:give"), answers(team), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302
    assert Submission.objects.count() == 4


def test_reply_asked_for_needs_a_contact_and_is_kept_apart(client):
    team = TeamFactory()
    response = client.post(reverse("feedback:give"), answers(team, wants_reply="on"))
    assert "so we can reply" in response.content.decode()
    assert not Feedback.objects.exists()
    client.post(
        reverse("feedback:give"), answers(team, wants_reply="on", contact="sam@example.com")
    )
    feedback = Feedback.objects.get()
    assert feedback.wants_reply
    assert feedback.contact.contact == "sam@example.com"


def test_reply_contact_is_deleted_once_the_reply_is_recorded():
    team = TeamFactory()
    user = UserFactory()
    feedback = services.give_feedback(
        team=team,
        answers={"experience": "poor", "treated_fairly": "partly"},
        contact={"name": "", "contact": "07700 900123"},
    )
    with pytest.raises(ValidationError, match="Record the team's response"):
        services.record_reply_sent(feedback=feedback, actor=user)
    theme = Theme.objects.create(name="Waiting")
    services.record_response(feedback=feedback, actor=user, themes=[theme], response="Sorry.")
    services.record_reply_sent(feedback=feedback, actor=user)
    assert not ReplyContact.objects.exists()
    feedback.refresh_from_db()
    assert feedback.reply_sent_at is not None
    assert list(feedback.themes.all()) == [theme]


def test_an_action_needs_an_owner_and_is_published():
    team = TeamFactory()
    user = UserFactory()
    theme = Theme.objects.create(name="Information")
    kwargs = dict(
        actor=user,
        team=team,
        theme=theme,
        you_said="We did not know what happens next",
        we_did="A leaflet on what happens next",
        status=ActionStatus.DONE,
        done_on=None,
        is_published=True,
    )
    with pytest.raises(ValidationError) as exc:
        services.save_action(owner="", **kwargs)
    assert "Enter who is responsible" in str(exc.value)
    assert "Enter the date the action was done" in str(exc.value)
    assert not ImprovementAction.objects.exists()
    kwargs["done_on"] = __import__("datetime").date(2026, 11, 1)
    services.save_action(owner="Team leader", **kwargs)


def test_you_said_we_did_lists_only_published_actions(client):
    team = TeamFactory(name="Stoke custody L&D")
    user = UserFactory()
    theme = Theme.objects.create(name="Information")
    for published, text in ((True, "A leaflet"), (False, "A secret draft")):
        services.save_action(
            actor=user,
            team=team,
            theme=theme,
            you_said="Tell us more",
            we_did=text,
            owner="Team leader",
            status=ActionStatus.PLANNED,
            done_on=None,
            is_published=published,
        )
    page = client.get(reverse("feedback:you_said_we_did")).content.decode()
    assert "A leaflet" in page and "A secret draft" not in page
    assert "pcref@" in page or "mailto:" in page


def test_form_is_prefilled_from_the_link(client):
    team = TeamFactory()
    page = client.get(
        reverse("feedback:give"), {"team": str(team.public_id), "relationship": "carer"}
    ).content.decode()
    assert f'value="{team.public_id}" selected' in page
    assert 'value="carer" selected' in page


def test_carer_portal_form_records_the_portal_as_source(client):
    team = TeamFactory()
    url = reverse("feedback:give") + f"?team={team.public_id}&relationship=carer&from=portal"
    assert client.post(url, answers(team, relationship="carer")).status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.source == "carer_portal" and feedback.relationship == "carer"
