"""Reading the RECONNECT pathway: always through the episodes the user may see."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from healthjustice.accounts.models import User
from healthjustice.audit.reading import record_view
from healthjustice.audit.services import deny_as_not_found
from healthjustice.journeys.access import visible_episodes
from healthjustice.journeys.models import Episode
from healthjustice.journeys.selectors import open_only
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Membership, Region, Site, Team

from .choices import EligibilityOutcome
from .models import (
    ESTABLISHMENT_KINDS,
    EligibilityCheck,
    FirstWeekAppointment,
    GateMeet,
    GatePlan,
    Handover,
    Recall,
    ReconnectReferral,
    ReleaseDetails,
    SupportContact,
    SupportExtension,
    SupportPlanNeed,
    SupportPlanNeedUpdate,
    SupportWorkerAllocation,
)

SUPPORT_MONTHS = 6
# The audit object type of each record reached on its own page.
OBJECT_TYPES: dict[Any, str] = {
    Handover: "reconnect_handover",
    FirstWeekAppointment: "reconnect_appointment",
    SupportPlanNeed: "reconnect_plan_need",
}


def reconnect_team_for(region: Region | None) -> Team | None:
    """The region's RECONNECT team (the first by name, should a region have more than one)."""
    if region is None:
        return None
    return (
        Team.objects.filter(region=region, pathway=Pathway.RECONNECT, is_active=True)
        .order_by("name")
        .first()
    )


def establishments() -> QuerySet[Site]:
    """The prisons and immigration removal centres in use, by region then name."""
    return (
        Site.objects.filter(kind__in=ESTABLISHMENT_KINDS, is_active=True)
        .select_related("region")
        .order_by("region__name", "name")
    )


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("name")


def referral_of(episode: Episode) -> ReconnectReferral | None:
    return (
        ReconnectReferral.objects.filter(episode=episode)
        .select_related("from_episode__team", "made_by", "exception_by")
        .first()
    )


def referrals_from(episode: Episode) -> list[ReconnectReferral]:
    """RECONNECT referrals made from an L&D episode (the L&D team's own record of them)."""
    return list(
        ReconnectReferral.objects.filter(from_episode=episode).select_related(
            "episode__team", "made_by"
        )
    )


def latest_eligibility(episode: Episode) -> EligibilityCheck | None:
    return (
        EligibilityCheck.objects.filter(episode=episode)
        .select_related("recorded_by", "episode__person")
        .order_by("-recorded_at", "-pk")
        .first()
    )


def is_eligible(episode: Episode) -> bool:
    latest = latest_eligibility(episode)
    return latest is not None and latest.outcome == EligibilityOutcome.ELIGIBLE


def release_details_of(episode: Episode) -> ReleaseDetails | None:
    return (
        ReleaseDetails.objects.filter(episode=episode)
        .select_related("establishment__region", "area", "updated_by")
        .first()
    )


def released_on(episode: Episode) -> date | None:
    """The actual release date, once the release is recorded."""
    return (
        ReleaseDetails.objects.filter(episode=episode).values_list("released_on", flat=True).first()
    )


def community_team_for(details: ReleaseDetails | None) -> Team | None:
    """The RECONNECT team of the area they will live in: who supports them after release."""
    return reconnect_team_for(details.area) if details is not None else None


def open_reconnect_episodes(person: Any, team: Team) -> QuerySet[Episode]:
    return open_only(Episode.objects.filter(person=person, team=team, pathway=Pathway.RECONNECT))


def reconnect_teams_of(team_ids: set[int]) -> list[Team]:
    """The RECONNECT teams among `team_ids` (the teams a user works in)."""
    return list(
        Team.objects.filter(pk__in=team_ids, pathway=Pathway.RECONNECT, is_active=True).order_by(
            "name"
        )
    )


def contacts_of(episode: Episode) -> list[SupportContact]:
    """The episode's contacts, newest first."""
    return list(SupportContact.objects.filter(episode=episode).select_related("recorded_by"))


def plan_needs_of(episode: Episode) -> list[SupportPlanNeed]:
    """The support plan's needs, in the order they were agreed."""
    return list(
        SupportPlanNeed.objects.filter(episode=episode)
        .select_related("recorded_by")
        .prefetch_related("updates")
    )


def gate_meet_of(episode: Episode) -> GateMeet | None:
    return GateMeet.objects.filter(episode=episode).first()


