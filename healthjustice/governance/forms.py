"""Forms of the information-governance pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from healthjustice.audit.models import AccessBasis
from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField
from healthjustice.people.identifiers import clean_nhs_number, clean_pnc_id, clean_prison_number
from healthjustice.people.models import BreakGlassAccess

from .selectors import BreakGlassStatus


class PersonLookupForm(Form):
    """Posted, so no identifier or name reaches a URL or a server log."""

    identifier = forms.CharField(
        label="NHS number, PNC ID or prison number",
        required=False,
        max_length=20,
        help_text="For example, 999 123 4560, 2019/0123456A or A1234BC",
    )
    name = forms.CharField(label="Full name", required=False, max_length=200)
    date_of_birth = NhsDateField(
        label="Date of birth", required=False, help_text="For example, 15 3 1984"
    )

    def clean_identifier(self) -> str:
        value = self.cleaned_data["identifier"].strip()
        if not value:
            return ""
        if value.replace(" ", "").replace("-", "").isdigit():
            return clean_nhs_number(value)
        for cleaner in (clean_pnc_id, clean_prison_number):
            try:
                return cleaner(value)
            except ValidationError:
                continue
        raise ValidationError(
            "Enter an NHS number (10 digits), a PNC ID (for example 2019/0123456A) "
            "or a prison number (for example A1234BC)"
        )

    def clean(self):
        data = super().clean()
        if self.errors or data.get("identifier"):
            return data
        name, born = data.get("name"), data.get("date_of_birth")
        if name and not born:
            self.add_error("date_of_birth", "Enter their date of birth as well as their name")
        elif born and not name:
            self.add_error("name", "Enter their name as well as their date of birth")
        elif not name and not born:
            raise ValidationError(
                "Enter an NHS number, PNC ID or prison number, or a name and date of birth"
            )
        return data


class UserLookupForm(Form):
    q = forms.CharField(
        label="Name or username",
        max_length=150,
        min_length=2,
        error_messages={
            "required": "Enter a name or username",
            "min_length": "Enter at least 2 characters",
        },
    )


class DateRangeForm(Form):
    date_from = NhsDateField(label="From", required=False, help_text="For example, 1 11 2026")
    date_to = NhsDateField(label="To", required=False, help_text="For example, 30 11 2026")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data


class EventFilterForm(DateRangeForm):
    """Audit events between dates, and on one basis of access (own team, agreement,
    break-glass) when asked."""

    access_basis = forms.ChoiceField(
        label="Basis of access",
        required=False,
        choices=[("", "Any basis"), *AccessBasis.choices],
        help_text="Why the record could be seen, for views and changes of a person's record",
    )


class BreakGlassFilterForm(DateRangeForm):
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            (BreakGlassStatus.ALL, "All break-glass access"),
            (BreakGlassStatus.AWAITING, "Awaiting review"),
            (BreakGlassStatus.REVIEWED, "Reviewed"),
        ],
    )


class BreakGlassReviewForm(Form):
    outcome = forms.ChoiceField(
        label="Was this access appropriate?",
        choices=BreakGlassAccess.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the access was appropriate"},
    )
    note = forms.CharField(
        label="Review note",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "Required when the access was inappropriate: say why, and how it has been escalated. "
            "Do not copy clinical details here."
        ),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") == BreakGlassAccess.Outcome.INAPPROPRIATE
            and not (data.get("note") or "").strip()
        ):
            self.add_error(
                "note", "Say why the access was inappropriate and how it has been escalated"
            )
        return data
