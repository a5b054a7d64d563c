"""The trust's PCREF plan and its involvement register.

The Patient and Carer Race Equality Framework asks each trust for a plan of actions under six
organisational competencies (and leadership and governance), published with its progress, and
for people with lived experience, carers and communities to take part in the work. The register
records who took part, in what, and how they were thanked; a contact detail is kept only while
the person agrees to be contacted again.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from healthjustice.organisations.models import Organisation
from healthjustice.people.models import EthnicCategory

TEXT_LIMIT = 2000


class Competency(models.TextChoices):
    """The six national organisational competencies, then leadership and governance."""

    CULTURAL_AWARENESS = "cultural_awareness", "Cultural awareness"
    STAFF_KNOWLEDGE = "staff_knowledge", "Staff knowledge and awareness"
    PARTNERSHIP = "partnership", "Partnership working"
    WORKFORCE = "workforce", "Workforce"
    CO_LEARNING = "co_learning", "Co-learning"
    CO_PRODUCTION = "co_production", "Co-production"
    LEADERSHIP = "leadership", "Leadership and governance"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DELAYED = "delayed", "Delayed"


class PlanAction(models.Model):
    """One action of the trust's PCREF plan. Everything but the internal fields is public."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    competency = models.CharField(max_length=24, choices=Competency.choices)
    action = models.TextField("What we will do")
    owner = models.CharField("Who is responsible", max_length=120)
    due_on = models.DateField("When it is due")
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    evidence = models.TextField("What shows progress", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    # When the action was last marked done (cleared if it is reopened): the board report's
    # "done in the quarter".
    completed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: the form posts the version it showed (core.concurrency).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["organisation__name", "competency", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_competency_display()}: {self.action[:60]}"


class InvolvementKind(models.TextChoices):
    LIVED_EXPERIENCE = "lived_experience", "Person with lived experience"
    CARER = "carer", "Carer"
    FAMILY = "family", "Family member"
    COMMUNITY = "community", "Community organisation"
    FAITH = "faith", "Faith organisation"
    OTHER = "other", "Other"


# Kinds that are a person (an ethnic category may be recorded), not an organisation.
PERSON_KINDS = frozenset(
    {InvolvementKind.LIVED_EXPERIENCE, InvolvementKind.CARER, InvolvementKind.FAMILY}
)


class Recognition(models.TextChoices):
    NONE = "none", "None"
    VOUCHER = "voucher", "Voucher"
    PAYMENT = "payment", "Payment"
    EXPENSES = "expenses", "Expenses only"


class Involvement(models.Model):
    """One person's or organisation's part in one co-production activity."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=InvolvementKind.choices)
    name = models.CharField(max_length=120)
    activity = models.CharField("Activity", max_length=200)
    took_part_on = models.DateField("Date", db_index=True)
    role = models.CharField("Their role", max_length=120)
    recognition = models.CharField(
        "Recognition or payment", max_length=10, choices=Recognition.choices
    )
    amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    consent_to_contact = models.BooleanField("Agrees to be contacted again", default=False)
    contact = models.CharField("Contact detail", max_length=200, blank=True)
    ethnic_category = models.ForeignKey(
        EthnicCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-took_part_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.name}: {self.activity}"

    @property
    def is_person(self) -> bool:
        return self.kind in PERSON_KINDS


class BoardReport(models.Model):
    """The equality lead's words for one trust's quarterly PCREF board report. The figures
    are worked out afresh each time the report is shown; only the narrative is stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="The year the financial year starts")
    quarter = models.PositiveSmallIntegerField()
    summary = models.TextField("Summary", blank=True)
    heard = models.TextField("What we heard from patients and carers", blank=True)
    changed = models.TextField("What we changed", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["organisation__name", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "quarter"], name="pcref_one_board_report_a_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="pcref_board_report_quarter_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}"
