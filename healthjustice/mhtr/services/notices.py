"""Compliance notices to probation and what probation did about them."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record

from .. import selectors
from ..choices import (
    ABSENCES,
    NoticeMethod,
    ProbationAction,
)
from ..models import (
    ComplianceNotice,
    CourtOutcome,
    NoticeDisclosure,
    ProbationResponse,
    TreatmentSession,
)
from ..workdays import add_working_days
from .rules import episode_detail, in_words, require_manage

# --- compliance notices ----------------------------------------------------------------------


@transaction.atomic
def notice_create(
    *, actor: User, session: TreatmentSession, request: HttpRequest | None = None
) -> ComplianceNotice:
    """A compliance notice for an absence, due within the team's working days."""
    episode = session.episode
    require_manage(actor, episode)
    current = TreatmentSession.objects.select_for_update().get(pk=session.pk)
    if current.outcome not in ABSENCES:
        raise ValidationError(
            "A compliance notice needs an absence: a session the person did not attend, or "
            "cancelled without an acceptable reason."
        )
    if ComplianceNotice.objects.filter(session=current).exists():
        raise ValidationError("A compliance notice already exists for this absence.")
    days = selectors.settings_for(episode.team).notice_working_days
    notice = ComplianceNotice.objects.create(
        episode=episode,
        session=current,
        due_on=add_working_days(current.on, days),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="mhtr_notice",
        object_id=str(notice.public_id),
        detail=episode_detail(episode, due_on=notice.due_on.isoformat()),
    )
    return notice


def notice_content(notice: ComplianceNotice, order: CourtOutcome | None) -> str:
    """The words sent to probation, kept with the disclosure record."""
    session = notice.session
    person = notice.episode.person
    lines = [
        f"Mental Health Treatment Requirement: compliance notice for {person.full_name}.",
        f"Session on {in_words(session.on)} at {session.at:%H:%M}: "
        f"{session.get_outcome_display()}.",
    ]
    if session.absence_reason:
        lines.append(f"Reason given: {session.absence_reason}")
    if order is not None and order.order_made:
        lines.append(
            f"Order made by {order.court} on {in_words(order.sentenced_on)}; "
            f"probation practitioner {order.probation_practitioner}."
        )
    return "\n".join(lines)


@transaction.atomic
def notice_send(
    *,
    actor: User,
    notice: ComplianceNotice,
    sent_on: date,
    recipient: str,
    method: str,
    request: HttpRequest | None = None,
) -> NoticeDisclosure:
    """Record the notice as sent to probation: a disclosure record, frozen."""
    episode = notice.episode
    require_manage(actor, episode)
    locked = ComplianceNotice.objects.select_for_update().get(pk=notice.pk)
    if NoticeDisclosure.objects.filter(notice=locked).exists():
        raise ValidationError("This notice has already been sent.")
    errors: dict[str, str] = {}
    if sent_on > timezone.localdate():
        errors["sent_on"] = "The date it was sent must be today or in the past"
    elif sent_on < locked.session.on:
        errors["sent_on"] = (
            f"The date it was sent must be on or after the absence ({in_words(locked.session.on)})"
        )
    if not recipient.strip():
        errors["recipient"] = "Enter the name of the probation practitioner it was sent to"
    if method not in NoticeMethod.values:
        errors["method"] = "Select how it was sent"
    if errors:
        raise ValidationError(errors)
    disclosure = NoticeDisclosure.objects.create(
        notice=locked,
        sent_on=sent_on,
        recipient=recipient.strip(),
        method=method,
        content=notice_content(locked, selectors.court_outcome_of(episode)),
        sent_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="mhtr_notice_disclosure",
        object_id=str(locked.public_id),
        detail=episode_detail(episode, recipient="probation"),
    )
    return disclosure


@transaction.atomic
def probation_response_record(
    *,
    actor: User,
    notice: ComplianceNotice,
    action: str,
    told_on: date,
    note: str = "",
    request: HttpRequest | None = None,
) -> ProbationResponse:
    """What probation did about the absence, as the team was told. The service records it;
    deciding breach is probation's and the court's."""
    episode = notice.episode
    require_manage(actor, episode)
    errors: dict[str, str] = {}
    if action not in ProbationAction.values:
        errors["action"] = "Select what probation did"
    if told_on > timezone.localdate():
        errors["told_on"] = "The date you were told must be today or in the past"
    elif told_on < notice.session.on:
        errors["told_on"] = (
            "The date you were told must be on or after the absence "
            f"({in_words(notice.session.on)})"
        )
    if errors:
        raise ValidationError(errors)
    response = ProbationResponse.objects.create(
        notice=notice, action=action, told_on=told_on, note=note.strip(), recorded_by=actor
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="mhtr_probation_response",
        object_id=str(notice.public_id),
        detail=episode_detail(episode, action=action),
    )
    return response
