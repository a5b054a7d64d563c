"""The RECONNECT monthly return: one row per RECONNECT episode active in the month in the region.

Active in the month: referred before the month ended, and not closed before it began (open on
at least one day of it). Each row is as at the end of the month: anything dated after it (a
later release, contact, handover or closure) is left out, so a return for a past month does
not change as work goes on, except for records entered late for days within it.

It is a data return, not a list of people: no names, NHS numbers, dates of birth or addresses,
only an opaque episode reference, coded facts, the age group, sex and ethnic category. Each
column is one declared entry in `COLUMNS`, documented in docs/reconnect-return.md; change both
together.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from healthjustice.core.csv_cells import SafeDictWriter
from healthjustice.organisations.models import Region
from healthjustice.reconnect.choices import EngagementCheckKind
from healthjustice.reconnect.selectors import SUPPORT_MONTHS, months_after

from .data_return import age_group, timestamp, write_file_atomically
from .periods import Month
from .reconnect_facts import ReconnectFacts, facts_active_in, local_date, reconnect_episodes

PROGRESS_STEPS = 20
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowContext:
    """What every column may read: the episode's facts and the month of the return."""

    facts: ReconnectFacts
    month: Month

    @property
    def last_day(self) -> datetime.date:
        return self.month.next().first_day - datetime.timedelta(days=1)

    def by_end(self, day: datetime.date | None) -> bool:
        return day is not None and day <= self.last_day

    def in_month(self, day: datetime.date | None) -> bool:
        return day is not None and Month.of(day) == self.month

    @property
    def released_on(self) -> datetime.date | None:
        """The actual release date, if it was by the end of the month."""
        on = self.facts.released_on
        return on if self.by_end(on) else None


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[RowContext], str]


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _if_released(value: Callable[[RowContext], str]) -> Callable[[RowContext], str]:
    """Empty before the release (by the month's end): the column does not apply yet."""

    def cell(c: RowContext) -> str:
        return value(c) if c.released_on is not None else ""

    return cell


def _in_window(c: RowContext) -> str:
    return _yes_no(c.facts.in_window) if c.facts.has_referral else ""


def _contacts_in_month(after_release: bool) -> Callable[[RowContext], str]:
    def value(c: RowContext) -> str:
        return str(
            sum(1 for on, after in c.facts.contacts if after is after_release and c.in_month(on))
        )

    return value


def _gate_met(c: RowContext) -> str:
    f = c.facts
    if f.gate_met is None or not c.by_end(f.gate_recorded_on):
        return ""
    return _yes_no(f.gate_met)


def _gp_registered_on(c: RowContext) -> datetime.date | None:
    on = c.facts.gp_registered_on()
    return on if c.by_end(on) else None


def _handovers_by_end(c: RowContext) -> int:
    return sum(1 for h in c.facts.handovers if c.by_end(h.on))


def _first_handover(c: RowContext) -> str:
    on = c.facts.first_handover_on
    return _day(on) if c.by_end(on) else ""


def _engaged_at_four_weeks(c: RowContext) -> str:
    handovers = [h for h in c.facts.handovers if c.by_end(h.on)]
    if not handovers:
        return ""
    return _yes_no(
        any(
            h.confirmed_at_four_weeks and c.by_end(h.checks[EngagementCheckKind.FOUR_WEEKS].on)
            for h in handovers
        )
    )


def _support_ends_on(c: RowContext) -> str:
    released = c.released_on
    if released is None:
        return ""
    extended = [to for on, to in c.facts.extensions if c.by_end(on)]
    return _day(extended[-1] if extended else months_after(released, SUPPORT_MONTHS))


def _support_ended(c: RowContext) -> datetime.date | None:
    end = c.facts.support_ended_on
    return end if c.by_end(end) else None


def _days_supported(c: RowContext) -> str:
    if _support_ended(c) is None:
        return ""
    supported = c.facts.days_supported
    return "" if supported is None else str(supported)


