"""Forms for the PCREF plan and the involvement register. The services check every rule again,
so a form only reads and shapes what was posted."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField, form_field, set_choices
from healthjustice.organisations.models import Organisation
from healthjustice.people.ethnic_field import EthnicCategoryField

from . import quarters
from .models import TEXT_LIMIT, ActionStatus, Competency, InvolvementKind, Recognition


class _OrganisationForm(Form):
    organisation = forms.ModelChoiceField(
        label="Trust",
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        empty_label="Choose a trust",
        error_messages={"required": "Select the trust this belongs to"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "organisation", forms.ModelChoiceField).queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )


class PlanActionForm(_OrganisationForm):
    competency = forms.ChoiceField(
        label="Competency",
        choices=[("", "Choose a competency"), *Competency.choices],
        error_messages={"required": "Select the competency this action comes under"},
    )
    action = forms.CharField(
        label="What we will do",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": str(TEXT_LIMIT)}),
        help_text="In plain words: this is shown to the public",
        error_messages={"required": "Enter what we will do"},
    )
    owner = forms.CharField(
        label="Who is responsible",
        max_length=120,
        help_text="A role or a name, for example Director of nursing",
        error_messages={"required": "Enter who is responsible for this action"},
    )
    due_on = NhsDateField(
        label="When it is due",
        allow_future=True,
        earliest=date(2000, 1, 1),
        help_text="For example, 31 3 2027",
        error_messages={"required": "Enter the date the action is due"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status of this action"},
    )
    evidence = forms.CharField(
        label="What shows progress (optional until the action is done)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": str(TEXT_LIMIT)}),
        help_text="Shown to the public. Do not name anyone who has not agreed to it",
    )


class InvolvementForm(_OrganisationForm):
    kind = forms.ChoiceField(
        label="Who took part",
        choices=InvolvementKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who took part"},
    )
    name = forms.CharField(
        label="Name",
        max_length=120,
        help_text="The person's name, or the organisation's",
        error_messages={"required": "Enter the name of the person or organisation"},
    )
    activity = forms.CharField(
        label="Activity",
        max_length=200,
        help_text="For example, co-designing the carers' leaflet",
        error_messages={"required": "Enter the activity they took part in"},
    )
    took_part_on = NhsDateField(
        label="Date",
        earliest=date(2000, 1, 1),
        help_text="For example, 14 10 2026",
        error_messages={"required": "Enter the date they took part"},
    )
    role = forms.CharField(
        label="Their role",
        max_length=120,
        help_text="For example, panel member or co-facilitator",
        error_messages={"required": "Enter their role"},
    )
    recognition = forms.ChoiceField(
        label="Recognition or payment",
        choices=Recognition.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they were thanked or paid"},
    )
    amount = forms.DecimalField(
        label="Amount in pounds (optional)",
        required=False,
        max_digits=8,
        decimal_places=2,
        min_value=0,
        error_messages={
            "invalid": "Enter the amount in pounds, for example 25 or 25.50",
            "max_decimal_places": "Enter the amount in pounds and pence, for example 25.50",
            "max_digits": "The amount must be less than £1,000,000",
            "min_value": "The amount must be more than £0",
        },
    )
    consent_to_contact = forms.BooleanField(
        label="They agree to be contacted again", required=False
    )
    contact = forms.CharField(
        label="Contact detail",
        required=False,
        max_length=200,
        help_text="An email address or phone number. Kept only while they agree to be contacted",
    )
    ethnic_category = EthnicCategoryField(
        label="Ethnic group (optional, people only)",
        blank_label="Not recorded",
    )


class InvolvementFilterForm(Form):
    kind = forms.ChoiceField(
        label="Who took part",
        required=False,
        choices=[("", "Anyone"), *InvolvementKind.choices],
    )
    date_from = NhsDateField(label="From", required=False, help_text="For example, 1 4 2026")
    date_to = NhsDateField(label="To", required=False, help_text="For example, 31 3 2027")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data


class BoardChoiceForm(Form):
    """Which trust's board report, for which quarter (read from the address)."""

    trust = forms.ModelChoiceField(
        label="Trust",
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        empty_label=None,
        error_messages={
            "required": "Select the trust",
            "invalid_choice": "Select one of your trusts",
        },
    )
    quarter = forms.ChoiceField(
        label="Quarter",
        error_messages={
            "required": "Select the quarter",
            "invalid_choice": "Select one of the quarters listed",
        },
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "trust", forms.ModelChoiceField).queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )
        now = quarters.Quarter.of(timezone.localdate())
        set_choices(
            self,
            "quarter",
            [
                (q.key, f"{q.label}, in progress" if q == now else q.label)
                for q in quarters.offered()
            ],
        )

    @property
    def chosen(self) -> tuple[Organisation, quarters.Quarter]:
        quarter = quarters.Quarter.from_key(self.cleaned_data["quarter"])
        assert quarter is not None
        return self.cleaned_data["trust"], quarter


class BoardNarrativeForm(Form):
    summary = forms.CharField(
        label="Summary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": "5000"}),
        help_text="The quarter in a few sentences, for the board",
    )
    heard = forms.CharField(
        label="What we heard from patients and carers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": "5000"}),
        help_text="From feedback, involvement and the community. Do not name anyone",
    )
    changed = forms.CharField(
        label="What we changed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": "5000"}),
        help_text="What we did because of it. Do not name anyone",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
