"""Calendar months in the service's time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """'2026-03' → Month(2026, 3); anything else raises ValueError with a plain message."""
        match = MONTH_PATTERN.match(text.strip())
        if not match:
            raise ValueError(f"'{text}' is not a month: give it as YYYY-MM, for example 2026-03")
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"'{text}' is not a month: the month must be from 01 to 12")
        if year < 2000:
            raise ValueError(f"'{text}' is too early: the service has no data before 2000")
        return cls(year, month)

    @classmethod
    def of(cls, value: date | datetime) -> Month:
        if isinstance(value, datetime):
            value = timezone.localtime(value).date()
        return cls(value.year, value.month)

    @classmethod
    def current(cls) -> Month:
        return cls.of(timezone.localdate())

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), 12 if self.month == 1 else self.month - 1)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def starts_at(self) -> datetime:
        """Local midnight on the first day, as an aware datetime."""
        return timezone.make_aware(datetime.combine(self.first_day, time.min))

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.first_day:%B %Y}"

    def __str__(self) -> str:
        return self.key


def months_between(first: Month, last: Month) -> list[Month]:
    months, m = [], first
    while m <= last:
        months.append(m)
        m = m.next()
    return months


def recent_months(count: int, *, until: Month | None = None) -> list[Month]:
    """The last `count` months, newest first, ending with `until` (this month by default)."""
    months, m = [], until or Month.current()
    for _ in range(count):
        months.append(m)
        m = m.previous()
    return months
