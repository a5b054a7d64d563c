"""The worklist's read model: one row per open episode holding what its place in the list is
worked out from (docs/adr/0010-worklist-read-model.md).

Nothing here is edited by hand. `worklist.entries.refresh_entries` rewrites rows from the
pathway apps' records whenever one of them changes (`worklist.receivers`), and
`manage.py rebuild_worklist` rewrites them all after a bulk load. Every input that depends on
the time is stored as the moment or the day itself (the hearing, the end of the custody limit,
the release day, a notice's due day, ...), never as "due soon": the page compares them with
the time of the request, so a row stays right as time passes without being rewritten.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from healthjustice.journeys.models import Episode


def _ref(to: str | type[models.Model]) -> models.ForeignKey:
    # A copy of the episode's own column: no constraint or reverse relation of its own.
    return models.ForeignKey(
        to,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )


class WorklistEntry(models.Model):
    """An open episode's copy of the columns the worklist filters and orders by."""

    episode = models.OneToOneField(
        Episode, on_delete=models.CASCADE, primary_key=True, related_name="worklist_entry"
    )
    # Filters and access, as on the episode.
    team = _ref("organisations.Team")
    person = _ref("people.Person")
    allocated_worker = _ref(settings.AUTH_USER_MODEL)
    site = _ref("organisations.Site")
    pathway = models.CharField(max_length=20)
    setting = models.CharField(max_length=30)
    stage = models.CharField(max_length=20, blank=True)
    referred_at = models.DateTimeField()
    # The earliest start of the team's care relationships with the person that have no end,
    # when the person's record is neither restricted nor merged: from that day the row is
    # visible to everyone who reaches the team (`ordering.entries_filtered`). None otherwise:
    # then the access rules are checked in full.
    open_care_since = models.DateField(null=True)

    # Criminal-justice details (ranked only for holders of CJ_CONTEXT_VIEW).
    hearing_at = models.DateTimeField(null=True)
    # When they arrived in custody, while they have not left; the end of the current limit.
    custody_since = models.DateTimeField(null=True)
    custody_ends = models.DateTimeField(null=True)
    custody_limit_hours = models.PositiveSmallIntegerField(null=True)  # of that limit, if set
    release_on = models.DateField(null=True)
    psr_due_on = models.DateField(null=True)  # only when a report is requested

    # MHTR: the first unsent compliance notice's due day, the order's sentence, the team's
    # working days to the first appointment, the first appointment not cancelled by the service.
    notice_due_on = models.DateField(null=True)
    sentenced_on = models.DateField(null=True)
    first_appointment_days = models.PositiveSmallIntegerField(null=True)
    first_session_on = models.DateField(null=True)

    # RECONNECT.
    window_closes_on = models.DateField(null=True)
    gate_planned = models.BooleanField(default=False)
    support_planned = models.BooleanField(default=False)
    last_contact_on = models.DateField(null=True)  # the newest contact after release
    released_on = models.DateField(null=True)
    contact_days = models.PositiveSmallIntegerField(null=True)  # the team's setting
    support_extended = models.BooleanField(default=False)
    extended_to = models.DateField(null=True)  # the newest extension's
    # The first handover without its first-appointment check: the day that check is due.
    engagement_due_on = models.DateField(null=True)
    # The first first-appointment check without its 4-week check: the day it was made.
    first_checked_on = models.DateField(null=True)

    # Screening, alerts, follow-ups.
    screening = models.PositiveSmallIntegerField(null=True)  # risk * 10 + urgency, the latest
    alerts = models.PositiveIntegerField(default=0)  # unacknowledged
    alert_source = models.CharField(max_length=120, blank=True)  # the newest unacknowledged
    follow_up_due_on = models.DateField(null=True)  # the first onward referral not followed up

    class Meta:
        indexes = [
            models.Index(fields=["team", "referred_at"], name="worklist_entry_team_idx"),
            models.Index(
                fields=["allocated_worker", "referred_at"], name="worklist_entry_worker_idx"
            ),
            models.Index(fields=["team", "stage"], name="worklist_entry_team_stage_idx"),
            models.Index(fields=["person"], name="worklist_entry_person_idx"),
        ]

    def __str__(self) -> str:
        return f"Worklist entry of episode {self.episode_id}"
