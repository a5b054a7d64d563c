import fcntl
import os
import random
import shutil
import sqlite3
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import django.core.management
import factory.random
import pytest
from django.db.backends.postgresql.creation import DatabaseCreation as PostgreSQLCreation
from django.db.backends.sqlite3.creation import DatabaseCreation as SQLiteCreation
from pytest_django.plugin import blocking_manager_key

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# Synthetic test data is random but repeatable: each test draws from a seed made of this run's seed
# and the test's name, so a failure reproduces with the same HJ_TEST_SEED, and another seed
# tries other names, dates and numbers.
RUN_SEED = int(os.environ.get("HJ_TEST_SEED", "20261124"))


# The migrated test database, shared by one run's pytest-xdist workers: the first worker to get
# there runs every migration and leaves a copy of the result (on SQLite a file, on PostgreSQL a
# template database); the others start from that copy instead of migrating again. The migrations
# still run once in every run; --reuse-db is not involved.
SCHEMA_DIR = "hj_sqlite_schema"
PG_TEMPLATE_SUFFIX = "_migrated"


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    config = node.config
    if not hasattr(config, "_hj_schema_dir"):
        config._hj_schema_dir = tempfile.mkdtemp(prefix="hj-test-schema-")
    node.workerinput[SCHEMA_DIR] = config._hj_schema_dir


def pytest_unconfigure(config: pytest.Config) -> None:
    if hasattr(config, "_hj_schema_dir"):
        template = Path(config._hj_schema_dir) / "pg-template"
        if template.exists():
            with config.stash[blocking_manager_key].unblock():
                _drop_postgresql_template(template.read_text())
        shutil.rmtree(config._hj_schema_dir, ignore_errors=True)


def pytest_configure(config: pytest.Config) -> None:
    shared = getattr(config, "workerinput", {}).get(SCHEMA_DIR)
    if shared:
        _share_migrated_sqlite_schema(Path(shared))
        _share_migrated_postgresql_schema(Path(shared))


def _instead_of_migrate(replacement: Callable[[], None], run: Callable[[], str]) -> str:
    """Run `run()` (Django's create_test_db) with `replacement()` called where it would migrate."""
    call_command = django.core.management.call_command

    def everything_but_migrate(name: str, *a: Any, **kw: Any) -> Any:
        return replacement() if name == "migrate" else call_command(name, *a, **kw)

    django.core.management.call_command = everything_but_migrate
    try:
        return run()
    finally:
        django.core.management.call_command = call_command


def _share_migrated_postgresql_schema(directory: Path) -> None:
    create_test_db = PostgreSQLCreation.create_test_db
    marker = directory / "pg-template"

    def shared_create_test_db(self: PostgreSQLCreation, *args: Any, **kwargs: Any) -> str:
        if kwargs.get("keepdb"):
            return create_test_db(self, *args, **kwargs)
        with open(directory / "lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the others wait while the first one migrates
            if not marker.exists():
                name = create_test_db(self, *args, **kwargs)
                template = name.rsplit("_gw", 1)[0] + PG_TEMPLATE_SUFFIX
                self.connection.close()  # a template must have no connections
                with self._nodb_cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{template}"')
                    cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
                marker.write_text(template)
                self.connection.ensure_connection()
                return name
        self.connection.settings_dict["TEST"]["TEMPLATE"] = marker.read_text()
        # Created from the template (Django's TEST["TEMPLATE"]): nothing left to migrate.
        return _instead_of_migrate(lambda: None, lambda: create_test_db(self, *args, **kwargs))

    PostgreSQLCreation.create_test_db = shared_create_test_db  # type: ignore[method-assign]


def _drop_postgresql_template(name: str) -> None:
    from django.db import connection

    connection.close()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _share_migrated_sqlite_schema(directory: Path) -> None:
    create_test_db = SQLiteCreation.create_test_db
    snapshot = directory / "migrated.sqlite3"

    def shared_create_test_db(self: SQLiteCreation, *args: Any, **kwargs: Any) -> str:
        if kwargs.get("keepdb") or not self.is_in_memory_db(self._get_test_db_name()):
            return create_test_db(self, *args, **kwargs)
        with open(directory / "lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the others wait while the first one migrates
            if not snapshot.exists():
                name = create_test_db(self, *args, **kwargs)
                copy = sqlite3.connect(directory / "partial.sqlite3")
                self.connection.connection.backup(copy)
                copy.close()
                os.replace(directory / "partial.sqlite3", snapshot)
                return name

        # Everything create_test_db does, with the migrated copy loaded in place of `migrate`.
        def load() -> None:
            self.connection.ensure_connection()
            source = sqlite3.connect(snapshot)
            source.backup(self.connection.connection)
            source.close()

        return _instead_of_migrate(load, lambda: create_test_db(self, *args, **kwargs))

    SQLiteCreation.create_test_db = shared_create_test_db  # type: ignore[method-assign]


def pytest_report_header() -> str:
    return f"synthetic data seed: HJ_TEST_SEED={RUN_SEED}"


def _reseed(name: str) -> None:
    seed = RUN_SEED ^ zlib.crc32(name.encode())
    factory.random.reseed_random(seed)
    random.seed(seed)


@contextmanager
def seeded(name: str) -> Iterator[None]:
    """Draw synthetic data from this run's seed and `name` (for a world shared by a module's
    tests, built before any of them reseeds), then go back to the state before."""
    state, factory_state = random.getstate(), factory.random.get_random_state()
    _reseed(name)
    try:
        yield
    finally:
        random.setstate(state)
        factory.random.set_random_state(factory_state)


@pytest.fixture(autouse=True)
def _repeatable_synthetic_data(request):
    _reseed(request.node.nodeid)


@pytest.fixture
def signed_in(client):
    """Return a function that signs a user in on the test client."""

    def _sign_in(user):
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return _sign_in
