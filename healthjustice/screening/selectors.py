"""Reading screenings, instrument results and risk alerts, scoped through visible episodes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest

from healthjustice.accounts.models import User
from healthjustice.audit.reading import record_view
from healthjustice.audit.services import deny_as_not_found
from healthjustice.journeys.access import person_visible_episodes, visible_episodes
from healthjustice.journeys.models import Episode
from healthjustice.people.models import Person

from .change import Change, change_from_baseline
from .choices import Vulnerability
from .instruments import EXTERNAL_SCORES, INSTRUMENTS, Instrument
from .models import ExternalScreen, InstrumentAdministration, RiskAlert, Screening

VULNERABILITY_LABELS = dict(Vulnerability.choices)


def vulnerability_labels(codes: list[str]) -> list[str]:
    return [str(VULNERABILITY_LABELS.get(c, c)) for c in codes]


def instrument_name(code: str) -> str:
    if code in INSTRUMENTS:
        return INSTRUMENTS[code].name
    if code in EXTERNAL_SCORES:
        return EXTERNAL_SCORES[code].name
    return code


def screenings_for_episode(episode: Episode) -> QuerySet[Screening]:
    return Screening.objects.filter(episode=episode).select_related("screened_by")


def administrations_for_episode(episode: Episode) -> QuerySet[InstrumentAdministration]:
    return InstrumentAdministration.objects.filter(episode=episode).select_related(
        "administered_by"
    )


def external_screens_for_episode(episode: Episode) -> QuerySet[ExternalScreen]:
    return ExternalScreen.objects.filter(episode=episode).select_related("recorded_by")


def alerts_for_episode(episode: Episode) -> QuerySet[RiskAlert]:
    return RiskAlert.objects.filter(episode=episode).select_related(
        "acknowledged_by", "administration", "raised_by"
    )


def unacknowledged_alerts(episode: Episode) -> QuerySet[RiskAlert]:
    return alerts_for_episode(episode).filter(acknowledged_at__isnull=True)


def open_alerts_on(episodes: Sequence[Episode], *, limit: int) -> list[RiskAlert]:
    """Unacknowledged alerts on `episodes` (a person's, those the user may see, as the person's
    page read them), newest first, at most `limit`, each given its episode from `episodes`."""
    by_id = {e.pk: e for e in episodes}
    if not by_id:
        return []
    alerts = list(
        RiskAlert.objects.filter(episode_id__in=sorted(by_id), acknowledged_at__isnull=True)
        .select_related("raised_by")
        .order_by("-raised_at")[:limit]
    )
    for alert in alerts:
        alert.episode = by_id[alert.episode_id]
    return alerts


_OnEpisode = TypeVar("_OnEpisode", InstrumentAdministration, RiskAlert)


def _scoped_or_404(
    user: User,
    queryset: QuerySet[_OnEpisode],
    public_id: Any,
    object_type: str,
    *,
    request: HttpRequest,
) -> _OnEpisode:
    """One record reached through the user's visible episodes; a 404 (audited) otherwise."""
    obj = (
        queryset.filter(episode__in=visible_episodes(user), public_id=public_id)
        .select_related("episode", "episode__person", "episode__team")
        .first()
    )
    if obj is None:
        deny_as_not_found(actor=user, request=request, object_type=object_type, object_id=public_id)
    record_view(
        request,
        actor=user,
        object_type=object_type,
        object_id=str(public_id),
        detail={
            "person": str(obj.episode.person.public_id),
            "episode": str(obj.episode.public_id),
        },
    )
    return obj


def administration_for_user(
    user: User, public_id: Any, *, request: HttpRequest
) -> InstrumentAdministration:
    return _scoped_or_404(
        user,
        InstrumentAdministration.objects.select_related("administered_by"),
        public_id,
        "instrument_administration",
        request=request,
    )


def alert_for_user(user: User, public_id: Any, *, request: HttpRequest) -> RiskAlert:
    return _scoped_or_404(
        user,
        RiskAlert.objects.select_related("acknowledged_by", "administration", "raised_by"),
        public_id,
        "risk_alert",
        request=request,
    )


@dataclass(frozen=True)
class ItemAnswer:
    number: int
    text: str
    answer: str
    score: int
    is_risk: bool
    reverse_scored: bool


def item_answers(administration: InstrumentAdministration) -> list[ItemAnswer]:
    """The stored answers beside the item wording (from the current definition of the tool)."""
    instrument = INSTRUMENTS.get(administration.instrument_code)
    rows = []
    for index, (answer, item_score) in enumerate(
        zip(administration.answers, administration.item_scores, strict=False)
    ):
        item = instrument.items[index] if instrument and index < len(instrument.items) else None
        rows.append(
            ItemAnswer(
                number=index + 1,
                text=item.text if item else "",
                answer=item.options[answer].label
                if item and 0 <= answer < len(item.options)
                else str(answer),
                score=item_score,
                is_risk=bool(item and item.is_risk),
                reverse_scored=bool(item and item.reverse_scored),
            )
        )
    return rows


@dataclass(frozen=True)
class HistoryRow:
    administration: InstrumentAdministration
    change: Change | None


def instrument_history(user: User, person: Person, instrument: Instrument) -> list[HistoryRow]:
    """Every administration of one instrument for a person, oldest first, against the first."""
    administrations = list(
        InstrumentAdministration.objects.filter(
            episode__in=person_visible_episodes(user, person),
            instrument_code=instrument.code,
        )
        .select_related("administered_by", "episode", "episode__team")
        .order_by("administered_at", "pk")
    )
    if not administrations:
        return []
    baseline = administrations[0].total
    return [
        HistoryRow(a, None if i == 0 else change_from_baseline(instrument.code, baseline, a.total))
        for i, a in enumerate(administrations)
    ]


@dataclass(frozen=True)
class LatestResult:
    administration: InstrumentAdministration
    name: str
    cutoff_label: str
    above_cutoff: bool | None
    count: int


def latest_results(episode: Episode) -> list[LatestResult]:
    """The newest administration of each instrument on the episode, with how many there were."""
    seen: dict[str, LatestResult] = {}
    counts: dict[str, int] = {}
    for a in administrations_for_episode(episode).order_by("-administered_at", "-pk"):
        counts[a.instrument_code] = counts.get(a.instrument_code, 0) + 1
        if a.instrument_code in seen:
            continue
        instrument = INSTRUMENTS.get(a.instrument_code)
        cutoff = instrument.cutoff if instrument else None
        seen[a.instrument_code] = LatestResult(
            administration=a,
            name=instrument_name(a.instrument_code),
            cutoff_label=instrument.cutoff_label if instrument else "",
            above_cutoff=None if cutoff is None else a.total >= cutoff,
            count=0,
        )
    return [
        LatestResult(r.administration, r.name, r.cutoff_label, r.above_cutoff, counts[code])
        for code, r in seen.items()
    ]
