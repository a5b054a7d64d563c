from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField, form_field
from healthjustice.organisations.models import Team
from healthjustice.people.choices import AgeGroup
from healthjustice.people.ethnic_field import EthnicCategoryField

from .models import (
    TEXT_LIMIT,
    ActionStatus,
    Experience,
    Feedback,
    FeedbackStatus,
    Relationship,
    Theme,
    TreatedFairly,
)
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
    ethnic_category = EthnicCategoryField(
        label="Your ethnic group (optional)", blank_label="Choose an answer (optional)"
    )
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


# The staff pages: a team's leaders read their feedback, respond, and say what they did.


class FeedbackFilterForm(Form):
    """A GET form narrowing the feedback list; every part optional."""

    team = forms.ModelChoiceField(
        label="Team",
        required=False,
        queryset=Team.objects.none(),
        to_field_name="public_id",
        empty_label="All your teams",
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *FeedbackStatus.choices]
    )
    theme = forms.ModelChoiceField(
        label="Theme", required=False, queryset=Theme.objects.all(), empty_label="Any theme"
    )
    date_from = NhsDateField(
        label="Received from", required=False, help_text="For example, 1 11 2026"
    )
    date_to = NhsDateField(label="Received to", required=False, help_text="For example, 30 11 2026")

    def __init__(self, *args: Any, teams: QuerySet[Team] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "team", forms.ModelChoiceField).queryset = (
            teams if teams is not None else Team.objects.none()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to", "The 'received to' date must be the same as or after the 'from' date"
            )
        return data


class ResponseForm(Form):
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        required=False,
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Themes group feedback for 'You said, we did'",
    )
    response = forms.CharField(
        label="Our response",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": str(TEXT_LIMIT)}),
        help_text=(
            "What the team thinks and will do. Do not name the person or other patients. "
            "Leave empty to tag themes only"
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, feedback: Feedback | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Active themes, and any inactive one this feedback is already tagged with.
        tagged = (
            Q(pk__in=feedback.themes.all())
            if feedback is not None and feedback.pk
            else Q(pk__in=[])
        )
        form_field(self, "themes", forms.ModelMultipleChoiceField).queryset = Theme.objects.filter(
            Q(is_active=True) | tagged
        )


class ReplySentForm(Form):
    confirm = forms.BooleanField(
        label="I have replied to this person. Delete their contact details",
        error_messages={
            "required": "Confirm that you have replied before the contact details are deleted"
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionForm(Form):
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        to_field_name="public_id",
        empty_label="Choose a team",
        error_messages={"required": "Select the team this action is for"},
    )
    theme = forms.ModelChoiceField(
        label="Theme",
        queryset=Theme.objects.none(),
        empty_label="Choose a theme",
        error_messages={"required": "Select the theme of this action"},
    )
    you_said = forms.CharField(
        label="What people told us",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": str(TEXT_LIMIT)}),
        help_text="In general words: this is shown to the public. Do not quote anyone who "
        "could be recognised",
        error_messages={"required": "Enter what people told us"},
    )
    we_did = forms.CharField(
        label="What we did, or will do",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": str(TEXT_LIMIT)}),
        error_messages={"required": "Enter what we did, or will do"},
    )
    owner = forms.CharField(
        label="Who is responsible",
        max_length=120,
        help_text="A role rather than a name, for example Team leader",
        error_messages={"required": "Enter who is responsible for this action"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status of this action"},
    )
    done_on = NhsDateField(
        label="When it was done",
        required=False,
        help_text="Needed once the action is done. For example, 15 11 2026",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        teams: QuerySet[Team] | None = None,
        theme: Theme | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "team", forms.ModelChoiceField).queryset = (
            teams if teams is not None else Team.objects.none()
        )
        current = Q(pk=theme.pk) if theme is not None else Q(pk__in=[])
        form_field(self, "theme", forms.ModelChoiceField).queryset = Theme.objects.filter(
            Q(is_active=True) | current
        )
