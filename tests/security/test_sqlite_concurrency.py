"""The embedded SQLite default holds many people writing at once (issue: "database is locked")."""

import runpy
import threading
import time
from pathlib import Path

from django.db.utils import ConnectionHandler, OperationalError

from healthjustice.config.settings import base
from healthjustice.core.sqlite.base import write_lock

THREADS = 16
WRITES_PER_THREAD = 15


def _base_settings(monkeypatch, url: str | None = None) -> dict:
    if url is None:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("DATABASE_URL", url)
    return runpy.run_path(base.__file__)


def test_sqlite_default_waits_for_the_write_lock_and_takes_it_at_the_start(monkeypatch):
    monkeypatch.delenv("HJ_SQLITE_BUSY_TIMEOUT_SECONDS", raising=False)
    settings = _base_settings(monkeypatch)
    db = settings["DATABASES"]["default"]
    assert db["ENGINE"] == "healthjustice.core.sqlite"
    options = db["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20


def test_sqlite_busy_timeout_is_configurable(monkeypatch):
    _base_settings(monkeypatch)
    monkeypatch.setenv("HJ_SQLITE_BUSY_TIMEOUT_SECONDS", "45")
    settings = runpy.run_path(base.__file__)
    assert settings["DATABASES"]["default"]["OPTIONS"]["timeout"] == 45


def test_postgres_gets_no_sqlite_options(monkeypatch):
    settings = _base_settings(monkeypatch, "postgres://postgres@127.0.0.1:5432/hj")
    assert "transaction_mode" not in settings["DATABASES"]["default"].get("OPTIONS", {})


def test_sessions_are_not_written_on_every_request(monkeypatch):
    settings = _base_settings(monkeypatch)
    assert settings["SESSION_SAVE_EVERY_REQUEST"] is False
    assert 0 < settings["SESSION_REFRESH_SECONDS"] < settings["SESSION_COOKIE_AGE"]


def _concurrent_writes(db_settings: dict) -> tuple[int, list[Exception]]:
    """THREADS threads, each running transactions that read and then write, as views do."""
    handler = ConnectionHandler({"default": db_settings})
    setup = handler["default"]
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, thread INT, n INT)")
    setup.close()

    errors: list[Exception] = []
    start = threading.Barrier(THREADS)

    def work(thread: int) -> None:
        conn = handler["default"]
        start.wait()
        for n in range(WRITES_PER_THREAD):
            # What transaction.atomic() does on entry.
            conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            try:
                with conn.cursor() as cursor:
                    cursor.execute("SELECT COUNT(*) FROM entry")
                    time.sleep(0.002)
                    cursor.execute("INSERT INTO entry (thread, n) VALUES (%s, %s)", [thread, n])
                conn.commit()
            except OperationalError as exc:
                errors.append(exc)
                conn.rollback()
            finally:
                conn.set_autocommit(True)
        conn.close()

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    check = handler["default"]
    with check.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM entry")
        written = cursor.fetchone()[0]
    check.close()
    return written, errors


def test_many_concurrent_writes_on_a_sqlite_file_all_succeed(
    monkeypatch, tmp_path: Path, django_db_blocker
):
    settings = _base_settings(monkeypatch, f"sqlite:///{tmp_path / 'concurrent.sqlite3'}")
    with django_db_blocker.unblock():
        written, errors = _concurrent_writes(settings["DATABASES"]["default"])
    assert errors == []
    assert written == THREADS * WRITES_PER_THREAD


def test_without_immediate_transactions_the_same_writes_fail(
    monkeypatch, tmp_path: Path, django_db_blocker
):
    """The test above can fail: with Django's own backend and SQLite's default (deferred)
    transactions, a transaction that read first cannot take the write lock."""
    settings = _base_settings(monkeypatch, f"sqlite:///{tmp_path / 'deferred.sqlite3'}")
    db = settings["DATABASES"]["default"]
    db["ENGINE"] = "django.db.backends.sqlite3"
    db["OPTIONS"] = {**db["OPTIONS"], "transaction_mode": None}
    with django_db_blocker.unblock():
        written, errors = _concurrent_writes(db)
    assert errors
    assert written < THREADS * WRITES_PER_THREAD


def test_a_write_transaction_holds_the_process_write_lock_until_it_ends(
    monkeypatch, tmp_path: Path, django_db_blocker
):
    settings = _base_settings(monkeypatch, f"sqlite:///{tmp_path / 'lock.sqlite3'}")
    db = settings["DATABASES"]["default"]
    lock = write_lock(db["NAME"])
    with django_db_blocker.unblock():
        conn = ConnectionHandler({"default": db})["default"]
        for end in ("commit", "rollback", "close"):
            conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            assert lock.locked()
            getattr(conn, end)()
            if end != "close":
                conn.set_autocommit(True)
            assert not lock.locked()


def test_a_writer_waits_for_another_threads_write_instead_of_failing(
    monkeypatch, tmp_path: Path, django_db_blocker
):
    monkeypatch.setenv("HJ_SQLITE_BUSY_TIMEOUT_SECONDS", "5")
    settings = _base_settings(monkeypatch, f"sqlite:///{tmp_path / 'wait.sqlite3'}")
    handler = ConnectionHandler({"default": settings["DATABASES"]["default"]})
    began, finished = threading.Event(), []

    def second_writer() -> None:
        conn = handler["default"]
        began.wait()
        conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        with conn.cursor() as cursor:
            cursor.execute("INSERT INTO entry (thread, n) VALUES (2, 0)")
        conn.commit()
        conn.set_autocommit(True)
        finished.append(time.monotonic())
        conn.close()

    with django_db_blocker.unblock():
        first = handler["default"]
        with first.cursor() as cursor:
            cursor.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, thread INT, n INT)")
        thread = threading.Thread(target=second_writer)
        thread.start()
        first.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        began.set()
        time.sleep(0.3)
        assert finished == []
        committed_at = time.monotonic()
        first.commit()
        first.set_autocommit(True)
        thread.join(timeout=10)
        assert finished and finished[0] >= committed_at
        first.close()
