"""Working days in England and Wales: weekdays that are not bank holidays."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    # England and Wales share their bank holidays (Scotland and Northern Ireland differ).
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (0: `start` itself)."""
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def period_end(start: date, months: int) -> date:
    """The last day of a period of `months` calendar months from `start`: the day before the
    same date `months` later (15 January, 6 months: 14 July), or the last day of that month
    when it has no such date (31 August, 6 months: 28 or 29 February)."""
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12 + 1
    last = monthrange(year, month)[1]
    if start.day > last:
        return date(year, month, last)
    return date(year, month, start.day) - timedelta(days=1)
