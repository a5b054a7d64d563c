"""Forms for sharing agreements and the items written for a carer."""

from __future__ import annotations

from django import forms

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField

from ..choices import (
    Capacity,
    ShareCategory,
)
from .fields import PlainTextField

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
