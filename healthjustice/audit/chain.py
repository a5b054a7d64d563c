"""How an audit row's hash is computed and how the chain is checked."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def row_digest(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def hashed_fields(event: Any) -> dict[str, Any]:
    """The fields a row's hash covers. `access_basis` came later: it is hashed only when set,
    so a row written before it existed (blank) hashes exactly as it did, and setting or
    clearing it on any row breaks the chain."""
    fields = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "remote_addr": event.remote_addr,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "fields_changed": event.fields_changed,
        "detail": event.detail,
    }
    basis = getattr(event, "access_basis", "")
    if basis:
        fields["access_basis"] = basis
    # Likewise the chain: rows of the original chain (1) hash as they always did, and moving a
    # row from one chain to another breaks it.
    chain = getattr(event, "chain", 1)
    if chain not in (None, 1):
        fields["chain"] = chain
    return fields


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    message: str


def check_row(event: Any, last_seq: int, expected_prev: str) -> ChainProblem | None:
    """Does `event` follow the row `last_seq` (hash `expected_prev`) of its chain?

    Row numbers rise along a chain but need not be consecutive: with several chains each takes
    the next number of the whole trail. A row taken out still shows, as the next row's link
    breaks; within a run of consecutive numbers it is named exactly."""
    expected_seq = last_seq + 1
    if event.seq < expected_seq:
        return ChainProblem(
            event.seq, f"row {expected_seq} is duplicated or out of order (found row {event.seq})"
        )
    if event.prev_hash != expected_prev:
        if event.seq > expected_seq:
            return ChainProblem(event.seq, f"row {expected_seq} is missing (found row {event.seq})")
        return ChainProblem(event.seq, f"row {event.seq} does not link to row {last_seq}")
    if row_digest(event.prev_hash, hashed_fields(event)) != event.hash:
        return ChainProblem(event.seq, f"row {event.seq} was altered after it was written")
    return None


def verify(
    events: Iterable[Any], head_seq: int | None, head_hash: str | None
) -> ChainProblem | None:
    """Return the first problem in one chain, or None when every row links and hashes true."""
    expected_prev = GENESIS_HASH
    last_seq = 0
    for event in events:
        problem = check_row(event, last_seq, expected_prev)
        if problem is not None:
            return problem
        expected_prev = event.hash
        last_seq = event.seq
    if head_seq is not None and head_seq != last_seq:
        return ChainProblem(
            last_seq + 1, f"rows after {last_seq} were removed (head at {head_seq})"
        )
    if head_hash is not None and last_seq and head_hash != expected_prev:
        return ChainProblem(last_seq, f"row {last_seq} does not match the chain head")
    return None
