from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django_tasks import TaskResult


def _schedule_after_migrate(sender: object, **kwargs: Any) -> None:
    from django.db import DatabaseError

    from .tasks import schedule_verification

    try:
        schedule_verification()
    except DatabaseError:  # the task queue's table is not there yet (a partial migrate)
        return


def _schedule_after_a_run(sender: object, task_result: TaskResult[Any], **kwargs: Any) -> None:
    """A check that failed before queuing its successor still leaves one queued."""
    from .tasks import schedule_verification, verify_audit_trail_on_schedule

    if task_result.task.module_path == verify_audit_trail_on_schedule.module_path:
        schedule_verification()


class AuditConfig(AppConfig):
    name = "healthjustice.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        post_migrate.connect(_schedule_after_migrate, sender=self)
        task_finished.connect(_schedule_after_a_run, dispatch_uid="audit_verify_reschedule")
