import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from healthjustice.journeys.models import Episode

from .choices import RiskLevel, Urgency


class Screening(models.Model):
    """What an L&D practitioner found when screening: needs, risk, urgency, next step."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="screenings")
    screened_at = models.DateTimeField(default=timezone.now)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    vulnerabilities = models.JSONField(default=list, blank=True)
    # Blank while a screening started by a questionnaire has not been judged yet.
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, blank=True)
    # Integer ranks mirror the choices so the worklist can order by them in SQL.
    risk_rank = models.PositiveSmallIntegerField(default=0)
    urgency_rank = models.PositiveSmallIntegerField(default=0)
    full_assessment_needed = models.BooleanField(null=True)
    notes = models.TextField(max_length=4000, blank=True)

    class Meta:
        ordering = ["-screened_at"]
        indexes = [models.Index(fields=["episode", "-screened_at"])]

    def __str__(self) -> str:
        return f"Screening {self.screened_at:%Y-%m-%d %H:%M}"


class InstrumentAdministration(models.Model):
    """One completed validated instrument: item-level answers, with the computed score."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="instrument_administrations"
    )
    instrument_code = models.CharField(max_length=20)
    instrument_version = models.CharField(max_length=60)
    answers = models.JSONField(help_text="Option indexes in item order, as given.")
    item_scores = models.JSONField()
    total = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=40)
    risk_flag = models.BooleanField(default=False)
    administered_at = models.DateTimeField(default=timezone.now)
    administered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    session_number = models.PositiveSmallIntegerField(null=True, blank=True)
    # The screening the questionnaire belongs to: empty on rows from before this rule and on
    # measures a pathway repeats outside a screening (MHTR's, linked from `mhtr.Measure`).
    screening = models.ForeignKey(
        Screening,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
    )

    class Meta:
        ordering = ["-administered_at"]

    def __str__(self) -> str:
        return f"{self.instrument_code} {self.total} ({self.band})"


class RiskAlert(models.Model):
    """Raised on an episode by a positive risk item (or a practitioner), until acknowledged.

    A practitioner's alert has `raised_by` set and its concern in `source`; an instrument's
    alert has `administration` set instead and `source` names the item and answer.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="risk_alerts")
    raised_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=120)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    details = models.TextField(max_length=2000, blank=True)
    administration = models.ForeignKey(
        InstrumentAdministration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledgement_note = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["episode", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"Risk alert: {self.source}"


class ExternalScreen(models.Model):
    """A licensed tool (the LDSQ) scored on its own form: the score and its cut-off outcome only.

    The tool's items are not reproduced here; the practitioner enters the score from the
    licensed form and the outcome comes from `instruments.external_outcome`.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="external_screens")
    tool_code = models.CharField(max_length=20)
    value = models.DecimalField(max_digits=5, decimal_places=1)
    screen_positive = models.BooleanField()
    outcome = models.CharField(max_length=200)
    cutoff = models.DecimalField(max_digits=5, decimal_places=1)
    administered_on = models.DateField()
    administered_elsewhere_by = models.CharField(
        max_length=200, blank=True, help_text="Who scored the licensed form, if not the recorder."
    )
    notes = models.TextField(max_length=2000, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-administered_on", "-recorded_at"]

    def __str__(self) -> str:
        return (
            f"{self.tool_code} {self.value} ({'positive' if self.screen_positive else 'negative'})"
        )
