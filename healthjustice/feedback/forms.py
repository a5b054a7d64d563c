from __future__ import annotations

from typing import Any

from django import forms

from healthjustice.core.error_messages import Form
from healthjustice.people.models import EthnicCategory, EthnicCodeList

from .models import TEXT_LIMIT, AgeGroup, Experience, Relationship, TreatedFairly
from .selectors import public_teams


def _blank(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "Choose an answer (optional)"), *choices]


class FeedbackForm(Form):
    team = forms.ModelChoiceField(
        label="Which team is your feedback about?",
        queryset=public_teams(),
        to_field_name="public_id",
        empty_label="Choose a team",
        error_messages={"required": "Select the team your feedback is about"},
    )
    experience = forms.ChoiceField(
        label="Overall, how was your experience of our service?",
        choices=Experience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how your experience of our service was overall"},
    )
    what_was_good = forms.CharField(
        label="What was good? (optional)", required=False, widget=forms.Textarea
    )
    could_be_better = forms.CharField(
        label="What could be better? (optional)", required=False, widget=forms.Textarea
    )
    treated_fairly = forms.ChoiceField(
        label="Did you feel you were treated fairly, whatever your ethnicity or background?",
        choices=TreatedFairly.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you felt you were treated fairly"},
    )
    relationship = forms.ChoiceField(
        label="Who are you? (optional)", required=False, choices=_blank(Relationship.choices)
    )
    age_group = forms.ChoiceField(
        label="Your age group (optional)", required=False, choices=_blank(AgeGroup.choices)
    )
    ethnic_category = forms.ChoiceField(label="Your ethnic group (optional)", required=False)
    wants_reply = forms.BooleanField(
        label="I would like a reply",
        required=False,
        help_text="Leave this unticked to stay anonymous",
    )
    name = forms.CharField(label="Your name (optional)", required=False, max_length=100)
    contact = forms.CharField(
        label="Email address or phone number for our reply", required=False, max_length=200
    )
    # The honeypot: hidden from sight; people leave it empty, form-filling robots do not.
    website = forms.CharField(label="Leave this box empty", required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("what_was_good", "could_be_better"):
            self.fields[name].widget.attrs["maxlength"] = str(TEXT_LIMIT)
        code_list = EthnicCodeList.objects.filter(is_current=True).first()
        self.ethnic_codes = {
            str(c.pk): c for c in EthnicCategory.objects.filter(code_list=code_list)
        }
        field = self.fields["ethnic_category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _blank([(pk, str(c)) for pk, c in self.ethnic_codes.items()])

    def clean_ethnic_category(self) -> EthnicCategory | None:
        value = self.cleaned_data.get("ethnic_category") or ""
        return self.ethnic_codes.get(value)

    def clean_website(self) -> str:
        value = str(self.cleaned_data.get("website") or "")
        if value.strip():
            raise forms.ValidationError("Leave the box headed 'Leave this box empty' empty")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("wants_reply") and not str(data.get("contact") or "").strip():
            self.add_error("contact", "Enter an email address or phone number so we can reply")
        return data
