import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from healthjustice.organisations.models import Region


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Deleted after the retention period"


class ReturnKind(models.TextChoices):
    """Which monthly return an export is: the file's columns and the pathway it covers."""

    LIAISON_DIVERSION = "ld", "Liaison and Diversion monthly data return"
    MHTR = "mhtr", "MHTR monthly return"
    RECONNECT = "reconnect", "RECONNECT monthly return"


# The start of each kind's file name.
FILE_PREFIX = {
    ReturnKind.LIAISON_DIVERSION: "ld-return",
    ReturnKind.MHTR: "mhtr-return",
    ReturnKind.RECONNECT: "reconnect-return",
}


class DataReturnExport(models.Model):
    """One run of a monthly data return in the background, and the file it made."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(
        max_length=10, choices=ReturnKind.choices, default=ReturnKind.LIAISON_DIVERSION
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the month the return covers.")
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    rows = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to="exports/", blank=True, max_length=300)
    error = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "finished_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%Y-%m}, {self.region}: " + (
            self.get_status_display()
        )

    @property
    def month_key(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def download_name(self) -> str:
        slug = "".join(c if c.isalnum() else "-" for c in self.region.name.lower()).strip("-")
        return f"{FILE_PREFIX[ReturnKind(self.kind)]}-{self.month_key}-{slug}.csv"

    @property
    def is_finished(self) -> bool:
        return self.status in {ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.EXPIRED}
