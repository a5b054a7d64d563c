"""A practitioner raises a risk alert by hand; it is shown and prioritised like any other."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from healthjustice.audit.models import AuditEvent
from healthjustice.journeys.choices import Stage
from healthjustice.screening.models import RiskAlert
from healthjustice.screening.services import risk_alert_acknowledge, risk_alert_raise
from healthjustice.screening.subject_access import risk_alerts
from healthjustice.worklist.selectors import explain, worklist_queryset
from tests.factories import TeamFactory, staff
from tests.journeys.factories import make_episode as make_journey_episode
from tests.screening.factories import make_episode

pytestmark = pytest.mark.django_db

CONCERN = "Said they would harm themselves if remanded"


@pytest.fixture
def user():
    return staff(team=TeamFactory(), user__first_name="Asha", user__last_name="Patel")


@pytest.fixture
def episode(user):
    return make_episode(team=user.memberships.get().team, actor=user)


def _url(episode) -> str:
    return reverse("screening:alert_raise", kwargs={"episode_id": episode.public_id})


# --- service ------------------------------------------------------------------------------


def test_raise_stores_concern_details_and_who_raised_it(user, episode):
    alert = risk_alert_raise(
        actor=user,
        episode=episode,
        concern=f"  {CONCERN}\n ",
        details="Told the custody nurse; on 15-minute checks.",
    )
    alert.refresh_from_db()
    assert alert.episode == episode
    assert alert.source == CONCERN
    assert alert.details == "Told the custody nurse; on 15-minute checks."
    assert alert.raised_by == user
    assert alert.administration is None
    assert alert.acknowledged_at is None


def test_raise_is_audited_without_the_concern(user, episode):
    alert = risk_alert_raise(actor=user, episode=episode, concern=CONCERN, details="Seen at 10am")
    event = AuditEvent.objects.get(
        object_type="risk_alert", object_id=str(alert.public_id), action="create"
    )
    assert event.detail["person"] == str(episode.person.public_id)
    assert event.detail["episode"] == str(episode.public_id)
    assert sorted(event.fields_changed) == ["details", "source"]
    assert CONCERN not in str(event.detail)
    assert "Seen at 10am" not in str(event.detail)


def test_concern_on_several_lines_is_kept_on_one(user, episode):
    alert = risk_alert_raise(actor=user, episode=episode, concern="Low mood\n\nsaid  no future")
    assert alert.source == "Low mood said no future"


@pytest.mark.parametrize("concern", ["", "   \n  ", None])
def test_empty_concern_refused(user, episode, concern):
    with pytest.raises(ValidationError) as exc:
        risk_alert_raise(actor=user, episode=episode, concern=concern)
    assert exc.value.message_dict["concern"] == ["Enter what the concern is"]
    assert not RiskAlert.objects.exists()


def test_concern_of_120_characters_accepted_and_121_refused(user, episode):
    risk_alert_raise(actor=user, episode=episode, concern="x" * 120)
    with pytest.raises(ValidationError) as exc:
        risk_alert_raise(actor=user, episode=episode, concern="y" * 121)
    assert exc.value.message_dict["concern"] == ["The concern must be 120 characters or fewer"]
    assert list(RiskAlert.objects.values_list("source", flat=True)) == ["x" * 120]


def test_details_too_long_refused(user, episode):
    with pytest.raises(ValidationError) as exc:
        risk_alert_raise(actor=user, episode=episode, concern=CONCERN, details="d" * 2001)
    assert exc.value.message_dict["details"] == ["Details must be 2000 characters or fewer"]
    assert not RiskAlert.objects.exists()


def test_raise_refused_on_closed_episode(user):
    closed = make_episode(team=user.memberships.get().team, actor=user, stage=Stage.CLOSED)
    with pytest.raises(ValidationError, match="This episode is closed"):
        risk_alert_raise(actor=user, episode=closed, concern=CONCERN)
    assert not RiskAlert.objects.exists()


def test_raise_refused_for_other_team(episode):
    with pytest.raises(PermissionDenied):
        risk_alert_raise(actor=staff(team=TeamFactory()), episode=episode, concern=CONCERN)
    assert not RiskAlert.objects.exists()


def test_raised_alert_is_acknowledged_as_any_other(user, episode):
    alert = risk_alert_raise(actor=user, episode=episode, concern=CONCERN)
    colleague = staff(team=user.memberships.get().team)
    risk_alert_acknowledge(
        actor=colleague, alert=alert, note="Duty doctor reviewed; safety plan in place"
    )
    alert.refresh_from_db()
    assert (alert.raised_by, alert.acknowledged_by) == (user, colleague)


def test_raised_alert_puts_the_episode_on_the_worklist_with_its_concern(user, episode):
    team = user.memberships.get().team
    now = timezone.now()
    # Without an alert the episode waiting five days would come first.
    waiting = make_journey_episode(team, referred_at=now - timedelta(days=5))
    before = list(worklist_queryset(user, team_id=team.id, now=now))
    assert [row.pk for row in before] == [waiting.pk, episode.pk]
    risk_alert_raise(actor=user, episode=episode, concern=CONCERN)
    rows = list(worklist_queryset(user, team_id=team.id, now=now))
    assert [row.pk for row in rows] == [episode.pk, waiting.pk]
    assert rows[0].wl_alerts == 1
    assert f"Risk alert: {CONCERN}" in [reason.text for reason in explain(rows[0], now=now)]


def test_raised_alert_is_in_the_subject_access_export(user, episode):
    risk_alert_raise(actor=user, episode=episode, concern=CONCERN, details="Seen in cell 4")
    (row,) = risk_alerts(episode.person)
    assert row["source"] == CONCERN
    assert row["details"] == "Seen in cell 4"
    assert row["raised_by"]["username"] == user.username


# --- pages --------------------------------------------------------------------------------


def test_page_raises_the_alert_and_says_so(user, episode, signed_in):
    client = signed_in(user)
    response = client.post(_url(episode), {"concern": CONCERN, "details": "In cell 4"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "screening:episode", kwargs={"episode_id": episode.public_id}
    )
    alert = RiskAlert.objects.get(episode=episode)
    assert (alert.source, alert.details, alert.raised_by) == (CONCERN, "In cell 4", user)
    text = client.get(response["Location"]).content.decode()
    assert "The risk alert has been raised" in text
    assert "1 risk alert not yet acknowledged" in text
    assert str(escape(CONCERN)) in text
    assert f"by {escape(user.display_name)}" in text


def test_episode_page_links_to_the_page_and_shows_the_alert_first(user, episode, signed_in):
    client = signed_in(user)
    detail = reverse("journeys:detail", kwargs={"public_id": episode.public_id})
    assert _url(episode) in client.get(detail).content.decode()
    risk_alert_raise(actor=user, episode=episode, concern=CONCERN)
    text = client.get(detail).content.decode()
    assert "1 risk alert not yet acknowledged" in text
    assert text.index(str(escape(CONCERN))) < text.index(
        'id="section-screening-and-questionnaires"'
    )


def test_acknowledge_page_shows_who_raised_it_and_the_details(user, episode, signed_in):
    alert = risk_alert_raise(actor=user, episode=episode, concern=CONCERN, details="In cell 4")
    text = (
        signed_in(user)
        .get(reverse("screening:alert_acknowledge", kwargs={"public_id": alert.public_id}))
        .content.decode()
    )
    assert str(escape(user.display_name)) in text
    assert "In cell 4" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter what the concern is"),
        ({"concern": "   "}, "Enter what the concern is"),
        ({"concern": "c" * 121}, "The concern must be 120 characters or fewer"),
        ({"concern": CONCERN, "details": "d" * 2001}, "Details must be 2000 characters or fewer"),
    ],
)
def test_page_refuses_bad_input_and_stores_nothing(user, episode, signed_in, data, message):
    response = signed_in(user).post(_url(episode), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert message in text
    assert not RiskAlert.objects.exists()


def test_page_on_closed_episode_says_so_and_stores_nothing(user, signed_in):
    closed = make_episode(team=user.memberships.get().team, actor=user, stage=Stage.CLOSED)
    client = signed_in(user)
    assert "This episode is closed" in client.get(_url(closed)).content.decode()
    response = client.post(_url(closed), {"concern": CONCERN})
    assert response.status_code == 200
    assert "open a new episode to record anything more" in response.content.decode()
    assert not RiskAlert.objects.exists()


def test_page_for_other_teams_episode_is_not_found(episode, signed_in):
    client = signed_in(staff(team=TeamFactory()))
    assert client.get(_url(episode)).status_code == 404
    assert client.post(_url(episode), {"concern": CONCERN}).status_code == 404
    assert not RiskAlert.objects.exists()
    assert AuditEvent.objects.filter(action="denied").exists()
