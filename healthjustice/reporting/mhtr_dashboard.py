"""The MHTR dashboard: each figure is one declared entry in `FIGURES`.

An entry says which events an episode gives it (each dated, so it falls in the month of the
event) and how to show them; it becomes one section of the page: a chart and the table of its
numbers. Three kinds of entry:

- `CountFigure`: events counted by category, per month (referrals by source, for example);
- `RateFigure`: events counted in a denominator, some of them "hits"; the rate is hits / n,
  and n is shown beside every rate;
- `DaysFigure`: a number of days per event; the median and 90th percentile per month.

Nothing is suppressed on this page (it is for the team's own leaders); every rate shows its n.
A new figure is a new entry here (and, when it needs facts not loaded yet, a loader in
`mhtr_facts.FACT_LOADERS`). docs/mhtr-return.md describes every figure; change both together.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from healthjustice.journeys.choices import ClosureReason
from healthjustice.mhtr.choices import ReferralRoute, SessionOutcome, Suitability
from healthjustice.mhtr.outcomes import EpisodeOutcome, outcome_as_at

from .charts import Bar, bar_chart
from .dashboard import Block, Section, Table
from .mhtr_facts import OTHER_SOURCE, OTHER_SOURCE_LABEL, EpisodeFacts
from .periods import Month, months_between
from .stats import Cell, median, percentile_nearest_rank

ALL_MONTHS = "All months"


@dataclass(frozen=True)
class Event:
    """Something that happened on a day: its category, whether it is a hit, or its value."""

    on: datetime.date
    key: str = ""
    hit: bool = False
    value: float | None = None


# The facts a figure reads: one object per episode (`EpisodeFacts` for MHTR; the RECONNECT
# dashboard declares its figures with these classes over its own facts).
F = TypeVar("F")
Events = Callable[[F], Iterable[Event]]
Categories = tuple[tuple[str, str], ...]


def count(n: int) -> Cell:
    return Cell(n)


def rate(hits: int, n: int) -> Cell:
    """A percentage; "none" when there is nothing to divide by."""
    return Cell(100 * hits / n if n else None, kind="percent")


def days(value: float | None) -> Cell:
    return Cell(value, kind="hours")  # shown to one decimal place, like hours


def _by_month(
    facts: Iterable[F], events: Events[F], months: list[Month]
) -> dict[Month, list[Event]]:
    wanted = set(months)
    found: dict[Month, list[Event]] = {m: [] for m in months}
    for f in facts:
        for event in events(f):
            month = Month.of(event.on)
            if month in wanted:
                found[month].append(event)
    return found


def _categorise(key: str, categories: Categories, other: str) -> str:
    return key if any(key == k for k, _ in categories) else other


@dataclass(frozen=True)
class CountFigure(Generic[F]):
    id: str
    heading: str
    intro: str
    month_label: str
    caption: str
    chart_title: str
    categories: Categories
    events: Events[F]
    total_column: bool = True  # False when the categories are not parts of one whole
    other: str = ""  # the category an unknown key counts under ("" to leave it out)

    def section(self, facts: Sequence[F], months: list[Month]) -> Section:
        per_month = _by_month(facts, self.events, months)
        keys = [k for k, _ in self.categories]
        counts: dict[Month, Counter[str]] = {
            m: Counter(_categorise(e.key, self.categories, self.other) for e in events)
            for m, events in per_month.items()
        }
        totals: Counter[str] = sum(counts.values(), Counter())

        def cells(c: Counter[str]) -> list[Cell]:
            row = [count(c[k]) for k in keys]
            return [*row, count(sum(c[k] for k in keys))] if self.total_column else row

        table = Table(
            caption=self.caption,
            columns=[
                self.month_label,
                *[label for _, label in self.categories],
                *(["All"] if self.total_column else []),
            ],
            rows=[(m.label, cells(counts[m])) for m in months],
            total=(ALL_MONTHS, cells(totals)),
        )
        chart = bar_chart(
            f"chart-{self.id}",
            self.chart_title,
            [Bar(label, count(totals[k])) for k, label in self.categories],
        )
        return Section(self.id, self.heading, self.intro, [Block(table, chart)])


@dataclass(frozen=True)
class RateFigure(Generic[F]):
    id: str
    heading: str
    intro: str
    month_label: str
    caption: str
    chart_title: str
    hit_label: str
    n_label: str
    events: Events[F]
    # Optional counts of the events that are not hits, by category, shown before the hits.
    parts: Categories = ()
    other: str = ""

    def section(self, facts: Sequence[F], months: list[Month]) -> Section:
        per_month = _by_month(facts, self.events, months)
        keys = [k for k, _ in self.parts]

        def cells(events: list[Event]) -> list[Cell]:
            by_key = Counter(
                _categorise(e.key, self.parts, self.other) for e in events if not e.hit
            )
            hits = sum(e.hit for e in events)
            return [
                *[count(by_key[k]) for k in keys],
                count(hits),
                count(len(events)),
                rate(hits, len(events)),
            ]

        table = Table(
            caption=self.caption,
            columns=[
                self.month_label,
                *[label for _, label in self.parts],
                self.hit_label,
                f"{self.n_label} (n)",
                "Rate",
            ],
            rows=[(m.label, cells(per_month[m])) for m in months],
            total=(ALL_MONTHS, cells([e for m in months for e in per_month[m]])),
        )
        chart = bar_chart(
            f"chart-{self.id}",
            self.chart_title,
            [Bar(label, row[-1]) for label, row in table.rows],
        )
        return Section(self.id, self.heading, self.intro, [Block(table, chart)])


@dataclass(frozen=True)
class DaysFigure(Generic[F]):
    id: str
    heading: str
    intro: str
    month_label: str
    caption: str
    chart_title: str
    n_label: str
    events: Events[F]

    def section(self, facts: Sequence[F], months: list[Month]) -> Section:
        per_month = _by_month(facts, self.events, months)

        def cells(events: list[Event]) -> list[Cell]:
            values = [e.value for e in events if e.value is not None]
            return [
                count(len(values)),
                days(median(values)),
                days(percentile_nearest_rank(values, 90)),
            ]

        table = Table(
            caption=self.caption,
            columns=[
                self.month_label,
                f"{self.n_label} (n)",
                "Median days",
                "90th percentile days",
            ],
            rows=[(m.label, cells(per_month[m])) for m in months],
            total=(ALL_MONTHS, cells([e for m in months for e in per_month[m]])),
        )
        chart = bar_chart(
            f"chart-{self.id}",
            self.chart_title,
            [Bar(label, row[1]) for label, row in table.rows],
            unit="days",
        )
        return Section(self.id, self.heading, self.intro, [Block(table, chart)])


Figure = CountFigure[EpisodeFacts] | RateFigure[EpisodeFacts] | DaysFigure[EpisodeFacts]


# The events of each figure, from one episode's facts.


def referral_events(f: EpisodeFacts) -> Iterable[Event]:
    yield Event(f.referred_on, key=f.source)


def suitability_events(f: EpisodeFacts) -> Iterable[Event]:
    newest = f.suitability
    if newest is not None:
        yield Event(newest.assessed_on, key=newest.outcome)


def proposal_and_order_events(f: EpisodeFacts) -> Iterable[Event]:
    proposed = f.proposed_on
    if proposed is not None:
        yield Event(proposed, key="proposals")
    if f.order is not None:
        yield Event(f.order.sentenced_on, key="orders" if f.order.order_made else "no_order")


def conversion_events(f: EpisodeFacts) -> Iterable[Event]:
    proposed = f.proposed_on
    if proposed is not None:
        yield Event(proposed, hit=f.order_made)


def first_appointment_events(f: EpisodeFacts) -> Iterable[Event]:
    waited = f.days_to_first_attended
    if waited is not None and f.order is not None:
        yield Event(f.order.sentenced_on, value=waited)


# Attendance: attended / (attended + did not attend + cancelled by the person without an
# acceptable reason). Cancellations with an acceptable reason or by the service are left out.
ATTENDANCE_COUNTED = (
    SessionOutcome.ATTENDED,
    SessionOutcome.DID_NOT_ATTEND,
    SessionOutcome.CANCELLED_UNACCEPTABLE,
)


def attendance_events(f: EpisodeFacts) -> Iterable[Event]:
    for s in f.sessions:
        if s.outcome in ATTENDANCE_COUNTED:
            yield Event(s.on, key=s.outcome, hit=s.outcome == SessionOutcome.ATTENDED)


def completion_events(f: EpisodeFacts) -> Iterable[Event]:
    ended = f.order_ended
    if ended is not None:
        on, reason = ended
        yield Event(on, key=reason, hit=reason == ClosureReason.ORDER_COMPLETED)


def _ended_with_measures(f: EpisodeFacts) -> tuple[datetime.date, EpisodeOutcome] | None:
    ended = f.order_ended
    if ended is None:
        return None
    outcome = outcome_as_at(f.extra.get("measures", {}), ended[0])
    return None if outcome is None else (ended[0], outcome)


def improvement_events(f: EpisodeFacts) -> Iterable[Event]:
    found = _ended_with_measures(f)
    if found is not None:
        on, outcome = found
        key = "deteriorated" if outcome.reliable_deterioration else "no_reliable_change"
        yield Event(on, key=key, hit=outcome.reliable_improvement)


def recovery_events(f: EpisodeFacts) -> Iterable[Event]:
    found = _ended_with_measures(f)
    if found is not None and found[1].caseness_at_first:
        on, outcome = found
        yield Event(on, key="not_recovered", hit=outcome.recovery)


FIGURES: list[Figure] = [
    CountFigure(
        id="referrals",
        heading="Referrals by source",
        intro=(
            "MHTR episodes by the month they were referred and where the referral came from "
            "(the MHTR referral's route; for an episode without one, its referral source)."
        ),
        month_label="Month referred",
        caption="Referrals by source, by month referred",
        chart_title="Bar chart: referrals by source",
        categories=(*ReferralRoute.choices, (OTHER_SOURCE, OTHER_SOURCE_LABEL)),
        events=referral_events,
        other=OTHER_SOURCE,
    ),
    CountFigure(
        id="suitability",
        heading="Suitability outcomes",
        intro=(
            "Each episode's newest suitability assessment (a reassessment replaces the earlier "
            "one), by the month of that assessment."
        ),
        month_label="Month assessed",
        caption="Suitability outcomes, by month assessed",
        chart_title="Bar chart: suitability outcomes",
        categories=tuple(Suitability.choices),
        events=suitability_events,
    ),
    CountFigure(
        id="court",
        heading="Proposals to court and orders made",
        intro=(
            "A proposal to court is the view for the pre-sentence report given while the "
            "suitability assessment in force that day said suitable, counted in the month the "
            "view was given. Orders made and no orders made are the court's outcomes, counted "
            "in the month of sentence."
        ),
        month_label="Month",
        caption="Proposals to court and the court's outcomes, by month",
        chart_title="Bar chart: proposals to court, orders made and no orders made",
        categories=(
            ("proposals", "Proposals to court"),
            ("orders", "Orders made"),
            ("no_order", "No order made"),
        ),
        events=proposal_and_order_events,
        total_column=False,
    ),
    RateFigure(
        id="conversion",
        heading="Proposals that led to an order",
        intro=(
            "Of the proposals to court made in the month, the share where the court has made "
            "an order so far. Recent months rise as sentences are passed."
        ),
        month_label="Month proposed",
        caption="Conversion of proposals to orders, by month proposed",
        chart_title="Bar chart: per cent of proposals that led to an order, by month proposed",
        hit_label="Led to an order",
        n_label="Proposals",
        events=conversion_events,
    ),
    DaysFigure(
        id="first-appointment",
        heading="Days from sentence to the first appointment",
        intro=(
            "Calendar days from the date of sentence to the first attended session (not the "
            "first one booked), for orders made, by month of sentence. Orders with no attended "
            "session yet are not counted. The median is the middle value; the 90th percentile "
            "is the value within which 9 in 10 got there (nearest-rank method)."
        ),
        month_label="Month of sentence",
        caption="Days from sentence to the first attended session, by month of sentence",
        chart_title="Bar chart: median days from sentence to the first attended session",
        n_label="Orders with an attended session",
        events=first_appointment_events,
    ),
    RateFigure(
        id="attendance",
        heading="Attendance",
        intro=(
            "Sessions attended, out of those attended, not attended, and cancelled by the "
            "person without an acceptable reason, by the month of the session. Cancellations "
            "with an acceptable reason or by the service, and sessions with no outcome yet, "
            "are not counted."
        ),
        month_label="Month of session",
        caption="Attendance at sessions, by month of session",
        chart_title="Bar chart: attendance rate, per cent, by month of session",
        hit_label="Attended",
        n_label="Sessions counted",
        events=attendance_events,
        parts=(
            (SessionOutcome.DID_NOT_ATTEND, "Did not attend"),
            (SessionOutcome.CANCELLED_UNACCEPTABLE, "Cancelled, no acceptable reason"),
        ),
    ),
    RateFigure(
        id="completion",
        heading="Completion",
        intro=(
            "Orders ended as completed, out of all orders ended, by the month the episode "
            "closed. An order ends when its episode closes after the order was made, for any "
            "reason but a transfer to another team."
        ),
        month_label="Month ended",
        caption="Orders completed out of orders ended, by month ended",
        chart_title="Bar chart: completion rate, per cent, by month ended",
        hit_label="Completed",
        n_label="Orders ended",
        events=completion_events,
        parts=(
            (ClosureReason.ORDER_REVOKED, "Revoked"),
            (ClosureReason.ORDER_BREACHED, "Breached"),
            ("other", "Other endings"),
        ),
        other="other",
    ),
    RateFigure(
        id="reliable-improvement",
        heading="Reliable improvement",
        intro=(
            "Orders ended with PHQ-9 or GAD-7 measured at least twice, by the month the episode "
            "closed: the share whose first and latest scores show a reliable improvement (a "
            "fall of at least 6 points on PHQ-9 or 4 on GAD-7) with no reliable deterioration "
            "on the other, as NHS Talking Therapies counts it."
        ),
        month_label="Month ended",
        caption="Reliable improvement among orders ended with measures, by month ended",
        chart_title="Bar chart: reliable improvement, per cent, by month ended",
        hit_label="Reliably improved",
        n_label="Orders ended with measures",
        events=improvement_events,
        parts=(
            ("deteriorated", "Reliably deteriorated"),
            ("no_reliable_change", "No reliable change"),
        ),
    ),
    RateFigure(
        id="recovery",
        heading="Recovery",
        intro=(
            "Of the orders ended with measures whose first PHQ-9 or GAD-7 was in the clinical "
            "range, the share with neither in the clinical range at the latest measure, by the "
            "month the episode closed."
        ),
        month_label="Month ended",
        caption="Recovery among orders ended that started in the clinical range, by month ended",
        chart_title="Bar chart: recovery, per cent, by month ended",
        hit_label="Recovered",
        n_label="Orders ended, in the clinical range at first",
        events=recovery_events,
    ),
]


def mhtr_sections(
    facts: list[EpisodeFacts], first: Month, last: Month, figures: list[Figure] | None = None
) -> list[Section]:
    """One section per figure, over the months from `first` to `last`."""
    months = months_between(first, last)
    return [figure.section(facts, months) for figure in (FIGURES if figures is None else figures)]
