"""Release day: the gate meet plan before release, the gate meet, and first-week
appointments with their attendance, and their rebooking or change of date."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import lock_at_version
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode

from .. import selectors
from ..choices import AppointmentKind
from ..models import (
    FirstWeekAppointment,
    GateMeet,
    GatePlan,
)
from ._common import (
    AFTER_RELEASE,
    PLAN_STAGES,
    _detail,
    _open_stage,
    _require_eligible,
    _require_manage,
    _require_reconnect,
    _stage_words,
    _words,
)

# --- release day -------------------------------------------------------------------------------


@transaction.atomic
def gate_meet_record(
    *,
    actor: User,
    episode: Episode,
    met: bool,
    met_by: str,
    place: str,
    not_met_reason: str = "",
    request: HttpRequest | None = None,
) -> GateMeet:
    """Record the gate meet on release day: met or not, who, where, and what happened if not.
    Only once the release is recorded, and once per episode."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage not in AFTER_RELEASE:
        raise ValidationError(
            "The gate meet is recorded once the release is recorded: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    if GateMeet.objects.filter(episode=episode).exists():
        raise ValidationError("The gate meet is already recorded for this release.")
    errors: dict[str, str] = {}
    if not met_by.strip():
        errors["met_by"] = "Enter who met them, or was to meet them"
    if not place.strip():
        errors["place"] = "Enter where they were met, or were to be met"
    if not met and not not_met_reason.strip():
        errors["not_met_reason"] = "Enter what happened when they were not met"
    if errors:
        raise ValidationError(errors)
    meet = GateMeet.objects.create(
        episode=episode,
        met=met,
        met_by=met_by.strip(),
        place=place.strip(),
        not_met_reason="" if met else not_met_reason.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_gate_meet",
        object_id=str(meet.public_id),
        detail=_detail(episode, met=met),
    )
    return meet


# --- release day planning ----------------------------------------------------------------------

# Stages before release at which the gate meet is planned (once eligible).
GATE_PLAN_STAGES = (Stage.ELIGIBILITY_CHECKED, Stage.PRE_RELEASE)
FIRST_WEEK = timedelta(days=7)


def _expected_release_on(episode: Episode) -> date | None:
    context = CriminalJusticeContext.objects.filter(episode=episode).first()
    return context.prison_release_on if context else None


@transaction.atomic
def gate_plan_record(
    *,
    actor: User,
    episode: Episode,
    meet_on: date | None,
    meet_at: time | None,
    place: str,
    who: str,
    request: HttpRequest | None = None,
) -> GatePlan:
    """Plan the gate meet before release: where, when and who. Planning again adds a plan; the
    newest counts. Once released, the gate meet itself is recorded instead."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    details = selectors.release_details_of(episode)
    if details is not None and details.released_on is not None:
        raise ValidationError(
            f"They were released on {_words(details.released_on)}: the gate meet is planned "
            "before release. Record the gate meet instead."
        )
    if stage not in GATE_PLAN_STAGES:
        raise ValidationError(
            "The gate meet is planned once they are found eligible and before release: this "
            f"episode is at '{_stage_words(stage)}'."
        )
    _require_eligible(episode)
    errors: dict[str, str] = {}
    if meet_on is None:
        errors["meet_on"] = "Enter the date of the meet"
    elif meet_on < timezone.localdate():
        errors["meet_on"] = "The date of the meet must be today or later"
    if meet_at is None:
        errors["meet_at"] = "Enter the time of the meet"
    if not place.strip():
        errors["place"] = "Enter where they will be met"
    if not who.strip():
        errors["who"] = "Enter who will meet them"
    if errors:
        raise ValidationError(errors)
    assert meet_on is not None and meet_at is not None
    plan = GatePlan.objects.create(
        episode=episode,
        meet_on=meet_on,
        meet_at=meet_at,
        place=place.strip(),
        who=who.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_gate_plan",
        object_id=str(plan.public_id),
        detail=_detail(episode, meet_on=meet_on.isoformat()),
    )
    return plan


def _first_week_release_on(actor: User, episode: Episode) -> date:
    """The checks for booking or changing a first-week appointment (with the episode locked);
    the release day the first week runs from: the actual one, or the expected one before it."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage not in PLAN_STAGES:
        raise ValidationError(
            "First-week appointments are booked once they are found eligible: this episode is "
            f"at '{_stage_words(stage)}'."
        )
    _require_eligible(episode)
    details = selectors.release_details_of(episode)
    release_on = details.released_on if details and details.released_on else None
    release_on = release_on or _expected_release_on(episode)
    if release_on is None:
        raise ValidationError("Record the expected release date in the release details first.")
    return release_on


def _outside_first_week(release_on: date, appointment_on: date) -> str:
    if release_on <= appointment_on <= release_on + FIRST_WEEK:
        return ""
    return (
        f"A first-week appointment is between the release on {_words(release_on)} and 7 "
        f"days after it ({_words(release_on + FIRST_WEEK)})"
    )


@transaction.atomic
def appointment_book(
    *,
    actor: User,
    episode: Episode,
    kind: str,
    appointment_on: date | None,
    where: str = "",
    request: HttpRequest | None = None,
) -> FirstWeekAppointment:
    """Book an appointment for the first week after release (GP, substance misuse service,
    housing, Jobcentre): within 7 days of the release (the actual date, or the expected one
    before it). One of each kind."""
    release_on = _first_week_release_on(actor, episode)
    errors: dict[str, str] = {}
    if kind not in AppointmentKind.values:
        errors["kind"] = "Select the kind of appointment"
    elif FirstWeekAppointment.objects.filter(episode=episode, kind=kind).exists():
        errors["kind"] = (
            f"{AppointmentKind(kind).label}: an appointment is already booked for the first week. "
            "To move it, change its date from the episode page"
        )
    if appointment_on is None:
        errors["appointment_on"] = "Enter the date of the appointment"
    elif problem := _outside_first_week(release_on, appointment_on):
        errors["appointment_on"] = problem
    if errors:
        raise ValidationError(errors)
    assert appointment_on is not None
    appointment = FirstWeekAppointment.objects.create(
        episode=episode,
        kind=kind,
        appointment_on=appointment_on,
        where=where.strip(),
        booked_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_appointment",
        object_id=str(appointment.public_id),
        detail=_detail(episode, kind=kind),
    )
    return appointment


@transaction.atomic
def appointment_attendance(
    *,
    actor: User,
    appointment: FirstWeekAppointment,
    attended: bool,
    request: HttpRequest | None = None,
) -> FirstWeekAppointment:
    """Record whether they attended a first-week appointment: on or after its day, once."""
    episode = appointment.episode
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    current = FirstWeekAppointment.objects.select_for_update().get(pk=appointment.pk)
    if current.attended is not None:
        raise ValidationError("Whether they attended is already recorded for this appointment.")
    if stage not in AFTER_RELEASE:
        raise ValidationError(
            f"Attendance is recorded after the release: this episode is at '{_stage_words(stage)}'."
        )
    if current.appointment_on > timezone.localdate():
        raise ValidationError(
            f"The appointment is on {_words(current.appointment_on)}: record whether they "
            "attended on or after that day."
        )
    current.attended = attended
    current.attendance_by = actor
    current.attendance_at = timezone.now()
    current.save(update_fields=["attended", "attendance_by", "attendance_at"])
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="reconnect_appointment",
        object_id=str(current.public_id),
        fields_changed=["attended"],
        detail=_detail(episode, attended=attended),
    )
    return current


