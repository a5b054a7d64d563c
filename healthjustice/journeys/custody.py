"""The PACE detention clock: the relevant time, its limit, extensions, warrants, leaving custody.

Rules (Police and Criminal Evidence Act 1984, ss.41-44; docs/custody-clock.md):

- the clock starts at the relevant time (`CriminalJusticeContext.arrived_in_custody_at`) and
  its limit is 24 hours (s.41);
- a superintendent or above may extend it to at most 36 hours, before the 24 hours end (s.42);
- after an extension, a magistrates' court may issue or extend a warrant of further detention,
  up to 96 hours in all (ss.43, 44);
- each limit is later than the one before; no time is in the future or before the relevant time;
- leaving custody stops the clock, and nothing is recorded after it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError

from healthjustice.core.dates import format_datetime

from .choices import AuthorisingRank, CustodyEventKind, CustodyOutcome
from .models import CustodyEvent

BASE_LIMIT_HOURS = 24
EXTENSION_MAX_HOURS = 36
WARRANT_MAX_HOURS = 96


def _hours(n: int) -> str:
    return f"{n} hour{'s' if n != 1 else ''}"


@dataclass(frozen=True)
class CustodyClock:
    """The clock of one episode at `now`."""

    relevant_time: datetime
    events: tuple[CustodyEvent, ...]
    now: datetime

    @property
    def limits(self) -> list[CustodyEvent]:
        return [e for e in self.events if e.kind != CustodyEventKind.LEFT]

    @property
    def latest_limit(self) -> CustodyEvent | None:
        limits = self.limits
        return limits[-1] if limits else None

    @property
    def limit_hours(self) -> int:
        latest = self.latest_limit
        return latest.limit_hours if latest and latest.limit_hours else BASE_LIMIT_HOURS

    @property
    def ends_at(self) -> datetime:
        return self.relevant_time + timedelta(hours=self.limit_hours)

    @property
    def left(self) -> CustodyEvent | None:
        return next((e for e in self.events if e.kind == CustodyEventKind.LEFT), None)

    @property
    def has_extension(self) -> bool:
        return any(e.kind == CustodyEventKind.EXTENSION for e in self.events)

    @property
    def stopped_at(self) -> datetime:
        left = self.left
        return left.at if left else self.now

    @property
    def hours_used(self) -> int:
        used = (self.stopped_at - self.relevant_time).total_seconds() / 3600
        return max(0, math.floor(used))

    @property
    def running(self) -> bool:
        return self.left is None and self.relevant_time <= self.now < self.ends_at

    @property
    def expired(self) -> bool:
        return self.left is None and self.now >= self.ends_at

    def summary(self) -> str:
        """'9 of 36 hours used, extended by Superintendent A Khan at ...' and the like."""
        left = self.left
        if left is not None:
            return (
                f"Left custody {format_datetime(left.at)} "
                f"({left.get_outcome_display().lower()}) after {_hours(self.hours_used)} "
                f"of {self.limit_hours}: the clock has stopped."
            )
        if self.expired:
            return (
                f"The {self.limit_hours}-hour limit ended {format_datetime(self.ends_at)}. "
                "Record when they left custody."
            )
        used = (
            f"Under 1 hour of {self.limit_hours} used"
            if self.hours_used < 1
            else f"{self.hours_used} of {self.limit_hours} hours used"
        )
        latest = self.latest_limit
        if latest is None:
            return f"{used}."
        if latest.kind == CustodyEventKind.EXTENSION:
            by = f"{latest.get_rank_display()} {latest.authorised_by}".strip()
            return f"{used}, extended by {by} {format_datetime(latest.at)}."
        return f"{used}, warrant of further detention from {latest.authorised_by} " + (
            f"{format_datetime(latest.at)}."
        )


def check_event(
    *,
    kind: str,
    at: datetime | None,
    relevant_time: datetime | None,
    events: Sequence[CustodyEvent],
    now: datetime,
    limit_hours: int | None = None,
    authorised_by: str = "",
    rank: str = "",
    outcome: str = "",
) -> None:
    """Refuse an event the law or the clock does not allow; each message names its field."""
    if kind not in CustodyEventKind.values:
        raise ValidationError({"kind": "Choose what you are recording"})
    if relevant_time is None:
        raise ValidationError(
            {"kind": "Record when they arrived in custody (the relevant time) first"}
        )
    clock = CustodyClock(relevant_time=relevant_time, events=tuple(events), now=now)
    if clock.left is not None:
        raise ValidationError({"kind": "They have already left custody: the clock has stopped"})
    errors: dict[str, str] = {}
    if at is None:
        errors["at"] = "Enter the date and time"
    elif at > now:
        errors["at"] = "The date and time cannot be in the future"
    elif at < relevant_time:
        errors["at"] = (
            f"The date and time cannot be before they arrived in custody "
            f"({format_datetime(relevant_time)})"
        )
    elif events and at < events[-1].at:
        errors["at"] = (
            f"The date and time cannot be before the last change to the clock "
            f"({format_datetime(events[-1].at)})"
        )
    if kind == CustodyEventKind.LEFT:
        if outcome not in CustodyOutcome.values:
            errors["outcome"] = "Choose how they left custody"
    else:
        _check_limit(kind, at, clock, limit_hours, authorised_by, rank, errors)
    if errors:
        raise ValidationError(errors)


def _check_limit(
    kind: str,
    at: datetime | None,
    clock: CustodyClock,
    limit_hours: int | None,
    authorised_by: str,
    rank: str,
    errors: dict[str, str],
) -> None:
    current = clock.limit_hours
    if kind == CustodyEventKind.EXTENSION:
        if rank not in AuthorisingRank.values:
            errors["rank"] = "Choose the rank of the officer who authorised it"
        if not authorised_by.strip():
            errors["authorised_by"] = "Enter the name of the officer who authorised it"
        ceiling = EXTENSION_MAX_HOURS
        base_end = clock.relevant_time + timedelta(hours=BASE_LIMIT_HOURS)
        if at is not None and "at" not in errors and at >= base_end:
            errors["at"] = (
                "An extension must be authorised before the 24 hours end "
                f"({format_datetime(base_end)})"
            )
    else:
        if not clock.has_extension:
            errors["kind"] = (
                "A warrant of further detention can only follow a superintendent's extension"
            )
            return
        if not authorised_by.strip():
            errors["authorised_by"] = "Enter the magistrates' court that issued the warrant"
        ceiling = WARRANT_MAX_HOURS
        if at is not None and "at" not in errors and at >= clock.ends_at:
            errors["at"] = (
                f"A warrant must be issued before the current limit ends "
                f"({format_datetime(clock.ends_at)})"
            )
    if limit_hours is None:
        errors["limit_hours"] = "Enter the new limit in hours from the relevant time"
    elif limit_hours <= current:
        errors["limit_hours"] = f"The new limit must be more than the current {_hours(current)}"
    elif limit_hours > ceiling:
        which = "An extension" if kind == CustodyEventKind.EXTENSION else "Detention"
        errors["limit_hours"] = f"{which} can be at most {ceiling} hours from the relevant time"
