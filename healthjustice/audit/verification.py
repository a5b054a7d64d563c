"""Checking the whole audit trail against its chain head, one chunk of rows at a time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Q

from .chain import GENESIS_HASH, ChainProblem, check_row, verify
from .models import AuditEvent, ChainHead

CHUNK_SIZE = 5000
_COLUMNS = (
    "seq",
    "chain",
    "occurred_at",
    "actor_id",
    "actor_username",
    "remote_addr",
    "action",
    "object_type",
    "object_id",
    "fields_changed",
    "detail",
    "access_basis",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class TrailReport:
    rows: int
    problem: ChainProblem | None

    @property
    def intact(self) -> bool:
        return self.problem is None


def _rows(
    chain: int, seq_from: int, seq_to: int | None, chunk_size: int
) -> Iterator[SimpleNamespace]:
    """One chain's rows as light objects (no model instances), in order, `chunk_size` at a time
    along the chain's index, each chunk starting after the last row read. One query for the
    whole chain may be planned as a scan and a sort: at 100 million rows that sort spilled more
    to disk than the disk held (docs/performance.md, "A hundred million audit rows"). The rows
    are never changed, so reading them in several statements sees the same trail."""
    after = seq_from - 1
    while True:
        rows = AuditEvent.objects.filter(chain=chain, seq__gt=after)
        if seq_to is not None:
            rows = rows.filter(seq__lte=seq_to)
        chunk = list(rows.order_by("seq").values(*_COLUMNS)[:chunk_size])
        for values in chunk:
            yield SimpleNamespace(**values)
        if len(chunk) < chunk_size:
            return
        after = chunk[-1]["seq"]


class _Counter:
    def __init__(self, rows: Iterator[SimpleNamespace]) -> None:
        self._rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[SimpleNamespace]:
        for row in self._rows:
            self.count += 1
            yield row


def _check_tail(
    chain: int, after_seq: int, after_hash: str, chunk_size: int
) -> tuple[int, ChainProblem | None]:
    """Rows appended while the check ran must continue the chain and be known to its head."""
    last_seq, expected_prev = after_seq, after_hash
    count = 0
    for row in _rows(chain, after_seq + 1, None, chunk_size):
        count += 1
        problem = check_row(row, last_seq, expected_prev)
        if problem is not None:
            return count, problem
        expected_prev = row.hash
        last_seq = row.seq
    if count:
        head = ChainHead.objects.filter(id=chain).first()
        if head is None or head.last_seq < last_seq:
            return count, ChainProblem(
                last_seq, f"row {last_seq} was inserted beyond the chain head"
            )
        if head.last_seq == last_seq and head.last_hash != expected_prev:
            return count, ChainProblem(last_seq, f"row {last_seq} does not match the chain head")
    return count, None


def _stray_row(chain_ids: list[int]) -> int | None:
    """The first row of a chain that has no head (its head row was removed), if any."""
    top = max(chain_ids)
    outside = AuditEvent.objects.filter(Q(chain__gt=top) | Q(chain__lt=1))
    gaps = [k for k in range(1, top) if k not in set(chain_ids)]
    if gaps:
        outside = AuditEvent.objects.filter(Q(chain__gt=top) | Q(chain__lt=1) | Q(chain__in=gaps))
    return outside.order_by("seq").values_list("seq", flat=True).first()


def _verify_chain(head: ChainHead, chunk_size: int) -> tuple[int, ChainProblem | None]:
    rows = _Counter(_rows(head.id, 1, head.last_seq, chunk_size))
    problem = verify(rows, head.last_seq, head.last_hash)
    if problem is not None:
        return rows.count, problem
    last_hash = head.last_hash if head.last_seq else GENESIS_HASH
    tail_count, problem = _check_tail(head.id, head.last_seq, last_hash, chunk_size)
    return rows.count + tail_count, problem


def verify_trail(*, chunk_size: int = CHUNK_SIZE) -> TrailReport:
    """Check every chain: each row links to the one before it and hashes true, and the chain's
    head matches its end; and no row belongs to a chain without a head.

    Each head is read first and its rows up to it are checked with `chain.verify`; rows written
    while the check runs are then checked as a continuation, so a busy system does not raise
    a false alarm and no write is blocked. The first problem (lowest row number) is reported.
    """
    heads = list(ChainHead.objects.order_by("id"))
    if not heads:
        stray = AuditEvent.objects.order_by("seq").values_list("seq", flat=True).first()
        if stray is None:
            return TrailReport(0, None)
        return TrailReport(0, ChainProblem(stray, "the chain head is missing"))
    total = 0
    problems: list[ChainProblem] = []
    for head in heads:
        count, problem = _verify_chain(head, chunk_size)
        total += count
        if problem is not None:
            problems.append(problem)
    stray = _stray_row([head.id for head in heads])
    if stray is not None:
        problems.append(
            ChainProblem(stray, f"row {stray} belongs to no chain (its head is missing)")
        )
    first = min(problems, key=lambda p: p.seq) if problems else None
    return TrailReport(total, first)
