"""The episode state machine, on its own (no database)."""

import itertools

import pytest

from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.stages import (
    OPEN_STAGES,
    ORDER,
    IllegalMove,
    check_move,
    is_ahead,
    next_stages,
    skipped_stages,
)

# Reaching "screened" has its own rule (a screening, or a reason): tested below.
FORWARD_ONE = [(a, b) for a, b in itertools.pairwise(OPEN_STAGES) if b != Stage.SCREENED]
SKIPS = [
    (a, b) for a, b in itertools.combinations(OPEN_STAGES, 2) if ORDER.index(b) - ORDER.index(a) > 1
]
BACKWARDS = [(b, a) for a, b in itertools.combinations(OPEN_STAGES, 2)]


@pytest.mark.parametrize(("current", "target"), FORWARD_ONE)
def test_check_move_allows_the_next_stage_without_a_reason(current, target):
    check_move(current, target)


@pytest.mark.parametrize(("current", "target"), SKIPS)
def test_check_move_refuses_a_skip_without_a_reason(current, target):
    with pytest.raises(IllegalMove, match="Give a reason for skipping") as caught:
        check_move(current, target, skip_reason="   ")
    assert caught.value.field == "skip_reason"


@pytest.mark.parametrize(("current", "target"), SKIPS)
def test_check_move_allows_a_skip_with_a_reason(current, target):
    check_move(current, target, skip_reason="Seen by the crisis team in custody")


def test_skip_message_names_the_skipped_stages():
    with pytest.raises(IllegalMove) as caught:
        check_move(Stage.IDENTIFIED, Stage.INTERVENTION)
    assert str(caught.value) == "Give a reason for skipping screened, assessed."


@pytest.mark.parametrize(("current", "target"), BACKWARDS)
def test_check_move_refuses_going_back(current, target):
    with pytest.raises(IllegalMove, match="cannot go back") as caught:
        check_move(current, target, skip_reason="any", closure_reason="declined")
    assert caught.value.field == "to_stage"


@pytest.mark.parametrize("stage", OPEN_STAGES)
def test_check_move_refuses_staying_put(stage):
    with pytest.raises(IllegalMove, match="already at"):
        check_move(stage, stage)


@pytest.mark.parametrize("target", ORDER)
def test_nothing_moves_out_of_closed(target):
    with pytest.raises(IllegalMove, match="This episode is closed"):
        check_move(Stage.CLOSED, target, closure_reason="declined", skip_reason="x")


@pytest.mark.parametrize("stage", OPEN_STAGES)
@pytest.mark.parametrize("reason", ClosureReason.values)
def test_closure_is_allowed_from_every_open_stage_with_any_reason(stage, reason):
    check_move(stage, Stage.CLOSED, closure_reason=reason)


@pytest.mark.parametrize("stage", OPEN_STAGES)
def test_closure_without_a_reason_is_refused(stage):
    with pytest.raises(IllegalMove, match="Give a reason for closing") as caught:
        check_move(stage, Stage.CLOSED)
    assert caught.value.field == "closure_reason"


def test_closure_with_an_unknown_reason_is_refused():
    with pytest.raises(IllegalMove, match="from the list"):
        check_move(Stage.SCREENED, Stage.CLOSED, closure_reason="bored")


def test_unknown_target_stage_is_refused():
    with pytest.raises(IllegalMove, match="Choose a stage"):
        check_move(Stage.IDENTIFIED, "sentenced")


@pytest.mark.parametrize("target", [s for s in ORDER if s != Stage.IDENTIFIED])
def test_a_new_episode_must_start_at_identified(target):
    with pytest.raises(IllegalMove, match="starts at 'identified'"):
        check_move(None, target)
    check_move(None, Stage.IDENTIFIED)


def test_next_stages_lists_every_later_stage_and_none_after_closing():
    assert next_stages(Stage.SCREENED) == [Stage.ASSESSED, Stage.INTERVENTION, Stage.CLOSED]
    assert next_stages(Stage.CLOSED) == []


def test_skipped_stages_counts_only_forward_skips():
    assert skipped_stages(Stage.IDENTIFIED, Stage.ASSESSED) == [Stage.SCREENED]
    assert skipped_stages(Stage.IDENTIFIED, Stage.SCREENED) == []
    assert skipped_stages(Stage.IDENTIFIED, Stage.CLOSED) == []


def test_screened_is_reached_by_a_screening_or_with_a_reason():
    with pytest.raises(IllegalMove) as exc:
        check_move(Stage.IDENTIFIED, Stage.SCREENED)
    assert exc.value.field == "note"
    with pytest.raises(IllegalMove):
        check_move(Stage.IDENTIFIED, Stage.SCREENED, note="   ")
    check_move(Stage.IDENTIFIED, Stage.SCREENED, by_screening=True)
    check_move(Stage.IDENTIFIED, Stage.SCREENED, note="Screened on paper at court")


@pytest.mark.parametrize(
    ("current", "target", "ahead"),
    [
        (None, Stage.SCREENED, False),
        (Stage.IDENTIFIED, Stage.SCREENED, True),
        (Stage.IDENTIFIED, Stage.INTERVENTION, True),
        (Stage.ASSESSED, Stage.ASSESSED, False),
        (Stage.INTERVENTION, Stage.ASSESSED, False),
        (Stage.SCREENED, Stage.CLOSED, False),
        (Stage.CLOSED, Stage.INTERVENTION, False),
    ],
)
def test_is_ahead_says_when_recorded_work_moves_the_episode_on(current, target, ahead):
    assert is_ahead(current, target) is ahead
