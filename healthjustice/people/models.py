from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from healthjustice.core.text import clean_single_line_fields
from healthjustice.organisations.models import Team

from .choices import (
    AliasKind,
    GenderIdentity,
    NhsNumberMissingReason,
    Religion,
    RestrictionReason,
    Sex,
    VeteranStatus,
)
from .identifiers import validate_nhs_number


class EthnicCodeList(models.Model):
    """A version of the ethnic category code list (the 2001-census based list, later ones)."""

    version = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    source = models.URLField(blank=True)
    in_force_from = models.DateField()
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-in_force_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class EthnicCategory(models.Model):
    class Kind(models.TextChoices):
        CATEGORY = "category", "Ethnic category"
        NOT_STATED = "not_stated", "Not stated (asked and declined, or unable to choose)"
        NOT_KNOWN = "not_known", "Not known (not asked)"

    code_list = models.ForeignKey(EthnicCodeList, on_delete=models.PROTECT, related_name="codes")
    code = models.CharField(max_length=4)
    label = models.CharField(max_length=120)
    group = models.CharField(max_length=60)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CATEGORY)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["code_list", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["code_list", "code"], name="ethnic_code_unique")
        ]
        verbose_name_plural = "ethnic categories"

    def __str__(self) -> str:
        return f"{self.group} – {self.label}" if self.kind == self.Kind.CATEGORY else self.label


# Names and address lines are kept as they are seen: control, invisible and bidirectional-
# override characters are removed on every save, whoever writes (forms, services, admin,
# management commands), and a name made only of them is refused.
PERSON_TEXT_FIELDS = {
    "given_name": "First name",
    "family_name": "Last name",
    "preferred_name": "Preferred name",
    "address_line_1": "Address line 1",
    "address_line_2": "Address line 2",
    "town": "Town or city",
}
PERSON_REQUIRED_TEXT = frozenset({"given_name", "family_name"})
ALIAS_TEXT_FIELDS = {"given_name": "First name", "family_name": "Last name"}
ALIAS_REQUIRED_TEXT = frozenset({"family_name"})


def _clean_text_attributes(
    obj: models.Model, labels: dict[str, str], required: frozenset[str]
) -> None:
    values = {field: getattr(obj, field) for field in labels}
    for field, value in clean_single_line_fields(values, labels, required).items():
        setattr(obj, field, value)


class Person(models.Model):
    """Someone the service supports. Reached only through `people.access` and `selectors`."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_estimated = models.BooleanField(default=False)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    gender_identity = models.CharField(max_length=1, choices=GenderIdentity.choices, blank=True)

    nhs_number = models.CharField(
        "NHS number",
        max_length=10,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_nhs_number],
    )
    nhs_number_missing_reason = models.CharField(
        max_length=20, choices=NhsNumberMissingReason.choices, blank=True
    )
    pnc_id = models.CharField("PNC ID", max_length=13, blank=True, db_index=True)
    prison_number = models.CharField(max_length=7, blank=True, db_index=True)

    ethnic_category = models.ForeignKey(
        EthnicCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ethnicity_self_reported = models.BooleanField(default=True)
    ethnicity_recorded_on = models.DateField(null=True, blank=True)
    religion = models.CharField(max_length=20, choices=Religion.choices, blank=True)
    first_language = models.CharField(max_length=60, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    communication_needs = models.JSONField(default=list, blank=True)
    reasonable_adjustments = models.TextField(blank=True, max_length=2000)
    veteran_status = models.CharField(max_length=12, choices=VeteranStatus.choices, blank=True)

    address_line_1 = models.CharField(max_length=120, blank=True)
    address_line_2 = models.CharField(max_length=120, blank=True)
    town = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    no_fixed_abode = models.BooleanField(default=False)
    gp_practice_code = models.CharField("GP practice ODS code", max_length=10, blank=True)
    gp_practice_name = models.CharField(max_length=120, blank=True)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    # Set when this record was found to be a duplicate and merged into another (see
    # people.merging and people.relations). A merged record keeps its row, so the merge can be
    # undone, but nobody finds or opens it any more: its page sends them to the record it was
    # merged into. RESTRICT (not PROTECT) so that deleting both records together, as the demo
    # reset does, still works.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="merged_records",
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    merge_reason = models.TextField(blank=True, max_length=1000)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["date_of_birth"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(nhs_number__isnull=False) | ~Q(nhs_number_missing_reason=""),
                name="person_nhs_number_or_reason",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        _clean_text_attributes(self, PERSON_TEXT_FIELDS, PERSON_REQUIRED_TEXT)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name.upper()}"

    @property
    def nhs_number_display(self) -> str:
        n = self.nhs_number or ""
        return f"{n[:3]} {n[3:6]} {n[6:]}" if len(n) == 10 else ""


class PersonAlias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=AliasKind.choices, default=AliasKind.ALIAS)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at"]
        verbose_name = "other name"
        verbose_name_plural = "other names"

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        _clean_text_attributes(self, ALIAS_TEXT_FIELDS, ALIAS_REQUIRED_TEXT)
        super().save(*args, **kwargs)


class SearchName(models.Model):
    """Normalised and phonetic forms of every name and alias, so search survives typos."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_names")
    given = models.CharField(max_length=100)
    family = models.CharField(max_length=100)
    given_key = models.CharField(max_length=20)
    family_key = models.CharField(max_length=20)
    is_alias = models.BooleanField(default=False)
    # The first given name ("john" of "john paul"), and the person's date of birth copied here
    # whenever their names are written: a list's rows are looked up by name and date together,
    # in one index, without reading each candidate's record.
    given_first = models.CharField(max_length=100, blank=True, default="")
    date_of_birth = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["family_key"]),
            models.Index(fields=["family"]),
            models.Index(fields=["given_key"]),
            models.Index(
                fields=["family_key", "given_key", "date_of_birth"],
                include=["person"],
                name="people_sn_keys_dob",
            ),
            models.Index(
                fields=["date_of_birth", "given_first"],
                include=["person"],
                name="people_sn_dob_given",
            ),
            models.Index(
                fields=["date_of_birth", "family"], include=["person"], name="people_sn_dob_family"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given} {self.family}"


