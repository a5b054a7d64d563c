"""XmR process limits and the Making Data Count special-cause rules, on series worked by hand."""

import pytest

from healthjustice.core.spc import Rule, xmr


def _rules(values):
    chart = xmr(values)
    assert chart is not None
    return {s.rule for s in chart.signals}


def test_limits_are_the_mean_plus_or_minus_2_66_mean_moving_ranges():
    chart = xmr([10, 12, 10, 12, 10, 12])
    assert chart.mean == 11
    assert chart.mean_moving_range == 2
    assert chart.upper == pytest.approx(11 + 2.66 * 2)
    assert chart.lower == pytest.approx(11 - 2.66 * 2)


def test_ordinary_variation_has_no_signal():
    chart = xmr([10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12])
    assert chart.signals == ()
    assert chart.reading == "common cause variation only: no sign of a change"


def test_a_point_beyond_a_limit():
    values = [10, 12, 10, 12, 10, 40, 12, 10, 12, 10, 12, 10]
    chart = xmr(values)
    outside = [s for s in chart.signals if s.rule == Rule.OUTSIDE]
    assert [(s.points, s.high) for s in outside] == [((5,), True)]


def test_seven_in_a_row_on_one_side_is_a_shift_and_six_is_not():
    low, high = [10, 11] * 3, [13, 14, 13, 14, 13, 14, 13]
    shift = [s for s in xmr(low + high).signals if s.rule == Rule.SHIFT]
    assert [(s.points, s.high) for s in shift] == [((6, 7, 8, 9, 10, 11, 12), True)]
    assert Rule.SHIFT not in _rules(low + high[:6] + [9])


def test_a_point_on_the_mean_breaks_a_run():
    # Mean 12: the 12 in the middle is on it, so no side has seven in a row.
    values = [11, 11, 11, 11, 11, 11, 12, 13, 13, 13, 13, 13, 13]
    assert xmr(values).mean == 12
    assert Rule.SHIFT not in _rules(values)


def test_seven_points_each_higher_is_a_trend_and_a_repeat_breaks_it():
    rising = [5, 4, 5, 4, 1, 2, 3, 4, 5, 6, 7, 4]
    trend = [s for s in xmr(rising).signals if s.rule == Rule.TREND]
    assert [(s.points, s.high) for s in trend] == [((4, 5, 6, 7, 8, 9, 10), True)]
    assert Rule.TREND not in _rules([5, 4, 5, 4, 1, 2, 3, 3, 5, 6, 7, 4])


def test_two_of_three_close_to_a_limit_on_one_side():
    # Mean 12.31, mean moving range 2.46: the upper limit is 18.85 and "close" is above 16.67,
    # so 17, 16, 17 is two close points of three, all above the mean, none outside.
    base = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12]
    values = [*base[:4], 17, 16, 17, *base[4:]]
    chart = xmr(values)
    near = [s for s in chart.signals if s.rule == Rule.TWO_IN_THREE]
    assert [(s.points, s.high) for s in near] == [((4, 6), True)]
    assert Rule.OUTSIDE not in {s.rule for s in chart.signals}


def test_too_few_points_give_no_chart():
    assert xmr([]) is None
    assert xmr([3]) is None
