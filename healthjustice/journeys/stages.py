"""The episode state machine: which stage may follow which, and what a move must carry.

identified → screened → assessed → intervention → closed. Closing is possible from any open
stage with a closure reason. Skipping a stage forward is allowed only with a recorded reason.
"Screened" is reached by recording a screening (or a questionnaire, which belongs to one); a
move there by hand needs a recorded reason. Nothing moves backwards, and nothing moves out
of closed except a reopening: within REOPEN_WITHIN of the closure, by a team leader, with a
reason (a mistaken closure), back to the stage it was closed from.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .choices import ClosureReason, Stage

REOPEN_WITHIN = timedelta(days=7)

ORDER: tuple[Stage, ...] = (
    Stage.IDENTIFIED,
    Stage.SCREENED,
    Stage.ASSESSED,
    Stage.INTERVENTION,
    Stage.CLOSED,
)


class IllegalMove(ValueError):
    """A stage change the pathway does not allow; the message says why in plain words.

    `field` names the answer a form should attach the message to.
    """

    def __init__(self, message: str, *, field: str = "to_stage") -> None:
        super().__init__(message)
        self.field = field


def check_move(
    current: Stage | str | None,
    target: Stage | str,
    *,
    closure_reason: str = "",
    skip_reason: str = "",
    note: str = "",
    by_screening: bool = False,
) -> None:
    try:
        target = Stage(target)
    except ValueError:
        raise IllegalMove("Choose a stage from the list.") from None
    if current is None:
        if target != Stage.IDENTIFIED:
            raise IllegalMove("A new episode starts at 'identified'.")
        return
    current = Stage(current)
    if current == Stage.CLOSED:
        raise IllegalMove("This episode is closed; open a new episode instead.")
    if target == current:
        raise IllegalMove(f"The episode is already at '{current.label.lower()}'.")
    if target == Stage.CLOSED:
        if not closure_reason:
            raise IllegalMove("Give a reason for closing the episode.", field="closure_reason")
        if closure_reason not in ClosureReason.values:
            raise IllegalMove("Choose a reason for closing from the list.", field="closure_reason")
        return
    here, there = ORDER.index(current), ORDER.index(target)
    if there < here:
        raise IllegalMove(
            f"An episode cannot go back from '{current.label.lower()}' to '{target.label.lower()}'."
        )
    if there > here + 1 and not skip_reason.strip():
        skipped = ", ".join(s.label.lower() for s in ORDER[here + 1 : there])
        raise IllegalMove(f"Give a reason for skipping {skipped}.", field="skip_reason")
    if target == Stage.SCREENED and not by_screening and not note.strip():
        raise IllegalMove(
            "Record a screening to move to screened, or give a reason in the note for moving "
            "without one.",
            field="note",
        )


def next_stages(current: Stage | str) -> list[Stage]:
    """Stages a practitioner may move to (skips and closure need a reason)."""
    current = Stage(current)
    if current == Stage.CLOSED:
        return []
    return [s for s in ORDER[ORDER.index(current) + 1 :]]


def is_ahead(current: Stage | str | None, target: Stage | str) -> bool:
    """Is `target` a forward move from `current` (closing aside)? What a recorded piece of work
    (a screening, an assessment, an onward referral) asks before moving the episode on."""
    if current is None or Stage(current) == Stage.CLOSED or Stage(target) == Stage.CLOSED:
        return False
    return ORDER.index(Stage(target)) > ORDER.index(Stage(current))


def skipped_stages(current: Stage | str, target: Stage | str) -> list[Stage]:
    """The stages a forward move from `current` to `target` passes over (closing skips none)."""
    current, target = Stage(current), Stage(target)
    if target == Stage.CLOSED or current == Stage.CLOSED:
        return []
    here, there = ORDER.index(current), ORDER.index(target)
    return list(ORDER[here + 1 : there]) if there > here + 1 else []


OPEN_STAGES: tuple[Stage, ...] = tuple(s for s in ORDER if s != Stage.CLOSED)


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
