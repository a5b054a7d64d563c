"""One generic scorer for every instrument, plus cut-offs for externally scored tools."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from . import audit, auditc, core10, dast10, gad7, phq9
from .base import EN_DASH, ExternalScore, Instrument, Score

INSTRUMENTS: Mapping[str, Instrument] = MappingProxyType(
    {m.INSTRUMENT.code: m.INSTRUMENT for m in (phq9, gad7, auditc, audit, dast10, core10)}
)

# LDSQ items are licensed and must not be reproduced; staff enter the percentage score from
# the licensed form. SETTING TO CONFIRM: which side of the cut-off indicates "likely learning
# disability" must be checked against the licensed LDSQ manual before clinical use.
EXTERNAL_SCORES: Mapping[str, ExternalScore] = MappingProxyType(
    {
        "ldsq": ExternalScore(
            code="ldsq",
            name="LDSQ",
            unit="percentage",
            low=0.0,
            high=100.0,
            cutoff=46.6,
            positive_when="at_or_below",
            positive_label="screen positive: further assessment for learning disability indicated",
            negative_label="screen negative: learning disability not indicated by the LDSQ",
            licence_note=(
                "Learning Disability Screening Questionnaire: licensed tool, items may not "
                "be reproduced. Score on the licensed form and enter the percentage here."
            ),
            confirm_note=(
                "Cut-off direction (at or below 46.6 = positive) is a setting to confirm "
                "against the licensed LDSQ manual."
            ),
        )
    }
)


def _known(codes: Mapping[str, object]) -> str:
    return ", ".join(sorted(codes))


def get_instrument(code: str) -> Instrument:
    try:
        return INSTRUMENTS[code]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown instrument {code!r}; known codes: {_known(INSTRUMENTS)}"
        ) from None


def _validate(instrument: Instrument, answers: Sequence[int]) -> None:
    if not isinstance(answers, list | tuple):
        raise ValueError(f"{instrument.name} answers must be a list of option indexes")
    if len(answers) != len(instrument.items):
        raise ValueError(
            f"{instrument.name} needs {len(instrument.items)} answers, got {len(answers)}"
        )
    for item, answer in zip(instrument.items, answers, strict=True):
        last = len(item.options) - 1
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise ValueError(
                f"{instrument.name} item {item.number}: answer {answer!r} is not a whole "
                f"number in range 0{EN_DASH}{last}"
            )
        if not 0 <= answer <= last:
            raise ValueError(
                f"{instrument.name} item {item.number}: answer {answer} is out of range "
                f"0{EN_DASH}{last}"
            )


def score(code: str, answers: list[int]) -> Score:
    """Score ``answers`` (option indexes in printed order, from 0) for instrument ``code``."""
    instrument = get_instrument(code)
    _validate(instrument, answers)
    item_scores = tuple(
        item.option_score(answer) for item, answer in zip(instrument.items, answers, strict=True)
    )
    total = sum(item_scores)
    risk_items = tuple(
        item.number
        for item, item_score in zip(instrument.items, item_scores, strict=True)
        if item.is_risk and item_score > 0
    )
    return Score(
        code=instrument.code,
        version=instrument.version,
        total=total,
        band=instrument.band_for(total).name,
        risk_flag=bool(risk_items),
        risk_items=risk_items,
        item_scores=item_scores,
        above_cutoff=None if instrument.cutoff is None else total >= instrument.cutoff,
        max_total=instrument.max_total,
    )


def external_outcome(code: str, value: float) -> tuple[bool, str]:
    """Return (screen positive, label) for a score entered from a licensed external tool."""
    try:
        definition = EXTERNAL_SCORES[code]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown external tool {code!r}; known codes: {_known(EXTERNAL_SCORES)}"
        ) from None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not definition.low <= value <= definition.high
    ):
        raise ValueError(
            f"{definition.name}: value {value!r} is out of range "
            f"{definition.low:g}{EN_DASH}{definition.high:g} ({definition.unit})"
        )
    if definition.positive_when == "at_or_below":
        positive = value <= definition.cutoff
    else:
        positive = value >= definition.cutoff
    return positive, definition.positive_label if positive else definition.negative_label
