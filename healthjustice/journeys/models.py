import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from healthjustice.core.append_only import AppendOnlyModel
from healthjustice.organisations.choices import Pathway, SiteKind
from healthjustice.organisations.models import Site, Team
from healthjustice.people.models import Person

from .choices import (
    AuthorisingRank,
    BailStatus,
    ChargeStatus,
    ClosureReason,
    CustodyEventKind,
    CustodyOutcome,
    Disposal,
    EpisodeSetting,
    OffenceCategory,
    Plea,
    ReferralSource,
    Stage,
)


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
    allocated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # A copy of the newest status row's stage, written by the database itself when a status row
    # is added (a trigger: migration 0009), so that "open" and "at this stage" are a column
    # and an index instead of a search of the episode's whole history. The status rows stay
    # the record; this is never written by the application. Blank before the first row.
    stage = models.CharField(
        max_length=20, choices=Stage.choices, blank=True, default="", db_default="", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-referred_at"]
        indexes = [
            models.Index(fields=["team", "referred_at"]),
            # A pathway's referrals in a period for some teams (the returns, the equity
            # figures): a team may hold episodes of more than one pathway.
            models.Index(
                fields=["team", "pathway", "referred_at"], name="episode_team_pathway_idx"
            ),
            models.Index(fields=["allocated_worker", "referred_at"]),
            # The worklists: a team's open episodes, and a worker's.
            models.Index(
                fields=["team", "referred_at"],
                condition=~models.Q(stage="closed"),
                name="episode_open_team_idx",
            ),
            models.Index(
                fields=["allocated_worker", "referred_at"],
                condition=~models.Q(stage="closed"),
                name="episode_open_worker_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_pathway_display()} episode, referred {self.referred_at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # `stage` belongs to the database (see the field): saving an episode read before its
        # latest status row must not write the older stage back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "stage"
            ]
        super().save(*args, **kwargs)


class EpisodeStatus(AppendOnlyModel):
    """Append-only: every stage change is a new row, with who, when and why."""

    append_only_message = "Stage history is append-only: add a new status row."

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
        indexes = [
            models.Index(fields=["stage", "at"]),
            # "Open" is "no closed row that is the newest": this keeps finding closed rows cheap.
            models.Index(
                fields=["episode"],
                condition=models.Q(stage="closed"),
                name="episode_status_closed_idx",
            ),
            # The reports' first "assessed" of an episode and whether it was moved to "screened"
            # by hand: one index probe an episode for a year's hundreds of thousands.
            models.Index(
                fields=["episode", "seq"],
                include=["at"],
                condition=models.Q(stage="assessed"),
                name="episode_status_assessed_idx",
            ),
            models.Index(
                fields=["episode"],
                condition=models.Q(stage="screened"),
                name="episode_status_screened_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} at {self.at:%Y-%m-%d %H:%M}"


# UK GDPR Article 10 (criminal offence data): shown only to holders of Permission.CJ_CONTEXT_VIEW,
# and every view of them is audited as object_type "cj_context". See docs/journeys.md.
ARTICLE_10_FIELDS: tuple[str, ...] = (
    "custody_record_reference",
    "arrived_in_custody_at",
    "offence_category",
    "charge_status",
    "court",
    "court_name",
    "hearing_at",
    "bail_status",
    "disposal",
    "prison_release_on",
    "plea",
    "psr_requested",
    "psr_due_on",
)


class CriminalJusticeContext(models.Model):
    """The criminal-justice side of an episode: custody, charge, court and sentence.

    Every field in ARTICLE_10_FIELDS is Article 10 data: read it only through
    `journeys.selectors.cj_context_for_user`, which checks the permission and audits the view.
    """

    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="cj_context")
    custody_record_reference = models.CharField(max_length=40, blank=True)
    arrived_in_custody_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The PACE relevant time: starts the detention clock.",
    )
    offence_category = models.CharField(max_length=30, choices=OffenceCategory.choices, blank=True)
    charge_status = models.CharField(max_length=20, choices=ChargeStatus.choices, blank=True)
    court = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": SiteKind.COURT},
    )
    court_name = models.CharField(
        max_length=200, blank=True, help_text="A court not in the list of sites."
    )
    hearing_at = models.DateTimeField(null=True, blank=True)
    bail_status = models.CharField(max_length=20, choices=BailStatus.choices, blank=True)
    disposal = models.CharField(
        max_length=20, choices=Disposal.choices, default=Disposal.NOT_YET_KNOWN
    )
    prison_release_on = models.DateField(null=True, blank=True)
    plea = models.CharField(max_length=20, choices=Plea.choices, blank=True)
    psr_requested = models.BooleanField("Pre-sentence report requested", default=False)
    psr_due_on = models.DateField("Pre-sentence report due", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "criminal-justice context"
        indexes = [
            models.Index(fields=["hearing_at"]),
            models.Index(fields=["arrived_in_custody_at"]),
            models.Index(fields=["prison_release_on"]),
        ]

    def __str__(self) -> str:
        return "Criminal-justice context"

    @property
    def court_display(self) -> str:
        return self.court.name if self.court is not None else self.court_name


class CustodyEvent(AppendOnlyModel):
    """Append-only: an extension, a warrant of further detention, or leaving custody.

    Article 10 data, read through `journeys.custody.custody_clock_for_user`. `ends_at` is the
    relevant time plus `limit_hours`, stored so the worklist can order by it in SQL; the
    relevant time cannot change once an event exists (journeys.services.cj_context_save).
    """

    append_only_message = "The custody clock is append-only: add a new event."

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="custody_events")
    kind = models.CharField(max_length=20, choices=CustodyEventKind.choices)
    at = models.DateTimeField(help_text="When it was authorised, or when they left.")
    limit_hours = models.PositiveSmallIntegerField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    authorised_by = models.CharField(
        max_length=200, blank=True, help_text="The officer's name, or the court."
    )
    rank = models.CharField(max_length=30, choices=AuthorisingRank.choices, blank=True)
    outcome = models.CharField(max_length=20, choices=CustodyOutcome.choices, blank=True)
    note = models.TextField(max_length=1000, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["episode", "at", "pk"]
        indexes = [models.Index(fields=["episode", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"
