"""The background worker verifies the audit chain on a schedule, keeping exactly one run queued."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from healthjustice.audit import tasks
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.governance.selectors import last_verification
from tests.audit.test_verify import TABLE, sql

pytestmark = pytest.mark.django_db

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = QUEUE
    settings.HJ_AUDIT_VERIFY_INTERVAL_HOURS = 24
    DBTaskResult.objects.all().delete()


def _pending():
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=tasks.verify_audit_trail_on_schedule.module_path,
    )


def _run_due_tasks() -> None:
    """What `manage.py db_worker --batch` does: run every task whose time has come.

    The worker closes stale connections between tasks; inside a test's transaction that would
    close the test's own connection, so it is left open here.
    """
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        _worker().run()


def _worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def _make_due() -> None:
    _pending().update(run_after=timezone.now() - timedelta(seconds=1))


def test_scheduling_twice_leaves_exactly_one_run_waiting():
    assert tasks.schedule_verification() is True
    assert tasks.schedule_verification() is False
    assert _pending().count() == 1
    run_after = _pending().get().run_after
    assert timedelta(hours=23) < run_after - timezone.now() <= timedelta(hours=24)


def test_interval_comes_from_the_setting(settings):
    settings.HJ_AUDIT_VERIFY_INTERVAL_HOURS = 6
    tasks.schedule_verification()
    assert _pending().get().run_after - timezone.now() <= timedelta(hours=6)


def test_a_scheduled_run_records_the_check_and_queues_the_next_one():
    audit_record(actor=None, action=Action.VIEW, object_type="page")
    tasks.schedule_verification()
    _make_due()
    _run_due_tasks()
    verification = last_verification()
    assert verification is not None and verification.intact
    assert verification.rows_checked >= 1
    assert _pending().count() == 1
    assert _pending().get().run_after > timezone.now() + timedelta(hours=23)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 1


def test_a_broken_trail_is_recorded_as_broken_and_checking_goes_on():
    audit_record(actor=None, action=Action.VIEW, object_type="page")
    audit_record(actor=None, action=Action.VIEW, object_type="page")
    sql(f"UPDATE {TABLE} SET object_type = %s WHERE seq = 1", ["person"])  # noqa: S608
    tasks.schedule_verification()
    _make_due()
    _run_due_tasks()
    verification = last_verification()
    assert verification is not None and not verification.intact
    assert verification.first_bad_seq == 1
    assert _pending().count() == 1


def test_a_run_that_fails_still_leaves_the_next_one_queued():
    tasks.schedule_verification()
    _make_due()
    with mock.patch.object(tasks, "verify_trail", side_effect=RuntimeError("database gone")):
        _run_due_tasks()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 1
    assert _pending().count() == 1


def test_a_run_whose_queuing_failed_is_queued_again_when_it_ends():
    tasks.schedule_verification()
    _make_due()
    real = tasks.schedule_verification
    calls = []

    def fail_once(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise RuntimeError("queue unavailable")
        return real(**kwargs)

    with mock.patch.object(tasks, "schedule_verification", side_effect=fail_once):
        _run_due_tasks()
    assert _pending().count() == 1


def test_the_verify_command_starts_the_schedule_when_nothing_is_waiting():
    assert not _pending().exists()
    call_command("audit_verify", stdout=StringIO(), stderr=StringIO())
    assert _pending().count() == 1
    call_command("audit_verify", stdout=StringIO(), stderr=StringIO())
    assert _pending().count() == 1


def test_migrate_starts_the_schedule():
    call_command("migrate", verbosity=0)
    assert _pending().count() == 1


def test_nothing_is_queued_on_a_backend_that_cannot_run_later(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert tasks.schedule_verification() is False
