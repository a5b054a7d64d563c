"""Requesting, running and purging the monthly data returns in the background.

Every return (Liaison and Diversion, MHTR and RECONNECT) runs the same way: one
`DataReturnExport` row per request, its `kind` saying which file to build; the same
permission, audit events, download and purge.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.organisations.models import Region
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from .data_return import write_data_return
from .mhtr_return import write_mhtr_return
from .models import DataReturnExport, ExportStatus, ReturnKind
from .periods import Month
from .reconnect_return import write_reconnect_return
from .scope import may_export_region

logger = logging.getLogger(__name__)


@transaction.atomic
def data_return_export_request(
    *,
    actor: User,
    region: Region,
    month: Month,
    kind: ReturnKind = ReturnKind.LIAISON_DIVERSION,
    request: HttpRequest | None = None,
) -> DataReturnExport:
    """Queue the return for a region and month; a worker runs it (at once in tests)."""
    from .tasks import run_data_return_export

    if not has_permission(actor, Permission.DATA_RETURN_EXPORT) or not may_export_region(
        actor, region
    ):
        raise PermissionDenied("You may not take the data return for this region.")
    export = DataReturnExport.objects.create(
        region=region, month=month.first_day, requested_by=actor, kind=kind
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="data_return_export",
        object_id=str(export.public_id),
        detail={"region": region.name, "month": month.key, "return": str(kind)},
    )
    result = run_data_return_export.enqueue(str(export.public_id))
    # With an immediate backend the task has already finished and saved the row itself.
    DataReturnExport.objects.filter(pk=export.pk).update(task_id=str(result.id)[:64])
    export.refresh_from_db()
    return export


def _save_progress(export_id: int, done: int, total: int) -> None:
    percent = 100 if total == 0 else min(99, int(100 * done / total))
    DataReturnExport.objects.filter(pk=export_id).update(progress=percent)


def _writer(kind: str) -> Callable[..., int]:
    """The function that writes this kind of return (looked up when it runs)."""
    writers: dict[str, Callable[..., int]] = {
        ReturnKind.MHTR: write_mhtr_return,
        ReturnKind.RECONNECT: write_reconnect_return,
    }
    return writers.get(kind, write_data_return)


def data_return_export_run(*, public_id: str) -> DataReturnExport:
    """Build the file for a queued export, keeping its progress up to date for the page."""
    export = DataReturnExport.objects.select_related("region").get(public_id=public_id)
    # Claimed with a compare-and-swap, so of two workers given the same task only one runs it.
    claimed = DataReturnExport.objects.filter(pk=export.pk, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=timezone.now(), progress=0
    )
    if not claimed:
        export.refresh_from_db()
        logger.warning("Export %s is %s, not queued: not run again", public_id, export.status)
        return export
    month = Month.of(export.month)
    try:
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as handle:
            rows = _writer(export.kind)(
                handle,
                export.region,
                month,
                progress=lambda done, total: _save_progress(export.pk, done, total),
            )
            handle.flush()
            handle.seek(0)
            name = default_storage.save(f"exports/{export.public_id}.csv", File(handle))
    except Exception as exc:
        DataReturnExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: the return could not be built"[:300],
        )
        raise
    DataReturnExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE,
        progress=100,
        rows=rows,
        file=name,
        finished_at=timezone.now(),
    )
    audit_record(
        actor=None,
        action=Action.CREATE,
        object_type="data_return_export",
        object_id=str(export.public_id),
        fields_changed=["file"],
        detail={
            "region": export.region.name,
            "month": month.key,
            "rows": rows,
            "return": export.kind,
        },
    )
    export.refresh_from_db()
    return export


def may_download(user: User, export: DataReturnExport) -> bool:
    """The person who asked for it, or anyone who may take the return for that region."""
    if not getattr(user, "is_authenticated", False):
        return False
    if export.requested_by_id == user.pk and has_permission(user, Permission.DATA_RETURN_EXPORT):
        return True
    return has_permission(user, Permission.DATA_RETURN_EXPORT) and may_export_region(
        user, export.region
    )


def data_return_export_downloaded(
    *, actor: User, export: DataReturnExport, request: HttpRequest | None = None
) -> None:
    audit_record(
        actor=actor,
        request=request,
        action=Action.EXPORT,
        object_type="data_return_export",
        object_id=str(export.public_id),
        detail={
            "region": export.region.name,
            "month": export.month_key,
            "rows": export.rows,
            "return": export.kind,
        },
    )


def data_return_exports_purge(*, older_than_days: int | None = None) -> int:
    """Delete the files of exports finished more than the retention period ago."""
    days = settings.HJ_EXPORT_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    purged = 0
    stale = DataReturnExport.objects.filter(status=ExportStatus.DONE, finished_at__lt=cutoff)
    for export in stale:
        with transaction.atomic():
            if export.file:
                default_storage.delete(export.file.name)
            DataReturnExport.objects.filter(pk=export.pk).update(
                status=ExportStatus.EXPIRED, file="", file_deleted_at=timezone.now()
            )
            audit_record(
                actor=None,
                action=Action.UPDATE,
                object_type="data_return_export",
                object_id=str(export.public_id),
                fields_changed=["file"],
                detail={"purged_after_days": days},
            )
        purged += 1
    return purged
