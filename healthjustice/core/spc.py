"""XmR statistical process control, as NHS England's "Making Data Count" reads a monthly series.

- The **mean** of the points, and the **moving ranges** (each point's distance from the one
  before). The **process limits** are the mean ± 2.66 × the mean moving range (3 sigma, with
  sigma estimated as the mean moving range ÷ 1.128).
- A point is **special cause** when it is part of any of:
  1. **outside the limits**: a single point above the upper or below the lower limit;
  2. **a shift**: seven or more points in a row on one side of the mean (a point on the mean
     breaks the run);
  3. **a trend**: seven or more points in a row each higher (or each lower) than the one before
     (a repeated value breaks it);
  4. **two in three**: two of three points in a row in the outer third beyond the mean on one
     side (more than two thirds of the way to the limit, "close to the limit"), with all three
     on that side of the mean.
- Everything else is common cause variation.

Pure functions; the numbers come in and a reading goes out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

LIMIT_FACTOR = 2.66
RUN = 7  # points in a shift or a trend
MINIMUM_POINTS = 12  # fewer than this: too few to set limits worth reading


class Rule(StrEnum):
    OUTSIDE = "a point outside the process limits"
    SHIFT = "a shift: seven or more points in a row on one side of the mean"
    TREND = "a trend: seven or more points in a row each going the same way"
    TWO_IN_THREE = "two of three points in a row close to a process limit"


@dataclass(frozen=True)
class Signal:
    rule: Rule
    points: tuple[int, ...]  # indices into the series
    high: bool  # above the mean (or rising), else below (or falling)


@dataclass(frozen=True)
class XmR:
    values: tuple[float, ...]
    mean: float
    mean_moving_range: float
    upper: float
    lower: float
    signals: tuple[Signal, ...]

    @property
    def special(self) -> set[int]:
        return {i for s in self.signals for i in s.points}

    @property
    def reading(self) -> str:
        """The series in words."""
        if not self.signals:
            return "common cause variation only: no sign of a change"
        found = []
        for signal in self.signals:
            words = signal.rule.value
            if words not in found:
                found.append(words)
        return "special cause variation: " + "; ".join(found)


def _side(value: float, mean: float) -> int:
    return (value > mean) - (value < mean)


def _runs(marks: Sequence[int], length: int) -> list[tuple[int, int, int]]:
    """(start, end exclusive, mark) of each run of at least `length` equal non-zero marks."""
    found = []
    start = 0
    for i in range(1, len(marks) + 1):
        if i == len(marks) or marks[i] != marks[start]:
            if marks[start] != 0 and i - start >= length:
                found.append((start, i, marks[start]))
            start = i
    return found


def xmr(values: Sequence[float]) -> XmR | None:
    """The chart's lines and its signals; None for fewer than two points."""
    points = tuple(float(v) for v in values)
    if len(points) < 2:
        return None
    mean = sum(points) / len(points)
    ranges = [abs(b - a) for a, b in pairwise(points)]
    mean_range = sum(ranges) / len(ranges)
    upper, lower = mean + LIMIT_FACTOR * mean_range, mean - LIMIT_FACTOR * mean_range
    signals: list[Signal] = []
    for i, v in enumerate(points):
        if v > upper or v < lower:
            signals.append(Signal(Rule.OUTSIDE, (i,), v > upper))
    sides = [_side(v, mean) for v in points]
    for start, end, mark in _runs(sides, RUN):
        signals.append(Signal(Rule.SHIFT, tuple(range(start, end)), mark > 0))
    # Direction of each step; a trend of RUN points is RUN - 1 steps the same way.
    steps = [_side(b, a) for a, b in pairwise(points)]
    for start, end, mark in _runs(steps, RUN - 1):
        signals.append(Signal(Rule.TREND, tuple(range(start, end + 1)), mark > 0))
    near = LIMIT_FACTOR * mean_range * 2 / 3
    close = [_side(v, mean) if abs(v - mean) > near else 0 for v in points]
    for start in range(len(points) - 2):
        window = range(start, start + 3)
        for side in (1, -1):
            if all(sides[i] == side for i in window) and sum(close[i] == side for i in window) >= 2:
                chosen = tuple(i for i in window if close[i] == side)
                signals.append(Signal(Rule.TWO_IN_THREE, chosen, side > 0))
    return XmR(points, mean, mean_range, upper, lower, tuple(signals))
