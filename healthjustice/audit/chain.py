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
    return fields


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    message: str


def verify(
    events: Iterable[Any], head_seq: int | None, head_hash: str | None
) -> ChainProblem | None:
    """Return the first problem in the chain, or None when every row links and hashes true."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    for event in events:
        if event.seq != expected_seq:
            kind = "missing" if event.seq > expected_seq else "duplicated or out of order"
            return ChainProblem(event.seq, f"row {expected_seq} is {kind} (found row {event.seq})")
        if event.prev_hash != expected_prev:
            return ChainProblem(event.seq, f"row {event.seq} does not link to row {event.seq - 1}")
        if row_digest(event.prev_hash, hashed_fields(event)) != event.hash:
            return ChainProblem(event.seq, f"row {event.seq} was altered after it was written")
        expected_prev = event.hash
        expected_seq += 1
    last_seq = expected_seq - 1
    if head_seq is not None and head_seq != last_seq:
        return ChainProblem(
            last_seq + 1, f"rows after {last_seq} were removed (head at {head_seq})"
        )
    if head_hash is not None and last_seq and head_hash != expected_prev:
        return ChainProblem(last_seq, f"row {last_seq} does not match the chain head")
    return None
