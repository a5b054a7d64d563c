"""PostgreSQL settings for the queries inside a block only, behind one small seam.

`planner_settings(jit="off", ...)` runs the enclosed queries in a transaction of their own with
each setting set locally (`set_config(name, value, true)`, as `SET LOCAL`: it lasts only to the
end of that transaction), in one query. Other databases have
no such settings: nothing changes there.

`report_queries()` is what the reports that count a year of a region's episodes in one go use:

- no just-in-time compilation: PostgreSQL compiles a query to machine code when the planner's
  estimated cost passes `jit_above_cost`. These queries count hundreds of thousands of rows
  through correlated subqueries whose estimated cost is far above what they take: at 1,000,000
  people the equity figures' main query spent 4.4 s of its 7 s compiling;
- more memory to sort in (`work_mem`), so that ranking and grouping a year's episodes (a few
  tens of megabytes) is done in memory rather than in temporary files;
- workers in parallel made cheaper to the planner (`parallel_setup_cost`, `parallel_tuple_cost`):
  by its default costs, joining a region's year of episodes to their people on both cores did
  not pay for gathering 160,000 rows, yet it made the equity figures a third faster
  (docs/performance.md).

`many_rows()` is the first two, for the other queries over many rows at once: a list's
thousands of rows looked up in the register (hashing tens of thousands of keys against the
search names, and asking who may see the people found, where compiling took half the query's
time); the planner keeps its own costs of working in parallel there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from django.db import connection, transaction


@contextmanager
def planner_settings(**settings: str) -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            # set_config(name, value, true) is SET LOCAL, with the name and value as parameters.
            calls = ", ".join("set_config(%s, %s, true)" for _ in settings)
            cursor.execute(f"SELECT {calls}", [x for item in settings.items() for x in item])
        yield


_MANY_ROWS = {"jit": "off", "work_mem": "64MB"}


def report_queries() -> AbstractContextManager[None]:
    return planner_settings(**_MANY_ROWS, parallel_setup_cost="100", parallel_tuple_cost="0.01")


def many_rows() -> AbstractContextManager[None]:
    return planner_settings(**_MANY_ROWS)
