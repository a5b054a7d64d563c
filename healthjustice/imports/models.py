"""Lists uploaded by a team, and their rows until someone is taken on or the rows expire."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from healthjustice.journeys.choices import OffenceCategory
from healthjustice.journeys.models import Episode
from healthjustice.organisations.models import Site, Team
from healthjustice.people.models import Person
from healthjustice.reconnect.choices import ReleaseType

from .choices import ListKind, MatchState


class ImportedList(models.Model):
    """One upload of one file: who, for which team, and what became of its rows."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="imported_lists")
    kind = models.CharField(max_length=10, choices=ListKind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64)
    rows_in_file = models.PositiveIntegerField(default=0)
    rows_added = models.PositiveIntegerField(default=0)
    rows_already = models.PositiveIntegerField(
        default=0, help_text="Rows already imported from an earlier list."
    )
    rows_refused = models.PositiveIntegerField(default=0)
    # [{"line": 3, "message": "..."}]: the reasons rows were refused (never a row's contents).
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["team", "kind", "file_sha256"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"


class ListRow(models.Model):
    """One person named on a list: what the list said, and what was done about it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    imported_list = models.ForeignKey(ImportedList, on_delete=models.CASCADE, related_name="rows")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ListKind.choices)
    # sha256 of kind, team and the row's natural key: importing the same row again finds it.
    key = models.CharField(max_length=64, unique=True)
    line = models.PositiveIntegerField()
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(
        max_length=40, blank=True, help_text="Custody record number or prison number."
    )
    courtroom = models.CharField(max_length=40, blank=True)
    event_at = models.DateTimeField(
        null=True, blank=True, help_text="Arrival in custody, or the hearing."
    )
    release_on = models.DateField(null=True, blank=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    pnc_id = models.CharField(max_length=20, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    prison_number = models.CharField(max_length=10, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    no_fixed_abode = models.BooleanField(default=False)
    offence_category = models.CharField(max_length=30, blank=True)
    offence = models.CharField(max_length=200, blank=True)
    release_type = models.CharField(max_length=20, blank=True)
    # How the row stood for the person who imported it; the list page works it out again for
    # whoever looks, since what one may see differs.
    match_state = models.CharField(max_length=10, choices=MatchState.choices)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="list_rows"
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    taken_on_at = models.DateTimeField(null=True, blank=True)
    taken_on_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["imported_list", "line"]
        indexes = [models.Index(fields=["taken_on_at", "created_at"])]

    def __str__(self) -> str:
        return f"Line {self.line} of {self.imported_list}"

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def offence_category_label(self) -> str:
        return OffenceCategory(self.offence_category).label if self.offence_category else ""

    @property
    def release_type_label(self) -> str:
        return ReleaseType(self.release_type).label if self.release_type else ""


class TransferredRow(models.Model):
    """One row of a previous provider's caseload imported for a team: importing the same file
    again skips it, so a run stopped by a failure carries on where it stopped."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=40, help_text="The previous provider's reference.")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    person_created = models.BooleanField(help_text="False when the row matched a record.")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "reference"], name="transferred_row_once")
        ]

    def __str__(self) -> str:
        return f"{self.reference} transferred to {self.team}"
