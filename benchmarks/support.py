"""What the benchmarks share: the 95th percentile and a throwaway second database."""

from __future__ import annotations

import os
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]


def small_database(prefix: str) -> tuple[str, Callable[[], None]]:
    """A second, empty database of the same engine, and how to remove it."""
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    if connection.vendor == "postgresql":
        parts = urlsplit(url)
        name = f"{connection.settings_dict['NAME']}_small"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')

        return urlunsplit(parts._replace(path=f"/{name}")), drop
    handle, path = tempfile.mkstemp(prefix=prefix, suffix=".sqlite3")
    os.close(handle)

    def remove() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)

    return f"sqlite:///{path}", remove
