"""A PostgreSQL-only hint for the worklist's query, behind one small seam."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def short_query_plans() -> Iterator[None]:
    """Run the enclosed queries without PostgreSQL's JIT compilation.

    The worklist's priority subqueries make the planner's cost estimate high enough to switch
    JIT on, which then spends longer compiling (about 70 ms with 150,000 episodes) than the
    query takes to run. `SET LOCAL` lasts only to the end of this transaction. Other databases
    have no JIT: nothing changes there.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield
