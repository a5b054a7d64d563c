"""Writing many rows fast: COPY on PostgreSQL, bulk_create elsewhere (SQLite): the synthetic
register's millions of rows, and a list's thousands.

Rows are plain tuples in the order of the field names given, so the load data is built without a
model instance per row (a million people make about twenty million rows). JSON columns are given
as JSON text, which is what COPY reads; on SQLite they are parsed back for bulk_create.

The largest table's rows can also be given as COPY's text form already (`write_text`): lines of
tab-separated values, each ending with `text_suffix`, so psycopg does not convert value by
value; on SQLite the lines are split back into rows.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from psycopg.copy import QueuedLibpqWriter


class TableWriter:
    def __init__(self) -> None:
        self.copy = connection.vendor == "postgresql"
        # psycopg's connection under Django's, when rows are written from another thread
        # (Django's connection object belongs to the thread that opened it).
        self.raw: Any = None
        self._statements: dict[
            tuple[type[models.Model], tuple[str, ...]], tuple[str, tuple[Any, ...]]
        ] = {}
        self._next_id: dict[type[models.Model], int] = {}

    def ids(self, model: type[models.Model], count: int) -> list[int]:
        """`count` primary keys for new rows of `model`, so rows of other tables can point at
        them before they are written. Call inside the transaction that writes them."""
        table = model._meta.db_table
        if self.copy:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
        if model not in self._next_id:
            top = model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0
            self._next_id[model] = top + 1
        first = self._next_id[model]
        self._next_id[model] = first + count
        return list(range(first, first + count))

    def write(
        self, model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]]
    ) -> None:
        if not rows:
            return
        if self.copy:
            _, extra = self._statement(model, fields)
            with self._copy(model, fields) as copy:
                for row in rows:
                    copy.write_row(row + extra if extra else row)
            return
        names = [_field(model, name).attname for name in fields]
        json_at = [
            i for i, name in enumerate(fields) if isinstance(_field(model, name), models.JSONField)
        ]
        objects = []
        for row in rows:
            values = list(row)
            for i in json_at:
                values[i] = json.loads(values[i])
            objects.append(model(**dict(zip(names, values, strict=True))))
        model._base_manager.bulk_create(objects, batch_size=2000)

    def _statement(
        self, model: type[models.Model], fields: Sequence[str]
    ) -> tuple[str, tuple[Any, ...]]:
        key = (model, tuple(fields))
        if key not in self._statements:
            self._statements[key] = _copy_statement(model, fields)
        return self._statements[key]

    @contextmanager
    def _copy(self, model: type[models.Model], fields: Sequence[str]) -> Iterator[Any]:
        """psycopg's COPY into `model`'s table, `fields` then Django's defaults for the rest,
        its data sent from a queue so that building rows and sending them overlap."""
        statement, _ = self._statement(model, fields)
        with self._cursor() as raw, raw.copy(statement, writer=QueuedLibpqWriter(raw)) as copy:
            yield copy

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        """psycopg's own cursor, for COPY."""
        if self.raw is not None:
            with self.raw.cursor() as cursor:
                yield cursor
            return
        with connection.cursor() as cursor:
            yield cursor.cursor

    def text_suffix(self, model: type[models.Model], fields: Sequence[str]) -> str:
        """What ends each line given to `write_text`: the columns not in `fields` that COPY must
        send (Django's defaults), in COPY's text form, and the newline."""
        _, extra = self._statement(model, fields)
        return "".join("\t" + _copy_text(value) for value in extra) + "\n"

    def write_text(self, model: type[models.Model], fields: Sequence[str], text: str) -> None:
        """Write rows given as COPY text: one line a row, the values of `fields` in order,
        tab-separated and escaped with `copy_text`, each line ending with `text_suffix`."""
        if not text:
            return
        if self.copy:
            with self._copy(model, fields) as copy:
                copy.write(text)
            return
        width = len(fields)
        rows = [
            tuple(_from_copy_text(value) for value in line.split("\t")[:width])
            for line in text.split("\n")
            if line
        ]
        self.write(model, fields, rows)


def copy_text(value: str) -> str:
    """`value` as COPY's text format writes it: backslash, tab, newline and return escaped."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


_UNESCAPE = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}


def _from_copy_text(value: str) -> str | None:
    if value == "\\N":
        return None
    if "\\" not in value:
        return value
    out, i = [], 0
    while i < len(value):
        pair = value[i : i + 2]
        if pair in _UNESCAPE:
            out.append(_UNESCAPE[pair])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return copy_text(str(value))


def _copy_statement(
    model: type[models.Model], fields: Sequence[str]
) -> tuple[str, tuple[Any, ...]]:
    """COPY's statement for `fields` and the Django defaults of the columns not among them,
    which COPY must send because they live in Python, not in the table."""
    opts = model._meta
    given = [_field(model, name) for name in fields]
    rest = [
        f for f in opts.concrete_fields if f not in given and not f.primary_key and not f.generated
    ]
    extra = tuple(_copy_value(f, f.get_default()) for f in rest)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in [*given, *rest])
    table = connection.ops.quote_name(opts.db_table)
    return f"COPY {table} ({columns}) FROM STDIN", extra


def _copy_value(field: models.Field[Any, Any], value: Any) -> Any:
    if field.unique and value is not None:
        raise ValueError(f"{field.model.__name__}.{field.name} is unique: give it in each row")
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(field, models.JSONField):
        return json.dumps(value)
    return value


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    found = model._meta.get_field(name)
    if not isinstance(found, models.Field):
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return found
