"""The register as records the matcher compares, and the model it scores them with.

Each person who is not merged into another record gives one record for their name and one for
each other name; pairs of records of the same person are not compared, and a pair of people
takes the best score of any of their names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from healthjustice.people.models import Person, PersonAlias

from .cleaning import CleanRecord, RawRecord, clean_record
from .scoring import (
    FIELDS,
    Levels,
    Model,
    candidate_pairs,
    compare,
    names_conflict,
    probability,
)

# m (same person) and u (different people) for each comparison level, from the labelled
# generator (`benchmarks/matching.py`'s training set of 5,000 people, seed 7). u is replaced by
# the register's own name frequencies for exact name agreement (term-frequency adjustment).
DEFAULT_M: dict[str, list[float]] = {
    "given": [0.8435, 0.0364, 0.09463, 0.02322, 0.00225],
    "family": [0.86026, 0.12015, 0.01959],
    "dob": [0.92897, 0.01852, 0.04809, 0.00415, 0.00028],
    "nhs_number": [0.99941, 0.00059],
    "pnc": [0.99947, 0.00053],
    "postcode": [0.66283, 0.00025, 0.33692],
    "sex": [0.99981, 0.00019],
}
DEFAULT_U: dict[str, list[float]] = {
    "given": [0.002755, 0.000435, 0.002725, 0.109143, 0.884942],
    "family": [0.004375, 0.00258, 0.993045],
    "dob": [0.000192, 0.00012, 0.004442, 0.179578, 0.815667],
    "nhs_number": [0.000188, 0.999812],
    "pnc": [0.000154, 0.999846],
    "postcode": [0.000585, 0.000629, 0.998786],
    "sex": [0.499535, 0.500465],
}
# Duplicates per record expected on a register (far fewer than in a list of arrivals).
DEFAULT_DUPLICATES_PER_RECORD = 0.05
_SEX = {"1": "M", "2": "F"}
BATCH = 2000


def default_model() -> Model:
    return Model(DEFAULT_M, DEFAULT_U, DEFAULT_DUPLICATES_PER_RECORD, 2)


def person_raw_records() -> tuple[list[RawRecord], list[int]]:
    """One raw record per name of every person not merged away, and the person of each."""
    raws: list[RawRecord] = []
    owners: list[int] = []
    people: dict[int, tuple[Any, ...]] = {}
    rows = Person.objects.filter(merged_into__isnull=True).values_list(
        "pk",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "nhs_number",
        "pnc_id",
        "postcode",
        "no_fixed_abode",
    )
    for pk, given, family, dob, sex, nhs, pnc, postcode, nfa in rows.iterator(chunk_size=BATCH):
        values = (
            dob.isoformat() if dob else "",
            _SEX.get(sex or "", ""),
            nhs or "",
            pnc or "",
            "NFA" if nfa else (postcode or ""),
        )
        people[pk] = values
        raws.append(RawRecord(str(pk), given, family, *values))
        owners.append(pk)
    aliases = PersonAlias.objects.filter(person__merged_into__isnull=True).values_list(
        "person_id", "given_name", "family_name"
    )
    for person_id, given, family in aliases.iterator(chunk_size=BATCH):
        if person_id in people:
            raws.append(RawRecord(f"{person_id}a{len(raws)}", given, family, *people[person_id]))
            owners.append(person_id)
    return raws, owners


@dataclass
class Scored:
    """The best-scoring pair of names for each pair of people at or above the threshold."""

    records: int = 0
    candidates: int = 0
    pairs: dict[tuple[int, int], tuple[float, Levels, bool]] = field(default_factory=dict)


def score_register(
    records: list[CleanRecord],
    owners: list[int],
    model: Model,
    *,
    threshold: float,
    progress: Callable[[int, int], None] | None = None,
    every: int = 5000,
) -> Scored:
    """Block, score every candidate pair of different people, and keep each pair of people's
    best probability when it reaches `threshold`."""
    fitted = model.for_records(records)
    candidates = [(i, j) for i, j in candidate_pairs(records) if owners[i] != owners[j]]
    total = len(candidates)
    result = Scored(records=len(records), candidates=total)
    if progress:
        progress(0, total)
    for done, (i, j) in enumerate(candidates, start=1):
        weight, levels = fitted.score(records[i], records[j])
        p = probability(weight)
        if p >= threshold:
            a, b = sorted((owners[i], owners[j]))
            best = result.pairs.get((a, b))
            if best is None or p > best[0]:
                _, swapped = compare(records[i], records[j])
                result.pairs[(a, b)] = (p, levels, swapped)
        if progress and done % every == 0:
            progress(done, total)
    if progress:
        progress(total, total)
    return result


def comparison_json(levels: Levels, swapped: bool) -> dict[str, Any]:
    return {
        "levels": {
            name: (None if level < 0 else level) for name, level in zip(FIELDS, levels, strict=True)
        },
        "names_swapped": swapped,
        "names_conflict": names_conflict(levels),
    }


def clean_all(raws: list[RawRecord]) -> list[CleanRecord]:
    return [clean_record(raw) for raw in raws]
