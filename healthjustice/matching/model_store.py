"""The matcher's parameters on disk.

m (how often each comparison level occurs among records of the same person) cannot be read off
an unlabelled file, so it is stored: `default_model.json` holds m as estimated on the project's
labelled synthetic set (`manage.py estimate_match_model`, documented in docs/matching.md); a
service with a labelled sample of its own estimates and passes its own. u (how often each level
occurs among different people) is re-estimated on every file from random pairs of its records,
nearly all of which are different people, so it follows the file's own mix of names and gaps.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path

from .cleaning import CleanRecord
from .scoring import (
    FIELDS,
    LEVELS,
    MIN_RECORDS_FOR_FREQUENCIES,
    Model,
    level_shares,
    random_pairs,
)

DEFAULT_MODEL = Path(__file__).with_name("default_model.json")


class ModelFileError(Exception):
    pass


def save_model(model: Model, path: Path, *, about: str) -> None:
    payload = {
        "about": about,
        "pairs_per_record": model.pairs_per_record,
        "m": {f: model.m[f] for f in FIELDS},
        "u": {f: model.u[f] for f in FIELDS},
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def load_model(path: Path = DEFAULT_MODEL) -> Model:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        m = {f: [float(x) for x in payload["m"][f]] for f in FIELDS}
        u = {f: [float(x) for x in payload["u"][f]] for f in FIELDS}
        pairs_per_record = float(payload["pairs_per_record"])
    except OSError as error:
        raise ModelFileError(f"The model file cannot be read: {error.strerror}.") from None
    except (ValueError, KeyError, TypeError) as error:
        raise ModelFileError(f"The model file is not a matcher model: {error!r}.") from None
    for f in FIELDS:
        for name, shares in (("m", m[f]), ("u", u[f])):
            if len(shares) != LEVELS[f] or not all(0 < x <= 1 for x in shares):
                raise ModelFileError(
                    f"The model file's {name} for {f} needs {LEVELS[f]} shares between 0 and 1."
                )
    return Model(m, u, pairs_per_record, 1)


def fitted_to(
    records: Sequence[CleanRecord], base: Model, *, random_pair_count: int = 200_000, seed: int = 0
) -> Model:
    """`base`'s m with u, the prior's scale and the name frequencies of `records`; a list
    smaller than `MIN_RECORDS_FOR_FREQUENCIES` keeps the stored u, as its random pairs would
    say more about chance than about the list."""
    if len(records) >= MIN_RECORDS_FOR_FREQUENCIES:
        u = level_shares(random_pairs(records, random_pair_count, random.Random(seed)))
        base = Model(base.m, u, base.pairs_per_record, base.record_count)
    return base.for_records(records)
