"""Reading the MHTR pathway: always through the episodes the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.reading import record_view
from healthjustice.audit.services import deny_as_not_found
from healthjustice.journeys.access import visible_episodes
from healthjustice.journeys.models import Episode
from healthjustice.journeys.selectors import open_only
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Region, Team

from .choices import ABSENCES, SessionOutcome, Suitability
from .models import (
    ComplianceNotice,
    CourtOutcome,
    MhtrReferral,
    SuitabilityAssessment,
    TeamSettings,
    TreatmentSession,
)


def mhtr_team_for(region: Region) -> Team | None:
    """The region's MHTR team (the first by name, should a region have more than one)."""
    return Team.objects.filter(region=region, pathway=Pathway.MHTR).order_by("name").first()


def settings_for(team: Team) -> TeamSettings:
    """The team's settings, or the defaults (unsaved) when it has none of its own."""
    return TeamSettings.objects.filter(team=team).first() or TeamSettings(team=team)


def referral_of(episode: Episode) -> MhtrReferral | None:
    return (
        MhtrReferral.objects.filter(episode=episode)
        .select_related("from_episode__team", "made_by")
        .first()
    )


def referrals_from(episode: Episode) -> list[MhtrReferral]:
    """MHTR referrals made from an L&D episode (the L&D team's own record of them)."""
    return list(
        MhtrReferral.objects.filter(from_episode=episode).select_related("episode__team", "made_by")
    )


def latest_suitability(episode: Episode) -> SuitabilityAssessment | None:
    return (
        SuitabilityAssessment.objects.filter(episode=episode)
        .select_related("recorded_by", "willingness")
        .order_by("-recorded_at", "-pk")
        .first()
    )


def is_suitable(episode: Episode) -> bool:
    latest = latest_suitability(episode)
    return latest is not None and latest.outcome == Suitability.SUITABLE


def court_outcome_of(episode: Episode) -> CourtOutcome | None:
    return CourtOutcome.objects.filter(episode=episode).select_related("recorded_by").first()


def sessions_of(episode: Episode) -> list[TreatmentSession]:
    return list(
        TreatmentSession.objects.filter(episode=episode)
        .select_related("notice")
        .order_by("on", "at", "pk")
    )


def notices_of(episode: Episode, *, since: date | None = None) -> list[ComplianceNotice]:
    notices = ComplianceNotice.objects.filter(episode=episode).select_related(
        "session", "disclosure", "disclosure__sent_by"
    )
    if since is not None:
        notices = notices.filter(session__on__gte=since)
    return list(notices.prefetch_related("responses").order_by("-session__on", "-pk"))


@dataclass(frozen=True)
class Attendance:
    planned: int | None
    attended: int
    absences_last_year: list[TreatmentSession]


def attendance(
    episode: Episode, order: CourtOutcome | None, *, today: date | None = None
) -> Attendance:
    """Sessions attended, and the absences probation is told of, over the last 12 months."""
    today = today or timezone.localdate()
    since = today - timedelta(days=365)
    sessions = sessions_of(episode)
    return Attendance(
        planned=order.planned_sessions if order else None,
        attended=sum(1 for s in sessions if s.outcome == SessionOutcome.ATTENDED),
        absences_last_year=[s for s in sessions if s.outcome in ABSENCES and s.on >= since],
    )


def _audit_view(user: User, request: HttpRequest, kind: str, obj: Any) -> None:
    record_view(
        request,
        actor=user,
        object_type=kind,
        object_id=str(obj.public_id),
        detail={
            "episode": str(obj.episode.public_id),
            "person": str(obj.episode.person.public_id),
        },
    )


def session_for_user(user: User, public_id: Any, *, request: HttpRequest) -> TreatmentSession:
    """The session, if the user may see its episode; a 404 (audited as a denial) otherwise."""
    found = (
        TreatmentSession.objects.filter(public_id=public_id, episode__in=visible_episodes(user))
        .select_related("episode", "episode__person", "episode__team")
        .first()
    )
    if found is None:
        deny_as_not_found(
            actor=user,
            request=request,
            object_type="mhtr_session",
            object_id=public_id,
            message="No such session",
        )
    _audit_view(user, request, "mhtr_session", found)
    return found


def notice_for_user(user: User, public_id: Any, *, request: HttpRequest) -> ComplianceNotice:
    """The notice, if the user may see its episode; a 404 (audited as a denial) otherwise."""
    found = (
        ComplianceNotice.objects.filter(public_id=public_id, episode__in=visible_episodes(user))
        .select_related("episode", "episode__person", "episode__team", "session", "disclosure")
        .first()
    )
    if found is None:
        deny_as_not_found(
            actor=user,
            request=request,
            object_type="mhtr_notice",
            object_id=public_id,
            message="No such notice",
        )
    _audit_view(user, request, "mhtr_notice", found)
    return found


def open_mhtr_episodes(person: Any, team: Team) -> QuerySet[Episode]:
    return open_only(Episode.objects.filter(person=person, team=team, pathway=Pathway.MHTR))
