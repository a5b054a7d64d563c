from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField, form_field
from healthjustice.core.meta import model_field

from .choices import (
    RECORDABLE_PURPOSES,
    REPORT_RECIPIENTS,
    Article6Basis,
    Article9Condition,
    Article10Condition,
    AssessmentMode,
    CapacityOutcome,
    ConsentStatus,
    LawfulBasis,
    Recipient,
    ReportType,
)
from .models import ASSESSMENT_TEXT_FIELDS, Assessment
from .report_sections import Section

YES_NO = [("yes", "Yes"), ("no", "No")]
_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)

ASSESSMENT_HINTS = {
    "presenting_needs": "Why they were referred and what they say they need.",
    "mental_state": "Appearance, behaviour, mood, thoughts, perception, cognition and insight.",
    "risk_to_self": "Self-harm, suicide, self-neglect. Write 'None identified' if none.",
    "risk_to_others": "Write 'None identified' if none.",
    "risk_from_others": "Exploitation, abuse, domestic abuse. Write 'None identified' if none.",
    "reasonable_adjustments": "For example, an appropriate adult, extra time, plain English.",
    "formulation": "Your understanding of what is going on for the person, and why.",
}


class TimeField(forms.Field):
    """A time of day typed as 14:30, 2:30pm or 9am."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> time | None:
        if isinstance(value, time):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        match = _TIME.match(text[:12])
        if not match:
            raise ValidationError("Enter a real time, for example 14:30 or 2:30pm")
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        suffix = (match.group(3) or "").lower()
        if suffix:
            if not 1 <= hour <= 12:
                raise ValidationError("Enter a real time, for example 14:30 or 2:30pm")
            hour = hour % 12 + (12 if suffix == "pm" else 0)
        if hour > 23 or minute > 59:
            raise ValidationError("Enter a real time, for example 14:30 or 2:30pm")
        return time(hour, minute)


class StaffChoiceField(forms.ModelChoiceField):
    """Members of staff, each shown by their display name."""

    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class AssessmentForm(Form):
    assessed_on = NhsDateField(
        label="Date of the assessment",
        help_text="For example, 15 3 2026",
        error_messages={"required": "Enter the date of the assessment"},
    )
    assessed_time = TimeField(
        label="Time the assessment started",
        help_text="For example, 14:30 or 2:30pm",
        error_messages={"required": "Enter the time the assessment started"},
    )
    mode = forms.ChoiceField(
        label="How was the assessment done?",
        choices=AssessmentMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the assessment was done"},
    )
    assessor = StaffChoiceField(
        label="Assessor",
        queryset=User.objects.none(),
        empty_label="Select the assessor",
        error_messages={
            "required": "Select the assessor",
            "invalid_choice": "Select a member of the team",
        },
    )
    skip_reason = forms.CharField(
        label="Why was the person not screened first?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The episode has not been screened. Saving moves it straight to assessed.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, assessors: QuerySet, at_identified: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "assessor", StaffChoiceField).queryset = assessors
        if not at_identified:
            del self.fields["skip_reason"]
        for name in ASSESSMENT_TEXT_FIELDS:
            definition = model_field(Assessment, name)
            label = str(definition.verbose_name)
            label = label[0].upper() + label[1:]
            self.fields[name] = forms.CharField(
                label=label if not definition.blank else f"{label} (optional)",
                required=not definition.blank,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=ASSESSMENT_HINTS.get(name, ""),
                error_messages={"required": f"Enter the {label.lower()}"},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, at = data.get("assessed_on"), data.get("assessed_time")
        if day and at:
            moment = timezone.make_aware(datetime.combine(day, at))
            if moment > timezone.now():
                self.add_error("assessed_time", "The assessment cannot be in the future")
            data["assessed_at"] = moment
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **{name: data.get(name, "") for name in ASSESSMENT_TEXT_FIELDS},
            "mode": data["mode"],
            "assessor": data["assessor"],
            "assessed_at": data.get("assessed_at"),
        }

    @classmethod
    def initial_from(cls, assessment: Assessment) -> dict[str, Any]:
        local = timezone.localtime(assessment.assessed_at)
        return {
            **{name: getattr(assessment, name) for name in ASSESSMENT_TEXT_FIELDS},
            "assessed_on": local.date(),
            "assessed_time": local.strftime("%H:%M"),
            "mode": assessment.mode,
            "assessor": assessment.assessor_id,
            "version": assessment.version,
        }


class ConsentForm(Form):
    purpose = forms.ChoiceField(
        label="What is the consent for?",
        choices=[(p.value, p.label) for p in RECORDABLE_PURPOSES],
        help_text="Consent to share with a carer is the carer's sharing agreement: record it "
        "from the person's Carers page.",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the consent is for"},
    )
    status = forms.ChoiceField(
        label="Their decision",
        choices=[(ConsentStatus.GIVEN, "Given"), (ConsentStatus.REFUSED, "Refused")],
        widget=forms.RadioSelect,
        help_text="If they lack capacity, this is the best-interests decision: share or not.",
        error_messages={"required": "Select their decision"},
    )
    capacity_assessed = forms.ChoiceField(
        label="Was their capacity to decide assessed?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Capacity is presumed unless there is reason to doubt it.",
        error_messages={"required": "Select whether capacity was assessed"},
    )
    capacity_outcome = forms.ChoiceField(
        label="Outcome of the capacity assessment (if assessed)",
        choices=CapacityOutcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    best_interests_by = forms.CharField(
        label="Who made the best-interests decision, and their role (if they lack capacity)",
        required=False,
        max_length=200,
    )
    best_interests_reason = forms.CharField(
        label="Why is this in their best interests? (if they lack capacity)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Mental Capacity Act 2005, section 4: their past and present wishes and feelings, "
            "and the views of those consulted. This is a best-interests decision, not consent."
        ),
    )
    review_on = NhsDateField(
        label="Review date (optional)",
        required=False,
        allow_future=True,
        help_text="After this date the consent must be confirmed again before sharing.",
    )
    note = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "purpose": data["purpose"],
            "status": data["status"],
            "capacity_assessed": data["capacity_assessed"] == "yes",
            "capacity_outcome": data.get("capacity_outcome") or "",
            "best_interests_by": data["best_interests_by"],
            "best_interests_reason": data["best_interests_reason"],
            "review_on": data.get("review_on"),
            "note": data["note"],
        }


class ConsentWithdrawForm(Form):
    note = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, how they told you.",
    )


class ReportTypeForm(Form):
    report_type = forms.ChoiceField(
        label="What kind of report?",
        choices=ReportType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of report"},
    )

    def __init__(self, *args: Any, report_types: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if report_types is not None:
            field = self.fields["report_type"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(t, ReportType(t).label) for t in report_types]


class ReportForm(Form):
    recipient = forms.ChoiceField(
        label="Who is the report for?",
        choices=[(r.value, r.label) for r in REPORT_RECIPIENTS],
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the report is for"},
    )
    lawful_basis = forms.ChoiceField(
        label="Basis for sharing (common-law duty of confidentiality)",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        initial=LawfulBasis.CONSENT,
        help_text=(
            "Share with their consent, or a best-interests decision if they lack capacity. "
            "Without either only in the overriding public interest or where the law requires "
            "it, and say why below."
        ),
        error_messages={"required": "Select the basis for sharing"},
    )
    article6_basis = forms.ChoiceField(
        label="UK GDPR Article 6 basis",
        choices=Article6Basis.choices,
        widget=forms.RadioSelect,
        initial=Article6Basis.PUBLIC_TASK,
        help_text="For an NHS service this is usually Article 6(1)(e).",
        error_messages={"required": "Select the UK GDPR Article 6 basis"},
    )
    article9_condition = forms.ChoiceField(
        label="UK GDPR Article 9 condition for health data",
        choices=Article9Condition.choices,
        widget=forms.RadioSelect,
        initial=Article9Condition.HEALTH_CARE,
        error_messages={"required": "Select the UK GDPR Article 9 condition"},
    )
    article10_condition = forms.ChoiceField(
        label="Article 10 condition for criminal-offence data (only if the report includes it)",
        choices=[
            ("", "Not needed: the report includes no criminal-offence data"),
            *Article10Condition.choices,
        ],
        widget=forms.RadioSelect,
        required=False,
        help_text=(
            "Needed when the report includes the offence, charge, court or sentence "
            "(Data Protection Act 2018, section 10 and Schedule 1)."
        ),
    )
    courtroom = forms.CharField(
        label="Courtroom (optional)",
        required=False,
        max_length=100,
        help_text="For example, Court 3. Shown on the report beside the court and hearing.",
    )
    justification = forms.CharField(
        label="Why is sharing without consent necessary? (only without consent)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="This is part of the disclosure record and is shown on the report.",
    )
    confirm = forms.BooleanField(
        label="I have checked the report: it is accurate and shares only what the recipient "
        "needs. I understand it cannot be changed once issued.",
        error_messages={"required": "Confirm you have checked the report"},
    )

    def __init__(
        self,
        *args: Any,
        sections: tuple[Section, ...],
        correction: bool = False,
        recipients: tuple[str, ...] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        if recipients is not None:
            field = self.fields["recipient"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(r, Recipient(r).label) for r in recipients]
        confirm = self.fields.pop("confirm")
        for section in sections:
            self.fields[f"section_{section.key}"] = forms.CharField(
                label=section.heading if section.required else f"{section.heading} (optional)",
                required=section.required,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=section.hint,
                error_messages={"required": f"Enter the {section.heading.lower()}"},
            )
        if correction:
            self.fields["correction_reason"] = forms.CharField(
                label="What was wrong in the report you are correcting?",
                min_length=10,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "required": "Say what was wrong in the report",
                    "min_length": "Say what was wrong in the report (at least 10 characters)",
                },
            )
            self.fields["recipient"].disabled = True
        self.fields["confirm"] = confirm

    def section_fields(self) -> list[forms.BoundField]:
        return [self[f"section_{s.key}"] for s in self.sections]

    def section_texts(self) -> dict[str, str]:
        return {s.key: self.cleaned_data.get(f"section_{s.key}", "") for s in self.sections}


def recipient_label(value: str) -> str:
    return Recipient(value).label
