"""Handover: onward referrals to named community services, engagement confirmed at the first
appointment and after 4 weeks, and 'handed over' only once a handover is recorded."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.core.append_only import AppendOnlyError
from healthjustice.interventions.choices import ReferralOutcome
from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.services import episode_move
from healthjustice.journeys.stages import IllegalMove
from healthjustice.reconnect import services
from healthjustice.reconnect.models import EngagementCheck, Handover, ReleaseDetails
from tests.conftest import MODEL_BACKEND
from tests.reconnect.factories import D, handed_over_to, post_release, pre_release


def _stage(episode):
    return episode.statuses.order_by("-seq").first().stage


def _back_in_time(episode, released_days_ago=40):
    """Demo of an earlier release: referred 60 days ago, released `released_days_ago`."""
    today = timezone.localdate()
    Episode.objects.filter(pk=episode.pk).update(referred_at=timezone.now() - 60 * D)
    ReleaseDetails.objects.filter(episode=episode).update(released_on=today - released_days_ago * D)
    episode.refresh_from_db()


def test_a_handover_is_an_onward_referral_of_the_episode(rw):
    episode = post_release(team=rw.team, person=rw.person, actor=rw.worker)
    handover = handed_over_to(episode, rw.worker)
    referral = handover.referral
    assert referral.episode == episode
    assert referral.service_name == "Stoke Recovery Service"
    assert AuditEvent.objects.filter(object_type="reconnect_handover").exists()
    assert AuditEvent.objects.filter(object_type="onward_referral").exists()
    with pytest.raises(AppendOnlyError):
        handover.save()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"service_name": " "}, "Enter the name of the community service"),
        ({"service_type": "nonsense"}, "Select the type of community service"),
        ({"handed_over_on": None}, "Enter the date of the handover"),
    ],
)
def test_a_bad_handover_is_refused_and_nothing_is_stored(rw, changes, message):
    episode = post_release(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError) as exc:
        handed_over_to(episode, rw.worker, **changes)
    assert message in str(exc.value)
    assert not Handover.objects.exists()
    assert not OnwardReferral.objects.exists()


def test_a_handover_before_release_is_refused(rw):
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError, match="once the release is recorded"):
        handed_over_to(episode, rw.worker)
    assert not OnwardReferral.objects.exists()


def test_handed_over_needs_a_handover(rw):
    episode = post_release(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError, match="Record at least one handover"):
        services.handed_over_move(actor=rw.worker, episode=episode)
    # Nor by hand through the general stage page.
    with pytest.raises(IllegalMove, match="once at least one handover"):
        episode_move(actor=rw.worker, episode=episode, to_stage=Stage.HANDED_OVER, note="x")
    assert _stage(episode) == Stage.POST_RELEASE
    handed_over_to(episode, rw.worker)
    services.handed_over_move(actor=rw.worker, episode=episode)
    assert _stage(episode) == Stage.HANDED_OVER


def test_engagement_at_the_first_appointment_then_after_four_weeks(rw):
    today = timezone.localdate()
    episode = post_release(team=rw.team, person=rw.person, actor=rw.worker)
    _back_in_time(episode)
    handover = handed_over_to(episode, rw.worker, handed_over_on=today - 35 * D)
    first = services.engagement_check_record(
        actor=rw.worker, handover=handover, checked_on=today - 30 * D, engaged=True
    )
    assert first.kind == "first_appointment"
    referral = OnwardReferral.objects.get(pk=handover.referral.pk)
    assert referral.attended is True and referral.outcome == ReferralOutcome.ENGAGED
    assert referral.follow_up_done_at is not None
    with pytest.raises(ValidationError, match="4-week check is due from"):
        services.engagement_check_record(
            actor=rw.worker, handover=handover, checked_on=today - 3 * D, engaged=True
        )
    with pytest.raises(ValidationError, match="Say what happened"):
        services.engagement_check_record(
            actor=rw.worker, handover=handover, checked_on=today, engaged=False
        )
    four = services.engagement_check_record(
        actor=rw.worker, handover=handover, checked_on=today - 2 * D, engaged=True
    )
    assert four.kind == "four_weeks"
    assert EngagementCheck.objects.count() == 2
    with pytest.raises(ValidationError, match="Both engagement checks"):
        services.engagement_check_record(
            actor=rw.worker, handover=handover, checked_on=today, engaged=True
        )
    assert AuditEvent.objects.filter(object_type="reconnect_engagement_check").count() == 2


def test_a_check_before_the_handover_or_in_the_future_is_refused(rw):
    today = timezone.localdate()
    episode = post_release(team=rw.team, person=rw.person, actor=rw.worker)
    handover = handed_over_to(episode, rw.worker)
    for day, message in ((today + D, "today or in the past"), (today - D, "on or after")):
        with pytest.raises(ValidationError, match=message):
            services.engagement_check_record(
                actor=rw.worker, handover=handover, checked_on=day, engaged=True
            )
    assert not EngagementCheck.objects.exists()


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_the_handover_pages(client, rw):
    today = timezone.localdate()
    episode = post_release(team=rw.team, person=rw.person, actor=rw.worker)
    kwargs = {"public_id": episode.public_id}
    client.force_login(rw.worker, backend=MODEL_BACKEND)
    # No handover yet: the move page says so and nothing moves.
    url = reverse("reconnect:handed_over", kwargs=kwargs)
    assert "Record at least one handover" in client.get(url).content.decode()
    response = client.post(url, {})
    assert "Record at least one handover" in response.content.decode()
    assert _stage(episode) == Stage.POST_RELEASE
    page = client.get(reverse("journeys:detail", kwargs=kwargs)).content.decode()
    assert "Record a handover" in page
    url = reverse("reconnect:handover", kwargs=kwargs)
    data = {"service_type": "gp", "service_name": "", **_date("handed_over_on", today)}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "name of the community service" in response.content.decode()
    assert not Handover.objects.exists()
    response = client.post(url, {**data, "service_name": "Hanley Health Centre"})
    assert response.status_code == 302
    handover = Handover.objects.get()
    page = client.get(reverse("journeys:detail", kwargs=kwargs)).content.decode()
    assert "Hanley Health Centre" in page and "Confirm engagement at the first appointment" in page
    url = reverse("reconnect:engagement", kwargs={"public_id": handover.public_id})
    assert "at the first appointment" in client.get(url).content.decode()
    response = client.post(url, {**_date("checked_on", today), "engaged": "yes"})
    assert response.status_code == 302
    page = client.get(reverse("journeys:detail", kwargs=kwargs)).content.decode()
    assert "The 4-week check is due from" in page
    response = client.post(reverse("reconnect:handed_over", kwargs=kwargs), {})
    assert response.status_code == 302
    assert _stage(episode) == Stage.HANDED_OVER


def test_subject_access_export_holds_handovers(rw):
    from healthjustice.governance.subject_access import subject_access_document

    episode = post_release(team=rw.team, person=rw.person, actor=rw.worker)
    handover = handed_over_to(episode, rw.worker)
    services.engagement_check_record(
        actor=rw.worker, handover=handover, checked_on=timezone.localdate(), engaged=True
    )
    [row] = subject_access_document(rw.person)["reconnect"]
    [h] = row["handovers"]
    assert h["service"] == "Stoke Recovery Service"
    assert h["engagement"][0]["engaged"] is True
