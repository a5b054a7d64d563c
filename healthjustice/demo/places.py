"""Towns and postcode districts for synthetic addresses, and made-up GP practices.

Postcode districts are real ones for each town; the sector and unit are random, so a full
postcode may not exist. GP practice codes follow the ODS pattern (a letter and five digits) but
are made up and are not meant to match a real practice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .ethnicity import BLACK_COUNTRY, STAFFORDSHIRE, STOKE
from .reference import BLACK_COUNTRY as BLACK_COUNTRY_REGION
from .reference import STAFFS

# Area -> (town, postcode districts).
TOWNS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    STOKE: [
        ("Stoke-on-Trent", ("ST1", "ST2", "ST3", "ST4", "ST6")),
        ("Longton", ("ST3",)),
        ("Burslem", ("ST6",)),
    ],
    STAFFORDSHIRE: [
        ("Newcastle-under-Lyme", ("ST5",)),
        ("Stafford", ("ST16", "ST17", "ST18")),
        ("Cannock", ("WS11", "WS12")),
        ("Tamworth", ("B77", "B78", "B79")),
        ("Burton upon Trent", ("DE13", "DE14", "DE15")),
        ("Lichfield", ("WS13", "WS14")),
        ("Leek", ("ST13",)),
        ("Rugeley", ("WS15",)),
        ("Uttoxeter", ("ST14",)),
    ],
    BLACK_COUNTRY: [
        ("Wolverhampton", ("WV1", "WV2", "WV3", "WV4", "WV6", "WV10", "WV11")),
        ("Bilston", ("WV14",)),
        ("Walsall", ("WS1", "WS2", "WS3", "WS5")),
        ("Wednesbury", ("WS10",)),
        ("Dudley", ("DY1", "DY2", "DY3")),
        ("Tipton", ("DY4",)),
        ("Stourbridge", ("DY8", "DY9")),
        ("Halesowen", ("B62", "B63")),
        ("Oldbury", ("B68", "B69")),
        ("West Bromwich", ("B70", "B71")),
        ("Smethwick", ("B66", "B67")),
    ],
}

# How a region's people split between areas (Stoke's share is above its share of residents:
# the Northern Area custody suite and the Hanley courts serve the city).
REGION_AREAS: dict[str, dict[str, float]] = {
    STAFFS: {STOKE: 40, STAFFORDSHIRE: 60},
    BLACK_COUNTRY_REGION: {BLACK_COUNTRY: 100},
}

# Letters used in the inward part of a postcode (C, I, K, M, O and V are never used).
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
PRACTICE_KINDS = ("Medical Practice", "Health Centre", "Surgery", "Family Practice")


@dataclass(frozen=True)
class GpPractice:
    code: str
    name: str


def random_postcode(rng: random.Random, district: str) -> str:
    return f"{district} {rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"


def pick_area(rng: random.Random, region_key: str) -> str:
    areas = REGION_AREAS[region_key]
    return rng.choices(list(areas), list(areas.values()))[0]


def gp_practices(rng: random.Random, per_town: int = 3) -> dict[str, list[GpPractice]]:
    """A few made-up practices per town, keyed by town."""
    practices: dict[str, list[GpPractice]] = {}
    used: set[str] = set()
    for towns in TOWNS.values():
        for town, _ in towns:
            practices[town] = []
            for kind in rng.sample(PRACTICE_KINDS, per_town):
                code = f"M{rng.randint(80000, 99999)}"
                while code in used:
                    code = f"M{rng.randint(80000, 99999)}"
                used.add(code)
                practices[town].append(GpPractice(code, f"{town} {kind}"))
    return practices
