"""Intervals and plain-word judgements for figures by ethnic group (docs/equity-methods.md).

Pure functions of counts, in plain Python (`math` and `statistics.NormalDist`): nothing here
touches the database. Each interval is the one a named method in `statsmodels` gives, and the
tests check them against it on many random inputs, 0 and n included:

- a proportion: the Wilson score interval
  (`proportion_confint(count, n, method="wilson")`);
- a rate per 100,000: the exact central Poisson interval of Garwood (1936)
  (`confint_poisson(count, exposure, method="exact-c")`), found from the regularised
  incomplete gamma function, scaled to 100,000 of the population;
- a rate ratio against a reference group: the score interval, which inverts the score test
  of equal rates (`confint_poisson_2indep(..., compare="ratio", method="score")`). That test's
  statistic is a quadratic in the square root of the ratio, so its limits have a closed form
  here; statsmodels finds the same limits by numerical search.

All intervals are 95% by default (`alpha=0.05`). A figure with no denominator, or a ratio whose
reference group has no events, has no interval: the result says why in words, and nothing is
ever divided by zero.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from statistics import NormalDist

PER = 100_000
ALPHA = 0.05
DEFAULT_SMALL_NUMBER = 5

_EPS = 1e-16
_MAX_ITER = 10_000


def z_value(alpha: float = ALPHA) -> float:
    """The two-sided critical value of the standard normal (1.959964… for 95%)."""
    return NormalDist().inv_cdf(1 - alpha / 2)


# --- A proportion ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Proportion:
    count: int
    total: int
    value: float | None  # count / total, or None when total is 0
    low: float | None
    high: float | None

    @property
    def percent(self) -> float | None:
        return None if self.value is None else 100 * self.value


def wilson(count: int, total: int, alpha: float = ALPHA) -> Proportion:
    """A proportion with its Wilson score interval; defined at 0 and at n, empty when n is 0."""
    if total < 0 or count < 0 or count > total:
        raise ValueError(f"A proportion needs 0 <= count <= total, not {count} of {total}")
    if total == 0:
        return Proportion(count, total, None, None, None)
    z = z_value(alpha)
    p = count / total
    z2 = z * z
    denom = 1 + z2 / total
    centre = (p + z2 / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / denom
    low = 0.0 if count == 0 else max(0.0, centre - half)  # exact at the ends, not 1e-17
    high = 1.0 if count == total else min(1.0, centre + half)
    return Proportion(count, total, p, low, high)


# --- The regularised incomplete gamma function (for the exact Poisson interval) -------------


def _gamma_p_series(a: float, x: float) -> float:
    """P(a, x) by its series, for x < a + 1 (Numerical Recipes, 6.2.5)."""
    term = total = 1.0 / a
    ap = a
    for _ in range(_MAX_ITER):
        ap += 1
        term *= x / ap
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _gamma_q_fraction(a: float, x: float) -> float:
    """Q(a, x) by its continued fraction (modified Lentz), for x >= a + 1 (NR 6.2.7)."""
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, _MAX_ITER):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPS:
            break
    return h * math.exp(-x + a * math.log(x) - math.lgamma(a))


def gamma_p(a: float, x: float) -> float:
    """The regularised lower incomplete gamma function P(a, x), the Gamma(a, 1) CDF at x."""
    if x <= 0:
        return 0.0
    if x < a + 1:
        return _gamma_p_series(a, x)
    return 1.0 - _gamma_q_fraction(a, x)


def gamma_q(a: float, x: float) -> float:
    """Q(a, x) = 1 - P(a, x), computed directly so small tails keep their precision."""
    if x <= 0:
        return 1.0
    if x < a + 1:
        return 1.0 - _gamma_p_series(a, x)
    return _gamma_q_fraction(a, x)


def _solve_increasing(f: Callable[[float], float], target: float, hi: float) -> float:
    """x in [0, hi·2^k] with f(x) = target for an increasing f, by bisection to full precision."""
    lo = 0.0
    while f(hi) < target:
        lo, hi = hi, hi * 2
    for _ in range(200):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if f(mid) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def exact_poisson_count_limits(count: int, alpha: float = ALPHA) -> tuple[float, float]:
    """Garwood's exact central limits for a Poisson mean given `count` events.

    Lower: the α/2 quantile of Gamma(count, 1) (0 when count is 0); upper: the 1 − α/2
    quantile of Gamma(count + 1, 1).
    """
    if count < 0:
        raise ValueError(f"A count cannot be negative ({count})")
    tail = alpha / 2
    start = count + 10 * math.sqrt(count + 1) + 10
    low = 0.0 if count == 0 else _solve_increasing(lambda x: gamma_p(count, x), tail, start)
    high = _solve_increasing(lambda x: -gamma_q(count + 1, x), -tail, start)
    return low, high


# --- A rate per 100,000 ---------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    events: int
    population: int
    value: float | None  # per 100,000; None when there is no population
    low: float | None
    high: float | None


def rate_per_100k(events: int, population: int, alpha: float = ALPHA, per: int = PER) -> Rate:
    """Events per `per` people with Garwood's exact interval; empty when no population."""
    if events < 0 or population < 0:
        raise ValueError("Events and population cannot be negative")
    if population == 0:
        return Rate(events, population, None, None, None)
    low, high = exact_poisson_count_limits(events, alpha)
    scale = per / population
    return Rate(events, population, events * scale, low * scale, high * scale)


