"""MHTR measures: PHQ-9, GAD-7 and CORE-10 at the suitability assessment, at attended sessions
and at the end of treatment. The answers are scored and kept by the screening app
(`screening.services.instrument_administer`, outside any screening); a `Measure` row says on
which occasion of the pathway each was taken. Writes and the reads the pages need."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.screening.instruments import get_instrument
from healthjustice.screening.services import instrument_administer

from . import selectors
from .choices import MeasureOccasion, SessionOutcome
from .models import Measure, SuitabilityAssessment, TreatmentSession
from .outcomes import MEASURE_CODES, Point
from .services import UNDER_ORDER

# Answers per questionnaire code: option indexes in item order, None for an item not answered.
Answers = Mapping[str, Sequence[int | None]]
NOON = datetime.time(12, 0)


def field_name(code: str, number: int) -> str:
    """The form field (and error key) of item `number` of questionnaire `code`."""
    return f"{code}_item_{number}"


def names(codes: Sequence[str]) -> str:
    """'PHQ-9, GAD-7 or CORE-10'."""
    words = [get_instrument(c).name for c in codes]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


@dataclass(frozen=True)
class Occasion:
    """What a set of measures is recorded against, and the day it stands for."""

    kind: MeasureOccasion
    measured_on: datetime.date
    suitability: SuitabilityAssessment | None = None
    session: TreatmentSession | None = None


# --- reads -----------------------------------------------------------------------------------


def measures_of(episode: Episode) -> list[Measure]:
    """The episode's measures in the order they were taken."""
    return list(
        Measure.objects.filter(episode=episode)
        .select_related("administration", "session", "recorded_by")
        .order_by("measured_on", "recorded_at", "pk")
    )


def trajectory_of(episode: Episode) -> dict[str, list[Point]]:
    """Each questionnaire's totals in the order they were taken."""
    series: dict[str, list[Point]] = {code: [] for code in MEASURE_CODES}
    for measure in measures_of(episode):
        series.setdefault(measure.instrument_code, []).append(
            Point(
                measure.measured_on,
                measure.administration.total,
                measure.get_occasion_display(),
            )
        )
    return series


def trajectories_of(
    episode_ids: Iterable[int] | QuerySet[Any],
) -> dict[int, dict[str, list[Point]]]:
    """Each episode's questionnaire totals in the order taken (as `trajectory_of`), in one query,
    for figures over many episodes (ids, or a subquery of them). Episodes without measures are
    left out."""
    series: dict[int, dict[str, list[Point]]] = defaultdict(lambda: defaultdict(list))
    chosen = episode_ids if isinstance(episode_ids, QuerySet) else list(episode_ids)
    rows = (
        Measure.objects.filter(episode_id__in=chosen)
        .order_by("episode_id", "measured_on", "recorded_at", "pk")
        .values_list("episode_id", "instrument_code", "measured_on", "administration__total")
    )
    for episode_id, code, measured_on, total in rows:
        series[episode_id][code].append(Point(measured_on, total))
    return {pk: dict(s) for pk, s in series.items()}


@dataclass(frozen=True)
class Latest:
    name: str
    total: int
    measured_on: datetime.date
    count: int


def latest_scores(episode: Episode) -> list[Latest]:
    """Each questionnaire's latest total and how many were taken (for the episode page)."""
    result: list[Latest] = []
    for code, points in trajectory_of(episode).items():
        if points:
            last = points[-1]
            result.append(
                Latest(get_instrument(code).name, last.total, last.measured_on, len(points))
            )
    return result


def recorded_codes(occasion: Occasion, episode: Episode) -> set[str]:
    """The questionnaires already recorded on this occasion."""
    found = Measure.objects.filter(episode=episode, occasion=occasion.kind)
    if occasion.kind == MeasureOccasion.ASSESSMENT:
        found = found.filter(suitability=occasion.suitability)
    elif occasion.kind == MeasureOccasion.SESSION:
        found = found.filter(session=occasion.session)
    return set(found.values_list("instrument_code", flat=True))


def assessment_occasion(episode: Episode) -> Occasion | None:
    """Measures at assessment go with the newest suitability assessment, on its date."""
    suitability = selectors.latest_suitability(episode)
    if suitability is None:
        return None
    return Occasion(MeasureOccasion.ASSESSMENT, suitability.assessed_on, suitability=suitability)


def session_occasion(session: TreatmentSession) -> Occasion:
    return Occasion(MeasureOccasion.SESSION, session.on, session=session)


def end_occasion(today: datetime.date | None = None) -> Occasion:
    return Occasion(MeasureOccasion.END, today or timezone.localdate())


def sessions_to_measure(episode: Episode) -> list[TreatmentSession]:
    """Attended sessions with fewer than all the questionnaires recorded, newest first."""
    attended = (
        TreatmentSession.objects.filter(episode=episode, outcome=SessionOutcome.ATTENDED)
        .prefetch_related("measures")
        .order_by("-on", "-at", "-pk")
    )
    return [s for s in attended if len(s.measures.all()) < len(MEASURE_CODES)]


# --- the write -------------------------------------------------------------------------------


