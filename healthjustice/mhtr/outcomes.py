"""What an MHTR episode's measures show, first against latest, from the instruments' own
thresholds (`screening.instruments`: `reliable_change` and `cutoff`). Plain functions with no
writes; `episode_outcomes` and `episode_summary` read the episode's measures, the rest take
numbers.

For each questionnaire (PHQ-9, GAD-7, CORE-10), the first score is compared with the latest:
- **reliable improvement** / **reliable deterioration**: the total fell / rose by at least the
  instrument's reliable-change points (PHQ-9 6, GAD-7 4, CORE-10 6); otherwise **no reliable
  change**;
- **caseness**: a total at or above the instrument's clinical cut-off (PHQ-9 10, GAD-7 10,
  CORE-10 11);
- **recovery**: caseness at the first score and not at the latest (NHS Talking Therapies);
- **clinically significant change**: a reliable improvement that also crossed the cut-off from
  the clinical range to below it (the same rule as `screening.change`).

For the episode, NHS Talking Therapies pairs PHQ-9 with GAD-7 (`PAIRED`), using those of the two
that were measured twice or more:
- reliable improvement: at least one improved reliably and none deteriorated reliably;
- reliable deterioration: at least one deteriorated reliably and none improved reliably;
- recovery: caseness on at least one at the first score, and on none at the latest;
- reliable recovery: both recovery and reliable improvement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from healthjustice.screening.instruments import get_instrument

if TYPE_CHECKING:
    from healthjustice.journeys.models import Episode

# The questionnaires MHTR measures, in the order they are shown.
MEASURE_CODES: tuple[str, ...] = ("phq9", "gad7", "core10")
# The pair NHS Talking Therapies judges an episode's recovery and reliable change on.
PAIRED: tuple[str, ...] = ("phq9", "gad7")


class Change(StrEnum):
    RELIABLE_IMPROVEMENT = "reliable_improvement"
    NO_RELIABLE_CHANGE = "no_reliable_change"
    RELIABLE_DETERIORATION = "reliable_deterioration"

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self]


CHANGE_LABELS: Mapping[Change, str] = {
    Change.RELIABLE_IMPROVEMENT: "Reliable improvement",
    Change.NO_RELIABLE_CHANGE: "No reliable change",
    Change.RELIABLE_DETERIORATION: "Reliable deterioration",
}


@dataclass(frozen=True)
class Point:
    """One score on the trajectory."""

    measured_on: date
    total: int
    occasion: str = ""


@dataclass(frozen=True)
class MeasureOutcome:
    """One questionnaire's first score against its latest."""

    code: str
    name: str
    first: int
    latest: int
    threshold: int
    cutoff: int
    change: Change
    caseness_at_first: bool
    caseness_at_latest: bool
    recovered: bool
    clinically_significant: bool
    first_on: date | None = None
    latest_on: date | None = None

    @property
    def points(self) -> int:
        """The latest total minus the first: negative is an improvement."""
        return self.latest - self.first

    @property
    def reliable_improvement(self) -> bool:
        return self.change is Change.RELIABLE_IMPROVEMENT

    @property
    def reliable_deterioration(self) -> bool:
        return self.change is Change.RELIABLE_DETERIORATION


@dataclass(frozen=True)
class EpisodeOutcome:
    """The episode's result on the NHS Talking Therapies pair (`PAIRED`)."""

    measured: bool  # at least one of the pair was measured twice or more
    reliable_improvement: bool
    reliable_deterioration: bool
    recovery: bool
    reliable_recovery: bool
    # In the clinical range at the first measure: who counts towards the recovery rate.
    caseness_at_first: bool = False


def is_caseness(code: str, total: int) -> bool:
    """Is `total` at or above the instrument's clinical cut-off?"""
    instrument = get_instrument(code)
    if instrument.cutoff is None:
        raise ValueError(f"{instrument.name} has no clinical cut-off")
    return total >= instrument.cutoff


