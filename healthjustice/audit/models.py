"""The append-only, hash-chained audit trail. No foreign keys: it outlives what it describes."""

from django.db import models
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from healthjustice.core.append_only import AppendOnlyModel


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    BREAK_GLASS = "break_glass", "Broke the glass"
    REVIEW = "review", "Reviewed"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_OUT = "sign_out", "Signed out"
    DENIED = "denied", "Permission denied"
    VERIFY = "verify", "Verified the audit trail"


class AccessBasis(models.TextChoices):
    """Why someone could see the person whose record an event is about."""

    OWN_TEAM = "own_team", "Own team"
    AGREEMENT = "agreement", "Data-sharing agreement"
    BREAK_GLASS = "break_glass", "Break-glass"


# Events that show or change a person's record carry the basis of access; others leave it blank.
BASIS_ACTIONS = frozenset({Action.VIEW, Action.CREATE, Action.UPDATE, Action.DELETE, Action.EXPORT})


def person_reference() -> Cast:
    """detail["person"] as text: the indexed expression that finds events about a person."""
    return Cast(KeyTextTransform("person", "detail"), models.TextField())


class AuditEvent(AppendOnlyModel):
    append_only_message = "The audit trail is append-only."

    # Unique across the whole trail and rising along each chain; not gap-free (docs/audit.md).
    seq = models.PositiveBigIntegerField(unique=True)
    # Which of the chains (ChainHead.id) the row belongs to. 1 is the original chain: it is in
    # the hash only when not 1, so rows written before there were several chains still verify.
    chain = models.PositiveSmallIntegerField(default=1, db_default=1)
    occurred_at = models.DateTimeField(db_index=True)
    actor_id = models.CharField(max_length=36, blank=True, db_index=True)
    actor_username = models.CharField(max_length=150, blank=True)
    remote_addr = models.CharField(max_length=45, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=36, blank=True)
    fields_changed = models.JSONField(default=list, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # In the hash only when set, so rows written before it existed still verify.
    access_basis = models.CharField(
        max_length=20, choices=AccessBasis.choices, blank=True, default="", db_default=""
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "occurred_at"]),
            # Events about something that belongs to a person name them in detail["person"].
            models.Index(person_reference(), name="audit_event_person_idx"),
            # Verification walks one chain at a time, in order.
            models.Index(fields=["chain", "seq"], name="audit_event_chain_seq_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_username or 'anonymous'} {self.action} {self.object_type}"


class ChainHead(models.Model):
    """One row per chain: its last row's number and hash. A writer locks one chain's head to
    append to it, so each chain is linear, and writers on other chains do not wait."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    # Rows on this chain: row numbers are shared by the chains and not gap-free, so the trail's
    # size is the sum of these, not the highest number.
    length = models.PositiveBigIntegerField(default=0, db_default=0)

    def __str__(self) -> str:
        return f"Audit chain {self.id} head at row {self.last_seq}"
