"""The RECONNECT pathway: the referral and its window, eligibility, and the release.
See docs/reconnect.md."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from healthjustice.core.append_only import AppendOnlyModel
from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.models import Episode
from healthjustice.organisations.choices import SiteKind, WorkerType
from healthjustice.organisations.models import Region, Site, Team

from .choices import (
    Accommodation,
    AppointmentKind,
    ContactMode,
    CustodyStatus,
    EligibilityOutcome,
    EngagementCheckKind,
    EnhancedService,
    NeedArea,
    Referrer,
    ReleaseType,
)

ESTABLISHMENT_KINDS = (SiteKind.PRISON, SiteKind.IMMIGRATION_REMOVAL_CENTRE)
# After release, a contact is overdue when none is logged in this many days (each team may
# set its own: no national standard).
DEFAULT_CONTACT_DAYS = 7


class ReconnectTeamSettings(models.Model):
    """A RECONNECT team's own values where no national standard exists."""

    team = models.OneToOneField(Team, on_delete=models.PROTECT, related_name="reconnect_settings")
    contact_days = models.PositiveSmallIntegerField(
        "Days after release without a contact before one is overdue",
        default=DEFAULT_CONTACT_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    # Optimistic locking for the settings page: two team leaders cannot overwrite each other.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "RECONNECT team settings"
        verbose_name_plural = "RECONNECT team settings"

    def __str__(self) -> str:
        return f"RECONNECT settings of {self.team}"


class ReconnectReferral(AppendOnlyModel):
    """How a RECONNECT episode came to the team, and the referral window it was judged by."""

    append_only_message = "A referral is kept as it was made."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="reconnect_referral"
    )
    from_episode = models.ForeignKey(
        Episode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reconnect_referrals_out",
    )
    referrer = models.CharField(max_length=20, choices=Referrer.choices)
    referrer_name = models.CharField(max_length=200, blank=True)
    health_need = models.TextField(max_length=2000)
    # The release the window was judged from: the expected date, or the actual one if released.
    release_on = models.DateField()
    released = models.BooleanField(default=False)
    window_opens = models.DateField()
    window_closes = models.DateField()
    exception_reason = models.TextField(max_length=2000, blank=True)
    exception_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-made_at"]

    def __str__(self) -> str:
        return f"RECONNECT referral ({self.get_referrer_display()})"


class EligibilityCheck(AppendOnlyModel):
    """One eligibility decision; a recheck is a new row, the newest one counts."""

    append_only_message = "An eligibility check is kept as recorded: record a new one."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="reconnect_eligibility"
    )
    checked_on = models.DateField()
    age_at_check = models.PositiveSmallIntegerField(null=True)
    custody_status = models.CharField(max_length=20, choices=CustodyStatus.choices)
    health_need = models.BooleanField(
        "An identified health need that means they would struggle to engage with services"
    )
    enhanced_service = models.CharField(max_length=20, choices=EnhancedService.choices, blank=True)
    outcome = models.CharField(max_length=20, choices=EligibilityOutcome.choices)
    notes = models.TextField(max_length=4000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"Eligibility: {self.get_outcome_display()} ({self.checked_on:%Y-%m-%d})"


class ReleaseDetails(models.Model):
    """Where and how the person leaves custody, and where they will live. The expected release
    date is the episode's criminal-justice `prison_release_on` (Article 10 data)."""

    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="reconnect_release"
    )
    establishment = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=Q(kind__in=ESTABLISHMENT_KINDS),
    )
    release_type = models.CharField(max_length=20, choices=ReleaseType.choices, blank=True)
    released_on = models.DateField("Actual release date", null=True, blank=True)
    area = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The region they will live in on release: it decides the community team.",
    )
    area_detail = models.CharField("Town or local authority", max_length=200, blank=True)
    accommodation = models.CharField(max_length=20, choices=Accommodation.choices, blank=True)
    probation_practitioner = models.CharField(max_length=200, blank=True)
    medication = models.TextField("Medication and prescription on release", blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "release details"

    def __str__(self) -> str:
        return f"Release from {self.establishment}"


class SupportContact(AppendOnlyModel):
    """One contact with the person, before or after release (after release once released)."""

    append_only_message = "A contact is kept as recorded: record a new one."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="reconnect_contacts"
    )
    contact_on = models.DateField("Date of the contact")
    mode = models.CharField(max_length=20, choices=ContactMode.choices)
    after_release = models.BooleanField(default=False)
    with_whom = models.CharField("Who took part", max_length=200, blank=True)
    notes = models.TextField(max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "-contact_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"Contact ({self.get_mode_display()}, {self.contact_on:%Y-%m-%d})"


class SupportPlanNeed(AppendOnlyModel):
    """One need in the support plan from the care practitioner's assessment: the goal and the
    action agreed. One row per area of need on an episode."""

    append_only_message = "A need in the support plan is kept as recorded."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="reconnect_plan_needs"
    )
    area = models.CharField(max_length=20, choices=NeedArea.choices)
    goal = models.TextField(max_length=2000)
    action = models.TextField("Action agreed", max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "area"], name="reconnect_one_plan_need_per_area"
            )
        ]

    def __str__(self) -> str:
        return f"Support plan: {self.get_area_display()}"


