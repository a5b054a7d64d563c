"""Financial-year quarters, as NHS boards report them: the year runs from 1 April, so
2026/27 Q1 is April to June 2026, Q2 July to September, Q3 October to December and Q4 January
to March 2027. A quarter's key is "2026-Q2" (the year the financial year starts, then the
quarter)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

KEY = re.compile(r"^(\d{4})-Q([1-4])$")
QUARTERS_OFFERED = 8


@dataclass(frozen=True, order=True)
class Quarter:
    year: int  # the calendar year the financial year starts in
    number: int  # 1 to 4

    @classmethod
    def of(cls, day: date) -> Quarter:
        """The quarter a day falls in."""
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1)
        return cls(day.year - 1, 4)

    @classmethod
    def from_key(cls, key: str) -> Quarter | None:
        match = KEY.match(key or "")
        if match is None:
            return None
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def first_day(self) -> date:
        month = 4 + 3 * (self.number - 1)
        return date(self.year, month, 1) if month <= 12 else date(self.year + 1, month - 12, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    @property
    def starts(self) -> datetime:
        """Local midnight at the start of the quarter."""
        return timezone.make_aware(datetime.combine(self.first_day, time.min))

    @property
    def ends(self) -> datetime:
        """Local midnight at the start of the next quarter (the period is [starts, ends))."""
        return self.next().starts

    @property
    def financial_year(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def months(self) -> str:
        return f"{self.first_day:%B} to {self.last_day:%B %Y}"

    @property
    def label(self) -> str:
        """For example "2026/27 Q2 (July to September 2026)"."""
        return f"{self.financial_year} Q{self.number} ({self.months})"

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def __str__(self) -> str:
        return self.label


def last_complete(today: date | None = None) -> Quarter:
    """The newest quarter that has ended: the default for the board report."""
    return Quarter.of(today or timezone.localdate()).previous()


def offered(today: date | None = None, count: int = QUARTERS_OFFERED) -> list[Quarter]:
    """The quarter in progress and the `count` before it, newest first."""
    quarter = Quarter.of(today or timezone.localdate())
    found = [quarter]
    for _ in range(count):
        quarter = quarter.previous()
        found.append(quarter)
    return found
