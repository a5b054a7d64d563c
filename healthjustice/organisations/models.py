from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .choices import CareSetting, Pathway, SiteKind, WorkerType
from .roles import STAFF_ROLES


class Region(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A legal body: an NHS trust or a partner provider, known by its ODS code."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    ods_code = models.CharField("ODS code", max_length=10, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="teams")
    pathway = models.CharField(max_length=20, choices=Pathway.choices)
    settings_covered = models.JSONField(
        default=list, blank=True, help_text="Care settings this team covers."
    )
    is_active = models.BooleanField(default=True)
    # How partners reach the team: printed on reports to police, courts and probation.
    phone = models.CharField("Team phone number", max_length=30, blank=True)
    email = models.EmailField("Team email address", blank=True)

    class Meta:
        ordering = ["region__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        valid = set(CareSetting.values)
        unknown = [s for s in self.settings_covered if s not in valid]
        if unknown:
            raise ValidationError({"settings_covered": f"Unknown care settings: {unknown}"})

    @property
    def settings_labels(self) -> list[str]:
        return [CareSetting(s).label for s in self.settings_covered]


class Site(models.Model):
    """A place the service works: a custody suite, a court, a prison, an immigration removal
    centre or a community base."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SiteKind.choices)
    code = models.CharField(
        max_length=10,
        blank=True,
        help_text="The establishment's code, for a prison or an immigration removal centre.",
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="sites")
    address = models.CharField(max_length=300, blank=True)
    teams = models.ManyToManyField(Team, related_name="sites", blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["region__name", "name"]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """When the service staffs a site. A day with no row is closed; 00:00–23:59 is all day."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(
        choices=[
            (i, d)
            for i, d in enumerate(
                ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
            )
        ]
    )
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["site", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="opening_hours_closes_after_opens"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: date | None = None) -> MembershipQuerySet:
        today = on or timezone.localdate()
        return (
            self.filter(starts_on__lte=today)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .filter(team__is_active=True)
        )


class Membership(models.Model):
    """A member of staff's place in a team, with the role they hold there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=30, choices=[(r.value, r.label) for r in STAFF_ROLES])
    worker_type = models.CharField(
        max_length=20,
        choices=WorkerType.choices,
        blank=True,
        help_text="A peer support or support, time and recovery worker (not a role: it gives no "
        "permissions).",
    )
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["team__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "team", "role", "starts_on"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.team}"


class DataSharingAgreementQuerySet(models.QuerySet["DataSharingAgreement"]):
    def in_force(self, on: date | None = None) -> DataSharingAgreementQuerySet:
        today = on or timezone.localdate()
        return self.filter(starts_on__lte=today).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )


class DataSharingAgreement(models.Model):
    """A recorded agreement letting partner organisations' teams see each other's records.

    It covers named regions and purposes (pathways): a team of one party sees people in a
    care relationship with a team of another party when both teams' regions are covered and
    the viewing team's pathway is one of the purposes (`people.access`).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    reference = models.CharField(max_length=60, unique=True)
    organisations = models.ManyToManyField(Organisation, related_name="sharing_agreements")
    regions = models.ManyToManyField(Region, related_name="sharing_agreements")
    purposes = models.JSONField(default=list, help_text="Pathways the agreement covers.")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    objects = DataSharingAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})"

    def clean(self) -> None:
        unknown = [p for p in self.purposes if p not in Pathway.values]
        if unknown:
            raise ValidationError({"purposes": f"Unknown purposes: {unknown}"})
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be after the start date."})
