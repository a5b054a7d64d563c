import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from healthjustice.core.append_only import AppendOnlyModel
from healthjustice.journeys.models import Episode
from healthjustice.people.models import Person

from .choices import (
    DECISION_BASES,
    Article6Basis,
    Article9Condition,
    Article10Condition,
    AssessmentMode,
    CapacityOutcome,
    ConsentPurpose,
    ConsentStatus,
    LawfulBasis,
    Recipient,
    ReportType,
)

# The structured assessment's headings, in the order a practitioner works through them.
ASSESSMENT_TEXT_FIELDS: tuple[str, ...] = (
    "presenting_needs",
    "mental_state",
    "risk_to_self",
    "risk_to_others",
    "risk_from_others",
    "substance_use",
    "learning_disability",
    "autism_communication",
    "social_circumstances",
    "trauma",
    "formulation",
    "recommendations",
    "reasonable_adjustments",
)


class Assessment(models.Model):
    """A structured, trauma-informed L&D assessment on an episode."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="assessments")
    assessed_at = models.DateTimeField()
    mode = models.CharField(max_length=12, choices=AssessmentMode.choices)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    presenting_needs = models.TextField("Presenting needs", max_length=4000)
    mental_state = models.TextField("Mental state", max_length=4000, blank=True)
    risk_to_self = models.TextField("Risk to self", max_length=4000)
    risk_to_others = models.TextField("Risk to others", max_length=4000)
    risk_from_others = models.TextField("Risk from others", max_length=4000)
    substance_use = models.TextField("Substance use", max_length=4000, blank=True)
    learning_disability = models.TextField("Learning disability", max_length=4000, blank=True)
    autism_communication = models.TextField("Autism and communication", max_length=4000, blank=True)
    social_circumstances = models.TextField("Social circumstances", max_length=4000, blank=True)
    trauma = models.TextField("Trauma", max_length=4000, blank=True)
    formulation = models.TextField("Formulation", max_length=4000)
    recommendations = models.TextField("Recommendations", max_length=4000)
    reasonable_adjustments = models.TextField(
        "Reasonable adjustments for custody or court", max_length=4000, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-assessed_at"]
        indexes = [models.Index(fields=["episode", "-assessed_at"])]

    def __str__(self) -> str:
        return f"Assessment {self.assessed_at:%Y-%m-%d %H:%M}"


class Consent(models.Model):
    """What a person agreed to for one purpose (and named carer). Its status is its newest event."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    carer_name = models.CharField(max_length=200, blank=True)
    # Lower-cased, single-spaced carer name: one consent per carer whatever the typing.
    carer_key = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Not a column: set on the consent that assessments.selectors.consent_in_force returns.
    in_force_event: "ConsentEvent"

    class Meta:
        ordering = ["purpose", "carer_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose", "carer_key"], name="consent_purpose_unique"
            ),
            models.CheckConstraint(
                condition=Q(purpose=ConsentPurpose.SHARE_CARER, carer_key__gt="")
                | (~Q(purpose=ConsentPurpose.SHARE_CARER) & Q(carer_key="")),
                name="consent_carer_named_only_for_carer",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_purpose_display()
        return f"{label}: {self.carer_name}" if self.carer_name else label

    @property
    def recipient_label(self) -> str:
        return str(self)


class ConsentEvent(AppendOnlyModel):
    """Append-only: each decision about a consent is a new row; the newest one is in force."""

    append_only_message = "Consent history is append-only: record a new event."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=ConsentStatus.choices)
    capacity_assessed = models.BooleanField(default=False)
    capacity_outcome = models.CharField(max_length=20, choices=CapacityOutcome.choices, blank=True)
    best_interests_by = models.CharField(
        "Best-interests decision made by", max_length=200, blank=True
    )
    best_interests_reason = models.TextField(
        "Why sharing (or not) is in their best interests", max_length=2000, blank=True
    )
    review_on = models.DateField(null=True, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["consent", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["consent", "seq"], name="consent_event_seq_unique"),
            models.CheckConstraint(
                condition=~Q(capacity_outcome=CapacityOutcome.LACKS_CAPACITY)
                | Q(best_interests_by__gt=""),
                name="consent_event_best_interests_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} at {self.recorded_at:%Y-%m-%d %H:%M}"

    @property
    def is_best_interests(self) -> bool:
        """A decision made for someone who lacks capacity (MCA 2005 s.4): not their consent."""
        return self.capacity_outcome == CapacityOutcome.LACKS_CAPACITY

    @property
    def status_label(self) -> str:
        if self.capacity_outcome == CapacityOutcome.LACKS_CAPACITY:
            return {
                ConsentStatus.GIVEN: "Share: best-interests decision",
                ConsentStatus.REFUSED: "Do not share: best-interests decision",
                ConsentStatus.WITHDRAWN: "Withdrawn: best-interests decision",
            }[ConsentStatus(self.status)]
        return self.get_status_display()


class Report(AppendOnlyModel):
    """A report issued to a criminal-justice partner: a disclosure record, frozen at issue.

    A correction is a new report that supersedes this one; nothing here changes after issue.
    """

    append_only_message = "An issued report is a disclosure record: issue a correction instead."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="cj_reports")
    report_type = models.CharField(max_length=20, choices=ReportType.choices)
    recipient = models.CharField(max_length=10, choices=Recipient.choices)
    lawful_basis = models.CharField("Common-law basis", max_length=30, choices=LawfulBasis.choices)
    # Blank on reports issued before the full lawful basis was recorded (shown as such).
    article6_basis = models.CharField(
        "UK GDPR Article 6 basis", max_length=10, choices=Article6Basis.choices, blank=True
    )
    article9_condition = models.CharField(
        "UK GDPR Article 9 condition", max_length=15, choices=Article9Condition.choices, blank=True
    )
    article10_condition = models.CharField(
        "Article 10 condition (criminal-offence data)",
        max_length=10,
        choices=Article10Condition.choices,
        blank=True,
    )
    justification = models.TextField(max_length=4000, blank=True)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    consent_event = models.ForeignKey(
        ConsentEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    content = models.JSONField(help_text="Everything the recipient received, as issued.")
    content_sha256 = models.CharField(max_length=64)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    correction_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["episode", "-issued_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(lawful_basis__in=DECISION_BASES) & Q(consent_event__isnull=False))
                | (~Q(lawful_basis__in=DECISION_BASES) & ~Q(justification="")),
                name="report_consent_or_justified_basis",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_report_type_display()} to {self.get_recipient_display()}"
