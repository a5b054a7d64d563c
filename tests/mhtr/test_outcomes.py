"""The rules that judge an MHTR episode's measures, each at the edges of its threshold: reliable
change (PHQ-9 6, GAD-7 4, CORE-10 6 points), caseness (PHQ-9 10, GAD-7 10, CORE-10 11),
recovery and clinically significant change, and the episode's result on PHQ-9 with GAD-7."""

import datetime

import pytest

from healthjustice.mhtr.outcomes import (
    Change,
    Point,
    is_caseness,
    measure_outcome,
    outcomes_from_series,
    shows_recovery,
    shows_reliable_deterioration,
    shows_reliable_improvement,
    summarise,
)

D = datetime.date(2026, 1, 5)


@pytest.mark.parametrize(
    ("code", "first", "latest", "change"),
    [
        ("phq9", 18, 12, Change.RELIABLE_IMPROVEMENT),  # exactly 6 down
        ("phq9", 18, 13, Change.NO_RELIABLE_CHANGE),  # 5 down
        ("phq9", 12, 18, Change.RELIABLE_DETERIORATION),  # exactly 6 up
        ("phq9", 12, 17, Change.NO_RELIABLE_CHANGE),  # 5 up
        ("phq9", 10, 10, Change.NO_RELIABLE_CHANGE),
        ("gad7", 14, 10, Change.RELIABLE_IMPROVEMENT),  # exactly 4 down
        ("gad7", 14, 11, Change.NO_RELIABLE_CHANGE),  # 3 down
        ("gad7", 6, 10, Change.RELIABLE_DETERIORATION),  # exactly 4 up
        ("gad7", 6, 9, Change.NO_RELIABLE_CHANGE),
        ("core10", 20, 14, Change.RELIABLE_IMPROVEMENT),
        ("core10", 20, 15, Change.NO_RELIABLE_CHANGE),
        ("core10", 14, 20, Change.RELIABLE_DETERIORATION),
        ("core10", 0, 40, Change.RELIABLE_DETERIORATION),
    ],
)
def test_reliable_change_uses_the_instruments_threshold_inclusive(code, first, latest, change):
    outcome = measure_outcome(code, first, latest)
    assert outcome.change is change
    assert outcome.points == latest - first
    assert outcome.reliable_improvement is (change is Change.RELIABLE_IMPROVEMENT)
    assert outcome.reliable_deterioration is (change is Change.RELIABLE_DETERIORATION)


@pytest.mark.parametrize(
    ("code", "below", "at"), [("phq9", 9, 10), ("gad7", 9, 10), ("core10", 10, 11)]
)
def test_caseness_is_at_or_above_the_cutoff(code, below, at):
    assert is_caseness(code, at) and not is_caseness(code, below)


def test_recovery_is_caseness_at_first_and_not_at_latest():
    assert measure_outcome("phq9", 10, 9).recovered  # from the cut-off to just below
    assert not measure_outcome("phq9", 9, 3).recovered  # never in the clinical range
    assert not measure_outcome("phq9", 20, 10).recovered  # still at the cut-off
    assert not measure_outcome("core10", 11, 11).recovered


def test_clinically_significant_change_needs_reliable_improvement_across_the_cutoff():
    crossed = measure_outcome("phq9", 15, 9)  # 6 down, 15 -> 9 crosses 10
    assert crossed.clinically_significant and crossed.recovered
    small = measure_outcome("phq9", 11, 9)  # crossed but only 2 down
    assert small.recovered and not small.clinically_significant
    stayed = measure_outcome("phq9", 22, 12)  # reliable but still in the clinical range
    assert stayed.reliable_improvement and not stayed.clinically_significant
    low = measure_outcome("gad7", 9, 2)  # reliable but never in the clinical range
    assert low.reliable_improvement and not low.clinically_significant


def test_totals_outside_the_instrument_are_refused():
    with pytest.raises(ValueError, match="outside 0"):
        measure_outcome("phq9", 28, 3)
    with pytest.raises(ValueError, match="Unknown instrument"):
        measure_outcome("auditx", 1, 2)


def _series(**totals):
    return {
        code: [Point(D + datetime.timedelta(days=7 * i), t) for i, t in enumerate(values)]
        for code, values in totals.items()
    }


def test_outcomes_compare_the_first_with_the_latest_and_need_two_scores():
    outcomes = outcomes_from_series(_series(phq9=[18, 20, 15, 11], gad7=[12], core10=[]))
    assert set(outcomes) == {"phq9"}
    phq9 = outcomes["phq9"]
    assert (phq9.first, phq9.latest, phq9.first_on) == (18, 11, D)
    assert phq9.latest_on == D + datetime.timedelta(days=21)
    assert phq9.change is Change.RELIABLE_IMPROVEMENT


def test_episode_improves_reliably_on_one_of_the_pair_with_no_deterioration_on_the_other():
    outcomes = outcomes_from_series(_series(phq9=[18, 11], gad7=[12, 13]))
    assert shows_reliable_improvement(outcomes)
    assert not shows_reliable_deterioration(outcomes)
    mixed = outcomes_from_series(_series(phq9=[18, 11], gad7=[6, 12]))
    assert not shows_reliable_improvement(mixed) and not shows_reliable_deterioration(mixed)
    worse = outcomes_from_series(_series(phq9=[8, 14], gad7=[6, 7]))
    assert shows_reliable_deterioration(worse) and not shows_reliable_improvement(worse)


def test_core10_does_not_count_for_the_episodes_talking_therapies_result():
    outcomes = outcomes_from_series(_series(core10=[25, 5]))
    summary = summarise(outcomes)
    assert not summary.measured and not summary.reliable_improvement and not summary.recovery
    assert outcomes["core10"].clinically_significant


def test_episode_recovery_needs_caseness_on_one_at_first_and_on_neither_at_latest():
    assert shows_recovery(outcomes_from_series(_series(phq9=[14, 9], gad7=[8, 9])))
    # GAD-7 rises to the cut-off at the latest score: not recovered
    assert not shows_recovery(outcomes_from_series(_series(phq9=[14, 9], gad7=[8, 10])))
    # neither in the clinical range at first: nothing to recover from
    assert not shows_recovery(outcomes_from_series(_series(phq9=[9, 2], gad7=[9, 1])))
    summary = summarise(outcomes_from_series(_series(phq9=[16, 9], gad7=[8, 8])))
    assert summary.recovery and summary.reliable_improvement and summary.reliable_recovery
    summary = summarise(outcomes_from_series(_series(phq9=[11, 9])))
    assert summary.recovery and not summary.reliable_recovery
