"""The background worker carries on after a database error instead of stopping for good."""

import contextlib

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django_tasks import task
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from healthjustice.reporting.management.commands import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
WORKER_OPTIONS = {"batch": True, "startup_delay": False, "reload": False, "verbosity": 0}


@task()
def add_up(a: int, b: int) -> int:
    return a + b


@pytest.fixture
def one_poll_fails(monkeypatch):
    """The first poll's exclusive transaction fails as SQLite does when the lock is held."""
    real = db_worker.exclusive_transaction
    polls = []

    @contextlib.contextmanager
    def flaky(using=None):
        polls.append(using)
        if len(polls) == 1:
            raise OperationalError("database is locked")
        with real(using):
            yield

    monkeypatch.setattr(db_worker, "exclusive_transaction", flaky)
    monkeypatch.setattr(run_worker.time, "sleep", lambda seconds: None)
    return polls


def test_the_worker_runs_the_task_after_a_database_error_in_one_poll(settings, one_poll_fails):
    settings.TASKS = DATABASE_TASKS
    result = add_up.enqueue(2, 3)
    call_command("run_worker", **WORKER_OPTIONS)
    assert len(one_poll_fails) >= 2
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL"
    assert row.return_value == 5


def test_db_worker_alone_stops_at_the_same_error(settings, one_poll_fails):
    settings.TASKS = DATABASE_TASKS
    add_up.enqueue(2, 3)
    with pytest.raises(OperationalError):
        call_command("db_worker", **WORKER_OPTIONS)
