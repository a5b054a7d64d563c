"""Feedback from patients, carers and families about a team, and what was done about it.

Feedback is anonymous. Someone who asks for a reply leaves a contact detail, kept apart in
`ReplyContact` and deleted as soon as the reply is recorded.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from healthjustice.organisations.models import Team
from healthjustice.people.choices import AgeGroup
from healthjustice.people.models import EthnicCategory

# Longest answer to each free-text question, in characters (about a page of writing).
TEXT_LIMIT = 2000


class Experience(models.TextChoices):
    """The NHS Friends and Family Test's answers, best first."""

    VERY_GOOD = "very_good", "Very good"
    GOOD = "good", "Good"
    NEITHER = "neither", "Neither good nor poor"
    POOR = "poor", "Poor"
    VERY_POOR = "very_poor", "Very poor"
    DONT_KNOW = "dont_know", "Don't know"


class TreatedFairly(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    PREFER_NOT = "prefer_not", "Prefer not to say"


class Relationship(models.TextChoices):
    PATIENT = "patient", "I was supported by the team"
    CARER = "carer", "I am a carer"
    FAMILY = "family", "I am a family member"
    OTHER = "other", "Other"


class Source(models.TextChoices):
    PUBLIC = "public", "Public feedback page"
    CARER_PORTAL = "carer_portal", "Carers' portal"


class Theme(models.Model):
    """A theme staff tag feedback with (kept in the admin)."""

    name = models.CharField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Feedback(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.PUBLIC)
    experience = models.CharField(
        "Overall, how was your experience of our service?",
        max_length=12,
        choices=Experience.choices,
    )
    what_was_good = models.TextField("What was good?", blank=True)
    could_be_better = models.TextField("What could be better?", blank=True)
    treated_fairly = models.CharField(
        "Did you feel you were treated fairly, whatever your ethnicity or background?",
        max_length=12,
        choices=TreatedFairly.choices,
    )
    ethnic_category = models.ForeignKey(
        EthnicCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    age_group = models.CharField(max_length=10, choices=AgeGroup.choices, blank=True)
    relationship = models.CharField(max_length=10, choices=Relationship.choices, blank=True)
    wants_reply = models.BooleanField(default=False)
    themes = models.ManyToManyField(Theme, blank=True, related_name="feedback")
    response = models.TextField("Our response", blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reply_sent_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: the response form posts the version it showed (core.concurrency).
    version = models.PositiveIntegerField(default=1)
    # Synthetic feedback made by the demo (anonymous feedback has no author to tell it by), so
    # the demo's reset removes exactly its own.
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-received_at"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"Feedback for {self.team} on {self.received_at:%d %B %Y}"

    @property
    def status(self) -> FeedbackStatus:
        """New until the team responds; closed once responded and any reply asked for sent."""
        if not self.response:
            return FeedbackStatus.NEW
        if self.wants_reply and self.reply_sent_at is None:
            return FeedbackStatus.RESPONDED
        return FeedbackStatus.CLOSED

    @property
    def reply_due(self) -> bool:
        return self.wants_reply and self.reply_sent_at is None


class ReplyContact(models.Model):
    """How to reply to someone who asked for a reply. Deleted once the reply is recorded."""

    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField(max_length=100, blank=True)
    contact = models.CharField(max_length=200)

    def __str__(self) -> str:
        return "Reply contact"


class Submission(models.Model):
    """One accepted feedback form from a client address, for the rate limit. The address is
    kept only as a keyed hash, and rows older than the limit's window are deleted."""

    address_hash = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return "Feedback submission"


class FeedbackStatus(models.TextChoices):
    """Where a piece of feedback stands, worked out from its response and reply."""

    NEW = "new", "New"
    RESPONDED = "responded", "Responded, reply to send"
    CLOSED = "closed", "Closed"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class ImprovementAction(models.Model):
    """You said, we did: what a team did about feedback, and the feedback that led to it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="actions")
    you_said = models.TextField("What people told us")
    we_did = models.TextField("What we did, or will do")
    owner = models.CharField("Who is responsible", max_length=120)
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    done_on = models.DateField("When", null=True, blank=True)
    is_published = models.BooleanField("Show on the public you said, we did page", default=False)
    feedback = models.ManyToManyField(Feedback, blank=True, related_name="actions")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.theme}: {self.we_did[:60]}"
