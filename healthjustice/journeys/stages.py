"""The episode state machines: for each pathway, which stage may follow which, and what a move
must carry. The tables are data, here and nowhere else; the rules are the same for every one.

- Liaison and Diversion: identified → screened → assessed → intervention.
- Mental Health Treatment Requirement: referred → suitability assessed → view given for the
  pre-sentence report → awaiting sentence → order made → in treatment.
- RECONNECT: referred → eligibility checked → pre-release support → released → post-release
  support → handed over.

Every episode ends at "closed", from any open stage, with one of its pathway's closure reasons;
some reasons apply only from some stages (an MHTR order can be completed only once it is being
treated). Some stages are reached only by recorded work, never by hand (RECONNECT's "handed
over" needs a recorded handover). Skipping a stage forward is allowed only with a recorded
reason. A stage that recorded work reaches (L&D's "screened", by a screening or questionnaire)
needs a reason in the note when moved to by hand. Nothing moves backwards, and nothing moves out
of closed except a reopening: within REOPEN_WITHIN of the closure, by a team leader, with a
reason (a mistaken closure), back to the stage it was closed from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from healthjustice.organisations.choices import Pathway

from .choices import ClosureReason, Stage

REOPEN_WITHIN = timedelta(days=7)


@dataclass(frozen=True)
class StageMachine:
    """One pathway's table: its open stages in order, and how an episode may close."""

    pathway: str
    order: tuple[Stage, ...]
    # Reasons for closing from any open stage.
    closure_reasons: tuple[ClosureReason, ...]
    # Reasons for closing only from the stages named.
    closure_reasons_from: Mapping[ClosureReason, tuple[Stage, ...]] = field(default_factory=dict)
    # Stages reached by recording work (what is recorded); by hand they need a note.
    reached_by_recording: Mapping[Stage, str] = field(default_factory=dict)
    # Stages reached only by recording work, never by hand (RECONNECT's "handed over" needs a
    # recorded handover): the message says where to record it.
    recorded_only: Mapping[Stage, str] = field(default_factory=dict)
    # Episodes opened only through the pathway's own referral pages, which record what the
    # pathway needs (an MHTR referral's route, RECONNECT's release window), never the general
    # "Open an episode" page.
    opened_by_referral: bool = False

    @property
    def first(self) -> Stage:
        return self.order[0]

    @property
    def stages(self) -> tuple[Stage, ...]:
        return (*self.order, Stage.CLOSED)

    def closure_choices(self, current: Stage | str | None = None) -> list[ClosureReason]:
        """The reasons for closing this pathway offers, from `current` if given (all if not)."""
        limited = [
            reason
            for reason, stages in self.closure_reasons_from.items()
            if current is None or current in stages
        ]
        return [*self.closure_reasons, *limited]


LIAISON_AND_DIVERSION = StageMachine(
    pathway=Pathway.LIAISON_DIVERSION,
    order=(Stage.IDENTIFIED, Stage.SCREENED, Stage.ASSESSED, Stage.INTERVENTION),
    closure_reasons=(
        ClosureReason.COMPLETED,
        ClosureReason.DECLINED,
        ClosureReason.NOT_APPROPRIATE,
        ClosureReason.RELEASED_OR_TRANSFERRED,
        ClosureReason.ALREADY_KNOWN,
        ClosureReason.DIED,
        ClosureReason.OTHER,
    ),
    reached_by_recording={Stage.SCREENED: "a screening"},
)

_UNDER_ORDER = (Stage.ORDER_MADE, Stage.IN_TREATMENT)
MENTAL_HEALTH_TREATMENT_REQUIREMENT = StageMachine(
    pathway=Pathway.MHTR,
    order=(
        Stage.REFERRED,
        Stage.SUITABILITY_ASSESSED,
        Stage.PSR_VIEW_GIVEN,
        Stage.AWAITING_SENTENCE,
        Stage.ORDER_MADE,
        Stage.IN_TREATMENT,
    ),
    closure_reasons=(
        ClosureReason.NOT_SUITABLE,
        ClosureReason.DECLINED,
        ClosureReason.NO_ORDER_MADE,
        ClosureReason.DIED,
        ClosureReason.OTHER,
    ),
    closure_reasons_from={
        ClosureReason.ORDER_COMPLETED: (Stage.IN_TREATMENT,),
        ClosureReason.ORDER_REVOKED: _UNDER_ORDER,
        ClosureReason.ORDER_BREACHED: _UNDER_ORDER,
        ClosureReason.ORDER_TRANSFERRED: _UNDER_ORDER,
    },
    opened_by_referral=True,
)

RECONNECT = StageMachine(
    pathway=Pathway.RECONNECT,
    order=(
        Stage.REFERRED,
        Stage.ELIGIBILITY_CHECKED,
        Stage.PRE_RELEASE,
        Stage.RELEASED,
        Stage.POST_RELEASE,
        Stage.HANDED_OVER,
    ),
    closure_reasons=(
        ClosureReason.NOT_ELIGIBLE,
        ClosureReason.DECLINED,
        ClosureReason.ENHANCED_SERVICE,
        ClosureReason.RELEASE_CANCELLED,
        ClosureReason.RECALLED,
        ClosureReason.LOST_CONTACT,
        ClosureReason.MOVED_OUT_OF_AREA,
        ClosureReason.DIED,
        ClosureReason.NEEDS_MET,
        ClosureReason.OTHER,
    ),
    recorded_only={
        Stage.HANDED_OVER: (
            "An episode moves to 'handed over' from its RECONNECT section, once at least one "
            "handover to a community service is recorded."
        )
    },
    opened_by_referral=True,
)

