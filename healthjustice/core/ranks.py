"""The median and the 90th percentile (nearest rank) of a column, by group, worked out by the
database: only the few rows at those ranks come back, not every value.

The query is a queryset's `.values(key, value)`, wrapped in window functions (`ROW_NUMBER` and
`COUNT` over each key and over all rows) that SQLite and PostgreSQL both have. The ranks are the
ones `statistics.median` and a nearest-rank percentile use: for n values in order, the median is
the value at (n + 1) // 2 when n is odd, else the mean of those at n // 2 and n // 2 + 1; the
90th percentile is the value at ceil(0.9 · n), which is (9n + 9) // 10 in integers.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import DurationField, ExpressionWrapper, F, QuerySet, Subquery
from django.db.models.expressions import CombinedExpression

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
    # Nulls are counted out and ranked last (`v IS NULL` sorts false first on both databases).
    "SELECT k, v, n_k, r_k, n_all, r_all FROM ("
    "SELECT {key} AS k, {value} AS v, "
    "COUNT({value}) OVER (PARTITION BY {key}) AS n_k, "
    "ROW_NUMBER() OVER (PARTITION BY {key} ORDER BY {value} IS NULL, {value}) AS r_k, "
    "COUNT({value}) OVER () AS n_all, "
    "ROW_NUMBER() OVER (ORDER BY {value} IS NULL, {value}) AS r_all "
    "FROM {source}) AS ranked "
    "WHERE v IS NOT NULL AND ("
    "r_k IN ((n_k + 1) / 2, n_k / 2 + 1, (9 * n_k + 9) / 10) "
    "OR r_all IN ((n_all + 1) / 2, n_all / 2 + 1, (9 * n_all + 9) / 10))"
)


def _names(*names: str) -> None:
    for name in names:
        if not name.isidentifier():
            raise ValueError(f"Not a column name: {name!r}")


def ranked_rows(source: str, key: str, value: str) -> str:
    """SQL selecting from `source` (a table, or a name given in WITH) the rows at the median's
    and the 90th percentile's ranks of `value`, per `key` and over all rows, as
    (k, v, n_k, r_k, n_all, r_all); `collect_ranked` reads them."""
    _names(source, key, value)
    return _RANKED.format(key=key, value=value, source=source)


def collect_ranked(
    rows: Iterable[tuple[Any, Any, int, int, int, int]],
) -> dict[Hashable, Ranked]:
    found: dict[Hashable, Ranked] = {}
    for k, v, n_k, r_k, n_all, r_all in rows:
        for group, n, rank in ((k, n_k, r_k), (ALL, n_all, r_all)):
            ranked = found.setdefault(group, Ranked(n))
            ranked.at[rank] = v
    return found


def over_rows(rows: QuerySet[Any, Any], name: str, selects: list[str]) -> list[tuple[Any, ...]]:
    """The rows of several SELECTs (each with the same number of columns) over one set of rows,
    `rows` (a queryset's `.values()`), worked out once: `WITH name AS MATERIALIZED (...)`, so
    that an expression in it (a subquery, say) is evaluated once a row, not once a use."""
    _names(name)
    try:
        inner, params = rows.order_by().query.sql_with_params()
    except EmptyResultSet:  # e.g. no teams: nothing to count
        return []
    # The SELECTs are the caller's own SQL over `name`; the queryset's values stay parameters.
    sql = f"WITH {name} AS MATERIALIZED ({inner}) " + " UNION ALL ".join(selects)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found: list[tuple[Any, ...]] = cursor.fetchall()
    return found


def elapsed(
    first: QuerySet[Any, Any], column: str, since: str
) -> ExpressionWrapper[CombinedExpression]:
    """The time from the outer row's `since` to `column` of the first of `first` (an ordered
    queryset correlated with the outer row by `OuterRef`), as a duration; null if none."""
    return ExpressionWrapper(
        Subquery(first.values(column)[:1]) - F(since), output_field=DurationField()
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
    return collect_ranked(over_rows(values, "given", [ranked_rows("given", key, value)]))
