"""Small statistics for service figures, and the suppression of small numbers.

Median: the middle value (the mean of the two middle values when there is an even number).
90th percentile: the nearest-rank method, the value at position ceil(0.9 × n) in sorted
order, so it is always a time that actually happened.

Counts from 1 to 4 are shown as "fewer than 5": with the month, site and setting filters a
cell that small could point to a person. A rate is not shown when its count or the number
it is a share of is from 1 to 4; a time is not shown when it rests on fewer than 5
episodes. When exactly one cell of a row or column is hidden and the total is shown, the
next smallest cell is hidden too, so the hidden one cannot be worked out by subtraction.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

SMALL_NUMBER_LIMIT = 5
SUPPRESSED_TEXT = "fewer than 5"
NOT_ENOUGH_TEXT = "not shown (fewer than 5)"
SECONDARY_TEXT = "not shown (protects a small number)"


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile_nearest_rank(values: Sequence[float], pct: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def is_small(n: int, limit: int = SMALL_NUMBER_LIMIT) -> bool:
    """A count from 1 to limit - 1; with a limit of 0 (or 1) nothing is small."""
    return 0 < n < limit


@dataclass(frozen=True)
class Cell:
    """A number as shown: its value, or the words that stand in for it when suppressed."""

    value: float | int | None
    suppressed: bool = False
    kind: str = "count"  # count, percent or hours
    secondary: bool = False  # hidden only so that a small number cannot be worked out

    @property
    def text(self) -> str:
        if self.secondary:
            return SECONDARY_TEXT
        if self.suppressed:
            return SUPPRESSED_TEXT if self.kind == "count" else NOT_ENOUGH_TEXT
        if self.value is None:
            return "none"
        if self.kind == "percent":
            return f"{self.value:.0f}%"
        if self.kind == "hours":
            return f"{self.value:.1f}"
        return f"{self.value:,}"

    @property
    def shown(self) -> float | int | None:
        """The value a chart may draw: nothing when suppressed."""
        return None if self.suppressed else self.value


def count_cell(n: int, limit: int = SMALL_NUMBER_LIMIT) -> Cell:
    return Cell(n, suppressed=is_small(n, limit))


def rate_cell(numerator: int, denominator: int, limit: int = SMALL_NUMBER_LIMIT) -> Cell:
    if denominator == 0:
        return Cell(None, kind="percent")
    hidden = is_small(numerator, limit) or is_small(denominator, limit)
    return Cell(100 * numerator / denominator, suppressed=hidden, kind="percent")


def hours_cell(value: float | None, n: int, limit: int = SMALL_NUMBER_LIMIT) -> Cell:
    if value is None:
        return Cell(None, kind="hours")
    return Cell(value, suppressed=n < limit, kind="hours")


def suppress_grid(
    counts: Sequence[Sequence[int]], limit: int = SMALL_NUMBER_LIMIT
) -> list[list[Cell]]:
    """Count cells for a table whose row and column totals are shown elsewhere.

    Small counts are hidden; then, until nothing changes, any row or column with exactly one
    hidden cell has its smallest other non-zero cell hidden too.
    """
    hidden = [[is_small(n, limit) for n in row] for row in counts]
    width = max((len(row) for row in counts), default=0)
    lines = [[(r, c) for c in range(len(row))] for r, row in enumerate(counts)]
    lines += [[(r, c) for r in range(len(counts)) if c < len(counts[r])] for c in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[r][c] for r, c in line) != 1:
                continue
            others = [(counts[r][c], r, c) for r, c in line if not hidden[r][c] and counts[r][c]]
            if others:
                _, r, c = min(others)
                hidden[r][c] = True
                changed = True
    return [
        [
            Cell(n, suppressed=hidden[r][c], secondary=hidden[r][c] and not is_small(n))
            for c, n in enumerate(row)
        ]
        for r, row in enumerate(counts)
    ]


def breakdown_cells(counts: Sequence[int]) -> list[Cell]:
    """Count cells for the parts of one total that is shown beside them."""
    return suppress_grid([list(counts)])[0]
