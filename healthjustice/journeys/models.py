import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Site, Team
from healthjustice.people.models import Person

from .choices import ClosureReason, EpisodeSetting, ReferralSource, Stage


class Episode(models.Model):
    """One contact of a person with a team, on one pathway. Its stage comes from its status rows."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episodes")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="episodes")
    pathway = models.CharField(max_length=20, choices=Pathway.choices)
    setting = models.CharField(max_length=30, choices=EpisodeSetting.choices)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes"
    )
    referral_source = models.CharField(max_length=30, choices=ReferralSource.choices)
    referred_at = models.DateTimeField()
    reason = models.TextField(max_length=2000, blank=True)
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_episodes",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-referred_at"]
        indexes = [
            models.Index(fields=["team", "referred_at"]),
            models.Index(fields=["allocated_worker", "referred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_pathway_display()} episode, referred {self.referred_at:%Y-%m-%d}"


class EpisodeStatus(models.Model):
    """Append-only: every stage change is a new row, with who, when and why."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="statuses")
    seq = models.PositiveIntegerField()
    stage = models.CharField(max_length=20, choices=Stage.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(max_length=2000, blank=True)
    closure_reason = models.CharField(max_length=30, choices=ClosureReason.choices, blank=True)
    skip_reason = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["episode", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "seq"], name="episode_status_seq_unique")
        ]
        indexes = [models.Index(fields=["stage", "at"])]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Stage history is append-only: add a new status row.")
        super().save(*args, **kwargs)
