"""Change against the first score of an instrument, and whether the change is reliable.

Every instrument here scores higher for more difficulty, so a fall is an improvement. The
reliable-change threshold is part of each instrument's definition (`Instrument.reliable_change`):
CORE-10 6 points (domain brief), PHQ-9 6 and GAD-7 4 (NHS Talking Therapies manual). The
others show the change in points without a judgement.
"""

from __future__ import annotations

from dataclasses import dataclass

from .instruments import get_instrument


@dataclass(frozen=True)
class Change:
    points: int
    label: str
    reliable: bool | None


def change_from_baseline(code: str, baseline: int, total: int) -> Change:
    points = total - baseline
    instrument = get_instrument(code)
    threshold = instrument.reliable_change
    if threshold is None:
        word = "No change" if points == 0 else ("Down" if points < 0 else "Up")
        return Change(points, f"{word} {abs(points)} points" if points else word, None)
    if abs(points) < threshold:
        return Change(points, f"No reliable change (less than {threshold} points)", False)
    if points > 0:
        return Change(points, "Reliable deterioration", True)
    cutoff = instrument.cutoff
    if cutoff is not None and baseline >= cutoff > total:
        return Change(points, "Reliable and clinically significant improvement", True)
    return Change(points, "Reliable improvement", True)
