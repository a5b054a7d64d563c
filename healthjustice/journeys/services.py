"""Opening episodes, moving them through their stages, allocating them, and their
criminal-justice context."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import StaleEditError
from healthjustice.organisations.models import Site, Team
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.access import viewing_team_ids
from healthjustice.people.models import Person
from healthjustice.people.services import care_relationship_start

from .access import working_team_ids
from .choices import (
    ClosureReason,
    CustodyEventKind,
    Disposal,
    EpisodeSetting,
    ReferralSource,
    Stage,
)
from .custody import check_event
from .models import (
    ARTICLE_10_FIELDS,
    CriminalJusticeContext,
    CustodyEvent,
    Episode,
    EpisodeStatus,
)
from .signals import episodes_changed
from .stages import IllegalMove, check_move, check_reopen, machine_for, skipped_stages
from .validation import validate_cj_details


def is_team_worker(user: User, team_id: int) -> bool:
    """Does `user` hold a role in the team that lets them work on its episodes?"""
    return team_id in working_team_ids(user)


def _check_episode_fields(
    *, team: Team, setting: str, referral_source: str, referred_at: datetime, site: Site | None
) -> None:
    errors: dict[str, str] = {}
    if setting not in EpisodeSetting.values:
        errors["setting"] = "Choose where the person was seen"
    if referral_source not in ReferralSource.values:
        errors["referral_source"] = "Choose who made the referral"
    if referred_at > timezone.now():
        errors["referred_at"] = "The referral date and time cannot be in the future"
    if site is not None and not site.teams.filter(pk=team.pk).exists():
        errors["site"] = f"Choose one of the sites {team.name} works at"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def episode_open(
    *,
    actor: User,
    person: Person,
    team: Team,
    setting: str,
    referral_source: str,
    referred_at: datetime,
    reason: str = "",
    site: Site | None = None,
    cj_details: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> Episode:
    """Open an episode at its pathway's first stage; the team gains a care relationship.

    `cj_details` (optional) are criminal-justice fields saved with it, all or nothing.
    """
    if not has_permission(actor, Permission.EPISODE_MANAGE, person):
        raise PermissionDenied("You may not open episodes for this person.")
    if team.id not in viewing_team_ids(actor):
        raise PermissionDenied("You can only open episodes for a team you belong to.")
    if cj_details and not has_permission(actor, Permission.CJ_CONTEXT_VIEW):
        raise PermissionDenied("You may not record criminal-justice details.")
    _check_episode_fields(
        team=team,
        setting=setting,
        referral_source=referral_source,
        referred_at=referred_at,
        site=site,
    )
    if cj_details:
        validate_cj_details(cj_details, referred_at=referred_at)
    episode = Episode.objects.create(
        person=person,
        team=team,
        pathway=team.pathway,
        setting=setting,
        site=site,
        referral_source=referral_source,
        referred_at=referred_at,
        reason=reason,
        created_by=actor,
    )
    EpisodeStatus.objects.create(
        episode=episode,
        seq=1,
        stage=machine_for(team.pathway).first,
        at=referred_at,
        by=actor,
        note="Referral received",
    )
    care_relationship_start(
        person=person, team=team, reason=f"{team.get_pathway_display()} episode opened"
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="episode",
        object_id=str(episode.public_id),
        detail={"person": str(person.public_id)},
    )
    if cj_details and any(_has_value(v) for v in cj_details.values()):
        cj_context_save(
            actor=actor, episode=episode, details=cj_details, expected_version=None, request=request
        )
    return episode


@transaction.atomic
def episode_refer(
    *,
    actor: Any,
    from_episode: Episode,
    to_team: Team,
    reason: str,
    request: HttpRequest | None = None,
) -> Episode:
    """Open an episode for the person of `from_episode` in another team (an L&D team referring
    on to its region's MHTR team, say), which gains a care relationship with them.

    The referrer works in `from_episode`'s team, not in `to_team`: that is what a referral is.
    """
    if not has_permission(actor, Permission.EPISODE_MANAGE, from_episode.person):
        raise PermissionDenied("You may not refer this person on.")
    if not is_team_worker(actor, from_episode.team_id):
        raise PermissionDenied("You can only refer on from your own team's episodes.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the referral"})
    now = timezone.now()
    episode = Episode.objects.create(
        person=from_episode.person,
        team=to_team,
        pathway=to_team.pathway,
        setting=from_episode.setting,
        referral_source=ReferralSource.LIAISON_DIVERSION,
        referred_at=now,
        reason=reason.strip(),
        created_by=actor,
    )
    EpisodeStatus.objects.create(
        episode=episode,
        seq=1,
        stage=machine_for(to_team.pathway).first,
        at=now,
        by=actor,
        note=f"Referred by {from_episode.team.name}",
    )
    care_relationship_start(
        person=from_episode.person,
        team=to_team,
        reason=f"Referred by {from_episode.team.name}",
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="episode",
        object_id=str(episode.public_id),
        detail={
            "person": str(from_episode.person.public_id),
            "referred_from": str(from_episode.public_id),
        },
    )
    return episode


@transaction.atomic
def episode_move(
    *,
    actor: User,
    episode: Episode,
    to_stage: str,
    note: str = "",
    closure_reason: str = "",
    skip_reason: str = "",
    at: datetime | None = None,
    by_record: bool = False,
    request: HttpRequest | None = None,
) -> EpisodeStatus:
    """Append a status row after checking the move against the state machine.

    `at` records a change made earlier (written up later); it defaults to now and may be
    neither in the future nor before the episode's previous change. `by_record` says the
    move comes from recorded work (a screening reaching "screened"), so needs no reason.
    """
    if not has_permission(actor, Permission.EPISODE_MANAGE, episode.person):
        raise PermissionDenied("You may not change this episode.")
    # Lock the episode so two moves cannot both read the same current stage.
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    latest = locked.statuses.order_by("-seq").first()
    current = latest.stage if latest else None
    check_move(
        current,
        to_stage,
        pathway=locked.pathway,
        closure_reason=closure_reason,
        skip_reason=skip_reason,
        note=note,
        by_record=by_record,
    )
    closing = to_stage == Stage.CLOSED
    if closing and closure_reason == ClosureReason.OTHER and not note.strip():
        raise IllegalMove("Say why the episode is being closed.", field="note")
    now = timezone.now()
    at = at or now
    if at > now:
        raise IllegalMove("The time of a stage change cannot be in the future.", field="at")
    if latest and at < latest.at:
        raise IllegalMove(
            "The time of a stage change cannot be before the episode's previous change.",
            field="at",
        )
    skipped = skipped_stages(current, to_stage, locked.pathway) if current else []
    seq = (locked.statuses.aggregate(m=Max("seq"))["m"] or 0) + 1
    status = EpisodeStatus.objects.create(
        episode=locked,
        seq=seq,
        stage=to_stage,
        at=at,
        by=actor,
        note=note.strip(),
        closure_reason=closure_reason if closing else "",
        skip_reason=skip_reason.strip() if skipped else "",
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="episode",
        object_id=str(locked.public_id),
        fields_changed=["stage"],
        detail={
            "to": str(to_stage),
            "person": str(episode.person.public_id),
            **({"skipped": [str(s) for s in skipped]} if skipped else {}),
        },
    )
    return status


@transaction.atomic
def episode_reopen(
    *, actor: User, episode: Episode, reason: str, request: HttpRequest | None = None
) -> EpisodeStatus:
    """A team leader undoes a mistaken closure (within 7 days): a new status row puts the
    episode back at the stage it was closed from."""
    if not has_permission(actor, Permission.TEAM_ALLOCATE, episode.person):
        raise PermissionDenied("Only a team leader may reopen an episode.")
    if not is_team_worker(actor, episode.team_id):
        raise PermissionDenied("You can only reopen your own team's episodes.")
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    rows = list(locked.statuses.order_by("-seq")[:2])
    latest = rows[0] if rows else None
    now = timezone.now()
    check_reopen(
        latest.stage if latest else None,
        closed_at=latest.at if latest else None,
        now=now,
        reason=reason,
    )
    assert latest is not None  # checked above
    back_to = rows[1].stage if len(rows) > 1 else machine_for(locked.pathway).first
    status = EpisodeStatus.objects.create(
        episode=locked,
        seq=latest.seq + 1,
        stage=back_to,
        at=now,
        by=actor,
        note=f"Reopened: {reason.strip()}",
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="episode",
        object_id=str(locked.public_id),
        fields_changed=["stage"],
        detail={"to": str(back_to), "reopened": True, "person": str(episode.person.public_id)},
    )
    return status


def _allocate(
    *,
    actor: User,
    episode: Episode,
    worker: Any,
    expected_version: int,
    request: HttpRequest | None,
    only_if_unallocated: bool = False,
) -> Episode:
    stage = episode.statuses.order_by("-seq").values_list("stage", flat=True).first()
    if stage == Stage.CLOSED:
        raise StaleEditError("This episode is closed, so it cannot be allocated.")
    now = timezone.now()
    # The version in the WHERE clause makes this a compare-and-swap: of two people taking
    # the same episode at once, exactly one update matches.
    target = Episode.objects.filter(pk=episode.pk, version=expected_version)
    if only_if_unallocated:
        target = target.filter(allocated_worker__isnull=True)
    updated = target.update(allocated_worker=worker, allocated_at=now, version=F("version") + 1)
    fresh = Episode.objects.select_related("allocated_worker").get(pk=episode.pk)
    if updated:
        episodes_changed.send(sender=Episode, episode_ids=[episode.pk])
    if not updated:
        if fresh.allocated_worker_id == worker.pk:
            return fresh  # already done, by a repeated click or by someone else
        if fresh.allocated_worker_id:
            other = fresh.allocated_worker if fresh.allocated_worker_id != actor.pk else None
            holder = other.display_name if other is not None else "you"
            raise StaleEditError(f"Already taken by {holder}.")
        raise StaleEditError(
            "Someone else changed this episode while you were looking at it. "
            "Check it and try again."
        )
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="episode",
        object_id=str(episode.public_id),
        fields_changed=["allocated_worker"],
        detail={"to": str(worker.public_id), "person": str(episode.person.public_id)},
    )
    episode.allocated_worker = fresh.allocated_worker
    episode.allocated_at = fresh.allocated_at
    episode.version = fresh.version
    return fresh


@transaction.atomic
def episode_take(
    *, actor: User, episode: Episode, expected_version: int, request: HttpRequest | None = None
) -> Episode:
    """Allocate an unallocated episode to the actor, unless someone changed it since they looked.

    Taking never moves an episode from a colleague: that is a team leader's `episode_assign`.
    """
    if not has_permission(actor, Permission.EPISODE_MANAGE, episode.person):
        raise PermissionDenied("You may not work on this episode.")
    if not is_team_worker(actor, episode.team_id):
        raise PermissionDenied("Only members of the episode's team can take it.")
    return _allocate(
        actor=actor,
        episode=episode,
        worker=actor,
        expected_version=expected_version,
        request=request,
        only_if_unallocated=True,
    )


@transaction.atomic
def episode_assign(
    *,
    actor: User,
    episode: Episode,
    worker: Any,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Episode:
    """A team leader allocates the episode to a member of its team."""
    if not has_permission(actor, Permission.TEAM_ALLOCATE, episode.person):
        raise PermissionDenied("You may not allocate episodes.")
    if not is_team_worker(actor, episode.team_id):
        raise PermissionDenied("You can only allocate your own team's episodes.")
    if not is_team_worker(worker, episode.team_id):
        raise ValidationError({"worker": f"Choose a member of {episode.team.name}"})
    return _allocate(
        actor=actor,
        episode=episode,
        worker=worker,
        expected_version=expected_version,
        request=request,
    )


def _has_value(value: Any) -> bool:
    return value not in (None, "", False) and value != Disposal.NOT_YET_KNOWN


@transaction.atomic
def cj_context_save(
    *,
    actor: User,
    episode: Episode,
    details: Mapping[str, Any],
    expected_version: int | None,
    request: HttpRequest | None = None,
) -> CriminalJusticeContext:
    """Create or change an episode's criminal-justice details (Article 10 data).

    `expected_version` is the version the editor saw (None when there were no details yet);
    if someone saved in between, StaleEditError is raised and nothing is written.
    """
    if not has_permission(actor, Permission.EPISODE_MANAGE, episode.person):
        raise PermissionDenied("You may not change this episode.")
    if not has_permission(actor, Permission.CJ_CONTEXT_VIEW):
        raise PermissionDenied("You may not record criminal-justice details.")
    unknown = set(details) - set(ARTICLE_10_FIELDS)
    if unknown:
        raise ValueError(f"Not criminal-justice fields: {sorted(unknown)}")
    validate_cj_details(details, referred_at=episode.referred_at)
    existing = CriminalJusticeContext.objects.select_for_update().filter(episode=episode).first()
    creating = existing is None
    if existing is None:
        if expected_version is not None:
            raise StaleEditError(
                "These details were removed after you opened the page. Reload and try again."
            )
        context = CriminalJusticeContext(episode=episode)
    elif existing.version != expected_version:
        raise StaleEditError(
            "Someone else changed these details after you opened the page. "
            "Your changes have not been saved: check their changes and try again."
        )
    else:
        context = existing
    if (
        not creating
        and "arrived_in_custody_at" in details
        and details["arrived_in_custody_at"] != context.arrived_in_custody_at
        and CustodyEvent.objects.filter(episode=episode).exists()
    ):
        raise ValidationError(
            {
                "arrived_in_custody_at": (
                    "The time they arrived in custody cannot change once the custody clock "
                    "has been extended or stopped"
                )
            }
        )
    changed = []
    for name, value in details.items():
        if getattr(context, name) != value:
            setattr(context, name, value)
            changed.append(name)
    if not changed and not creating:
        return context
    context.updated_at = timezone.now()
    context.updated_by = actor
    try:
        context.full_clean(exclude=["episode"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    if not creating:
        context.version += 1
    context.save()
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE if creating else Action.UPDATE,
        object_type="cj_context",
        object_id=str(episode.public_id),
        fields_changed=changed,
        detail={"person": str(episode.person.public_id)},
    )
    return context


@transaction.atomic
def custody_event_record(
    *,
    actor: User,
    episode: Episode,
    kind: str,
    at: datetime | None,
    limit_hours: int | None = None,
    authorised_by: str = "",
    rank: str = "",
    outcome: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> CustodyEvent:
    """Record an extension, a warrant of further detention, or leaving custody (PACE ss.41-44).

    The rules are in `journeys.custody.check_event`; nothing is written when one fails.
    """
    if not has_permission(actor, Permission.EPISODE_MANAGE, episode.person):
        raise PermissionDenied("You may not change this episode.")
    if not has_permission(actor, Permission.CJ_CONTEXT_VIEW):
        raise PermissionDenied("You may not record criminal-justice details.")
    # Lock the episode so two people cannot both extend the same clock.
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    context = CriminalJusticeContext.objects.filter(episode=locked).first()
    relevant_time = context.arrived_in_custody_at if context else None
    events = list(CustodyEvent.objects.filter(episode=locked).order_by("at", "pk"))
    check_event(
        kind=kind,
        at=at,
        relevant_time=relevant_time,
        events=events,
        now=timezone.now(),
        limit_hours=limit_hours,
        authorised_by=authorised_by,
        rank=rank,
        outcome=outcome,
    )
    assert relevant_time is not None and at is not None  # checked above
    leaving = kind == CustodyEventKind.LEFT
    event = CustodyEvent.objects.create(
        episode=locked,
        kind=kind,
        at=at,
        limit_hours=None if leaving else limit_hours,
        ends_at=None if leaving else relevant_time + timedelta(hours=limit_hours or 0),
        authorised_by="" if leaving else authorised_by.strip(),
        rank=rank if kind == CustodyEventKind.EXTENSION else "",
        outcome=outcome if leaving else "",
        note=note.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="cj_context",
        object_id=str(locked.public_id),
        fields_changed=["custody_clock"],
        detail={"person": str(episode.person.public_id), "custody_event": kind},
    )
    return event


__all__ = [
    "IllegalMove",
    "cj_context_save",
    "custody_event_record",
    "episode_assign",
    "episode_move",
    "episode_open",
    "episode_reopen",
    "episode_take",
    "validate_cj_details",
]
