"""The register as records the matcher compares, and the model it scores them with.

Each person who is not merged into another record gives one record for their name and one for
each other name; pairs of records of the same person are not compared, and a pair of people
takes the best score of any of their names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from healthjustice.people.models import Person, PersonAlias

from .cleaning import CleanRecord, RawRecord, clean_record
from .model_store import load_model
from .scoring import (
    FIELDS,
    Levels,
    Model,
    candidate_pairs,
    compare,
    names_conflict,
    probability,
)

# Duplicates per record expected on a register (far fewer than in a list of arrivals).
DEFAULT_DUPLICATES_PER_RECORD = 0.05
# The share of a custody, court or release list's people the register is expected to hold: a
# row and a record drawn at random are the same person with probability this share / register.
LIST_ROWS_ON_REGISTER = 0.5
_SEX = {"1": "M", "2": "F"}
BATCH = 2000


def default_model() -> Model:
    """The stored m and u (`model_store`, the same as `link_records` uses) with the register's
    own rate of duplicates."""
    stored = load_model()
    return Model(stored.m, stored.u, DEFAULT_DUPLICATES_PER_RECORD, 2)


@cache
def _stored_model() -> Model:
    return load_model()


def list_model(register_size: int) -> Model:
    """The stored m and u, with the prior of a list's row and one record of a register of
    `register_size` people (no name frequencies: the stored u)."""
    stored = _stored_model()
    # Model.prior is 2 * pairs_per_record / (records - 1).
    return Model(stored.m, stored.u, LIST_ROWS_ON_REGISTER / 2, max(register_size, 2))


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
