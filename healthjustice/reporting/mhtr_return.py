"""The MHTR monthly return: one row per MHTR episode active in the month in the region.

Active in the month: referred before the month ended, and not closed before it began (open on
at least one day of it). Each row is as at the end of the month: anything dated after it (a
later sentence, session or closure) is left out, so a return for a past month does not change
as work goes on, except for records entered late for days within it.

It is a data return, not a list of people: no names, NHS numbers, dates of birth or addresses,
only an opaque episode reference, coded facts, the age group, sex and ethnic category (so that
every figure can be split for equity work). Each column is one declared entry in `COLUMNS`,
documented in docs/mhtr-return.md; change both together.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from healthjustice.core.csv_cells import SafeDictWriter
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.mhtr.choices import SessionOutcome
from healthjustice.mhtr.outcomes import EpisodeOutcome, outcome_as_at
from healthjustice.organisations.models import Region

from .data_return import age_group, timestamp, write_file_atomically
from .mhtr_facts import EpisodeFacts, OrderFact, facts_active_in, local_date, mhtr_episodes
from .periods import Month

PROGRESS_STEPS = 20
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowContext:
    """What every column may read: the episode's facts and the month of the return."""

    facts: EpisodeFacts
    month: Month

    @property
    def last_day(self) -> datetime.date:
        return self.month.next().first_day - datetime.timedelta(days=1)

    def by_end(self, day: datetime.date | None) -> bool:
        return day is not None and day <= self.last_day

    def in_month(self, day: datetime.date | None) -> bool:
        return day is not None and Month.of(day) == self.month


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[RowContext], str]


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _outcome(c: RowContext) -> EpisodeOutcome | None:
    return outcome_as_at(c.facts.extra.get("measures", {}), c.last_day)


def _measured(c: RowContext, result: str) -> str:
    """yes / no from the first and latest PHQ-9 and GAD-7 by the month's end; empty when not
    measured twice."""
    outcome = _outcome(c)
    return "" if outcome is None else _yes_no(getattr(outcome, result))


def _recovery(c: RowContext) -> str:
    """Empty too when the first measures were not in the clinical range: recovery does not apply."""
    outcome = _outcome(c)
    return "" if outcome is None or not outcome.caseness_at_first else _yes_no(outcome.recovery)


def _suitability(c: RowContext) -> tuple[str, str]:
    held = c.facts.suitability_on(c.last_day)
    return (held.outcome, _day(held.assessed_on)) if held else ("", "")


def _psr_view_at(c: RowContext) -> datetime.datetime | None:
    at = c.facts.reached(Stage.PSR_VIEW_GIVEN)
    return at if at is not None and c.by_end(local_date(at)) else None


def _order(c: RowContext) -> OrderFact | None:
    order = c.facts.order
    return order if order is not None and c.by_end(order.sentenced_on) else None


def _court_outcome(c: RowContext) -> str:
    order = _order(c)
    if order is None:
        return ""
    return "order_made" if order.order_made else "no_order_made"


def _order_field(name: str) -> Callable[[RowContext], str]:
    def value(c: RowContext) -> str:
        order = _order(c)
        if order is None or not order.order_made:
            return ""
        found = getattr(order, name)
        if isinstance(found, datetime.date):
            return found.isoformat()
        return "" if found is None else str(found)

    return value


def _first_attended(c: RowContext) -> datetime.date | None:
    first = c.facts.first_attended_on
    return first if _order(c) is not None and c.by_end(first) else None


def _days_to_first(c: RowContext) -> str:
    if _first_attended(c) is None:
        return ""
    waited = c.facts.days_to_first_attended
    return "" if waited is None else str(waited)


def _sessions_in_month(outcome: str) -> Callable[[RowContext], str]:
    def value(c: RowContext) -> str:
        return str(sum(1 for s in c.facts.sessions if s.outcome == outcome and c.in_month(s.on)))

    return value


def _closed(c: RowContext) -> tuple[str, str]:
    closed = c.facts.closed
    if closed is None or not c.by_end(local_date(closed[0])):
        return "", ""
    return timestamp(closed[0]), closed[1]


def _order_ended_in_month(c: RowContext) -> str:
    ended = c.facts.order_ended
    return _yes_no(ended is not None and c.in_month(ended[0]))


def _proposed(c: RowContext) -> str:
    return _yes_no(c.by_end(c.facts.proposed_on))