def measure_outcome(
    code: str,
    first: int,
    latest: int,
    *,
    first_on: date | None = None,
    latest_on: date | None = None,
) -> MeasureOutcome:
    """Judge one questionnaire's change from `first` to `latest` (totals)."""
    instrument = get_instrument(code)
    threshold, cutoff = instrument.reliable_change, instrument.cutoff
    if threshold is None or cutoff is None:
        raise ValueError(f"{instrument.name} has no reliable-change threshold or cut-off")
    for total in (first, latest):
        if not 0 <= total <= instrument.max_total:
            raise ValueError(
                f"{instrument.name}: total {total} is outside 0-{instrument.max_total}"
            )
    points = latest - first
    if points <= -threshold:
        change = Change.RELIABLE_IMPROVEMENT
    elif points >= threshold:
        change = Change.RELIABLE_DETERIORATION
    else:
        change = Change.NO_RELIABLE_CHANGE
    at_first, at_latest = first >= cutoff, latest >= cutoff
    recovered = at_first and not at_latest
    return MeasureOutcome(
        code=instrument.code,
        name=instrument.name,
        first=first,
        latest=latest,
        threshold=threshold,
        cutoff=cutoff,
        change=change,
        caseness_at_first=at_first,
        caseness_at_latest=at_latest,
        recovered=recovered,
        clinically_significant=recovered and change is Change.RELIABLE_IMPROVEMENT,
        first_on=first_on,
        latest_on=latest_on,
    )


def outcomes_from_series(series: Mapping[str, Sequence[Point]]) -> dict[str, MeasureOutcome]:
    """Each questionnaire measured twice or more, judged first (oldest) against latest.

    The points of each series must be in the order they were taken."""
    result: dict[str, MeasureOutcome] = {}
    for code in MEASURE_CODES:
        points = series.get(code, ())
        if len(points) < 2:
            continue
        first, latest = points[0], points[-1]
        result[code] = measure_outcome(
            code,
            first.total,
            latest.total,
            first_on=first.measured_on,
            latest_on=latest.measured_on,
        )
    return result


def summarise(outcomes: Mapping[str, MeasureOutcome]) -> EpisodeOutcome:
    """The episode-level result from per-questionnaire outcomes (the pair only)."""
    paired = [outcomes[code] for code in PAIRED if code in outcomes]
    improved = any(o.reliable_improvement for o in paired)
    deteriorated = any(o.reliable_deterioration for o in paired)
    recovery = any(o.caseness_at_first for o in paired) and not any(
        o.caseness_at_latest for o in paired
    )
    reliable_improvement = improved and not deteriorated
    at_first = any(o.caseness_at_first for o in paired)
    return EpisodeOutcome(
        measured=bool(paired),
        reliable_improvement=reliable_improvement,
        reliable_deterioration=deteriorated and not improved,
        recovery=recovery,
        reliable_recovery=recovery and reliable_improvement,
        caseness_at_first=at_first,
    )


def outcome_as_at(series: Mapping[str, Sequence[Point]], day: date) -> EpisodeOutcome | None:
    """The episode's result from the measures taken on or before `day`; None when the pair was
    not measured twice by then."""
    taken = {code: [p for p in points if p.measured_on <= day] for code, points in series.items()}
    outcome = summarise(outcomes_from_series(taken))
    return outcome if outcome.measured else None


def shows_reliable_improvement(outcomes: Mapping[str, MeasureOutcome]) -> bool:
    return summarise(outcomes).reliable_improvement


def shows_reliable_deterioration(outcomes: Mapping[str, MeasureOutcome]) -> bool:
    return summarise(outcomes).reliable_deterioration


def shows_recovery(outcomes: Mapping[str, MeasureOutcome]) -> bool:
    return summarise(outcomes).recovery


def episode_outcomes(episode: Episode) -> dict[str, MeasureOutcome]:
    """The episode's questionnaires measured twice or more, first against latest.

    Reads the records without auditing a view: the caller has already fetched the episode
    through an access selector."""
    from .measures import trajectory_of

    return outcomes_from_series(trajectory_of(episode))


def episode_summary(episode: Episode) -> EpisodeOutcome:
    """Did this episode show reliable improvement, deterioration, recovery (see `summarise`)?"""
    return summarise(episode_outcomes(episode))
