"""Ethnic categories for synthetic people, in proportions like the areas' residents.

High-level shares are Census 2021 (ONS TS021, usual residents):
- Stoke-on-Trent (E06000021): White 83.5%, Asian 9.9%, Black 2.7%, Mixed 2.3%, Other 1.7%
  (258,369 residents; citypopulation.de "Ethnic Group (C 2021)", from ONS).
- Staffordshire county (E10000028): White 93.6%, Asian 3.3%, Black 0.8%, Mixed and Other 2.3%
  (A Vision of Britain through Time, ETHNICITY_4WAY 2021). The split of that 2.3% into Mixed 1.6%
  and Other 0.7% is an assumption.
- Black Country: White 63%, Asian 23%, Black 7%, Mixed 4%, Other 3%. A rounded blend of Sandwell
  (White 57.3%, Asian 25.8%; Sandwell Trends), Wolverhampton (White 61.1%, Asian 21.2%,
  Black 9.3%; third-party summary of ONS 2021) and Walsall (White 71.4%; Walsall Intelligence).
  Dudley's 2021 figures were not found; its people are drawn from the same blend.

The split within each high-level group is an assumption, guided where a source gave one
(Wolverhampton's Indian 12.0% of 21.2% Asian; Sandwell's White British 52.1% of 57.3% White).
Census groups map to NHS Data Dictionary ETHNIC CATEGORY codes in the usual way: Gypsy or Irish
Traveller, Roma and Other White to C; Chinese to R; Arab and Any other to S.

On top of the census shares, 6% of people are "Z" (not stated: asked and declined) and 4% are
"99" (not known: not asked), about the level seen in mental-health service records.
Census shares describe residents, not people in contact with the justice system; these are demo
proportions, not PCREF denominators.
"""

from __future__ import annotations

import random

STOKE = "stoke"
STAFFORDSHIRE = "staffordshire"
BLACK_COUNTRY = "blackcountry"

NOT_STATED_SHARE = 6.0
NOT_KNOWN_SHARE = 4.0

# Census high-level group -> percentage of residents.
HIGH_LEVEL: dict[str, dict[str, float]] = {
    STOKE: {"white": 83.5, "asian": 9.9, "black": 2.7, "mixed": 2.3, "other": 1.7},
    STAFFORDSHIRE: {"white": 93.6, "asian": 3.3, "black": 0.8, "mixed": 1.6, "other": 0.7},
    BLACK_COUNTRY: {"white": 63.0, "asian": 23.0, "black": 7.0, "mixed": 4.0, "other": 3.0},
}

# High-level group -> NHS code -> share within the group (assumed, see the module docstring).
WITHIN_GROUP: dict[str, dict[str, dict[str, float]]] = {
    STOKE: {
        "white": {"A": 92, "B": 1, "C": 7},
        "asian": {"H": 12, "J": 55, "K": 8, "L": 17, "R": 8},
        "black": {"M": 20, "N": 65, "P": 15},
        "mixed": {"D": 40, "E": 15, "F": 25, "G": 20},
        "other": {"S": 100},
    },
    STAFFORDSHIRE: {
        "white": {"A": 94, "B": 1, "C": 5},
        "asian": {"H": 40, "J": 25, "K": 5, "L": 20, "R": 10},
        "black": {"M": 35, "N": 50, "P": 15},
        "mixed": {"D": 40, "E": 15, "F": 30, "G": 15},
        "other": {"S": 100},
    },
    BLACK_COUNTRY: {
        "white": {"A": 90, "B": 1, "C": 9},
        "asian": {"H": 50, "J": 25, "K": 8, "L": 13, "R": 4},
        "black": {"M": 45, "N": 40, "P": 15},
        "mixed": {"D": 50, "E": 10, "F": 25, "G": 15},
        "other": {"S": 100},
    },
}


def code_weights(area: str) -> dict[str, float]:
    """NHS ethnic category code -> percentage of synthetic people in the area."""
    stated = 100.0 - NOT_STATED_SHARE - NOT_KNOWN_SHARE
    # Rounded census percentages need not add up to exactly 100.
    groups_total = sum(HIGH_LEVEL[area].values())
    weights: dict[str, float] = {}
    for group, share in HIGH_LEVEL[area].items():
        within = WITHIN_GROUP[area][group]
        total = sum(within.values())
        for code, part in within.items():
            weights[code] = weights.get(code, 0.0) + stated * share / groups_total * part / total
    weights["Z"] = NOT_STATED_SHARE
    weights["99"] = NOT_KNOWN_SHARE
    return weights


class EthnicityPicker:
    """Draws codes for an area; precomputes the cumulative weights once."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._tables = {}
        for area in HIGH_LEVEL:
            weights = code_weights(area)
            self._tables[area] = (list(weights), list(weights.values()))

    def pick(self, area: str) -> str:
        codes, weights = self._tables[area]
        return self.rng.choices(codes, weights)[0]

    def picks(self, area: str, k: int) -> list[str]:
        codes, weights = self._tables[area]
        return self.rng.choices(codes, weights, k=k)