COLUMNS: tuple[Column, ...] = (
    Column("episode_ref", lambda c: str(c.facts.public_id)),
    Column("region", lambda c: c.facts.region),
    Column("team", lambda c: c.facts.team),
    Column("referral_source", lambda c: c.facts.source),
    Column("referred_at", lambda c: timestamp(c.facts.referred_at)),
    Column("age_group", lambda c: age_group(c.facts.date_of_birth, c.facts.referred_on)),
    Column("sex", lambda c: c.facts.sex),
    Column("ethnic_category_code", lambda c: c.facts.ethnic_category_code),
    Column("ethnic_code_list", lambda c: c.facts.ethnic_code_list),
    Column("stage_at_month_end", lambda c: c.facts.stage_on(c.last_day)),
    Column("suitability_outcome", lambda c: _suitability(c)[0]),
    Column("suitability_assessed_on", lambda c: _suitability(c)[1]),
    Column("psr_view_given_at", lambda c: timestamp(_psr_view_at(c))),
    Column("proposed_to_court", _proposed),
    Column("court_outcome", _court_outcome),
    Column("sentenced_on", lambda c: _day(o.sentenced_on) if (o := _order(c)) else ""),
    Column("order_type", _order_field("order_type")),
    Column("treatment_type", _order_field("treatment_type")),
    Column("order_months", _order_field("months")),
    Column("order_ends_on", _order_field("ends_on")),
    Column("planned_sessions", _order_field("planned_sessions")),
    Column("first_attended_on", lambda c: _day(_first_attended(c))),
    Column("days_sentence_to_first_attended", _days_to_first),
    Column("sessions_attended_in_month", _sessions_in_month(SessionOutcome.ATTENDED)),
    Column("sessions_dna_in_month", _sessions_in_month(SessionOutcome.DID_NOT_ATTEND)),
    Column(
        "sessions_cancelled_unacceptable_in_month",
        _sessions_in_month(SessionOutcome.CANCELLED_UNACCEPTABLE),
    ),
    Column(
        "sessions_cancelled_acceptable_in_month",
        _sessions_in_month(SessionOutcome.CANCELLED_ACCEPTABLE),
    ),
    Column(
        "sessions_cancelled_by_service_in_month",
        _sessions_in_month(SessionOutcome.CANCELLED_BY_SERVICE),
    ),
    Column(
        "compliance_notices_in_month",
        lambda c: str(sum(1 for on in c.facts.notices if c.in_month(on))),
    ),
    Column("closed_at", lambda c: _closed(c)[0]),
    Column("closure_reason", lambda c: _closed(c)[1]),
    Column("order_ended_in_month", _order_ended_in_month),
    Column(
        "order_completed_in_month",
        lambda c: _yes_no(
            _order_ended_in_month(c) == "yes"
            and c.facts.order_ended is not None
            and c.facts.order_ended[1] == ClosureReason.ORDER_COMPLETED
        ),
    ),
    Column("reliable_improvement", lambda c: _measured(c, "reliable_improvement")),
    Column("reliable_deterioration", lambda c: _measured(c, "reliable_deterioration")),
    Column("recovery", lambda c: _recovery(c)),
)
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)


def mhtr_return_facts(region: Region, month: Month) -> list[EpisodeFacts]:
    return facts_active_in(mhtr_episodes(region_id=region.pk), month, month)


def mhtr_return_rows(
    region: Region, month: Month, *, progress: Progress | None = None
) -> Iterator[dict[str, str]]:
    facts = mhtr_return_facts(region, month)
    total = len(facts)
    step = max(1, total // PROGRESS_STEPS)
    if progress:
        progress(0, total)
    for done, f in enumerate(facts, start=1):
        context = RowContext(f, month)
        yield {column.name: column.value(context) for column in COLUMNS}
        if progress and (done % step == 0 or done == total):
            progress(done, total)


def write_mhtr_return(
    out: IO[str], region: Region, month: Month, *, progress: Progress | None = None
) -> int:
    """Write the CSV (header and rows) to `out`, every cell neutralised; returns the row count."""
    writer = SafeDictWriter(out, fieldnames=COLUMN_NAMES, lineterminator="\r\n")
    writer.writeheader()
    rows = 0
    for row in mhtr_return_rows(region, month, progress=progress):
        writer.writerow(row)
        rows += 1
    return rows


def write_mhtr_return_file(
    path: Path, region: Region, month: Month, *, progress: Progress | None = None
) -> int:
    """Write the return to `path`, never leaving a partial file there."""
    return write_file_atomically(
        path, lambda handle: write_mhtr_return(handle, region, month, progress=progress)
    )
