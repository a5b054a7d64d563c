"""Ethnic categories as the equity figures use them: the NHS 2001-based codes, their broad
groups, and how the Census 2021 (ONS TS021) categories fall into them.

Broad groups follow the NHS code list, not the census: Chinese (R) is under "Other ethnic
groups" here, as the NHS list puts it, so a census Chinese count is moved from the census
"Asian" group into "Other" before any rate is worked out; numerators and denominators then
cover the same people. Not stated (Z) and not known (99) are kept apart, never in a
denominator.
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_STATED = "Z"
NOT_KNOWN = "99"


@dataclass(frozen=True)
class BroadGroup:
    key: str
    label: str
    codes: tuple[str, ...]


BROAD_GROUPS = (
    BroadGroup("white", "White", ("A", "B", "C")),
    BroadGroup("mixed", "Mixed", ("D", "E", "F", "G")),
    BroadGroup("asian", "Asian or Asian British", ("H", "J", "K", "L")),
    BroadGroup("black", "Black or Black British", ("M", "N", "P")),
    BroadGroup("other", "Other ethnic groups", ("R", "S")),
)
GROUP_OF_CODE = {code: g.key for g in BROAD_GROUPS for code in g.codes}
GROUP_LABEL = {g.key: g.label for g in BROAD_GROUPS}

CODE_LABELS = {
    "A": "White – British",
    "B": "White – Irish",
    "C": "White – Any other White background",
    "D": "Mixed – White and Black Caribbean",
    "E": "Mixed – White and Black African",
    "F": "Mixed – White and Asian",
    "G": "Mixed – Any other mixed background",
    "H": "Asian or Asian British – Indian",
    "J": "Asian or Asian British – Pakistani",
    "K": "Asian or Asian British – Bangladeshi",
    "L": "Asian or Asian British – Any other Asian background",
    "M": "Black or Black British – Caribbean",
    "N": "Black or Black British – African",
    "P": "Black or Black British – Any other Black background",
    "R": "Other ethnic groups – Chinese",
    "S": "Other ethnic groups – Any other ethnic group",
}
CATEGORY_CODES = tuple(CODE_LABELS)

# The census broad group each TS021 column belongs to (as published, before the move of
# Chinese), and its prefix in the published column names.
CENSUS_GROUP_COLUMNS = {
    "asian": "Ethnic group: Asian, Asian British or Asian Welsh",
    "black": "Ethnic group: Black, Black British, Black Welsh, Caribbean or African",
    "mixed": "Ethnic group: Mixed or Multiple ethnic groups",
    "white": "Ethnic group: White",
    "other": "Ethnic group: Other ethnic group",
}


@dataclass(frozen=True)
class CensusCategory:
    key: str
    census_group: str  # the census's own broad group
    column_suffix: str  # after "<group column>: "
    nhs_code: str


CENSUS_CATEGORIES = (
    CensusCategory(
        "white_british", "white", "English, Welsh, Scottish, Northern Irish or British", "A"
    ),
    CensusCategory("white_irish", "white", "Irish", "B"),
    CensusCategory("white_gypsy_traveller", "white", "Gypsy or Irish Traveller", "C"),
    CensusCategory("white_roma", "white", "Roma", "C"),
    CensusCategory("white_other", "white", "Other White", "C"),
    CensusCategory("mixed_white_black_caribbean", "mixed", "White and Black Caribbean", "D"),
    CensusCategory("mixed_white_black_african", "mixed", "White and Black African", "E"),
    CensusCategory("mixed_white_asian", "mixed", "White and Asian", "F"),
    CensusCategory("mixed_other", "mixed", "Other Mixed or Multiple ethnic groups", "G"),
    CensusCategory("asian_indian", "asian", "Indian", "H"),
    CensusCategory("asian_pakistani", "asian", "Pakistani", "J"),
    CensusCategory("asian_bangladeshi", "asian", "Bangladeshi", "K"),
    CensusCategory("asian_chinese", "asian", "Chinese", "R"),
    CensusCategory("asian_other", "asian", "Other Asian", "L"),
    CensusCategory("black_caribbean", "black", "Caribbean", "M"),
    CensusCategory("black_african", "black", "African", "N"),
    CensusCategory("black_other", "black", "Other Black", "P"),
    CensusCategory("other_arab", "other", "Arab", "S"),
    CensusCategory("other_any", "other", "Any other ethnic group", "S"),
)
CENSUS_CATEGORY = {c.key: c for c in CENSUS_CATEGORIES}


def census_column(category: CensusCategory) -> str:
    return f"{CENSUS_GROUP_COLUMNS[category.census_group]}: {category.column_suffix}"


TOTAL_COLUMN = "Ethnic group: Total: All usual residents"
CODE_COLUMN = "geography code"
NAME_COLUMN = "geography"
