"""The median and the 90th percentile (nearest rank) of a column, by group, worked out by the
database: only the few rows at those ranks come back, not every value.

The query is a queryset's `.values(key, value)`, wrapped in window functions (`ROW_NUMBER` and
`COUNT` over each key and over all rows) that SQLite and PostgreSQL both have. The ranks are the
ones `statistics.median` and a nearest-rank percentile use: for n values in order, the median is
the value at (n + 1) // 2 when n is odd, else the mean of those at n // 2 and n // 2 + 1; the
90th percentile is the value at ceil(0.9 · n), which is (9n + 9) // 10 in integers.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import QuerySet

ALL = None  # the key of the figures over all rows


@dataclass
class Ranked:
    """One group's number of values, and the values at the median's and the 90th percentile's
    ranks (1-based rank -> value)."""

    n: int = 0
    at: dict[int, Any] = field(default_factory=dict)

    def median(self, convert: Callable[[Any], float]) -> float | None:
        if not self.n:
            return None
        if self.n % 2:
            return convert(self.at[(self.n + 1) // 2])
        return (convert(self.at[self.n // 2]) + convert(self.at[self.n // 2 + 1])) / 2

    def p90(self, convert: Callable[[Any], float]) -> float | None:
        return convert(self.at[(9 * self.n + 9) // 10]) if self.n else None


_RANKED = (
    "SELECT k, v, n_k, r_k, n_all, r_all FROM ("
    "SELECT {key} AS k, {value} AS v, "
    "COUNT(*) OVER (PARTITION BY {key}) AS n_k, "
    "ROW_NUMBER() OVER (PARTITION BY {key} ORDER BY {value}) AS r_k, "
    "COUNT(*) OVER () AS n_all, ROW_NUMBER() OVER (ORDER BY {value}) AS r_all "
    "FROM ({inner}) AS given WHERE {value} IS NOT NULL) AS ranked "
    "WHERE r_k IN ((n_k + 1) / 2, n_k / 2 + 1, (9 * n_k + 9) / 10) "
    "OR r_all IN ((n_all + 1) / 2, n_all / 2 + 1, (9 * n_all + 9) / 10)"
)


def hours(duration: timedelta | int) -> float:
    """A duration as the database driver gives it (a timedelta on PostgreSQL, microseconds on
    SQLite), in hours: exactly as `(later - earlier).total_seconds() / 3600` in Python."""
    if not isinstance(duration, timedelta):
        duration = timedelta(microseconds=duration)
    return duration.total_seconds() / 3600


def median_ranks(values: QuerySet[Any, Any], key: str, value: str) -> dict[Hashable, Ranked]:
    """Per `key` (and for all rows, as `ALL`), the non-null `value`s' count and the values at the
    median's and the 90th percentile's ranks. `values` must select `key` and `value` by those
    names (`.values(key, value)`); the key must not be null. Values are returned as the database
    driver gives them (a DurationField is a timedelta on PostgreSQL and microseconds on SQLite)."""
    if not (key.isidentifier() and value.isidentifier()):
        raise ValueError(f"Not column names: {key!r}, {value!r}")
    inner, params = values.query.sql_with_params()
    # Only the two checked names and the queryset's own SQL (with its parameters) go in.
    sql = _RANKED.format(key=key, value=value, inner=inner)
    found: dict[Hashable, Ranked] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for k, v, n_k, r_k, n_all, r_all in cursor.fetchall():
            for group, n, rank in ((k, n_k, r_k), (ALL, n_all, r_all)):
                ranked = found.setdefault(group, Ranked(n))
                ranked.at[rank] = v
    return found
