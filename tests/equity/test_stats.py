"""Every interval agrees with statsmodels on many random inputs, 0 and n included."""

import math
import random

import pytest

from healthjustice.equity import stats

sm_proportion = pytest.importorskip("statsmodels.stats.proportion")
sm_rates = pytest.importorskip("statsmodels.stats.rates")

CASES = 400


def _close(ours: float, theirs: float, rel: float = 1e-9, abs_: float = 1e-12) -> bool:
    return math.isclose(ours, float(theirs), rel_tol=rel, abs_tol=abs_)


def _totals(rng: random.Random) -> list[int]:
    return [1, 2, 3, 5, 10, 37, 100, 999, 10_000, rng.randint(1, 50), rng.randint(1, 5000)]


def test_wilson_matches_statsmodels_including_0_and_n():
    rng = random.Random(13)
    checked = 0
    for _ in range(CASES // 10):
        for n in _totals(rng):
            for count in {0, n, rng.randint(0, n), min(n, 1), max(0, n - 1)}:
                ours = stats.wilson(count, n)
                low, high = sm_proportion.proportion_confint(count, n, method="wilson")
                assert _close(ours.low, low), (count, n, ours, low)
                assert _close(ours.high, high), (count, n, ours, high)
                checked += 1
    assert checked > 1000


def test_wilson_with_no_denominator_has_no_interval():
    result = stats.wilson(0, 0)
    assert result.value is None and result.low is None and result.high is None


def test_wilson_at_zero_shows_zero_with_an_interval():
    result = stats.wilson(0, 20)
    assert result.percent == 0 and result.low == 0 and result.high > 0.1


def test_wilson_refuses_impossible_counts():
    with pytest.raises(ValueError, match="count <= total"):
        stats.wilson(6, 5)


def test_exact_poisson_rate_matches_statsmodels_exact_c():
    rng = random.Random(1936)
    counts = [0, 1, 2, 3, 4, 5, 10, 50, 100, 1000, 25_000]
    counts += [rng.randint(0, 30) for _ in range(CASES // 2)]
    counts += [rng.randint(0, 5000) for _ in range(CASES // 4)]
    for count in counts:
        population = rng.choice([1, 1000, 258_369, rng.randint(1, 1_000_000)])
        ours = stats.rate_per_100k(count, population)
        low, high = sm_rates.confint_poisson(count, population, method="exact-c")
        assert _close(ours.low, low * stats.PER, rel=1e-9), (count, population, ours, low)
        assert _close(ours.high, high * stats.PER, rel=1e-9), (count, population, ours, high)
        assert ours.value == pytest.approx(count / population * stats.PER)


def test_a_rate_with_no_population_says_so():
    assert stats.rate_per_100k(3, 0).value is None


def test_score_rate_ratio_matches_statsmodels():
    rng = random.Random(2000)
    checked = 0
    for i in range(CASES):
        y2 = rng.choice([1, 2, 5, rng.randint(1, 40), rng.randint(1, 3000)])
        y1 = rng.choice([0, 1, y2, rng.randint(0, 40), rng.randint(0, 3000)])
        n1 = rng.choice([1000, 6884, rng.randint(500, 900_000)])
        n2 = rng.choice([177_930, 820_304, rng.randint(500, 900_000)])
        if i < 10:
            y1 = 0  # no events in the group: the lower limit is 0
        ours = stats.rate_ratio(y1, n1, y2, n2)
        low, high = sm_rates.confint_poisson_2indep(y1, n1, y2, n2, method="score", compare="ratio")
        # statsmodels finds the limits by a Nelder-Mead search with xtol 1e-8, so agreement
        # is to that search's precision, not to machine precision.
        if y1 == 0:
            # With no events in the group the search lands on the upper limit from both
            # starts; the score test itself (statsmodels') accepts every ratio below the
            # upper limit down to 0, so 0 is the lower limit.
            assert ours.low == 0
            pvalue = sm_rates.test_poisson_2indep(
                0, n1, y2, n2, value=1e-9, method="score", compare="ratio"
            ).pvalue
            assert pvalue > 0.05
        else:
            assert _close(ours.low, low, rel=1e-6, abs_=1e-7), (y1, n1, y2, n2, ours, low)
        assert _close(ours.high, high, rel=1e-6, abs_=1e-7), (y1, n1, y2, n2, ours, high)
        checked += 1
    assert checked == CASES


def test_no_events_in_the_reference_group_is_not_estimable_in_words():
    ratio = stats.rate_ratio(7, 10_000, 0, 200_000)
    assert ratio.value is None and ratio.low is None
    judgement = stats.judge_ratio(ratio)
    assert judgement == stats.Judgement.NOT_ESTIMABLE
    assert stats.judgement_words(judgement, ratio) == (
        "not estimable: the reference group has no events"
    )


def test_no_population_is_not_estimable():
    ratio = stats.rate_ratio(7, 0, 10, 200_000)
    assert stats.judgement_words(stats.judge_ratio(ratio), ratio).startswith("not estimable")


@pytest.mark.parametrize(
    ("y1", "n1", "y2", "n2", "expected"),
    [
        (60, 10_000, 100, 100_000, stats.Judgement.HIGHER),
        (2, 10_000, 100, 100_000, stats.Judgement.TOO_SMALL),
        (12, 10_000, 100, 100_000, stats.Judgement.UNCLEAR),
        (5, 100_000, 200, 100_000, stats.Judgement.LOWER),
    ],
)
def test_judgement_of_a_ratio(y1, n1, y2, n2, expected):
    assert stats.judge_ratio(stats.rate_ratio(y1, n1, y2, n2)) == expected


def test_judgement_of_proportions():
    ref = stats.wilson(50, 100)
    assert stats.judge_proportions(stats.wilson(90, 100), ref) == stats.Judgement.HIGHER
    assert stats.judge_proportions(stats.wilson(10, 100), ref) == stats.Judgement.LOWER
    assert stats.judge_proportions(stats.wilson(55, 100), ref) == stats.Judgement.UNCLEAR
    assert stats.judge_proportions(stats.wilson(2, 3), ref) == stats.Judgement.TOO_SMALL


def test_median_and_nearest_rank_percentile():
    assert stats.median([]) is None
    assert stats.median([3.0, 1.0, 2.0]) == 2.0
    assert stats.median([1.0, 2.0, 3.0, 4.0]) == 2.5
    assert stats.percentile_nearest_rank([float(i) for i in range(1, 11)], 90) == 9.0
    assert stats.percentile_nearest_rank([5.0], 90) == 5.0
