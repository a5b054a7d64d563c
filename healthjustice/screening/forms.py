from __future__ import annotations

from typing import Any

from django import forms

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField

from .choices import RiskLevel, Urgency, Vulnerability
from .instruments import EXTERNAL_SCORES, INSTRUMENTS, Instrument
from .models import RiskAlert

CONCERN_MAX = RiskAlert._meta.get_field("source").max_length
DETAILS_MAX = RiskAlert._meta.get_field("details").max_length

YES_NO = [("yes", "Yes"), ("no", "No")]


class ScreeningForm(Form):
    vulnerabilities = forms.MultipleChoiceField(
        label="Vulnerabilities found",
        choices=Vulnerability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    none_found = forms.BooleanField(label="No vulnerabilities found", required=False)
    risk_level = forms.ChoiceField(
        label="Level of risk",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the level of risk"},
    )
    urgency = forms.ChoiceField(
        label="Urgency",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how urgent it is"},
    )
    full_assessment_needed = forms.ChoiceField(
        label="Is a full assessment needed?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether a full assessment is needed"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the person told you and what you observed, in a trauma-informed way.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = data.get("vulnerabilities") or []
        if chosen and data.get("none_found"):
            self.add_error(
                "none_found",
                "You selected vulnerabilities and 'No vulnerabilities found': choose one",
            )
        elif not chosen and not data.get("none_found") and "vulnerabilities" not in self.errors:
            self.add_error(
                "vulnerabilities",
                "Select the vulnerabilities found, or 'No vulnerabilities found'",
            )
        return data


class InstrumentChoiceForm(Form):
    instrument = forms.ChoiceField(
        label="Which questionnaire?",
        choices=[(code, f"{i.name}: {i.title}") for code, i in INSTRUMENTS.items()],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a questionnaire"},
    )


class InstrumentAnswersForm(Form):
    """One radio group per item, built from the instrument definition."""

    session_number = forms.IntegerField(
        label="Session number (optional)",
        required=False,
        min_value=1,
        max_value=999,
        help_text="For repeated measures, for example 1 for the first session.",
    )

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        items: dict[str, forms.Field] = {}
        for item in instrument.items:
            hint = (
                "Risk item: any answer but the first raises a risk alert." if item.is_risk else ""
            )
            items[f"item_{item.number}"] = forms.TypedChoiceField(
                label=f"{item.number}. {item.text}",
                choices=[(str(i), o.label) for i, o in enumerate(item.options)],
                coerce=int,
                widget=forms.RadioSelect,
                help_text=hint,
                error_messages={
                    "required": f"{instrument.name} item {item.number}: select an answer",
                    "invalid_choice": (
                        f"{instrument.name} item {item.number}: select one of the answers shown"
                    ),
                },
            )
        # Items first, in printed order; the session number last.
        self.fields = {**items, "session_number": self.fields["session_number"]}

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"item_{item.number}"] for item in self.instrument.items]


class ExternalScreenForm(Form):
    tool_code = forms.ChoiceField(
        label="Licensed tool",
        choices=[(code, d.name) for code, d in EXTERNAL_SCORES.items()],
        widget=forms.RadioSelect,
        initial="ldsq",
        error_messages={"required": "Select the licensed tool"},
    )
    value = forms.DecimalField(
        label="Score (percentage)",
        max_digits=5,
        decimal_places=1,
        help_text="As worked out on the licensed form, for example 42.5",
        error_messages={
            "required": "Enter the score from the licensed form",
            "invalid": "Enter the score as a number, for example 42.5",
            "max_decimal_places": "Enter the score to 1 decimal place at most",
            "max_digits": "Enter a score from 0 to 100",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    administered_on = NhsDateField(
        label="Date the form was completed",
        help_text="For example, 15 3 2026",
        error_messages={"required": "Enter the date the form was completed"},
    )
    administered_elsewhere_by = forms.CharField(
        label="Who scored the form, if not you (optional)", required=False, max_length=200
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AlertAcknowledgeForm(Form):
    note = forms.CharField(
        label="What did you do about this risk?",
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, who you told and what safety plan is in place.",
        error_messages={
            "required": "Say what you did about the risk",
            "min_length": "Say what you did about the risk (at least 10 characters)",
        },
    )


class RiskAlertRaiseForm(Form):
    concern = forms.CharField(
        label="What is the concern?",
        max_length=CONCERN_MAX,
        help_text=(
            "A short summary that staff will see on the episode page and the worklist, for "
            "example: said they would harm themselves if remanded."
        ),
        error_messages={
            "required": "Enter what the concern is",
            "max_length": f"The concern must be {CONCERN_MAX} characters or fewer",
        },
    )
    details = forms.CharField(
        label="Details (optional)",
        required=False,
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you saw or were told, by whom, and anything already done about it.",
        error_messages={"max_length": f"Details must be {DETAILS_MAX} characters or fewer"},
    )
