"""Loading into tables without their secondary indexes, unique constraints and foreign keys.

For a large load into PostgreSQL it is much cheaper to drop what the rows would otherwise have to
update and check one by one, load, and build it again once: a b-tree built from sorted rows
costs a fraction of millions of single inserts into it, and a foreign key added to a full table
is checked by one join instead of a trigger per row.

`rebuilt_indexes` does this inside the caller's transaction. It reads the definitions from the
catalogue (`pg_indexes`, `pg_constraint`, `pg_get_constraintdef`), not from the models, so it
puts back exactly what the database held, whatever migrations made it. The tables are locked
ACCESS EXCLUSIVE first, in a fixed order, and stay locked until the transaction ends: nobody can
read or write them meanwhile, so this is for a load-test database, not a live service. If
anything fails the transaction rolls back, and with it the drops, the rows and the rebuilds.

Kept: primary keys (the rows are written in key order, so keeping them costs little and other
tables' foreign keys point at them), check constraints (checked on the row in hand, no lookup),
and any unique index that a foreign key of a table not being loaded depends on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, models

# Memory for each index build's sort, for this transaction only (the default is 64 MB, which
# makes a 10-million-row build spill to disk).
BUILD_MEMORY = "512MB"


@dataclass(frozen=True)
class Definition:
    table: str
    name: str
    sql: str  # pg_get_indexdef for an index, pg_get_constraintdef for a constraint
    is_constraint: bool


def _tables(models_: Sequence[type[models.Model]]) -> list[str]:
    return [model._meta.db_table for model in models_]


def definitions(models_: Sequence[type[models.Model]]) -> list[Definition]:
    """What `rebuilt_indexes` drops on these models' tables, in the order it is made again:
    indexes, then unique constraints, then foreign keys (which may need the unique ones)."""
    tables = _tables(models_)
    with connection.cursor() as cursor:
        # Unique indexes that foreign keys of other tables depend on stay where they are.
        cursor.execute(
            """
            SELECT f.conindid FROM pg_constraint f
            WHERE f.contype = 'f'
              AND f.confrelid = ANY(%(tables)s::regclass[])
              AND NOT f.conrelid = ANY(%(tables)s::regclass[])
            """,
            {"tables": tables},
        )
        needed = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            """
            SELECT i.tablename, i.indexname, i.indexdef
            FROM pg_indexes i
            JOIN pg_class c ON c.relname = i.indexname
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = i.schemaname
            WHERE i.schemaname = current_schema()
              AND i.tablename = ANY(%(tables)s)
              AND NOT c.oid = ANY(%(needed)s::oid[])
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint k
                WHERE k.conindid = c.oid AND k.contype IN ('p', 'u', 'x')
              )
            ORDER BY i.tablename, i.indexname
            """,
            {"tables": tables, "needed": needed},
        )
        indexes = [Definition(t, name, sql, False) for t, name, sql in cursor.fetchall()]
        cursor.execute(
            """
            SELECT t.relname, k.conname, pg_get_constraintdef(k.oid), k.contype
            FROM pg_constraint k
            JOIN pg_class t ON t.oid = k.conrelid
            WHERE k.conrelid = ANY(%(tables)s::regclass[])
              AND (k.contype = 'f' OR (k.contype = 'u' AND NOT k.conindid = ANY(%(needed)s::oid[])))
            ORDER BY k.contype DESC, t.relname, k.conname
            """,
            {"tables": tables, "needed": needed},
        )
        constraints = [Definition(t, name, sql, True) for t, name, sql, _ in cursor.fetchall()]
    return indexes + constraints


@contextmanager
def rebuilt_indexes(models_: Sequence[type[models.Model]]) -> Iterator[list[Definition]]:
    """Drop the secondary indexes, unique constraints and foreign keys of these models' tables,
    run the body, and make them again as they were. Call inside `transaction.atomic()`: the
    drops, the body's rows and the rebuilds commit or roll back together."""
    if connection.vendor != "postgresql":
        raise ValueError("Indexes are rebuilt on PostgreSQL only.")
    if not connection.in_atomic_block:
        raise ValueError("Rebuild indexes inside a transaction, so a failure undoes the drops.")
    quote = connection.ops.quote_name
    tables = _tables(models_)
    with connection.cursor() as cursor:
        # Rows written earlier in the transaction (a team, the load worker) may still have
        # foreign-key checks waiting for the commit; a table with waiting checks cannot be
        # altered, so run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "LOCK TABLE " + ", ".join(quote(t) for t in tables) + " IN ACCESS EXCLUSIVE MODE"
        )
    dropped = definitions(models_)
    with connection.cursor() as cursor:
        for d in reversed(dropped):  # foreign keys first, then what they may depend on
            if d.is_constraint:
                cursor.execute(f"ALTER TABLE {quote(d.table)} DROP CONSTRAINT {quote(d.name)}")
            else:
                cursor.execute(f"DROP INDEX {quote(d.name)}")
    yield dropped
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
        for d in dropped:
            if d.is_constraint:
                table, name = quote(d.table), quote(d.name)
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {d.sql}")
            else:
                cursor.execute(d.sql)
