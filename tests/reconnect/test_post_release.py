"""Support after release: the move to post-release support, 6 months of support, extensions
approved by a team leader, and a recall to custody closing the episode."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.core.append_only import AppendOnlyError
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.models import Episode, EpisodeStatus
from healthjustice.reconnect import selectors, services
from healthjustice.reconnect.choices import ContactMode
from healthjustice.reconnect.models import (
    Recall,
    ReleaseDetails,
    SupportContact,
    SupportExtension,
)
from tests.conftest import MODEL_BACKEND
from tests.reconnect.factories import D, post_release, pre_release, released


def _stage(episode):
    return episode.statuses.order_by("-seq").first().stage


def test_months_after_keeps_the_day_or_takes_the_months_last():
    import datetime

    assert selectors.months_after(datetime.date(2026, 1, 15), 6) == datetime.date(2026, 7, 15)
    assert selectors.months_after(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)


def test_post_release_support_starts_from_released_and_runs_six_months(rw):
    today = timezone.localdate()
    episode = released(team=rw.team, person=rw.person, actor=rw.worker)
    services.post_release_start(actor=rw.worker, episode=episode)
    assert _stage(episode) == Stage.POST_RELEASE
    assert selectors.support_ends_on(episode) == selectors.months_after(today, 6)


def test_post_release_support_before_release_is_refused(rw):
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError, match="once the release is recorded"):
        services.post_release_start(actor=rw.worker, episode=episode)
    assert _stage(episode) == Stage.PRE_RELEASE


def test_an_extension_needs_a_team_leader_and_a_reason(rw):
    episode = post_release(team=rw.team, person=rw.person, actor=rw.worker)
    ends = selectors.support_ends_on(episode)
    with pytest.raises(PermissionDenied, match="Only a team leader"):
        services.extension_approve(
            actor=rw.worker, episode=episode, extended_to=ends + 30 * D, reason="Housing"
        )
    with pytest.raises(ValidationError, match="Enter the reason"):
        services.extension_approve(
            actor=rw.leader, episode=episode, extended_to=ends + 30 * D, reason=" "
        )
    with pytest.raises(ValidationError, match="must end after that"):
        services.extension_approve(actor=rw.leader, episode=episode, extended_to=ends, reason="x")
    assert not SupportExtension.objects.exists()
    extension = services.extension_approve(
        actor=rw.leader,
        episode=episode,
        extended_to=ends + 60 * D,
        reason="Waiting for a housing decision",
    )
    assert extension.approved_by == rw.leader and extension.approved_at is not None
    assert extension.previous_end_on == ends
    assert selectors.support_ends_on(episode) == ends + 60 * D
    assert AuditEvent.objects.filter(
        object_type="reconnect_extension", object_id=str(extension.public_id)
    ).exists()
    with pytest.raises(AppendOnlyError):
        extension.save()


def test_a_contact_after_support_ended_is_refused_until_extended(rw):
    today = timezone.localdate()
    episode = post_release(team=rw.team, person=rw.person, actor=rw.worker)
    # Released 200 days ago (written straight to the row: the window would refuse the referral).
    ReleaseDetails.objects.filter(episode=episode).update(released_on=today - 200 * D)
    data = services.ContactInput(contact_on=today, mode=ContactMode.TELEPHONE, notes="Call")
    with pytest.raises(ValidationError, match="Support after release ended on"):
        services.contact_record(actor=rw.worker, episode=episode, data=data)
    assert not SupportContact.objects.exists()
    services.extension_approve(
        actor=rw.leader, episode=episode, extended_to=today + 30 * D, reason="Housing appeal"
    )
    services.contact_record(actor=rw.worker, episode=episode, data=data)
    assert SupportContact.objects.filter(after_release=True).count() == 1


def test_a_post_release_contact_before_release_is_refused(rw):
    episode = post_release(team=rw.team, person=rw.person, actor=rw.worker)
    # Referred 10 days ago, released today: a contact yesterday is before the release.
    Episode.objects.filter(pk=episode.pk).update(referred_at=timezone.now() - 10 * D)
    episode.refresh_from_db()
    yesterday = timezone.localdate() - D
    with pytest.raises(ValidationError, match="a contact after release must be on or after"):
        services.contact_record(
            actor=rw.worker,
            episode=episode,
            data=services.ContactInput(
                contact_on=yesterday, mode=ContactMode.TELEPHONE, notes="Call"
            ),
        )
    assert not SupportContact.objects.exists()


def test_a_recall_records_its_date_and_closes_the_episode(rw):
    today = timezone.localdate()
    episode = post_release(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError, match="today or in the past"):
        services.recall_record(actor=rw.worker, episode=episode, recalled_on=today + D)
    with pytest.raises(ValidationError, match="on or after that date"):
        services.recall_record(actor=rw.worker, episode=episode, recalled_on=today - D)
    assert not Recall.objects.exists()
    assert _stage(episode) == Stage.POST_RELEASE
    recall = services.recall_record(
        actor=rw.worker, episode=episode, recalled_on=today, notes="Breach of licence"
    )
    closing = EpisodeStatus.objects.filter(episode=episode).order_by("-seq").first()
    assert closing.stage == Stage.CLOSED
    assert closing.closure_reason == ClosureReason.RECALLED
    assert recall.recalled_on == today
    assert "Recalled to custody on" in episode.closure.summary
    assert AuditEvent.objects.filter(object_type="reconnect_recall").exists()


def test_a_recall_before_release_is_refused(rw):
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError, match="once the release is recorded"):
        services.recall_record(actor=rw.worker, episode=episode, recalled_on=timezone.localdate())
    assert _stage(episode) == Stage.PRE_RELEASE


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_the_post_release_pages(client, rw):
    today = timezone.localdate()
    episode = released(team=rw.team, person=rw.person, actor=rw.worker)
    kwargs = {"public_id": episode.public_id}
    client.force_login(rw.worker, backend=MODEL_BACKEND)
    page = client.get(reverse("journeys:detail", kwargs=kwargs)).content.decode()
    assert "Start post-release support" in page
    response = client.post(reverse("reconnect:post_release", kwargs=kwargs), {})
    assert response.status_code == 302
    # A practitioner is refused an extension, with a message on the form.
    url = reverse("reconnect:extension", kwargs=kwargs)
    ends = selectors.support_ends_on(episode)
    data = {**_date("extended_to", ends + 30 * D), "reason": "Housing"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Only a team leader" in response.content.decode()
    assert not SupportExtension.objects.exists()
    client.force_login(rw.leader, backend=MODEL_BACKEND)
    response = client.post(url, {**data, "reason": ""})
    assert "reason for the extension" in response.content.decode()
    response = client.post(url, data)
    assert response.status_code == 302
    page = client.get(reverse("journeys:detail", kwargs=kwargs)).content.decode()
    assert "approved by" in page and "Record a recall to custody" in page
    response = client.post(reverse("reconnect:recall", kwargs=kwargs), _date("recalled_on", today))
    assert response.status_code == 302
    assert Recall.objects.filter(episode=episode).exists()


def test_subject_access_export_holds_extensions_and_the_recall(rw):
    from healthjustice.governance.subject_access import subject_access_document

    today = timezone.localdate()
    episode = post_release(team=rw.team, person=rw.person, actor=rw.worker)
    ends = selectors.support_ends_on(episode)
    services.extension_approve(
        actor=rw.leader, episode=episode, extended_to=ends + 30 * D, reason="Housing appeal"
    )
    services.recall_record(actor=rw.worker, episode=episode, recalled_on=today)
    [row] = subject_access_document(rw.person)["reconnect"]
    assert row["extensions"][0]["reason"] == "Housing appeal"
    assert row["recall"]["recalled_on"] == today
