"""The Mental Health Treatment Requirement pathway: referral, suitability, the order, its
sessions, and the compliance notices sent to probation. See docs/mhtr.md."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from healthjustice.assessments.models import ConsentEvent
from healthjustice.core.append_only import AppendOnlyModel
from healthjustice.journeys.models import Episode
from healthjustice.organisations.models import Team
from healthjustice.screening.models import InstrumentAdministration

from .choices import (
    AssessmentMode,
    GpStatus,
    GuiltStatus,
    MeasureOccasion,
    NoticeMethod,
    OrderType,
    ProbationAction,
    ReferralRoute,
    Register,
    SessionMode,
    SessionOutcome,
    Suitability,
    Tier,
    TreatmentType,
)

# Defaults where no national standard exists ([GAP] in the domain notes): each team may differ.
DEFAULT_PLANNED_SESSIONS = 12
DEFAULT_NOTICE_WORKING_DAYS = 1
DEFAULT_FIRST_APPOINTMENT_WORKING_DAYS = 5


class TeamSettings(models.Model):
    """An MHTR team's own values where no national standard exists."""

    team = models.OneToOneField(Team, on_delete=models.PROTECT, related_name="mhtr_settings")
    planned_sessions = models.PositiveSmallIntegerField(
        default=DEFAULT_PLANNED_SESSIONS, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    notice_working_days = models.PositiveSmallIntegerField(
        "Working days to send a compliance notice",
        default=DEFAULT_NOTICE_WORKING_DAYS,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    first_appointment_working_days = models.PositiveSmallIntegerField(
        "Working days from sentence to the first appointment",
        default=DEFAULT_FIRST_APPOINTMENT_WORKING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    # Optimistic locking for the settings page: two team leaders cannot overwrite each other.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "MHTR team settings"
        verbose_name_plural = "MHTR team settings"

    def __str__(self) -> str:
        return f"MHTR settings of {self.team}"


class MhtrReferral(AppendOnlyModel):
    """How an MHTR episode came to the team: from an L&D episode (`from_episode`), or from
    probation, the court, a defence solicitor or the person themselves (who referred, from
    which organisation, how to reach them)."""

    append_only_message = "A referral is kept as it was made."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="mhtr_referral")
    from_episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="mhtr_referrals_out"
    )
    route = models.CharField(max_length=20, choices=ReferralRoute.choices)
    reason = models.TextField(max_length=2000)
    # The referrer outside the service (blank for an L&D referral and a self-referral).
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_contact = models.CharField("How to contact the referrer", max_length=200, blank=True)
    # The day the team received it; empty only on L&D referrals made before it was kept.
    received_on = models.DateField(null=True, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-made_at"]

    def __str__(self) -> str:
        return f"MHTR referral ({self.get_route_display()})"


class SuitabilityAssessment(AppendOnlyModel):
    """One suitability assessment; a reassessment is a new row, the newest one counts."""

    append_only_message = "A suitability assessment is kept as recorded: record a new one."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="suitabilities")
    assessed_on = models.DateField()
    mode = models.CharField(max_length=20, choices=AssessmentMode.choices)
    age_at_assessment = models.PositiveSmallIntegerField(null=True)
    offence_community_threshold = models.BooleanField(
        "The offence can attract a community or suspended sentence order"
    )
    guilt = models.CharField(max_length=20, choices=GuiltStatus.choices)
    requires_treatment = models.BooleanField(
        "The mental condition requires and may be susceptible to treatment"
    )
    not_hospital_order = models.BooleanField(
        "The condition does not warrant a hospital or guardianship order"
    )
    arrangements_in_place = models.BooleanField("Arrangements for treatment are in place")
    tier = models.CharField(max_length=20, choices=Tier.choices)
    tier_criteria = models.TextField(max_length=2000, blank=True)
    gp = models.CharField(max_length=20, choices=GpStatus.choices)
    willing = models.BooleanField("Willing to comply")
    willingness = models.ForeignKey(
        ConsentEvent, on_delete=models.PROTECT, null=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Suitability.choices)
    notes = models.TextField(max_length=4000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"Suitability: {self.get_outcome_display()} ({self.assessed_on:%Y-%m-%d})"


class CourtOutcome(AppendOnlyModel):
    """What the court did: an order with an MHTR, or no order (with the sentence given)."""

    append_only_message = "The court's outcome is kept as recorded."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="mhtr_order")
    order_made = models.BooleanField()
    court = models.CharField(max_length=200)
    sentenced_on = models.DateField()
    sentence_given = models.TextField(max_length=1000, blank=True)
    order_type = models.CharField(max_length=20, choices=OrderType.choices, blank=True)
    treatment_type = models.CharField(max_length=20, choices=TreatmentType.choices, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    months = models.PositiveSmallIntegerField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    tier = models.CharField(max_length=20, choices=Tier.choices, blank=True)
    clinician_name = models.CharField(max_length=200, blank=True)
    clinician_register = models.CharField(max_length=10, choices=Register.choices, blank=True)
    clinician_number = models.CharField(max_length=12, blank=True)
    with_drr = models.BooleanField("With a Drug Rehabilitation Requirement", default=False)
    with_atr = models.BooleanField("With an Alcohol Treatment Requirement", default=False)
    probation_practitioner = models.CharField(max_length=200, blank=True)
    probation_delivery_unit = models.CharField(max_length=200, blank=True)
    planned_sessions = models.PositiveSmallIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sentenced_on"]

    def __str__(self) -> str:
        return "MHTR order" if self.order_made else "No MHTR order made"


class TreatmentSession(models.Model):
    """An appointment under the order; its outcome is recorded once it has happened."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="mhtr_sessions")
    on = models.DateField()
    at = models.TimeField()
    mode = models.CharField(max_length=20, choices=SessionMode.choices)
    practitioner = models.CharField(max_length=200)
    outcome = models.CharField(max_length=30, choices=SessionOutcome.choices, blank=True)
    absence_reason = models.TextField(max_length=1000, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["episode", "on", "at"]
        indexes = [models.Index(fields=["episode", "on"])]

    def __str__(self) -> str:
        return f"MHTR session {self.on:%Y-%m-%d} {self.at:%H:%M}"


class ComplianceNotice(AppendOnlyModel):
    """Probation must be told of an absence: the notice, created with the absence, and when it is
    due. Sending it and what probation did are rows of their own."""

    append_only_message = "A compliance notice is kept as created."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="mhtr_notices")
    session = models.OneToOneField(
        TreatmentSession, on_delete=models.PROTECT, related_name="notice"
    )
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"Compliance notice due {self.due_on:%Y-%m-%d}"


class NoticeDisclosure(AppendOnlyModel):
    """A disclosure record: the notice as sent to the probation practitioner, frozen."""

    append_only_message = "A disclosure record is kept as sent."

    notice = models.OneToOneField(
        ComplianceNotice, on_delete=models.PROTECT, related_name="disclosure"
    )
    sent_on = models.DateField()
    recipient = models.CharField(max_length=200)
    method = models.CharField(max_length=20, choices=NoticeMethod.choices)
    content = models.TextField(max_length=4000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_on"]

    def __str__(self) -> str:
        return f"Notice sent {self.sent_on:%Y-%m-%d}"


class ProbationResponse(AppendOnlyModel):
    """What probation did about a notice, when the team was told."""

    append_only_message = "What probation did is kept as recorded: add a new row."

    notice = models.ForeignKey(ComplianceNotice, on_delete=models.PROTECT, related_name="responses")
    action = models.CharField(max_length=20, choices=ProbationAction.choices)
    told_on = models.DateField()
    note = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["notice", "told_on", "pk"]

    def __str__(self) -> str:
        return self.get_action_display()


class Measure(AppendOnlyModel):
    """A questionnaire (PHQ-9, GAD-7 or CORE-10) taken on an MHTR occasion: the answers and score
    are the screening app's `InstrumentAdministration`; this row says when in the pathway it was
    taken. One of each questionnaire per assessment, per session, and at the end."""

    append_only_message = "A measure is kept as recorded."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="mhtr_measures")
    administration = models.OneToOneField(
        InstrumentAdministration, on_delete=models.PROTECT, related_name="mhtr_measure"
    )
    instrument_code = models.CharField(max_length=20)
    occasion = models.CharField(max_length=20, choices=MeasureOccasion.choices)
    suitability = models.ForeignKey(
        SuitabilityAssessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
    )
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, null=True, blank=True, related_name="measures"
    )
    measured_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "measured_on", "recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suitability", "instrument_code"],
                condition=models.Q(occasion="assessment"),
                name="mhtr_measure_one_per_assessment",
            ),
            models.UniqueConstraint(
                fields=["session", "instrument_code"],
                condition=models.Q(occasion="session"),
                name="mhtr_measure_one_per_session",
            ),
            models.UniqueConstraint(
                fields=["episode", "instrument_code"],
                condition=models.Q(occasion="end"),
                name="mhtr_measure_one_at_the_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_code} {self.get_occasion_display().lower()} ({self.measured_on})"
