"""The episode state machine, on its own (no database)."""

import itertools

import pytest

from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.stages import (
    LIAISON_AND_DIVERSION,
    MACHINES,
    MENTAL_HEALTH_TREATMENT_REQUIREMENT,
    OPEN_STAGES,
    ORDER,
    RECONNECT,
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
@pytest.mark.parametrize("reason", LIAISON_AND_DIVERSION.closure_reasons)
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
    check_move(Stage.IDENTIFIED, Stage.SCREENED, by_record=True)
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


# --- every pathway's table ---------------------------------------------------------------


@pytest.mark.parametrize("machine", MACHINES.values(), ids=lambda m: m.pathway)
def test_each_pathway_starts_at_its_first_stage_and_walks_forward_to_closed(machine):
    check_move(None, machine.first, pathway=machine.pathway)
    with pytest.raises(IllegalMove, match="A new episode starts at"):
        check_move(None, machine.order[1], pathway=machine.pathway)
    for here, there in itertools.pairwise(machine.order):
        by_record = there in machine.recorded_only
        check_move(here, there, pathway=machine.pathway, note="by hand", by_record=by_record)
        with pytest.raises(IllegalMove, match="cannot go back"):
            check_move(there, here, pathway=machine.pathway)
    assert next_stages(machine.order[-1], machine.pathway) == [Stage.CLOSED]


def test_reconnect_reaches_handed_over_only_by_a_recorded_handover():
    with pytest.raises(IllegalMove, match="at least one handover"):
        check_move(Stage.POST_RELEASE, Stage.HANDED_OVER, pathway=RECONNECT.pathway, note="by hand")
    check_move(Stage.POST_RELEASE, Stage.HANDED_OVER, pathway=RECONNECT.pathway, by_record=True)


@pytest.mark.parametrize("machine", MACHINES.values(), ids=lambda m: m.pathway)
def test_a_pathway_refuses_another_pathways_stages_and_closure_reasons(machine):
    others = [s for m in MACHINES.values() if m is not machine for s in m.order]
    foreign = next(s for s in others if s not in machine.order)
    with pytest.raises(IllegalMove, match="Choose a stage from the list"):
        check_move(machine.first, foreign, pathway=machine.pathway)
    reasons = set(ClosureReason) - set(machine.closure_choices())
    for reason in reasons:
        with pytest.raises(IllegalMove, match="reason for closing from the list"):
            check_move(machine.first, Stage.CLOSED, pathway=machine.pathway, closure_reason=reason)


def test_liaison_and_diversion_is_unchanged():
    assert (
        LIAISON_AND_DIVERSION.stages
        == ORDER
        == (
            Stage.IDENTIFIED,
            Stage.SCREENED,
            Stage.ASSESSED,
            Stage.INTERVENTION,
            Stage.CLOSED,
        )
    )


def test_an_mhtr_order_can_be_completed_only_in_treatment_and_revoked_only_once_made():
    mhtr = MENTAL_HEALTH_TREATMENT_REQUIREMENT
    check_move(
        Stage.IN_TREATMENT, Stage.CLOSED, pathway=mhtr.pathway, closure_reason="order_completed"
    )
    with pytest.raises(IllegalMove, match="from the list"):
        check_move(
            Stage.ORDER_MADE, Stage.CLOSED, pathway=mhtr.pathway, closure_reason="order_completed"
        )
    check_move(Stage.ORDER_MADE, Stage.CLOSED, pathway=mhtr.pathway, closure_reason="order_revoked")
    with pytest.raises(IllegalMove, match="from the list"):
        check_move(
            Stage.AWAITING_SENTENCE,
            Stage.CLOSED,
            pathway=mhtr.pathway,
            closure_reason="order_revoked",
        )
    check_move(Stage.REFERRED, Stage.CLOSED, pathway=mhtr.pathway, closure_reason="not_suitable")
    choices = MENTAL_HEALTH_TREATMENT_REQUIREMENT.closure_choices(Stage.REFERRED)
    assert "order_completed" not in choices


def test_reconnect_skips_only_with_a_reason():
    with pytest.raises(IllegalMove, match="reason for skipping eligibility checked"):
        check_move(Stage.REFERRED, Stage.PRE_RELEASE, pathway=RECONNECT.pathway)
    check_move(Stage.REFERRED, Stage.PRE_RELEASE, pathway=RECONNECT.pathway, skip_reason="Known")
    assert skipped_stages(Stage.REFERRED, Stage.PRE_RELEASE, RECONNECT.pathway) == [
        Stage.ELIGIBILITY_CHECKED
    ]


def test_carers_support_keeps_no_episodes():
    with pytest.raises(IllegalMove, match="does not keep episodes"):
        check_move(None, Stage.IDENTIFIED, pathway="carers")
