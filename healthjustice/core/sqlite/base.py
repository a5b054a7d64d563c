"""Django's SQLite backend, with write transactions queued inside the process.

SQLite lets one connection write at a time; the others wait in its busy handler, which sleeps
and polls. In a threaded server (`runserver`, or gunicorn with threads) dozens of threads
polling for the lock also compete for Python's GIL, so the thread holding the lock gets the
GIL ever more rarely and holds the lock longer, until waiters pass the busy timeout and fail
with "database is locked". Here a thread takes a per-database lock in the process before
BEGIN IMMEDIATE and gives it back at COMMIT or ROLLBACK: waiting threads sleep without
running, the writer runs, and writes go through one after another. Other processes (the task
worker, a management command) are still kept in order by SQLite's own lock and busy timeout.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def write_lock(name: str) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(name, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock = write_lock(str(self.settings_dict["NAME"]))
        self._holds_write_lock = False

    def _start_transaction_under_autocommit(self) -> None:
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        if not self._write_lock.acquire(timeout=timeout):
            raise OperationalError("database is locked (waited for another thread's write)")
        self._holds_write_lock = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private hook, not in django-stubs
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        if self._holds_write_lock:
            self._holds_write_lock = False
            self._write_lock.release()

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # private hook, not in django-stubs
        finally:
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # private hook, not in django-stubs
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # private hook, not in django-stubs
        finally:
            self._release_write_lock()