# --- A rate ratio against the reference group ------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    events: int
    population: int
    reference_events: int
    reference_population: int
    value: float | None
    low: float | None
    high: float | None
    why_not: str = ""  # in words, when there is no ratio

    @property
    def estimable(self) -> bool:
        return self.value is not None


NOT_ESTIMABLE_REFERENCE = "not estimable: the reference group has no events"
NOT_ESTIMABLE_POPULATION = "not estimable: no population figure for the group"


def rate_ratio(
    events: int,
    population: int,
    reference_events: int,
    reference_population: int,
    alpha: float = ALPHA,
) -> Ratio:
    """The ratio of a group's rate to the reference group's, with the score interval.

    The score statistic for a ratio r is (y1 − y2·q) / √((y1 + y2)·q) with q = r·n1/n2; its
    two-sided limits solve y2·s² ∓ z·√(y1 + y2)·s − y1 = 0 for s = √q. With no events in the
    reference group the ratio is not estimable (said in words, never divided).
    """
    args = (events, population, reference_events, reference_population)
    if min(args) < 0:
        raise ValueError("Events and populations cannot be negative")
    if population == 0 or reference_population == 0:
        return Ratio(*args, None, None, None, why_not=NOT_ESTIMABLE_POPULATION)
    if reference_events == 0:
        return Ratio(*args, None, None, None, why_not=NOT_ESTIMABLE_REFERENCE)
    y1, y2 = events, reference_events
    z = z_value(alpha)
    spread = z * math.sqrt(y1 + y2)
    root = math.sqrt(spread * spread + 4 * y1 * y2)
    s_low = 2 * y1 / (spread + root)  # the smaller root, written without cancellation
    s_high = (spread + root) / (2 * y2)
    to_ratio = reference_population / population
    value = (y1 / population) / (y2 / reference_population)
    return Ratio(*args, value, s_low * s_low * to_ratio, s_high * s_high * to_ratio)


# --- Judgement in words ----------------------------------------------------------------------


class Judgement(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    UNCLEAR = "unclear"
    TOO_SMALL = "too_small"
    NOT_ESTIMABLE = "not_estimable"
    REFERENCE = "reference"


JUDGEMENT_WORDS = {
    Judgement.HIGHER: "statistically clear: higher than the reference group",
    Judgement.LOWER: "statistically clear: lower than the reference group",
    Judgement.UNCLEAR: "unclear: the difference could be chance",
    Judgement.TOO_SMALL: "too small to judge",
    Judgement.NOT_ESTIMABLE: "not estimable",
    Judgement.REFERENCE: "reference group",
}


def judgement_words(judgement: Judgement, ratio: Ratio | None = None) -> str:
    """The judgement in words; a ratio that is not estimable says why."""
    if judgement == Judgement.NOT_ESTIMABLE and ratio is not None and ratio.why_not:
        return ratio.why_not
    return JUDGEMENT_WORDS[judgement]


def judge_ratio(ratio: Ratio, *, small: int = DEFAULT_SMALL_NUMBER) -> Judgement:
    """Whether a group differs from the reference group, in three plain answers.

    - not estimable: the reference group has no events (or there is no population);
    - too small to judge: either group has fewer than `small` events, where the interval
      says little and the count itself may be suppressed;
    - statistically clear (higher or lower): the 95% interval of the ratio excludes 1;
    - unclear: it includes 1, so the difference could be chance.
    """
    if not ratio.estimable or ratio.low is None or ratio.high is None:
        return Judgement.NOT_ESTIMABLE
    if ratio.events < small or ratio.reference_events < small:
        return Judgement.TOO_SMALL
    if ratio.low > 1:
        return Judgement.HIGHER
    if ratio.high < 1:
        return Judgement.LOWER
    return Judgement.UNCLEAR


def judge_proportions(
    group: Proportion, reference: Proportion, *, small: int = DEFAULT_SMALL_NUMBER
) -> Judgement:
    """A group's proportion against the reference group's, by whether their Wilson intervals
    overlap: a conservative check (non-overlap implies a clear difference; overlap does not
    prove there is none, so it is called unclear)."""
    if group.total < small or reference.total < small:
        return Judgement.TOO_SMALL
    if group.low is None or group.high is None or reference.low is None:
        return Judgement.TOO_SMALL
    if reference.high is None:
        return Judgement.TOO_SMALL
    if group.low > reference.high:
        return Judgement.HIGHER
    if group.high < reference.low:
        return Judgement.LOWER
    return Judgement.UNCLEAR


# --- Waits -----------------------------------------------------------------------------------


def median(values: list[float]) -> float | None:
    """The middle value (the mean of the two middle values for an even number)."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def percentile_nearest_rank(values: list[float], pct: float) -> float | None:
    """The value at position ceil(pct/100 · n) in sorted order: always a wait that happened."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(pct / 100 * len(ordered))) - 1]
