"""Linking a file of person records into clusters, one cluster per person
(`manage.py link_records`): read, clean, fit the model to the file, turn the records into
columns of codes, block, score, cluster, write, each phase timed. Blocking, scoring and
clustering run over numpy arrays (`arrays`), in one process."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .arrays import candidate_buckets, clusters_apart, columns, score_buckets, weights
from .cleaning import clean_records
from .model_store import DEFAULT_MODEL, fitted_to, load_model
from .records_file import FieldProblems, field_problems, read_records, write_clusters


@dataclass
class LinkReport:
    records: int = 0
    pairs_scored: int = 0
    links: int = 0
    clusters: int = 0
    problems: FieldProblems = field(default_factory=FieldProblems)
    phases: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def phase(self, name: str, say: Callable[[str], None]) -> Iterator[None]:
        started = time.perf_counter()
        yield
        seconds = time.perf_counter() - started
        self.phases.append((name, seconds))
        say(f"{name:<10}{seconds:>8.1f} s")


def link_file(
    source: Path,
    target: Path,
    *,
    threshold: float = 0.9,
    model_path: Path = DEFAULT_MODEL,
    say: Callable[[str], None] = print,
) -> LinkReport:
    """Cluster the records of `source` and write `record_id,cluster_id` to `target` (the
    cluster id is the record_id of the cluster's first record). Raises RecordsFileError or
    ModelFileError, having written nothing, when the input or the model cannot be used."""
    with _without_cycle_collection():
        return _link_file(source, target, threshold, model_path, say)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector off while a run builds millions of records: it would scan
    them all again and again (a third of the cleaning time at 100,000 people) and finds no
    cycles among them to collect."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _link_file(
    source: Path,
    target: Path,
    threshold: float,
    model_path: Path,
    say: Callable[[str], None],
) -> LinkReport:
    report = LinkReport()
    base = load_model(model_path)
    with report.phase("read", say):
        raw, lines = read_records(source)
    report.records = len(raw)
    with report.phase("clean", say):
        records = clean_records(raw)
        report.problems = field_problems(raw, records, lines)
        del raw, lines
    with report.phase("model", say):
        model = fitted_to(records, base)
    with report.phase("columns", say):
        table = columns(records)
        weighed = weights(table, model)
        record_ids = [r.record_id for r in records]
        del records, model
    with report.phase("block", say):
        buckets = candidate_buckets(table)
    report.pairs_scored = sum(len(bucket) for bucket in buckets)
    with report.phase("score", say):
        links = score_buckets(table, weighed, buckets, threshold=threshold)
        del buckets
    report.links = len(links.first)
    with report.phase("cluster", say):
        cluster_of = clusters_apart(table, links)
        report.clusters = int((cluster_of == np.arange(len(record_ids))).sum())
    with report.phase("write", say):
        write_clusters(target, record_ids, cluster_of.tolist())
    return report
