"""Demo population denominators for the race equity figures: the regions' local authorities and
approximate Census 2021 figures, marked approximate so every page using them says so.

The figures are the partial ones gathered for the demo (shared regions reference), not the ONS
TS021 table; load that with `manage.py load_census_ethnicity` before any real use:
- Stoke-on-Trent (E06000021): the five census broad groups (citypopulation.de, from ONS).
- Staffordshire (E10000028): White, Asian and Black (A Vision of Britain through Time,
  ETHNICITY_4WAY 2021); Mixed and Other are given only together, so neither is loaded.
- Sandwell (E08000028): White, White British, Asian, Black African and Any other ethnic group
  (Sandwell Trends).
- Walsall (E08000030): White and White British, as shares of 284,100 residents (Walsall
  Intelligence; the total from a local magazine), rounded.
- Dudley (E08000027) and Wolverhampton (E08000031): no 2021 figures from a source good enough,
  so none: the Black Country has no rates until TS021 is loaded, and its page says why.
"""

from __future__ import annotations

from healthjustice.demo.reference import BLACK_COUNTRY, STAFFS
from healthjustice.demo.registry import DemoContext, register_demo_seeder
from healthjustice.equity.services import (
    ApproximateFigure,
    approximate_population_set,
    local_authority_map,
)

F = ApproximateFigure

AREAS: dict[str, list[tuple[str, str]]] = {
    STAFFS: [("E06000021", "Stoke-on-Trent"), ("E10000028", "Staffordshire")],
    BLACK_COUNTRY: [
        ("E08000027", "Dudley"),
        ("E08000028", "Sandwell"),
        ("E08000030", "Walsall"),
        ("E08000031", "Wolverhampton"),
    ],
}

FIGURES: dict[str, tuple[str, list[ApproximateFigure]]] = {
    "E06000021": (
        "Census 2021 broad groups via citypopulation.de (from ONS); approximate",
        [
            F("white", 215_699),
            F("asian", 25_597),
            F("black", 6_884),
            F("mixed", 5_860),
            F("other", 4_329),
        ],
    ),
    "E10000028": (
        "Census 2021 via A Vision of Britain through Time (4-way); approximate",
        [F("white", 820_304), F("asian", 28_909), F("black", 6_895)],
    ),
    "E08000028": (
        "Census 2021 via Sandwell Trends (rounded); approximate",
        [
            F("white", 195_620),
            F("white", 177_930, "white_british", "A"),
            F("asian", 88_020),
            F("black", 12_670, "black_african", "N"),
            F("other", 11_710, "other_any", "S"),
        ],
    ),
    "E08000030": (
        "Census 2021 shares via Walsall Intelligence × 284,100 residents; approximate",
        [F("white", 202_847), F("white", 191_483, "white_british", "A")],
    ),
}


@register_demo_seeder
def seed_equity(ctx: DemoContext) -> None:
    for region_key, areas in AREAS.items():
        region = ctx.regions[region_key]
        for code, name in areas:
            authority = local_authority_map(actor=None, gss_code=code, name=name, region=region)
            if code in FIGURES:
                source, figures = FIGURES[code]
                approximate_population_set(
                    actor=None, authority=authority, figures=figures, source=source
                )
    ctx.log("Loaded approximate census populations for the equity figures.")
