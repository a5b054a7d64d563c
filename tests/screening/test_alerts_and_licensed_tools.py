"""Risk alerts are acknowledged once, with a note; licensed tools keep only score and outcome."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.screening.instruments import external_outcome
from healthjustice.screening.models import ExternalScreen
from healthjustice.screening.services import (
    external_screen_record,
    instrument_administer,
    risk_alert_acknowledge,
)
from tests.factories import TeamFactory, staff
from tests.screening.factories import make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return staff(team=TeamFactory())


@pytest.fixture
def episode(user):
    return make_episode(team=user.memberships.get().team, actor=user)


@pytest.fixture
def alert(user, episode):
    administration = instrument_administer(
        actor=user, episode=episode, instrument_code="phq9", answers=[0] * 8 + [3]
    )
    return administration.alerts.get()


def test_alert_acknowledged_with_note_and_audited(user, alert):
    risk_alert_acknowledge(actor=user, alert=alert, note="Safety plan agreed with custody nurse")
    alert.refresh_from_db()
    assert alert.acknowledged_by == user
    assert alert.acknowledged_at is not None
    assert alert.acknowledgement_note == "Safety plan agreed with custody nurse"
    event = AuditEvent.objects.filter(object_id=str(alert.public_id), action="update").get()
    assert "Safety plan" not in str(event.detail)


def test_alert_acknowledgement_needs_a_real_note(user, alert):
    with pytest.raises(ValidationError) as exc:
        risk_alert_acknowledge(actor=user, alert=alert, note="  ok ")
    assert "note" in exc.value.message_dict
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_alert_cannot_be_acknowledged_twice(user, alert):
    risk_alert_acknowledge(actor=user, alert=alert, note="Told the custody sergeant")
    other = staff(team=user.memberships.get().team)
    with pytest.raises(ValidationError, match="already acknowledged"):
        risk_alert_acknowledge(actor=other, alert=alert, note="Second look at the same alert")
    alert.refresh_from_db()
    assert alert.acknowledged_by == user


def test_alert_acknowledgement_refused_for_other_team(alert):
    with pytest.raises(PermissionDenied):
        risk_alert_acknowledge(
            actor=staff(team=TeamFactory()), alert=alert, note="Not my team's person at all"
        )


def test_unacknowledged_alert_shown_first_on_episode_page(user, episode, alert, signed_in):
    client = signed_in(user)
    html = client.get(reverse("journeys:detail", kwargs={"public_id": episode.public_id}))
    text = html.content.decode()
    assert "1 risk alert not yet acknowledged" in text
    assert "PHQ-9 item 9 answered &#39;nearly every day&#39;" in text
    assert text.index("Risk alerts") < text.index("Screening and questionnaires")


def test_acknowledged_alert_leaves_the_episode_page_callout(user, episode, alert, signed_in):
    risk_alert_acknowledge(actor=user, alert=alert, note="Seen by the custody nurse at once")
    client = signed_in(user)
    text = client.get(
        reverse("journeys:detail", kwargs={"public_id": episode.public_id})
    ).content.decode()
    assert "not yet acknowledged" not in text


def test_acknowledge_page_redirects_to_screening_overview(user, alert, signed_in):
    client = signed_in(user)
    url = reverse("screening:alert_acknowledge", kwargs={"public_id": alert.public_id})
    response = client.post(url, {"note": "Discussed with duty doctor; on 15-minute checks"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "screening:episode", kwargs={"episode_id": alert.episode.public_id}
    )


def test_alert_page_for_other_team_is_not_found(alert, signed_in):
    client = signed_in(staff(team=TeamFactory()))
    url = reverse("screening:alert_acknowledge", kwargs={"public_id": alert.public_id})
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(object_type="risk_alert", action="denied").exists()


@pytest.mark.parametrize(("value", "positive"), [("46.6", True), ("46.7", False), ("12", True)])
def test_ldsq_recorded_with_cutoff_outcome(user, episode, value, positive):
    screen = external_screen_record(
        actor=user,
        episode=episode,
        tool_code="ldsq",
        value=value,
        administered_on=timezone.localdate(),
    )
    expected = external_outcome("ldsq", float(value))
    assert (screen.screen_positive, screen.outcome) == expected
    assert screen.screen_positive is positive
    assert screen.value == Decimal(value).quantize(Decimal("0.1"))
    assert screen.cutoff == Decimal("46.6")


@pytest.mark.parametrize("value", ["100.1", "-1", "not a number"])
def test_ldsq_out_of_range_refused(user, episode, value):
    with pytest.raises(ValidationError) as exc:
        external_screen_record(
            actor=user,
            episode=episode,
            tool_code="ldsq",
            value=value,
            administered_on=timezone.localdate(),
        )
    assert "value" in exc.value.message_dict
    assert not ExternalScreen.objects.exists()


def test_ldsq_date_in_future_refused(user, episode):
    with pytest.raises(ValidationError):
        external_screen_record(
            actor=user,
            episode=episode,
            tool_code="ldsq",
            value="30",
            administered_on=timezone.localdate() + timedelta(days=1),
        )
    assert not ExternalScreen.objects.exists()


def test_ldsq_page_records_score(user, episode, signed_in):
    client = signed_in(user)
    today = timezone.localdate()
    response = client.post(
        reverse("screening:external_record", kwargs={"episode_id": episode.public_id}),
        {
            "tool_code": "ldsq",
            "value": "40",
            "administered_on_0": str(today.day),
            "administered_on_1": str(today.month),
            "administered_on_2": str(today.year),
            "administered_elsewhere_by": "Court liaison nurse",
        },
    )
    assert response.status_code == 302
    screen = ExternalScreen.objects.get()
    assert (screen.screen_positive, screen.administered_elsewhere_by) == (
        True,
        "Court liaison nurse",
    )