@transaction.atomic
def appointment_change(
    *,
    actor: User,
    appointment: FirstWeekAppointment,
    expected_version: int,
    appointment_on: date | None,
    where: str,
    reason: str,
    request: HttpRequest | None = None,
) -> FirstWeekAppointment:
    """Rebook a first-week appointment (one they missed, or one the service moved) or change its
    date or place: still within the first week. The date it replaces and the reason are kept on
    the appointment; a missed attendance is cleared for the new date (and kept in the audit
    trail). One they attended is not rebooked. `expected_version` is the version the editor
    saw: if someone changed the appointment since, nothing is saved."""
    episode = appointment.episode
    release_on = _first_week_release_on(actor, episode)
    current = lock_at_version(
        FirstWeekAppointment.objects.all(), appointment.pk, expected_version, "this appointment"
    )
    label = AppointmentKind(current.kind).label
    if current.attended:
        raise ValidationError(
            f"They attended the {label} appointment on {_words(current.appointment_on)}: it is "
            "kept as attended and cannot be rebooked."
        )
    errors: dict[str, str] = {}
    if appointment_on is None:
        errors["appointment_on"] = "Enter the new date of the appointment"
    elif problem := _outside_first_week(release_on, appointment_on):
        errors["appointment_on"] = problem
    elif appointment_on == current.appointment_on and where.strip() == current.where:
        errors["appointment_on"] = (
            f"The appointment is already booked for {_words(current.appointment_on)}"
            + (f", {current.where}" if current.where else "")
            + ": enter the new date or place"
        )
    if not reason.strip():
        errors["reason"] = "Say why the appointment is changed or rebooked"
    if errors:
        raise ValidationError(errors)
    assert appointment_on is not None
    previous_on, previous_attended = current.appointment_on, current.attended
    changed = [
        name
        for name, old, new in (
            ("appointment_on", current.appointment_on, appointment_on),
            ("where", current.where, where.strip()),
            ("attended", current.attended, None),
        )
        if old != new
    ]
    current.previous_on = previous_on
    current.appointment_on = appointment_on
    current.where = where.strip()
    current.change_reason = reason.strip()
    current.attended = None
    current.attendance_by = None
    current.attendance_at = None
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="reconnect_appointment",
        object_id=str(current.public_id),
        fields_changed=changed,
        detail=_detail(
            episode,
            kind=current.kind,
            previous_on=previous_on.isoformat(),
            previous_attended=previous_attended,
        ),
    )
    return current
