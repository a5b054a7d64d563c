"""Data types for validated screening instruments.

Instruments are plain data: each item lists its options in printed order with the score
printed against each. ``reverse_scored`` items are reversed by the scorer, not in the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EN_DASH = "\N{EN DASH}"


@dataclass(frozen=True)
class Option:
    label: str
    score: int


@dataclass(frozen=True)
class Item:
    number: int
    text: str
    options: tuple[Option, ...]
    is_risk: bool = False
    reverse_scored: bool = False

    @property
    def min_score(self) -> int:
        return min(option.score for option in self.options)

    @property
    def max_score(self) -> int:
        return max(option.score for option in self.options)

    def option_score(self, index: int) -> int:
        """Score for the option at ``index`` (printed order), reversed if the item says so."""
        raw = self.options[index].score
        return self.min_score + self.max_score - raw if self.reverse_scored else raw


@dataclass(frozen=True)
class Band:
    name: str
    low: int
    high: int

    def contains(self, total: int) -> bool:
        return self.low <= total <= self.high


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    version: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    cutoff: int | None
    cutoff_label: str
    licence_note: str
    max_total: int
    title: str = ""
    preamble: str = ""
    # Smallest change in total, either way, that counts as reliable; None makes no judgement.
    reliable_change: int | None = None
    # The ages (in whole years, inclusive) the instrument was validated for; None: no limit.
    min_age: int | None = None
    max_age: int | None = None
    age_source: str = ""

    def age_problem(self, age: int) -> str:
        """Why the instrument may not be used at `age`, in words; '' when it may."""
        if self.min_age is not None and age < self.min_age:
            return f"{self.name} is validated for people aged {self.min_age} and over"
        if self.max_age is not None and age > self.max_age:
            return f"{self.name} is validated for people aged {self.max_age} and under"
        return ""

    def __post_init__(self) -> None:
        numbers = [item.number for item in self.items]
        if numbers != list(range(1, len(self.items) + 1)):
            raise ValueError(f"{self.name}: items must be numbered 1..{len(self.items)}")
        if sum(item.max_score for item in self.items) != self.max_total:
            raise ValueError(f"{self.name}: max_total does not match the item scores")
        if sum(item.min_score for item in self.items) != 0:
            raise ValueError(f"{self.name}: the lowest possible total must be 0")
        expected_low = 0
        for band in self.bands:
            if band.low != expected_low or band.high < band.low:
                raise ValueError(f"{self.name}: band {band.name!r} leaves a gap or overlaps")
            expected_low = band.high + 1
        if expected_low != self.max_total + 1:
            raise ValueError(f"{self.name}: bands must end at {self.max_total}")
        if self.cutoff is not None and not 0 <= self.cutoff <= self.max_total:
            raise ValueError(f"{self.name}: cut-off outside 0{EN_DASH}{self.max_total}")
        if self.reliable_change is not None and not 1 <= self.reliable_change <= self.max_total:
            raise ValueError(
                f"{self.name}: reliable change outside 1{EN_DASH}{self.max_total} points"
            )

    def band_for(self, total: int) -> Band:
        for band in self.bands:
            if band.contains(total):
                return band
        raise ValueError(f"{self.name}: total {total} is outside 0{EN_DASH}{self.max_total}")


@dataclass(frozen=True)
class Score:
    code: str
    version: str
    total: int
    band: str
    risk_flag: bool
    risk_items: tuple[int, ...]
    item_scores: tuple[int, ...]
    above_cutoff: bool | None
    max_total: int


@dataclass(frozen=True)
class ExternalScore:
    """A licensed tool scored outside this system; only its published cut-off is held here.

    ``positive_when`` says which side of ``cutoff`` (inclusive) is a positive screen.
    """

    code: str
    name: str
    unit: str
    low: float
    high: float
    cutoff: float
    positive_when: Literal["at_or_below", "at_or_above"]
    positive_label: str
    negative_label: str
    licence_note: str
    confirm_note: str
