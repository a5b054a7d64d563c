"""Forms for staff pages. Choices of people and teams are passed in, already scoped."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField, form_field, set_choices
from healthjustice.people.identifiers import clean_postcode

from .choices import (
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
from .services import MESSAGE_MAX_CHARS, validate_message_body
from .text import clean_plain_text

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def _blank(choices: Any, text: str = "Select an option") -> list[tuple[str, str]]:
    return [("", text), *choices]


def _users(users: Any) -> dict[str, Any]:
    return {str(u.public_id): u for u in users}


def parse_time(value: str) -> time:
    match = _TIME.match(value or "")
    if not match:
        raise ValidationError("Enter a time in 24-hour format, for example 14:30")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ValidationError("Enter a real time, for example 14:30")
    return time(hour, minute)


def combine(day, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


class PlainTextField(forms.CharField):
    """Text kept as plain text: control characters dropped, line endings normalised."""

    def to_python(self, value: Any) -> str:
        return clean_plain_text(super().to_python(value) or "")


class UserChoiceField(forms.ChoiceField):
    """A choice of staff member, by public id; the field holds the user after cleaning."""

    def __init__(self, *args: Any, users: Any = (), blank: str = "Nobody", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.set_users(users, blank)

    def set_users(self, users: Any, blank: str = "Nobody") -> None:
        self.users = _users(users)
        self.choices = _blank([(k, u.display_name) for k, u in self.users.items()], blank)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return self.users.get(value) if value else None


# Secure-service stays ---------------------------------------------------------------------


class StayForm(Form):
    level = forms.ChoiceField(
        label="Level of security", choices=SecureLevel.choices, widget=forms.RadioSelect
    )
    hospital_or_team = forms.CharField(
        label="Hospital or community team",
        max_length=200,
        help_text="For example, St George's Hospital, Stafford",
    )
    ward = forms.CharField(label="Ward (optional)", max_length=120, required=False)
    team = forms.ChoiceField(label="Our team looking after them")
    key_worker = UserChoiceField(label="Key worker (optional)", required=False)
    ward_manager = UserChoiceField(label="Ward manager or team leader (optional)", required=False)
    starts_on = NhsDateField(label="Start date", help_text="For example, 15 3 2026")
    ends_on = NhsDateField(
        label="End date (optional)",
        required=False,
        help_text="Leave blank if they are still there",
    )

    def __init__(self, *args: Any, teams: Any = (), staff: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.teams = {str(t.public_id): t for t in teams}
        set_choices(self, "team", [(k, t.name) for k, t in self.teams.items()])
        form_field(self, "key_worker", UserChoiceField).set_users(staff)
        form_field(self, "ward_manager", UserChoiceField).set_users(staff)

    def clean_team(self):
        return self.teams[self.cleaned_data["team"]]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        team = data.get("team")
        if team is not None:
            from .selectors import team_staff

            members = set(team_staff([team.id]).values_list("pk", flat=True))
            for name in ("key_worker", "ward_manager"):
                user = data.get(name)
                if user is not None and user.pk not in members:
                    self.add_error(name, f"Choose someone who works in {team.name}")
        return data


# Carers -----------------------------------------------------------------------------------


class CarerDetailsForm(Form):
    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    phone = forms.CharField(label="Phone number (optional)", max_length=30, required=False)
    email = forms.EmailField(label="Email address (optional)", required=False)
    address_line_1 = forms.CharField(
        label="Address line 1 (optional)", required=False, max_length=120
    )
    address_line_2 = forms.CharField(
        label="Address line 2 (optional)", required=False, max_length=120
    )
    town = forms.CharField(label="Town or city (optional)", required=False, max_length=80)
    postcode = forms.CharField(label="Postcode (optional)", required=False, max_length=10)
    preferred_contact_method = forms.ChoiceField(
        label="How they like to be contacted",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        initial=ContactMethod.PHONE,
    )
    preferred_contact_time = forms.ChoiceField(
        label="When they like to be contacted",
        choices=ContactTime.choices,
        widget=forms.RadioSelect,
        initial=ContactTime.ANY,
    )
    communication_needs = PlainTextField(
        label="Their communication needs (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: large print, British Sign Language, easy read",
    )
    language = forms.CharField(label="Language they prefer", max_length=60, initial="English")
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)
    date_identified = NhsDateField(label="Date identified as a carer")
    identified_at_first_contact = forms.BooleanField(
        label="Identified at the patient's first contact with the service",
        required=False,
        help_text="Triangle of Care standard 1",
    )
    named_contact = UserChoiceField(
        label="Named contact (optional)",
        required=False,
        help_text="If nobody is named, the carer is shown the key worker or ward manager and the "
        "switchboard number",
    )

    def __init__(self, *args: Any, staff: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        form_field(self, "named_contact", UserChoiceField).set_users(staff)

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        return clean_postcode(value) if value else ""

    def clean(self):
        data = super().clean()
        method = data.get("preferred_contact_method")
        if method in (ContactMethod.PHONE, ContactMethod.TEXT) and not data.get("phone"):
            self.add_error("phone", "Enter a phone number, as they prefer phone or text")
        if method == ContactMethod.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter an email address, as they prefer email")
        if method == ContactMethod.LETTER and not (
            data.get("address_line_1") and data.get("postcode")
        ):
            self.add_error("address_line_1", "Enter an address, as they prefer letters")
        return data


class RelationshipFieldsMixin(Form):
    relationship = forms.ChoiceField(
        label="Their relationship to the patient",
        choices=_blank(Relationship.choices),
    )
    relationship_detail = forms.CharField(
        label="Describe the relationship (optional)",
        max_length=100,
        required=False,
        help_text="For example, stepmother",
    )
    is_nearest_relative = forms.BooleanField(
        label="They are the nearest relative under the Mental Health Act",
        required=False,
        help_text="This does not give them a right to information",
    )
    named_on_care_plan = forms.BooleanField(
        label="They are named on the patient's care plan", required=False
    )


class CarerAddForm(RelationshipFieldsMixin, CarerDetailsForm):
    team = forms.ChoiceField(label="Team supporting the carer")

    def __init__(self, *args: Any, teams: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.teams = {str(t.public_id): t for t in teams}
        set_choices(self, "team", [(k, t.name) for k, t in self.teams.items()])
        if len(self.teams) == 1:
            self.fields["team"].initial = next(iter(self.teams))
        self.fields["date_identified"].initial = timezone.localdate()

    def clean_team(self):
        return self.teams[self.cleaned_data["team"]]


class CarerEditForm(CarerDetailsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RelationshipForm(RelationshipFieldsMixin):
    ended_on = NhsDateField(
        label="Date they stopped caring for the patient (optional)",
        required=False,
        help_text="Only if they are no longer a carer for this patient",
    )


# Agreements -------------------------------------------------------------------------------


class AgreementForm(Form):
    categories = forms.MultipleChoiceField(
        label="What the patient agrees to share with this carer",
        choices=ShareCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked if they agree to nothing being shared",
    )
    capacity = forms.ChoiceField(
        label="The patient's capacity to make this decision",
        choices=Capacity.choices,
        widget=forms.RadioSelect,
    )
    capacity_note = PlainTextField(
        label="Notes about capacity (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    advance_statement = forms.CharField(
        label="Advance statement (optional)",
        required=False,
        max_length=200,
        help_text="Where the patient's advance statement about sharing is kept, if they have one",
    )
    review_on = NhsDateField(
        label="Review date",
        allow_future=True,
        help_text="Check the agreement with the patient again by this date. For example, 15 3 2027",
    )

    def clean(self):
        data = super().clean()
        if data.get("capacity") == Capacity.LACKS_CAPACITY and not data.get("capacity_note"):
            self.add_error("capacity_note", "Explain the best-interests decision")
        return data


class WithdrawForm(Form):
    reason = PlainTextField(
        label="What the patient said, or why the agreement was withdrawn",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# Contact log ------------------------------------------------------------------------------


class ContactForm(Form):
    staff = UserChoiceField(label="Who had the contact")
    occurred_on = NhsDateField(label="Date of the contact", help_text="For example, 15 3 2026")
    occurred_time = forms.CharField(
        label="Time of the contact", max_length=5, help_text="For example, 14:30"
    )
    mode = forms.ChoiceField(
        label="How", choices=[c for c in ContactMode.choices if c[0] != ContactMode.PORTAL_MESSAGE]
    )
    direction = forms.ChoiceField(
        label="Who made contact",
        choices=ContactDirection.choices,
        widget=forms.RadioSelect,
        initial=ContactDirection.TO_CARER,
    )
    summary = PlainTextField(
        label="What was discussed",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Carers are owed confidentiality too: record what they told you with care",
    )
    categories_shared = forms.MultipleChoiceField(
        label="Information about the patient you shared (optional)",
        choices=ShareCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked if you only listened or gave general information",
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis, only if you shared something the agreement does not allow",
        choices=_blank(LawfulBasis.choices, "None: everything shared was agreed"),
        required=False,
    )
    lawful_basis_detail = PlainTextField(
        label="Why it had to be shared without consent (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, staff: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        form_field(self, "staff", UserChoiceField).set_users(staff, "Select a member of staff")

    def clean_occurred_time(self):
        return parse_time(self.cleaned_data["occurred_time"])

    def clean(self):
        data = super().clean()
        if data.get("occurred_on") and data.get("occurred_time"):
            data["occurred_at"] = combine(data["occurred_on"], data["occurred_time"])
            if data["occurred_at"] > timezone.now() + timedelta(minutes=5):
                self.add_error("occurred_time", "The contact must be in the past")
        return data


class ReviewForm(Form):
    outcome = forms.ChoiceField(
        label="Your review", choices=ReviewOutcome.choices, widget=forms.RadioSelect
    )
    note = PlainTextField(
        label="Notes (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# Support ----------------------------------------------------------------------------------


class SupportForm(Form):
    toolkit_given_on = NhsDateField(
        label="Date given the NHS England secure services carers' toolkit (optional)",
        required=False,
    )
    service_information_given_on = NhsDateField(
        label="Date given our own information for carers (optional)", required=False
    )
    assessment_offered_on = NhsDateField(
        label="Date a carer's assessment was offered (optional)", required=False
    )
    referred_to_local_authority_on = NhsDateField(
        label="Date referred to the local authority (optional)", required=False
    )
    local_authority = forms.CharField(
        label="Local authority (optional)",
        max_length=120,
        required=False,
        help_text="For example, Staffordshire County Council",
    )
    assessment_completed_on = NhsDateField(
        label="Date the carer's assessment was completed (optional)", required=False
    )
    assessment_outcome = forms.ChoiceField(
        label="Outcome of the carer's assessment (optional)",
        choices=_blank(AssessmentOutcome.choices, "Not known yet"),
        required=False,
    )
    other_support = forms.MultipleChoiceField(
        label="Other support offered (optional)",
        choices=OtherSupport.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = PlainTextField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        offered = data.get("assessment_offered_on")
        for name in ("referred_to_local_authority_on", "assessment_completed_on"):
            if data.get(name) and not offered:
                self.add_error("assessment_offered_on", "Enter when the assessment was offered")
                break
            if data.get(name) and offered and data[name] < offered:
                self.add_error(name, "This date must be on or after the date it was offered")
        if data.get("assessment_completed_on") and not data.get("assessment_outcome"):
            self.add_error("assessment_outcome", "Select the outcome of the completed assessment")
        return data


# Items written for the carer -----------------------------------------------------------------


class SharedItemForm(Form):
    category = forms.ChoiceField(label="Kind of information", widget=forms.RadioSelect)
    title = forms.CharField(label="Title", max_length=150)
    body = PlainTextField(
        label="What you want the carer to read",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Use plain English. The carer will see exactly this",
    )
    meeting_kind = forms.ChoiceField(
        label="Kind of meeting (meetings only)",
        choices=_blank(MeetingKind.choices),
        required=False,
    )
    meeting_on = NhsDateField(
        label="Date of the meeting (meetings only)", required=False, allow_future=True
    )
    meeting_time = forms.CharField(
        label="Time of the meeting (meetings only)",
        max_length=5,
        required=False,
        help_text="For example, 14:30",
    )
    meeting_place = forms.CharField(
        label="Where the meeting is (meetings only)", max_length=200, required=False
    )

    def __init__(self, *args: Any, categories: Sequence[str] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        labels = dict(ShareCategory.choices)
        # Every category is offered, so a choice the agreement does not allow is refused with a
        # reason rather than silently missing.
        set_choices(self, "category", [(c, labels[c]) for c in ShareCategory.values])
        self.agreed = list(categories)

    def clean_meeting_time(self):
        value = self.cleaned_data["meeting_time"]
        return parse_time(value) if value.strip() else None

    def clean(self):
        data = super().clean()
        data["meeting_at"] = None
        if data.get("category") == ShareCategory.MEETINGS:
            if not data.get("meeting_on"):
                self.add_error("meeting_on", "Enter the date of the meeting")
            if not data.get("meeting_time") and "meeting_time" not in self.errors:
                self.add_error("meeting_time", "Enter the time of the meeting")
            if not data.get("meeting_kind"):
                self.add_error("meeting_kind", "Select the kind of meeting")
            if data.get("meeting_on") and data.get("meeting_time"):
                data["meeting_at"] = combine(data["meeting_on"], data["meeting_time"])
        return data


class RetractForm(Form):
    reason = PlainTextField(
        label="Why you are taking this back",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# Replies to carers' messages -------------------------------------------------------------------


class ReplyForm(Form):
    body = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 6}),
        # Checked by the service, with the same limit and wording as carers' messages.
        strip=False,
        error_messages={"required": "Enter your reply"},
        help_text=f"Up to {MESSAGE_MAX_CHARS:,} characters, as plain text. The carer reads it "
        "in the carers' portal, with your name",
    )
    relationship = forms.ChoiceField(
        label="Who your reply is about",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who your reply is about",
            "invalid_choice": "Select who your reply is about",
        },
    )
    categories_shared = forms.MultipleChoiceField(
        label="Information about the patient your reply shares (optional)",
        # Every category is offered, so one the agreement does not allow is refused with a
        # reason rather than silently missing.
        choices=ShareCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick everything your reply tells the carer about the patient. Leave all "
        "unticked if it only gives general information or answers a question about the service",
    )

    def __init__(self, *args: Any, relationships: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.relationships = {str(r.public_id): r for r in relationships}
        set_choices(
            self,
            "relationship",
            [(key, r.patient.full_name) for key, r in self.relationships.items()],
        )
        if len(self.relationships) == 1:
            self.fields["relationship"].initial = next(iter(self.relationships))

    def clean_body(self) -> str:
        try:
            return validate_message_body(self.cleaned_data["body"], what="reply")
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["body"]) from exc

    def clean_relationship(self) -> Any:
        return self.relationships[self.cleaned_data["relationship"]]


# Information pages --------------------------------------------------------------------------


class InformationPageForm(Form):
    title = forms.CharField(label="Title", max_length=120)
    slug = forms.SlugField(
        label="Web address",
        max_length=80,
        help_text="Lower-case letters, numbers and hyphens, for example visiting-the-ward",
    )
    summary = forms.CharField(
        label="Short summary (optional)",
        max_length=200,
        required=False,
        help_text="Shown in the list of pages",
    )
    body = PlainTextField(
        label="Page text",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Plain text. Leave a blank line between paragraphs. Start a line with ## for a "
        "heading, or with - for a bullet point. Web addresses starting https:// become links",
    )
    order = forms.IntegerField(
        label="Position in the list", min_value=0, max_value=999, initial=100
    )
    is_published = forms.BooleanField(label="Published: carers can see this page", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# Report -----------------------------------------------------------------------------------

PERIODS = {"30": "Last 30 days", "90": "Last 3 months", "365": "Last 12 months"}


class ReportForm(Form):
    team = forms.ChoiceField(label="Team", required=False)
    period = forms.ChoiceField(
        label="Period", choices=list(PERIODS.items()), required=False, initial="90"
    )

    def __init__(self, *args: Any, teams: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.teams = {str(t.public_id): t for t in teams}
        set_choices(
            self,
            "team",
            [("", "All your teams (the service)")] + [(k, t.name) for k, t in self.teams.items()],
        )

    def clean_team(self):
        value = self.cleaned_data["team"]
        return self.teams.get(value) if value else None

    def clean_period(self):
        return int(self.cleaned_data["period"] or 90)
