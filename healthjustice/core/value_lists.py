"""A list of values sent to the database as one parameter.

Django sends `field__in=[...]` as one parameter a value: the statement's text then changes with
the list's length, so it cannot be compiled once and kept, and SQLite refuses a statement with
more parameters than its limit. Here the whole list is one parameter, read back as rows by a
subquery:

- on PostgreSQL, the values joined into one string that the server splits (`string_to_array`),
  which for tens of thousands of keys took a fifth of the time of the driver's array (most of
  it spent in Python); a list a string cannot carry (an empty or missing value, or one holding
  the separator) goes as an array;
- on SQLite, a JSON list (`json_each`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import connection

# Between the values of a list sent as one string: no cleaned name, identifier, number or date
# holds it (`core.text` drops control characters).
SEPARATOR = "\x1f"


def _joined_array(kind: str) -> str:
    """PostgreSQL: an array of `kind` from one parameter of values joined by `SEPARATOR`."""
    return f"string_to_array(%s, chr(31))::{kind}[]"


def array_sql(values: Sequence[Any], kind: str) -> tuple[str, Any]:
    """PostgreSQL: SQL for an array of `kind` holding `values`, and its one parameter."""
    if set(map(type, values)) <= {str, int, date}:
        text = list(map(str, values))
        joined = SEPARATOR.join(text)
        if "" not in text and joined.count(SEPARATOR) == len(text) - 1:
            return _joined_array(kind), joined
    return f"%s::{kind}[]", list(values)


def ids_subquery() -> str:
    """A subquery of the ids given as its one parameter (`ids_param`), in a form that does not
    depend on how many there are, so a statement holding it can be compiled once."""
    if connection.vendor == "postgresql":
        return f"SELECT unnest({_joined_array('bigint')})"
    return "SELECT value FROM json_each(%s)"


def ids_param(ids: Sequence[int]) -> str:
    """The one parameter `ids_subquery` reads the ids from."""
    if connection.vendor == "postgresql":
        # An id is never empty and never holds the separator; no ids is an empty array.
        return SEPARATOR.join(map(str, ids))
    return json.dumps(list(ids))
