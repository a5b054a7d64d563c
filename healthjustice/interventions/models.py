import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from healthjustice.journeys.models import Episode, EpisodeStatus

from .choices import ReferralOutcome, ServiceType


class OnwardReferral(models.Model):
    """A referral on to the help a person needs, followed to the first appointment."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="onward_referrals")
    service_type = models.CharField(max_length=30, choices=ServiceType.choices)
    service_name = models.CharField(max_length=200)
    referred_on = models.DateField()
    first_appointment_on = models.DateField(null=True, blank=True)
    supported_to_first_appointment = models.BooleanField(null=True)
    attended = models.BooleanField(null=True)
    attended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(
        max_length=20, choices=ReferralOutcome.choices, default=ReferralOutcome.PENDING
    )
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    follow_up_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_notes = models.TextField(max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-referred_on"]
        indexes = [models.Index(fields=["first_appointment_on", "follow_up_done_at"])]

    def __str__(self) -> str:
        return f"{self.get_service_type_display()}: {self.service_name}"


class ClosureOutcome(models.Model):
    """What came of an episode when it closed; the reason itself is on the closing status row."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="closure")
    status = models.OneToOneField(EpisodeStatus, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"Closure outcome recorded {self.recorded_at:%Y-%m-%d}"
