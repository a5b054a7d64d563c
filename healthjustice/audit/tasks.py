"""The audit chain verified on a schedule by the background worker (`manage.py db_worker`).

django-tasks has no periodic scheduler, so the check keeps itself going: each run first queues
the next one (`run_after` the interval), then checks the chain, so a run that fails still leaves
the next one queued. `schedule_verification` makes sure exactly one run is waiting; it is called
after `migrate`, after every run of `audit_verify`, and when a run finishes (even a failed one).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from .models import ChainHead
from .services import record_verification
from .verification import verify_trail

logger = logging.getLogger(__name__)


def interval() -> timedelta:
    return timedelta(hours=max(1, int(settings.HJ_AUDIT_VERIFY_INTERVAL_HOURS)))


def _pending_runs() -> Any:
    """Runs queued and not yet started; None when the backend keeps no queue to look at."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return None
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=verify_audit_trail_on_schedule.module_path,
        backend_name=verify_audit_trail_on_schedule.get_backend().alias,
    )


def schedule_verification(*, at: datetime | None = None) -> bool:
    """Queue the next check unless one is already waiting; True if this call queued it.

    Backends that cannot run a task later (the immediate backend in tests) queue nothing.
    """
    backend = verify_audit_trail_on_schedule.get_backend()
    if not backend.supports_defer:
        return False
    with transaction.atomic():
        # Two workers finishing at once must not both queue a run: take the chain head's lock.
        ChainHead.objects.select_for_update().filter(id=1).first()
        pending = _pending_runs()
        if pending is None or pending.exists():
            return False
        verify_audit_trail_on_schedule.using(run_after=at or timezone.now() + interval()).enqueue()
    return True


@task()
def verify_audit_trail_on_schedule() -> dict[str, Any]:
    """Queue the next check, then check the whole chain and record what was found."""
    try:
        schedule_verification()
    except Exception:  # the check itself matters more; the run's end tries queuing again
        logger.exception("Could not queue the next audit trail check")
    report = verify_trail()
    record_verification(rows_checked=report.rows, anchors_checked=0, problem=report.problem)
    if report.problem is not None:
        logger.error("Audit trail broken at row %s: %s", report.problem.seq, report.problem.message)
    return {"rows_checked": report.rows, "intact": report.intact}