def _closed(c: RowContext) -> tuple[str, str]:
    closed = c.facts.closed
    if closed is None or not c.by_end(local_date(closed[0])):
        return "", ""
    return timestamp(closed[0]), closed[1]


def _plan_areas(c: RowContext) -> str:
    return ";".join(area for on, area in c.facts.plan_needs if c.by_end(on))


COLUMNS: tuple[Column, ...] = (
    Column("episode_ref", lambda c: str(c.facts.public_id)),
    Column("region", lambda c: c.facts.region),
    Column("team", lambda c: c.facts.team),
    Column("referrer", lambda c: c.facts.referrer),
    Column("referred_at", lambda c: timestamp(c.facts.referred_at)),
    Column("referred_in_window", _in_window),
    Column("age_group", lambda c: age_group(c.facts.date_of_birth, c.facts.referred_on)),
    Column("sex", lambda c: c.facts.sex),
    Column("ethnic_category_code", lambda c: c.facts.ethnic_category_code),
    Column("ethnic_code_list", lambda c: c.facts.ethnic_code_list),
    Column("stage_at_month_end", lambda c: c.facts.stage_on(c.last_day)),
    Column("support_plan_needs", _plan_areas),
    Column("contacts_before_release_in_month", _contacts_in_month(False)),
    Column("contacts_after_release_in_month", _contacts_in_month(True)),
    Column("released_on", lambda c: _day(c.released_on)),
    Column("release_type", _if_released(lambda c: c.facts.release_type)),
    Column("accommodation_on_release", _if_released(lambda c: c.facts.accommodation)),
    Column(
        "engaged_before_release",
        _if_released(lambda c: _yes_no(c.facts.engaged_before_release(c.last_day))),
    ),
    Column("met_at_gate", _gate_met),
    Column(
        "gp_registered_within_28_days",
        _if_released(lambda c: _yes_no(_gp_registered_on(c) is not None)),
    ),
    Column("gp_registered_on", lambda c: _day(_gp_registered_on(c))),
    Column("support_ends_on", _support_ends_on),
    Column("handovers", lambda c: str(_handovers_by_end(c))),
    Column("first_handover_on", _first_handover),
    Column("engaged_at_4_weeks", _engaged_at_four_weeks),
    Column("recalled_on", lambda c: _day(r) if c.by_end(r := c.facts.recalled_on) else ""),
    Column("support_ended_on", lambda c: _day(_support_ended(c))),
    Column("days_supported_after_release", _days_supported),
    Column("closed_at", lambda c: _closed(c)[0]),
    Column("closure_reason", lambda c: _closed(c)[1]),
)
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)


def reconnect_return_facts(region: Region, month: Month) -> list[ReconnectFacts]:
    return facts_active_in(reconnect_episodes(region_id=region.pk), month, month)


def reconnect_return_rows(
    region: Region, month: Month, *, progress: Progress | None = None
) -> Iterator[dict[str, str]]:
    facts = reconnect_return_facts(region, month)
    total = len(facts)
    step = max(1, total // PROGRESS_STEPS)
    if progress:
        progress(0, total)
    for done, f in enumerate(facts, start=1):
        context = RowContext(f, month)
        yield {column.name: column.value(context) for column in COLUMNS}
        if progress and (done % step == 0 or done == total):
            progress(done, total)


def write_reconnect_return(
    out: IO[str], region: Region, month: Month, *, progress: Progress | None = None
) -> int:
    """Write the CSV (header and rows) to `out`, every cell neutralised; returns the row count."""
    writer = SafeDictWriter(out, fieldnames=COLUMN_NAMES, lineterminator="\r\n")
    writer.writeheader()
    rows = 0
    for row in reconnect_return_rows(region, month, progress=progress):
        writer.writerow(row)
        rows += 1
    return rows


def write_reconnect_return_file(
    path: Path, region: Region, month: Month, *, progress: Progress | None = None
) -> int:
    """Write the return to `path`, never leaving a partial file there."""
    return write_file_atomically(
        path, lambda handle: write_reconnect_return(handle, region, month, progress=progress)
    )