class SupportPlanNeedUpdate(AppendOnlyModel):
    """A later word on a need in the support plan: a new action agreed, or the need marked met
    (or both). The need's row is kept as agreed; its newest update says what holds now."""

    append_only_message = "An update to the support plan is kept as recorded: record a new one."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    need = models.ForeignKey(SupportPlanNeed, on_delete=models.PROTECT, related_name="updates")
    # The action agreed from now on; the previous one when only marking the need met.
    action = models.TextField("Action agreed", max_length=2000)
    met_on = models.DateField("Date the need was met", null=True, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["need", "recorded_at", "pk"]

    def __str__(self) -> str:
        return "Need met" if self.met_on else "Action changed"


class GateMeet(AppendOnlyModel):
    """Release day: whether someone met the person at the gate, who, where, and what happened
    if not. One per episode."""

    append_only_message = "The gate meet is kept as recorded."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="reconnect_gate_meet"
    )
    met = models.BooleanField("Met at the gate")
    met_by = models.CharField("Who met them, or was to", max_length=200)
    place = models.CharField("Where", max_length=200)
    not_met_reason = models.TextField("What happened", max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "Met at the gate" if self.met else "Not met at the gate"


class SupportExtension(AppendOnlyModel):
    """Support after release beyond 6 months: a new end date, its reason, and the team leader
    who approved it (who recorded it). The newest extension sets the end of support."""

    append_only_message = "An extension is kept as approved: approve a new one."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="reconnect_extensions"
    )
    previous_end_on = models.DateField("Support was to end on")
    extended_to = models.DateField("Support extended to")
    reason = models.TextField(max_length=2000)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "-approved_at", "-pk"]

    def __str__(self) -> str:
        return f"Support extended to {self.extended_to:%Y-%m-%d}"


class Recall(AppendOnlyModel):
    """A recall to custody after release: its date. The episode closes with the reason
    "recalled to custody" (see docs/reconnect.md for why it closes rather than pauses)."""

    append_only_message = "A recall is kept as recorded."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="reconnect_recall"
    )
    recalled_on = models.DateField("Date of the recall")
    notes = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Recalled to custody ({self.recalled_on:%Y-%m-%d})"


class Handover(AppendOnlyModel):
    """A handover to a named community service: the episode's onward referral (`interventions`)
    marked as RECONNECT's handover. The service, its type and the date are on the referral."""

    append_only_message = "A handover is kept as recorded."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="reconnect_handovers"
    )
    referral = models.OneToOneField(
        OnwardReferral, on_delete=models.PROTECT, related_name="reconnect_handover"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Handover to {self.referral.service_name}"


class EngagementCheck(AppendOnlyModel):
    """Whether the person engages with the service they were handed over to: at the first
    appointment, and again after 4 weeks. One of each per handover."""

    append_only_message = "An engagement check is kept as recorded."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, related_name="checks")
    kind = models.CharField(max_length=20, choices=EngagementCheckKind.choices)
    checked_on = models.DateField("Date of the check")
    engaged = models.BooleanField("Engaged with the service")
    notes = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["handover", "checked_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["handover", "kind"], name="reconnect_one_engagement_check_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"Engagement {self.get_kind_display().lower()}: {'yes' if self.engaged else 'no'}"


class GatePlan(AppendOnlyModel):
    """The plan for release day, made before release: where and when to meet the person at the
    gate, and who. A new plan is a new row; the newest counts."""

    append_only_message = "A gate meet plan is kept as made: make a new one."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="reconnect_gate_plans"
    )
    meet_on = models.DateField("Date of the meet")
    meet_at = models.TimeField("Time of the meet")
    place = models.CharField("Where", max_length=200)
    who = models.CharField("Who will meet them", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"Gate meet planned for {self.meet_on:%Y-%m-%d}"


class FirstWeekAppointment(models.Model):
    """An appointment booked for the first week after release (GP, substance misuse service,
    housing, Jobcentre), and whether they attended. One of each kind per episode."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="reconnect_appointments"
    )
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    appointment_on = models.DateField("Date of the appointment")
    where = models.CharField("Where, or with whom", max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(null=True)
    attendance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attendance_at = models.DateTimeField(null=True, blank=True)
    # A rebooking (or a change of date) replaces the date and clears the attendance; the date it
    # replaced and the reason are kept here, and every change in the audit trail.
    previous_on = models.DateField("Previously booked for", null=True, blank=True)
    change_reason = models.TextField("Reason for the change", max_length=2000, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["episode", "appointment_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "kind"], name="reconnect_one_first_week_appointment_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} appointment ({self.appointment_on:%Y-%m-%d})"


class SupportWorkerAllocation(AppendOnlyModel):
    """The peer support or support, time and recovery worker allocated to the person (beside
    the episode's allocated worker). A new allocation is a new row; the newest counts."""

    append_only_message = "An allocation is kept as made: allocate again."

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="reconnect_support_workers"
    )
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The worker type of their membership when allocated.
    worker_type = models.CharField(max_length=20, choices=WorkerType.choices)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "-allocated_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_worker_type_display()} allocated"
