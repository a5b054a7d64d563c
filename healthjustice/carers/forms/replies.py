"""The form for a reply to a carer's message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import set_choices

from ..choices import (
    ShareCategory,
)
from ..services import MESSAGE_MAX_CHARS, validate_message_body

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
