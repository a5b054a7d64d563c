"""Carers of people in secure services, what patients agree to share with them, and the portal.

A carer is not a patient: they have their own record, linked to the patients they care for.
Staff reach carers only through `carers.selectors`, which go through the people access chokepoint.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from healthjustice.organisations.models import Team
from healthjustice.people.choices import (
    AgeGroup,
    Disability,
    GenderIdentity,
    Religion,
    Sex,
    SexualOrientation,
)
from healthjustice.people.models import EthnicCategory, Person

from .choices import (
    AgreementEnd,
    AssessmentOutcome,
    Capacity,
    ContactDirection,
    ContactMethod,
    ContactMode,
    ContactTime,
    LawfulBasis,
    MeetingKind,
    OtherSupport,
    Relationship,
    ReviewOutcome,
    SecureLevel,
    ShareCategory,
)
from .choices import (
    category_labels as labels_for_categories,
)

USER_MODEL = settings.AUTH_USER_MODEL


class SecureServiceStayQuerySet(models.QuerySet["SecureServiceStay"]):
    def current(self, on: date | None = None) -> SecureServiceStayQuerySet:
        today = on or timezone.localdate()
        return self.filter(starts_on__lte=today).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )


class SecureServiceStay(models.Model):
    """A patient's time in a secure hospital, a forensic community team or locked rehabilitation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="secure_stays")
    level = models.CharField(max_length=20, choices=SecureLevel.choices)
    hospital_or_team = models.CharField(max_length=200)
    ward = models.CharField(max_length=120, blank=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="secure_stays")
    key_worker = models.ForeignKey(
        USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ward_manager = models.ForeignKey(
        USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ward manager or team leader",
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SecureServiceStayQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="secure_stay_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.hospital_or_team}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)

    @property
    def place(self) -> str:
        return ", ".join(p for p in (self.ward, self.hospital_or_team) if p)


class Carer(models.Model):
    """Someone who cares for a patient in secure services: a service user in their own right."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="carer_profile"
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address_line_1 = models.CharField(max_length=120, blank=True)
    address_line_2 = models.CharField(max_length=120, blank=True)
    town = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    preferred_contact_method = models.CharField(
        max_length=10, choices=ContactMethod.choices, default=ContactMethod.PHONE
    )
    preferred_contact_time = models.CharField(
        max_length=10, choices=ContactTime.choices, default=ContactTime.ANY
    )
    communication_needs = models.TextField(max_length=1000, blank=True)
    language = models.CharField(max_length=60, blank=True, default="English")
    interpreter_needed = models.BooleanField(default=False)
    date_identified = models.DateField(default=timezone.localdate)
    identified_at_first_contact = models.BooleanField(
        default=False,
        help_text="Triangle of Care standard 1: identified at the patient's first contact.",
    )
    named_contact = models.ForeignKey(
        USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="carers_named_for"
    )
    # Equality monitoring, each answer optional and the carer's own (PCREF: carers' figures are
    # split by ethnic group like patients').
    ethnic_category = models.ForeignKey(
        EthnicCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ethnicity_own_words = models.CharField(
        "Ethnicity in their own words", max_length=100, blank=True
    )
    age_group = models.CharField(max_length=10, choices=AgeGroup.choices, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    gender_identity = models.CharField(max_length=1, choices=GenderIdentity.choices, blank=True)
    sexual_orientation = models.CharField(
        max_length=1, choices=SexualOrientation.choices, blank=True
    )
    religion = models.CharField(max_length=20, choices=Religion.choices, blank=True)
    disability = models.CharField(max_length=10, choices=Disability.choices, blank=True)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="carers",
        help_text="The team that supports the carer; used for the Triangle of Care report.",
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class CarerRelationship(models.Model):
    """A carer's relationship to one patient; sharing agreements hang from it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="relationships")
    patient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="carer_links")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    relationship_detail = models.CharField(max_length=100, blank=True)
    is_nearest_relative = models.BooleanField(
        default=False,
        help_text="The Mental Health Act nearest relative. This gives no general right to "
        "information.",
    )
    named_on_care_plan = models.BooleanField(default=False)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["started_on"]
        constraints = [
            models.UniqueConstraint(fields=["carer", "patient"], name="carer_patient_unique")
        ]

    def __str__(self) -> str:
        return f"{self.carer} ({self.get_relationship_display()})"

    @property
    def relationship_text(self) -> str:
        return self.relationship_detail or self.get_relationship_display()


class SharingAgreementQuerySet(models.QuerySet["SharingAgreement"]):
    def in_force(self) -> SharingAgreementQuerySet:
        return self.filter(ended_at__isnull=True)

    def due_for_review(self, on: date | None = None) -> SharingAgreementQuerySet:
        return self.in_force().filter(review_on__lte=on or timezone.localdate())


class SharingAgreement(models.Model):
    """One version of what a patient agreed to share with one carer.

    Rows are never edited: a change is a new row that ends the previous one ("replaced"), and
    withdrawal ends the row in force ("withdrawn"). At most one row is in force per relationship.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(
        CarerRelationship, on_delete=models.CASCADE, related_name="agreements"
    )
    categories = models.JSONField(default=list, blank=True)
    capacity = models.CharField(max_length=20, choices=Capacity.choices)
    capacity_note = models.TextField(max_length=1000, blank=True)
    advance_statement = models.CharField(
        max_length=200, blank=True, help_text="Where the patient's advance statement is kept."
    )
    recorded_by = models.ForeignKey(USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    review_on = models.DateField()
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_kind = models.CharField(max_length=10, choices=AgreementEnd.choices, blank=True)
    withdrawal_reason = models.TextField(max_length=1000, blank=True)

    objects = SharingAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship"],
                condition=Q(ended_at__isnull=True),
                name="one_sharing_agreement_in_force",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, end_kind="")
                | Q(ended_at__isnull=False) & ~Q(end_kind=""),
                name="sharing_agreement_end_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Sharing agreement recorded {self.recorded_at:%Y-%m-%d}"

    @property
    def in_force(self) -> bool:
        return self.ended_at is None

    @property
    def withdrawn(self) -> bool:
        return self.end_kind == AgreementEnd.WITHDRAWN

    @property
    def due_for_review(self) -> bool:
        return self.in_force and self.review_on <= timezone.localdate()

    @property
    def category_labels(self) -> list[str]:
        return labels_for_categories(self.categories)


class CarerMessage(models.Model):
    """A message a carer sent from the portal to their named contact."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="messages")
    recipient = models.ForeignKey(
        USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="carer_messages"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=2000)
    attachment = models.FileField(upload_to="carers/messages/", blank=True)
    attachment_name = models.CharField(max_length=120, blank=True)
    attachment_type = models.CharField(max_length=40, blank=True)
    attachment_size = models.PositiveIntegerField(null=True, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"Message from {self.carer} at {self.sent_at:%Y-%m-%d %H:%M}"


class CarerContact(models.Model):
    """One entry in a carer's contact log."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="contacts")
    relationship = models.ForeignKey(
        CarerRelationship,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        help_text="The patient the contact was about, when it was about one.",
    )
    staff = models.ForeignKey(USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    occurred_at = models.DateTimeField(default=timezone.now)
    mode = models.CharField(max_length=20, choices=ContactMode.choices)
    direction = models.CharField(
        max_length=12, choices=ContactDirection.choices, default=ContactDirection.TO_CARER
    )
    summary = models.TextField(max_length=2000)
    categories_shared = models.JSONField(default=list, blank=True)
    outside_agreement = models.JSONField(
        default=list, blank=True, help_text="Categories shared that no agreement in force allowed."
    )
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices, blank=True)
    lawful_basis_detail = models.TextField(max_length=1000, blank=True)
    flagged_for_review = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices, blank=True)
    review_note = models.TextField(max_length=1000, blank=True)
    message = models.OneToOneField(
        CarerMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="contact"
    )
    recorded_by = models.ForeignKey(
        USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["flagged_for_review", "reviewed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(outside_agreement=[]) | ~Q(lawful_basis=""),
                name="carer_contact_outside_needs_basis",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} on {self.occurred_at:%Y-%m-%d}"

    @property
    def category_labels(self) -> list[str]:
        return labels_for_categories(self.categories_shared)

    @property
    def outside_labels(self) -> list[str]:
        return labels_for_categories(self.outside_agreement)


class CarerMessageReply(models.Model):
    """A reply from staff to a carer's message, which the carer reads in the portal.

    Every reply is also a contact in the log (`contact`): what it shares about the patient is
    recorded and judged there, like any other contact.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(CarerMessage, on_delete=models.CASCADE, related_name="replies")
    contact = models.OneToOneField(CarerContact, on_delete=models.CASCADE, related_name="reply")
    author = models.ForeignKey(USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=2000)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"Reply to {self.message.carer} at {self.sent_at:%Y-%m-%d %H:%M}"


class CarerSupport(models.Model):
    """Support offered to the carer: information, the carer's assessment, other help."""

    carer = models.OneToOneField(Carer, on_delete=models.CASCADE, related_name="support")
    toolkit_given_on = models.DateField(
        null=True, blank=True, help_text="NHS England secure services carers' toolkit"
    )
    service_information_given_on = models.DateField(null=True, blank=True)
    assessment_offered_on = models.DateField(null=True, blank=True)
    referred_to_local_authority_on = models.DateField(null=True, blank=True)
    local_authority = models.CharField(max_length=120, blank=True)
    assessment_completed_on = models.DateField(null=True, blank=True)
    assessment_outcome = models.CharField(
        max_length=20, choices=AssessmentOutcome.choices, blank=True
    )
    other_support = models.JSONField(default=list, blank=True)
    notes = models.TextField(max_length=2000, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Support for {self.carer}"

    @property
    def other_support_labels(self) -> list[str]:
        labels = dict(OtherSupport.choices)
        return [str(labels.get(v, v)) for v in self.other_support]


class SharedItemQuerySet(models.QuerySet["SharedItem"]):
    def live(self) -> SharedItemQuerySet:
        return self.filter(retracted_at__isnull=True)


class SharedItem(models.Model):
    """Something written for the carer (a progress note, a plan summary, a meeting invitation).

    It is shown in the portal only while the agreement in force covers its category.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(
        CarerRelationship, on_delete=models.CASCADE, related_name="shared_items"
    )
    category = models.CharField(max_length=20, choices=ShareCategory.choices)
    title = models.CharField(max_length=150)
    body = models.TextField(max_length=4000)
    meeting_kind = models.CharField(max_length=20, choices=MeetingKind.choices, blank=True)
    meeting_at = models.DateTimeField(null=True, blank=True)
    meeting_place = models.CharField(max_length=200, blank=True)
    written_by = models.ForeignKey(USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    retracted_at = models.DateTimeField(null=True, blank=True)
    retracted_by = models.ForeignKey(
        USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retraction_reason = models.CharField(max_length=300, blank=True)

    objects = SharedItemQuerySet.as_manager()

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class CarerInformationPage(models.Model):
    """General information for carers, written and published by staff in the service."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.CharField(max_length=200, blank=True)
    body = models.TextField(max_length=20000)
    is_published = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=100)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class CarerInvitation(models.Model):
    """A single-use link that lets a carer set up their portal account. Only a hash is kept.

    A link made by resetting a carer's sign-in names the `account` it sets a new password for;
    a link for a new account names none.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="invitations")
    account = models.ForeignKey(
        USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.carer} made {self.created_at:%Y-%m-%d}"

    @property
    def is_reset(self) -> bool:
        return self.account_id is not None

    @property
    def status(self) -> str:
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"