MACHINES: dict[str, StageMachine] = {
    m.pathway: m for m in (LIAISON_AND_DIVERSION, MENTAL_HEALTH_TREATMENT_REQUIREMENT, RECONNECT)
}


def opened_by_referral(pathway: str) -> bool:
    """Whether the pathway's episodes are opened only through its own referral pages."""
    machine = MACHINES.get(pathway)
    return machine is not None and machine.opened_by_referral


def machine_for(pathway: str) -> StageMachine:
    """The pathway's table. Pathways without episodes of their own (carers' support) have none."""
    try:
        return MACHINES[pathway]
    except KeyError:
        raise IllegalMove("This pathway does not keep episodes.") from None


# Liaison and Diversion's order, for code about L&D alone (its data return, its dashboard).
ORDER: tuple[Stage, ...] = LIAISON_AND_DIVERSION.stages
OPEN_STAGES: tuple[Stage, ...] = LIAISON_AND_DIVERSION.order
LD = Pathway.LIAISON_DIVERSION


class IllegalMove(ValueError):
    """A stage change the pathway does not allow; the message says why in plain words.

    `field` names the answer a form should attach the message to.
    """

    def __init__(self, message: str, *, field: str = "to_stage") -> None:
        super().__init__(message)
        self.field = field


def _stage_of(machine: StageMachine, value: Stage | str, *, field: str = "to_stage") -> Stage:
    try:
        stage = Stage(value)
    except ValueError:
        raise IllegalMove("Choose a stage from the list.", field=field) from None
    if stage not in machine.stages:
        raise IllegalMove("Choose a stage from the list.", field=field)
    return stage


def check_move(
    current: Stage | str | None,
    target: Stage | str,
    *,
    pathway: str = LD,
    closure_reason: str = "",
    skip_reason: str = "",
    note: str = "",
    by_record: bool = False,
) -> None:
    machine = machine_for(pathway)
    target = _stage_of(machine, target)
    if current is None:
        if target != machine.first:
            raise IllegalMove(f"A new episode starts at '{machine.first.label.lower()}'.")
        return
    current = _stage_of(machine, current)
    if current == Stage.CLOSED:
        raise IllegalMove("This episode is closed; open a new episode instead.")
    if target == current:
        raise IllegalMove(f"The episode is already at '{current.label.lower()}'.")
    if target == Stage.CLOSED:
        if not closure_reason:
            raise IllegalMove("Give a reason for closing the episode.", field="closure_reason")
        if closure_reason not in machine.closure_choices(current):
            raise IllegalMove("Choose a reason for closing from the list.", field="closure_reason")
        return
    here, there = machine.order.index(current), machine.order.index(target)
    if there < here:
        raise IllegalMove(
            f"An episode cannot go back from '{current.label.lower()}' to '{target.label.lower()}'."
        )
    if there > here + 1 and not skip_reason.strip():
        skipped = ", ".join(s.label.lower() for s in machine.order[here + 1 : there])
        raise IllegalMove(f"Give a reason for skipping {skipped}.", field="skip_reason")
    only = machine.recorded_only.get(target)
    if only and not by_record:
        raise IllegalMove(only)
    recorded = machine.reached_by_recording.get(target)
    if recorded and not by_record and not note.strip():
        raise IllegalMove(
            f"Record {recorded} to move to {target.label.lower()}, or give a reason in the note "
            "for moving without one.",
            field="note",
        )


def next_stages(current: Stage | str, pathway: str = LD) -> list[Stage]:
    """Stages a practitioner may move to (skips and closure need a reason)."""
    machine = machine_for(pathway)
    current = Stage(current)
    if current == Stage.CLOSED or current not in machine.order:
        return []
    return list(machine.stages[machine.order.index(current) + 1 :])


def is_ahead(current: Stage | str | None, target: Stage | str, pathway: str = LD) -> bool:
    """Is `target` a forward move from `current` (closing aside)? What a recorded piece of work
    (a screening, an assessment, an onward referral) asks before moving the episode on."""
    order = machine_for(pathway).order
    if current is None or current not in order or target not in order:
        return False
    return order.index(Stage(target)) > order.index(Stage(current))


def skipped_stages(
    current: Stage | str | None, target: Stage | str, pathway: str = LD
) -> list[Stage]:
    """The stages a forward move from `current` to `target` passes over (closing skips none)."""
    order = machine_for(pathway).order
    if current not in order or target not in order:
        return []
    here, there = order.index(Stage(current)), order.index(Stage(target))
    return list(order[here + 1 : there]) if there > here + 1 else []


def check_reopen(
    current: Stage | str | None, *, closed_at: datetime | None, now: datetime, reason: str
) -> None:
    """A mistaken closure may be undone within REOPEN_WITHIN, with a reason."""
    if current != Stage.CLOSED or closed_at is None:
        raise IllegalMove("Only a closed episode can be reopened.", field="reason")
    if now - closed_at > REOPEN_WITHIN:
        raise IllegalMove(
            "This episode was closed more than 7 days ago, so it cannot be reopened: "
            "open a new episode instead.",
            field="reason",
        )
    if not reason.strip():
        raise IllegalMove("Give a reason for reopening the episode.", field="reason")
