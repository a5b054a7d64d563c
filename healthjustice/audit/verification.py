"""Checking the whole audit trail against its chain head, one chunk of rows at a time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace

from .chain import GENESIS_HASH, ChainProblem, hashed_fields, row_digest, verify
from .models import AuditEvent, ChainHead

CHUNK_SIZE = 5000
_COLUMNS = (
    "seq",
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


def _rows(seq_from: int, seq_to: int | None, chunk_size: int) -> Iterator[SimpleNamespace]:
    """Rows as light objects (no model instances), streamed in sequence order."""
    rows = AuditEvent.objects.filter(seq__gte=seq_from)
    if seq_to is not None:
        rows = rows.filter(seq__lte=seq_to)
    for values in rows.order_by("seq").values(*_COLUMNS).iterator(chunk_size=chunk_size):
        yield SimpleNamespace(**values)


class _Counter:
    def __init__(self, rows: Iterator[SimpleNamespace]) -> None:
        self._rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[SimpleNamespace]:
        for row in self._rows:
            self.count += 1
            yield row


def _check_tail(
    after_seq: int, after_hash: str, chunk_size: int
) -> tuple[int, ChainProblem | None]:
    """Rows appended while the check ran must continue the chain and be known to the head."""
    expected_seq, expected_prev = after_seq + 1, after_hash
    count = 0
    for row in _rows(after_seq + 1, None, chunk_size):
        count += 1
        if row.seq != expected_seq:
            kind = "missing" if row.seq > expected_seq else "duplicated or out of order"
            return count, ChainProblem(
                row.seq, f"row {expected_seq} is {kind} (found row {row.seq})"
            )
        if row.prev_hash != expected_prev:
            return count, ChainProblem(row.seq, f"row {row.seq} does not link to row {row.seq - 1}")
        if row_digest(row.prev_hash, hashed_fields(row)) != row.hash:
            return count, ChainProblem(row.seq, f"row {row.seq} was altered after it was written")
        expected_prev = row.hash
        expected_seq += 1
    last_seq = expected_seq - 1
    if count:
        head = ChainHead.objects.filter(id=1).first()
        if head is None or head.last_seq < last_seq:
            return count, ChainProblem(
                last_seq, f"row {last_seq} was inserted beyond the chain head"
            )
        if head.last_seq == last_seq and head.last_hash != expected_prev:
            return count, ChainProblem(last_seq, f"row {last_seq} does not match the chain head")
    return count, None


def verify_trail(*, chunk_size: int = CHUNK_SIZE) -> TrailReport:
    """Check every row links to the one before and hashes true, and the head matches the end.

    The head is read first and rows up to it are checked with `chain.verify`; rows written
    while the check runs are then checked as a continuation, so a busy system does not raise
    a false alarm and no write is blocked.
    """
    head = ChainHead.objects.filter(id=1).first()
    if head is None:
        stray = AuditEvent.objects.order_by("seq").values_list("seq", flat=True).first()
        if stray is None:
            return TrailReport(0, None)
        return TrailReport(0, ChainProblem(stray, "the chain head is missing"))
    rows = _Counter(_rows(1, head.last_seq, chunk_size))
    problem = verify(rows, head.last_seq, head.last_hash)
    if problem is not None:
        return TrailReport(rows.count, problem)
    last_hash = head.last_hash if head.last_seq else GENESIS_HASH
    tail_count, problem = _check_tail(head.last_seq, last_hash, chunk_size)
    return TrailReport(rows.count + tail_count, problem)
