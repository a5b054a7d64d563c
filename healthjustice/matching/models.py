"""Pairs of register records proposed as the same person, decisions on them, and the scans that
find them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from healthjustice.people.models import Person, PersonMerge


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for review"
    MERGED = "merged", "Same person: merged"
    NOT_SAME = "not_same", "Not the same person"
    SUPERSEDED = "superseded", "No longer relevant: a record was merged"


class ProposedPair(models.Model):
    """Two records the matcher thinks may be one person. `first` is always the record with the
    lower primary key, so a pair has one spelling.

    The links to the people have no reverse name (`related_name="+"`), so a merge does not
    re-point them (`people.relations` finds only named relations): a pair, like the merge's own
    record, keeps naming the two records that were compared."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(help_text="Match probability, 0 to 1.")
    comparison = models.JSONField(
        default=dict,
        help_text="Comparison level of each field (0 agrees; null when one side lacks it), "
        "whether the names agreed with given and family swapped, and whether they conflict.",
    )
    status = models.CharField(
        max_length=10, choices=PairStatus.choices, default=PairStatus.PROPOSED
    )
    scan = models.ForeignKey(
        "DuplicateScan", null=True, blank=True, on_delete=models.SET_NULL, related_name="pairs"
    )
    merge = models.ForeignKey(
        PersonMerge, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="matching_pair_canonical_order"
            ),
            models.UniqueConstraint(
                fields=["first", "second"],
                condition=Q(status="proposed"),
                name="matching_one_open_proposal_per_pair",
            ),
        ]
        indexes = [models.Index(fields=["status", "-probability"])]

    def __str__(self) -> str:
        return f"Proposed pair {self.public_id} ({self.get_status_display()})"


class NotSamePerson(models.Model):
    """A reviewer's decision that two records are different people: the pair is never proposed
    again."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(max_length=1000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "decision that two records are not the same person"
        constraints = [
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="matching_not_same_canonical_order"
            ),
            models.UniqueConstraint(fields=["first", "second"], name="matching_not_same_once"),
        ]

    def __str__(self) -> str:
        return f"Not the same person ({self.first_id}, {self.second_id})"


class ScanStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class DuplicateScan(models.Model):
    """One run over the whole register looking for likely duplicates."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when run from the command line.",
    )
    status = models.CharField(max_length=10, choices=ScanStatus.choices, default=ScanStatus.QUEUED)
    done = models.PositiveIntegerField(default=0, help_text="Candidate pairs scored so far.")
    total = models.PositiveIntegerField(default=0, help_text="Candidate pairs to score.")
    counts = models.JSONField(default=dict, blank=True)
    phase_seconds = models.JSONField(default=dict, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Duplicate scan {self.public_id} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ScanStatus.DONE, ScanStatus.FAILED}

    @property
    def percent(self) -> int:
        if self.status == ScanStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, int(100 * self.done / self.total))
