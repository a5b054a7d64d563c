"""manage.py estimate_match_model: re-estimate the matcher's stored model
(healthjustice/matching/default_model.json) on the labelled synthetic set, after a change to
the comparison levels or the generator's documented corruption rates."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from healthjustice.demo.matching_records import make_labelled_set, raw_record
from healthjustice.matching.cleaning import clean_record
from healthjustice.matching.model_store import DEFAULT_MODEL, save_model
from healthjustice.matching.scoring import estimate_model


class Command(BaseCommand):
    help = "Estimate the matcher's m and u on the labelled synthetic set and store them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=20_000)
        parser.add_argument("--seed", type=int, default=1001)
        parser.add_argument("--out", type=Path, default=DEFAULT_MODEL)

    def handle(self, *args: Any, **options: Any) -> None:
        people, seed = options["people"], options["seed"]
        labelled = make_labelled_set(people, seed)
        records = [clean_record(raw_record(r)) for r in labelled]
        by_person: dict[int, list[int]] = defaultdict(list)
        for index, record in enumerate(labelled):
            by_person[record.person_id].append(index)
        true_pairs = [
            (a, b)
            for members in by_person.values()
            for x, a in enumerate(members)
            for b in members[x + 1 :]
        ]
        model = estimate_model(records, true_pairs, seed=seed)
        about = (
            f"m and u estimated by `manage.py estimate_match_model --people {people} --seed "
            f"{seed}` on the labelled synthetic set (healthjustice/demo/matching_records.py)"
        )
        save_model(model, options["out"], about=about)
        self.stdout.write(
            f"{len(records):,} records of {people:,} people, {len(true_pairs):,} same-person "
            f"pairs; written to {options['out']}"
        )
