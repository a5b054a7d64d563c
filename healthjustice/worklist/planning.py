"""A PostgreSQL-only hint for the worklist's query, behind one small seam."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from healthjustice.core.report_queries import planner_settings


@contextmanager
def short_query_plans() -> Iterator[None]:
    """Run the enclosed queries without PostgreSQL's JIT compilation.

    The worklist's priority subqueries make the planner's cost estimate high enough to switch
    JIT on, which then spends longer compiling (about 70 ms with 150,000 episodes) than the
    query takes to run. `SET LOCAL` lasts only to the end of this transaction. Other databases
    have no JIT: nothing changes there.
    """
    with planner_settings(jit="off"):
        yield
