"""Recording screenings, validated instruments, licensed-tool scores and risk alerts."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.dates import age_on, format_date
from healthjustice.core.meta import max_length
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.selectors import current_stage
from healthjustice.journeys.services import episode_move
from healthjustice.journeys.stages import IllegalMove, is_ahead
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from .choices import RISK_RANK, URGENCY_RANK, RiskLevel, Urgency, Vulnerability
from .instruments import EXTERNAL_SCORES, external_outcome, get_instrument, score
from .models import ExternalScreen, InstrumentAdministration, RiskAlert, Screening

_ITEM_IN_MESSAGE = re.compile(r"\bitem (\d+)\b")
SOURCE_MAX = max_length(RiskAlert, "source")
DETAILS_MAX = max_length(RiskAlert, "details")


def _lock_open_episode(actor: User, episode: Episode) -> tuple[Episode, str | None]:
    """Check the actor may manage the episode, lock it, and refuse a closed one."""
    if not has_permission(actor, Permission.EPISODE_MANAGE, episode.person):
        raise PermissionDenied("You may not record on this episode.")
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    stage = current_stage(locked)
    if stage == Stage.CLOSED:
        raise ValidationError("This episode is closed: open a new episode to record anything more.")
    return locked, stage


def _context(episode: Episode) -> dict[str, str]:
    return {"person": str(episode.person.public_id), "episode": str(episode.public_id)}


@transaction.atomic
def screening_record(
    *,
    actor: User,
    episode: Episode,
    vulnerabilities: list[str],
    risk_level: str,
    urgency: str,
    full_assessment_needed: bool,
    notes: str = "",
    request: HttpRequest | None = None,
) -> Screening:
    """Record a screening; an episode at 'identified' moves to 'screened' in the same step."""
    locked, stage = _lock_open_episode(actor, episode)
    errors: dict[str, str] = {}
    unknown = [v for v in vulnerabilities if v not in Vulnerability.values]
    if unknown:
        errors["vulnerabilities"] = "Choose vulnerabilities from the list"
    if risk_level not in RiskLevel.values:
        errors["risk_level"] = "Select the level of risk"
    if urgency not in Urgency.values:
        errors["urgency"] = "Select how urgent it is"
    if errors:
        raise ValidationError(errors)
    ordered = [v for v in Vulnerability.values if v in set(vulnerabilities)]
    screening = Screening.objects.create(
        episode=locked,
        screened_by=actor,
        vulnerabilities=ordered,
        risk_level=risk_level,
        urgency=urgency,
        risk_rank=RISK_RANK[RiskLevel(risk_level)],
        urgency_rank=URGENCY_RANK[Urgency(urgency)],
        full_assessment_needed=full_assessment_needed,
        notes=notes.strip(),
    )
    _reach_screened(actor, locked, stage, request=request)
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="screening",
        object_id=str(screening.public_id),
        fields_changed=[
            "vulnerabilities",
            "risk_level",
            "urgency",
            "full_assessment_needed",
            *(["notes"] if screening.notes else []),
        ],
        detail=_context(locked),
    )
    return screening


def _reach_screened(
    actor: User, episode: Episode, stage: str | None, *, request: HttpRequest | None
) -> None:
    """A recorded screening moves an episode at 'identified' to 'screened'."""
    if not is_ahead(stage, Stage.SCREENED, episode.pathway):
        return
    try:
        episode_move(
            actor=actor,
            episode=episode,
            to_stage=Stage.SCREENED,
            note="Screening recorded",
            by_record=True,
            request=request,
        )
    except IllegalMove as exc:
        raise ValidationError(str(exc)) from exc


def _screening_to_join(
    actor: User,
    episode: Episode,
    stage: str | None,
    *,
    started_by: str,
    request: HttpRequest | None,
) -> Screening:
    """The episode's latest screening, or a new one (risk not yet judged) that this
    questionnaire starts; starting one moves the episode to 'screened'."""
    latest = Screening.objects.filter(episode=episode).order_by("-screened_at", "-pk").first()
    if latest is not None:
        return latest
    screening = Screening.objects.create(
        episode=episode,
        screened_by=actor,
        full_assessment_needed=None,
        notes=f"Started by recording {started_by}",
    )
    _reach_screened(actor, episode, stage, request=request)
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="screening",
        object_id=str(screening.public_id),
        fields_changed=["notes"],
        detail=_context(episode),
    )
    return screening


def _check_age(instrument: Any, episode: Episode, *, on: date) -> None:
    """Refuse an instrument outside its validated ages (age from the date of birth on the day
    it is recorded); without a date of birth the age cannot be checked."""
    age = age_on(episode.person.date_of_birth, on)
    if age is None:
        return
    problem = instrument.age_problem(age)
    if problem:
        raise ValidationError(
            {
                "instrument": (
                    f"{problem}: {episode.person.full_name} is {age} on {format_date(on)}. "
                    "Use a questionnaire validated for their age."
                )
            }
        )


def _answers_error(instrument_code: str, answers: list[Any]) -> ValidationError | None:
    """Name the first unanswered item of a short list (the scorer reports only the count)."""
    instrument = get_instrument(instrument_code)
    if not isinstance(answers, list | tuple):
        return None
    count = len(instrument.items)
    if len(answers) < count:
        missing = instrument.items[len(answers)]
        return ValidationError(
            {
                f"item_{missing.number}": (
                    f"{instrument.name} item {missing.number}: no answer given "
                    f"({count} answers needed, {len(answers)} given)"
                )
            }
        )
    if len(answers) > count:
        return ValidationError(
            f"{instrument.name} item {count + 1}: there is no such item "
            f"({count} answers needed, {len(answers)} given)"
        )
    return None


def _as_validation_error(message: str) -> ValidationError:
    match = _ITEM_IN_MESSAGE.search(message)
    return ValidationError({f"item_{match.group(1)}": message} if match else message)


def _alert_source(instrument_name: str, item_number: int, option_label: str) -> str:
    source = f"{instrument_name} item {item_number} answered '{option_label.lower()}'"
    return source if len(source) <= SOURCE_MAX else source[: SOURCE_MAX - 1] + "…"


@transaction.atomic
def instrument_administer(
    *,
    actor: User,
    episode: Episode,
    instrument_code: str,
    answers: list[int],
    session_number: int | None = None,
    join_screening: bool = True,
    administered_at: datetime | None = None,
    request: HttpRequest | None = None,
) -> InstrumentAdministration:
    """Store item-level answers with the score the scorer computes; a risk item raises an alert.

    The questionnaire joins the episode's latest screening, or starts one; a pathway that
    repeats measures outside a screening (MHTR) passes `join_screening=False`, and may say when
    the questionnaire was completed (`administered_at`, not in the future; default now).
    """
    locked, stage = _lock_open_episode(actor, episode)
    now = timezone.now()
    if administered_at is not None and administered_at > now:
        raise ValidationError({"administered_at": "The date must be today or in the past"})
    try:
        instrument = get_instrument(instrument_code)
    except ValueError as exc:
        raise ValidationError({"instrument": str(exc)}) from exc
    _check_age(instrument, locked, on=timezone.localdate())
    short = _answers_error(instrument_code, answers)
    if short is not None:
        raise short
    try:
        result = score(instrument_code, answers)
    except ValueError as exc:
        raise _as_validation_error(str(exc)) from exc
    if session_number is not None and not 1 <= session_number <= 999:
        raise ValidationError({"session_number": "Enter a session number from 1 to 999"})
    screening = (
        _screening_to_join(actor, locked, stage, started_by=instrument.name, request=request)
        if join_screening
        else None
    )
    administration = InstrumentAdministration.objects.create(
        episode=locked,
        screening=screening,
        instrument_code=result.code,
        instrument_version=result.version,
        answers=list(answers),
        item_scores=list(result.item_scores),
        total=result.total,
        band=result.band,
        risk_flag=result.risk_flag,
        administered_by=actor,
        administered_at=administered_at or now,
        session_number=session_number,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="instrument_administration",
        object_id=str(administration.public_id),
        fields_changed=["answers", "item_scores", "total", "band", "risk_flag"],
        detail=_context(locked),
    )
    for number in result.risk_items:
        item = instrument.items[number - 1]
        alert = RiskAlert.objects.create(
            episode=locked,
            source=_alert_source(instrument.name, number, item.options[answers[number - 1]].label),
            administration=administration,
        )
        audit_record(
            actor=actor,
            request=request,
            action=Action.CREATE,
            object_type="risk_alert",
            object_id=str(alert.public_id),
            detail={**_context(locked), "administration": str(administration.public_id)},
        )
    return administration


@transaction.atomic
def external_screen_record(
    *,
    actor: User,
    episode: Episode,
    tool_code: str,
    value: Decimal | float | str,
    administered_on: date,
    administered_elsewhere_by: str = "",
    notes: str = "",
    request: HttpRequest | None = None,
) -> ExternalScreen:
    """Record a licensed tool's score from its own form, with the published cut-off outcome."""
    locked, _ = _lock_open_episode(actor, episode)
    definition = EXTERNAL_SCORES.get(tool_code)
    if definition is None:
        raise ValidationError({"tool_code": "Select a licensed tool from the list"})
    try:
        number = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"value": f"Enter the {definition.name} score as a number"}) from exc
    try:
        positive, outcome = external_outcome(tool_code, float(number))
    except ValueError as exc:
        raise ValidationError({"value": str(exc)}) from exc
    if administered_on > timezone.localdate():
        raise ValidationError({"administered_on": "The date must be today or in the past"})
    screen = ExternalScreen.objects.create(
        episode=locked,
        tool_code=tool_code,
        value=number,
        screen_positive=positive,
        outcome=outcome,
        cutoff=Decimal(str(definition.cutoff)),
        administered_on=administered_on,
        administered_elsewhere_by=administered_elsewhere_by.strip(),
        notes=notes.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="external_screen",
        object_id=str(screen.public_id),
        fields_changed=["value", "screen_positive", "administered_on"],
        detail=_context(locked),
    )
    return screen