def _check_occasion(episode: Episode, stage: str | None, occasion: Occasion) -> None:
    if occasion.kind == MeasureOccasion.ASSESSMENT:
        if occasion.suitability is None or occasion.suitability.episode_id != episode.pk:
            raise ValidationError("Record the suitability assessment before its measures.")
    elif occasion.kind == MeasureOccasion.SESSION:
        session = occasion.session
        if session is None or session.episode_id != episode.pk:
            raise ValidationError("Choose a session of this episode.")
        if session.outcome != SessionOutcome.ATTENDED:
            raise ValidationError(
                "Measures are recorded at a session the person attended: record the session "
                "as attended first."
            )
    elif occasion.kind == MeasureOccasion.END:
        if stage not in UNDER_ORDER:
            raise ValidationError(
                "End-of-treatment measures are recorded under an order, before the episode "
                "is closed."
            )
    else:
        raise ValidationError("Choose when the measures were taken.")


def _check_answers(answers: Answers, already: set[str]) -> dict[str, list[int]]:
    """The questionnaires answered in full; every problem named against its item."""
    errors: dict[str, str] = {}
    unknown = sorted(set(answers) - set(MEASURE_CODES))
    if unknown:
        raise ValidationError(f"Unknown questionnaire: {', '.join(unknown)}")
    given: dict[str, list[int]] = {}
    for code in MEASURE_CODES:
        raw = list(answers.get(code) or [])
        if all(a is None for a in raw):
            continue
        instrument = get_instrument(code)
        if code in already:
            errors[field_name(code, 1)] = (
                f"{instrument.name} is already recorded for this occasion: leave it blank"
            )
            continue
        if len(raw) > len(instrument.items):
            errors[field_name(code, 1)] = (
                f"{instrument.name} has {len(instrument.items)} items, {len(raw)} answers given"
            )
            continue
        raw += [None] * (len(instrument.items) - len(raw))
        complete: list[int] = []
        for item, answer in zip(instrument.items, raw, strict=True):
            last = len(item.options) - 1
            key = field_name(code, item.number)
            if answer is None:
                errors[key] = f"{instrument.name} item {item.number}: select an answer"
            elif isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer <= last:
                errors[key] = (
                    f"{instrument.name} item {item.number}: the answer is out of range, "
                    "select one of the answers shown"
                )
            else:
                complete.append(answer)
        if len(complete) == len(instrument.items):
            given[code] = complete
    if errors:
        raise ValidationError(errors)
    if not given:
        missing = [c for c in MEASURE_CODES if c not in already]
        raise ValidationError(
            f"Answer every item of at least one questionnaire: {names(missing)}"
            if missing
            else "Every questionnaire is already recorded for this occasion."
        )
    return given


def _administered_at(occasion: Occasion) -> datetime.datetime:
    """When the questionnaires were completed: at the session's time, midday on the
    assessment's day, or now; never later than now."""
    now = timezone.now()
    if occasion.kind == MeasureOccasion.END:
        return now
    at = occasion.session.at if occasion.session is not None else NOON
    when = timezone.make_aware(datetime.datetime.combine(occasion.measured_on, at))
    return min(when, now)


def _session_number(session: TreatmentSession | None) -> int | None:
    if session is None:
        return None
    ordered = list(
        TreatmentSession.objects.filter(episode_id=session.episode_id)
        .order_by("on", "at", "pk")
        .values_list("pk", flat=True)
    )
    return min(ordered.index(session.pk) + 1, 999)


def _rekeyed(code: str, exc: ValidationError) -> ValidationError:
    """An error from the screening service, named against this page's fields."""
    if not hasattr(exc, "error_dict"):
        return exc
    errors: dict[str, list[str]] = {}
    for key, messages in exc.message_dict.items():
        name = f"{code}_{key}" if key.startswith("item_") else "__all__"
        errors.setdefault(name, []).extend(messages)
    return ValidationError(errors)


@transaction.atomic
def measures_record(
    *,
    actor: User,
    episode: Episode,
    occasion: Occasion,
    answers: Answers,
    request: HttpRequest | None = None,
) -> list[Measure]:
    """Record the questionnaires answered on one occasion: all of them or, on any problem,
    none. Each is scored and kept by the screening app; a risk item raises its alert there."""
    if not has_permission(actor, Permission.EPISODE_MANAGE, episode.person):
        raise PermissionDenied("You may not change this episode.")
    if episode.pathway != Pathway.MHTR:
        raise ValidationError("This is not a Mental Health Treatment Requirement episode.")
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    latest = locked.statuses.order_by("-seq").first()
    stage = latest.stage if latest else None
    if stage == Stage.CLOSED:
        raise ValidationError("This episode is closed: nothing more can be recorded on it.")
    _check_occasion(locked, stage, occasion)
    given = _check_answers(answers, recorded_codes(occasion, locked))
    when = _administered_at(occasion)
    number = _session_number(occasion.session)
    made: list[Measure] = []
    for code, complete in given.items():
        try:
            administration = instrument_administer(
                actor=actor,
                episode=locked,
                instrument_code=code,
                answers=complete,
                session_number=number,
                join_screening=False,
                administered_at=when,
                request=request,
            )
        except ValidationError as exc:
            raise _rekeyed(code, exc) from exc
        measure = Measure.objects.create(
            episode=locked,
            administration=administration,
            instrument_code=code,
            occasion=occasion.kind,
            suitability=occasion.suitability,
            session=occasion.session,
            measured_on=occasion.measured_on,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            request=request,
            action=Action.CREATE,
            object_type="mhtr_measure",
            object_id=str(measure.public_id),
            fields_changed=["instrument_code", "occasion", "measured_on"],
            detail={
                "episode": str(locked.public_id),
                "person": str(locked.person.public_id),
                "administration": str(administration.public_id),
            },
        )
        made.append(measure)
    return made
