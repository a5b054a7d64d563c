"""Which chain an audit row goes on, and its row number.

The trail is several hash chains (`settings.HJ_AUDIT_CHAINS`, each with its own `ChainHead`
row) so that writers do not queue on one row lock. A connection keeps to the chain it last
used; when another transaction holds that chain's head it takes any chain no one holds
(`FOR UPDATE SKIP LOCKED`), and only waits when every chain is busy. A transaction that has
already appended keeps to its own chain (a head it holds is never "locked" to itself), so a
transaction never holds one head while waiting for another: no deadlock between writers.

Row numbers are unique across the trail: on PostgreSQL with several chains from a sequence
(`audit_event_seq`), taken while the chain's head is held, so they rise along each chain; with
one chain, or on SQLite (which writes one transaction at a time), one more than the highest.
See docs/audit.md.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.db import IntegrityError, connection
from django.db.models import Max

from .chain import GENESIS_HASH
from .models import AuditEvent, ChainHead

SEQUENCE = "audit_event_seq"
_heads_made: set[tuple[str, int]] = set()
_sequence_checked: set[str] = set()


def chain_count() -> int:
    return max(1, int(getattr(settings, "HJ_AUDIT_CHAINS", 1)))


def _ensure_heads(count: int) -> None:
    """Every chain up to `count` has a head row (once per process and database)."""
    key = (connection.settings_dict["NAME"], count)
    if key in _heads_made:
        return
    existing = set(ChainHead.objects.filter(id__lte=count).values_list("id", flat=True))
    missing = [
        ChainHead(id=k, last_seq=0, last_hash=GENESIS_HASH)
        for k in range(1, count + 1)
        if k not in existing
    ]
    if missing:
        ChainHead.objects.bulk_create(missing, ignore_conflicts=True)
    _heads_made.add(key)


def _preferred(count: int) -> int:
    chosen = getattr(connection, "_hj_audit_chain", None)
    if not isinstance(chosen, int) or not 1 <= chosen <= count:
        chosen = random.randint(1, count)  # spreading load, not a secret
    return chosen


def lock_a_chain() -> ChainHead:
    """Lock and return the head of the chain this transaction appends to."""
    count = chain_count()
    heads = ChainHead.objects.select_for_update(skip_locked=True)
    head: ChainHead | None = None
    preferred = _preferred(count)
    if count > 1:
        _ensure_heads(count)
        head = heads.filter(id=preferred).first()
        if head is None:
            head = heads.filter(id__lte=count).order_by("?").first()
    if head is None:
        head, _ = ChainHead.objects.select_for_update().get_or_create(
            id=preferred if count > 1 else 1,
            defaults={"last_seq": 0, "last_hash": GENESIS_HASH},
        )
    connection._hj_audit_chain = head.id  # type: ignore[attr-defined]
    return head


def next_seq(head: ChainHead) -> int:
    """The next row number of the trail, above `head` (held by the caller).

    A head at 0 over a chain that has rows was removed or reset: nothing is appended to it
    (the write fails), rather than a new chain silently starting over the old one."""
    if head.last_seq == 0 and AuditEvent.objects.filter(chain=head.id).exists():
        raise IntegrityError(f"Audit chain {head.id} has rows but its head is at row 0.")
    if connection.vendor != "postgresql" or chain_count() == 1:
        # One chain (or SQLite, one writer at a time): the held head serialises every writer,
        # so numbers follow on from the highest row with no gaps, as before there were chains.
        if chain_count() == 1 and connection.vendor != "postgresql":
            return head.last_seq + 1
        highest = AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0
        return max(highest, head.last_seq) + 1
    database = connection.settings_dict["NAME"]
    if database not in _sequence_checked:
        # Once per process: rows loaded in bulk (a seeder) may have run past the sequence.
        _catch_up_sequence()
        _sequence_checked.add(database)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [SEQUENCE])
        seq = int(cursor.fetchone()[0])
        if seq <= head.last_seq:  # rows were loaded without the sequence: catch it up
            cursor.execute(
                "SELECT setval(%s, GREATEST((SELECT max(seq) FROM audit_auditevent), %s) + 1)",
                [SEQUENCE, head.last_seq],
            )
            seq = int(cursor.fetchone()[0])
    return seq


def _catch_up_sequence() -> None:
    """Move the sequence past the highest row only when it is behind (never back)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(%s, m) FROM (SELECT max(seq) AS m FROM audit_auditevent) AS highest "
            "WHERE m > (SELECT last_value FROM audit_event_seq)",
            [SEQUENCE],
        )


def resync_sequence() -> None:
    """Set the PostgreSQL sequence past the highest row (after rows are loaded in bulk)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(%s, COALESCE((SELECT max(seq) FROM audit_auditevent), 0) + 1, false)",
            [SEQUENCE],
        )