class CareRelationshipQuerySet(models.QuerySet["CareRelationship"]):
    def current(self, on: date | None = None) -> CareRelationshipQuerySet:
        today = on or timezone.localdate()
        return self.filter(started_on__lte=today).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=today)
        )


class CareRelationship(models.Model):
    """A team's legitimate relationship with a person: the basis of who may see the record."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="care_relationships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="care_relationships")
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    objects = CareRelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["team", "person"])]

    def __str__(self) -> str:
        return f"{self.team} since {self.started_on}"

    def is_current(self, on: date | None = None) -> bool:
        """As `CareRelationshipQuerySet.current`, for a relationship already read."""
        today = on or timezone.localdate()
        return self.started_on <= today and (self.ended_on is None or self.ended_on >= today)


class RecordRestriction(models.Model):
    """A record only the named staff may open (break-glass included)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="restriction")
    reason = models.CharField(max_length=20, choices=RestrictionReason.choices)
    note = models.CharField(max_length=300, blank=True)
    allowed_users = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Restricted: {self.get_reason_display()}"


class BreakGlassAccess(models.Model):
    """Time-limited access to a record outside the user's care relationships, for review."""

    class Outcome(models.TextChoices):
        APPROPRIATE = "appropriate", "Appropriate"
        INAPPROPRIATE = "inappropriate", "Inappropriate: escalated"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=1000)
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    review_note = models.TextField(blank=True, max_length=1000)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "expires_at"])]
        verbose_name = "break-glass access"
        verbose_name_plural = "break-glass accesses"

    def __str__(self) -> str:
        return f"Break-glass by {self.user} at {self.started_at:%Y-%m-%d %H:%M}"


class PersonChange(models.Model):
    """What happened to a record, for its timeline: which fields changed, never their values."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    summary = models.CharField(max_length=200)
    fields = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "record change"
        verbose_name_plural = "record changes"

    def __str__(self) -> str:
        return self.summary


class PersonMerge(models.Model):
    """Two records of the same person joined: `duplicate` was merged into `keep`.

    What the merge did is written down (`moves`, `filled_identifiers`) so that undoing it puts
    back exactly what it changed and nothing else.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    keep = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="merges_kept")
    duplicate = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="merges_absorbed")
    reason = models.TextField(max_length=1000)
    merged_at = models.DateTimeField(default=timezone.now)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Identifier -> the value copied from the duplicate onto the kept record, which lacked one.
    filled_identifiers = models.JSONField(default=dict, blank=True)
    # Why each record had no NHS number before the merge, to put back if the merge is undone.
    keep_nhs_number_missing_reason = models.CharField(max_length=20, blank=True)
    duplicate_nhs_number_missing_reason = models.CharField(max_length=20, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undo_reason = models.TextField(blank=True, max_length=1000)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = "record merge"
        verbose_name_plural = "record merges"
        constraints = [
            models.UniqueConstraint(
                fields=["duplicate"],
                condition=Q(undone_at__isnull=True),
                name="person_merge_one_in_force_per_duplicate",
            ),
            models.CheckConstraint(
                condition=~Q(keep=models.F("duplicate")), name="person_merge_two_records"
            ),
        ]

    def __str__(self) -> str:
        return f"Merge of {self.duplicate_id} into {self.keep_id} at {self.merged_at:%Y-%m-%d}"

    @property
    def in_force(self) -> bool:
        return self.undone_at is None


class PersonMergeMove(models.Model):
    """One row a merge re-pointed to the kept record, or created for it (an other name)."""

    class Kind(models.TextChoices):
        MOVED = "moved", "Moved to the kept record"
        CREATED = "created", "Created by the merge"

    merge = models.ForeignKey(PersonMerge, on_delete=models.CASCADE, related_name="moves")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MOVED)
    model_label = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=64)
    field_name = models.CharField(max_length=100)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["merge", "model_label", "object_pk", "field_name"],
                name="person_merge_move_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.model_label}#{self.object_pk}.{self.field_name} ({self.kind})"
