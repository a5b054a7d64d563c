"""Search the whole register for likely duplicates now, without the background worker."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.matching.models import DuplicateScan, ScanStatus
from healthjustice.matching.services import find_duplicates


class Command(BaseCommand):
    help = (
        "Score every pair of register records that share a blocking key and propose likely "
        "duplicates for the review queue (the same search as the page's, run here and now). "
        "Prints the counts and the time of each phase."
    )

    def handle(self, *args, **options) -> None:
        scan = DuplicateScan.objects.create(status=ScanStatus.RUNNING, started_at=timezone.now())
        try:
            outcome = find_duplicates(scan=scan)
        except Exception:
            DuplicateScan.objects.filter(pk=scan.pk).update(
                status=ScanStatus.FAILED, finished_at=timezone.now()
            )
            raise
        DuplicateScan.objects.filter(pk=scan.pk).update(
            status=ScanStatus.DONE,
            finished_at=timezone.now(),
            counts=outcome["counts"],
            phase_seconds=outcome["phase_seconds"],
            done=outcome["counts"]["pairs scored"],
            total=outcome["counts"]["pairs scored"],
        )
        audit_record(
            actor=None,
            action=Action.UPDATE,
            object_type="duplicate_scan",
            object_id=str(scan.public_id),
            fields_changed=["status", "counts"],
            detail={"counts": outcome["counts"], "from": "find_duplicates command"},
        )
        for label, value in outcome["counts"].items():
            self.stdout.write(f"{label}: {value}")
        for phase, seconds in outcome["phase_seconds"].items():
            self.stdout.write(f"time to {phase}: {seconds:.2f} s")
