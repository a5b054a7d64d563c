from django import forms

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import set_choices

from .services import REASON_MAX


class SamePersonForm(Form):
    prefix = "same"
    keep = forms.ChoiceField(
        label="Which record should be kept?",
        widget=forms.RadioSelect,
        help_text="The other record is merged into it and no longer appears in searches.",
        error_messages={"required": "Select which record to keep"},
    )
    reason = forms.CharField(
        label="Why are these records the same person?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        help_text="For example: same date of birth and PNC ID, registered twice under an alias.",
        error_messages={"required": "Enter why these records are the same person"},
    )

    def __init__(self, *args, first=None, second=None, **kwargs):
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "keep",
            [
                ("first", f"{first.full_name}, the first record"),
                ("second", f"{second.full_name}, the second record"),
            ],
        )


class NotSamePersonForm(Form):
    prefix = "not_same"
    reason = forms.CharField(
        label="Why are these records not the same person?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        help_text="For example: twins, or a father and son with the same name.",
        error_messages={"required": "Enter why these records are not the same person"},
    )