@transaction.atomic
def risk_alert_raise(
    *,
    actor: User,
    episode: Episode,
    concern: str,
    details: str = "",
    request: HttpRequest | None = None,
) -> RiskAlert:
    """Raise a risk alert by hand; it stays on the episode and the worklist until acknowledged."""
    locked, _ = _lock_open_episode(actor, episode)
    # The concern is a one-line summary shown on the worklist: keep it on one line.
    concern = " ".join((concern or "").split())
    details = (details or "").strip()
    errors: dict[str, str] = {}
    if not concern:
        errors["concern"] = "Enter what the concern is"
    elif len(concern) > SOURCE_MAX:
        errors["concern"] = f"The concern must be {SOURCE_MAX} characters or fewer"
    if len(details) > DETAILS_MAX:
        errors["details"] = f"Details must be {DETAILS_MAX} characters or fewer"
    if errors:
        raise ValidationError(errors)
    alert = RiskAlert.objects.create(
        episode=locked, source=concern, details=details, raised_by=actor
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="risk_alert",
        object_id=str(alert.public_id),
        fields_changed=["source", *(["details"] if details else [])],
        detail=_context(locked),
    )
    return alert


@transaction.atomic
def risk_alert_acknowledge(
    *, actor: User, alert: RiskAlert, note: str, request: HttpRequest | None = None
) -> RiskAlert:
    """Acknowledge a risk alert with what was done about it; only once."""
    if not has_permission(actor, Permission.EPISODE_MANAGE, alert.episode.person):
        raise PermissionDenied("You may not acknowledge this alert.")
    note = (note or "").strip()
    if len(note) < 10:
        raise ValidationError({"note": "Say what you did about the risk (at least 10 characters)"})
    locked = RiskAlert.objects.select_for_update().get(pk=alert.pk)
    if locked.acknowledged_at is not None:
        by = locked.acknowledged_by
        raise ValidationError(
            f"This alert was already acknowledged by {by.display_name if by else 'someone'} "
            "and has not been changed."
        )
    locked.acknowledged_at = timezone.now()
    locked.acknowledged_by = actor
    locked.acknowledgement_note = note[:1000]
    locked.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="risk_alert",
        object_id=str(locked.public_id),
        fields_changed=["acknowledged_at", "acknowledgement_note"],
        detail=_context(alert.episode),
    )
    return locked