def months_after(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def extensions_of(episode: Episode) -> list[SupportExtension]:
    """The approved extensions of support after release, newest first."""
    return list(SupportExtension.objects.filter(episode=episode).select_related("approved_by"))


def support_ends_on(episode: Episode) -> date | None:
    """The last day of support after release: 6 months after the actual release date, or the
    newest extension's date. None before the release."""
    details = release_details_of(episode)
    if details is None or details.released_on is None:
        return None
    newest = (
        SupportExtension.objects.filter(episode=episode).order_by("-approved_at", "-pk").first()
    )
    if newest is not None:
        return newest.extended_to
    return months_after(details.released_on, SUPPORT_MONTHS)


def recall_of(episode: Episode) -> Recall | None:
    return Recall.objects.filter(episode=episode).select_related("recorded_by").first()


def handovers_of(episode: Episode) -> list[Handover]:
    """The episode's handovers to community services with their engagement checks, oldest
    first."""
    return list(
        Handover.objects.filter(episode=episode)
        .select_related("referral", "recorded_by")
        .prefetch_related("checks__recorded_by")
        .order_by("recorded_at", "pk")
    )


def _visible_one(
    model: Any, user: User, public_id: Any, *related: str, request: HttpRequest, what: str
) -> Any:
    """The row of a record on a RECONNECT episode, if the user may see the episode; a 404
    (audited as a denial) otherwise. A view of it is recorded, naming the person."""
    row = (
        model.objects.filter(public_id=public_id, episode__in=visible_episodes(user))
        .select_related("episode__person", "episode__team", *related)
        .first()
    )
    if row is None:
        deny_as_not_found(
            actor=user,
            request=request,
            object_type=OBJECT_TYPES[model],
            object_id=public_id,
            message=f"No such {what}",
        )
    record_view(
        request,
        actor=user,
        object_type=OBJECT_TYPES[model],
        object_id=str(row.public_id),
        detail={"episode": str(row.episode.public_id), "person": str(row.episode.person.public_id)},
    )
    return row


def handover_for_user(user: User, public_id: Any, *, request: HttpRequest) -> Handover:
    """The handover, if the user may see its episode; a 404 (audited as a denial) otherwise."""
    handover: Handover = _visible_one(
        Handover, user, public_id, "referral", request=request, what="handover"
    )
    return handover


def gate_plan_of(episode: Episode) -> GatePlan | None:
    """The newest plan for the gate meet."""
    return (
        GatePlan.objects.filter(episode=episode)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-pk")
        .first()
    )


def appointments_of(episode: Episode) -> list[FirstWeekAppointment]:
    return list(
        FirstWeekAppointment.objects.filter(episode=episode).select_related("attendance_by")
    )


def appointment_for_user(
    user: User, public_id: Any, *, request: HttpRequest
) -> FirstWeekAppointment:
    """The appointment, if the user may see its episode; a 404 (audited as a denial) otherwise."""
    appointment: FirstWeekAppointment = _visible_one(
        FirstWeekAppointment,
        user,
        public_id,
        request=request,
        what="appointment",
    )
    return appointment


def plan_need_for_user(user: User, public_id: Any, *, request: HttpRequest) -> SupportPlanNeed:
    """The need in the support plan, if the user may see its episode; a 404 (audited as a
    denial) otherwise."""
    need: SupportPlanNeed = _visible_one(
        SupportPlanNeed, user, public_id, request=request, what="need"
    )
    return need


def plan_need_updates(need: SupportPlanNeed) -> list[SupportPlanNeedUpdate]:
    return list(need.updates.select_related("recorded_by").order_by("recorded_at", "pk"))


def plan_need_rows(episode: Episode) -> list[dict[str, Any]]:
    """The support plan as it stands: each need with the action agreed now (the newest
    update's, else the need's own), when it was met if it was, and its updates."""
    rows = []
    for need in plan_needs_of(episode):
        updates = list(need.updates.all())
        latest = updates[-1] if updates else None
        rows.append(
            {
                "need": need,
                "action": latest.action if latest else need.action,
                "met_on": latest.met_on if latest else None,
                "updates": updates,
            }
        )
    return rows


def support_workers_of(team: Team) -> list[Membership]:
    """The team's current peer support and support, time and recovery workers, by name."""
    return list(
        Membership.objects.current()
        .filter(team=team)
        .exclude(worker_type="")
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def support_worker_of(episode: Episode) -> SupportWorkerAllocation | None:
    """The newest allocation of a support worker."""
    return (
        SupportWorkerAllocation.objects.filter(episode=episode)
        .select_related("worker", "allocated_by")
        .order_by("-allocated_at", "-pk")
        .first()
    )
