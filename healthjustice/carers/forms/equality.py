"""The equality-monitoring questions on a carer's record: each optional, in the carer's words.

Staff ask them when they add a carer; a carer may answer or change them in the portal.
"""

from __future__ import annotations

from typing import Any

from django import forms

from healthjustice.core.error_messages import Form
from healthjustice.people.choices import (
    AgeGroup,
    Disability,
    GenderIdentity,
    Religion,
    Sex,
    SexualOrientation,
)
from healthjustice.people.ethnic_field import EthnicCategoryField

from .fields import PlainTextField, blank_choice

NOT_ANSWERED = "Not answered"

# The same questions asked of the carer themselves, in the portal.
IN_THEIR_OWN_VOICE = {
    "ethnic_category": "Your ethnic group (optional)",
    "ethnicity_own_words": "Your ethnicity in your own words (optional)",
    "age_group": "Your age group (optional)",
    "sex": "Your sex (optional)",
    "gender_identity": "Your gender (optional)",
    "sexual_orientation": "Your sexual orientation (optional)",
    "religion": "Your religion or belief (optional)",
    "disability": "Do you consider yourself to have a disability? (optional)",
}


def _choice(label: str, choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=False, choices=blank_choice(choices, NOT_ANSWERED)
    )


class EqualityMonitoringForm(Form):
    ethnic_category = EthnicCategoryField(
        label="Their ethnic group (optional)", blank_label=NOT_ANSWERED
    )
    ethnicity_own_words = PlainTextField(
        label="Their ethnicity in their own words (optional)",
        required=False,
        max_length=100,
        help_text="If the list does not describe them, or they want to say more",
    )
    age_group = _choice("Their age group (optional)", AgeGroup.choices)
    sex = _choice("Their sex (optional)", Sex.choices)
    gender_identity = _choice("Their gender (optional)", GenderIdentity.choices)
    sexual_orientation = _choice("Their sexual orientation (optional)", SexualOrientation.choices)
    religion = _choice("Their religion or belief (optional)", Religion.choices)
    disability = _choice(
        "Do they consider themselves to have a disability? (optional)", Disability.choices
    )

    def in_own_voice(self) -> None:
        """Word the questions for the carer answering for themselves."""
        for name, label in IN_THEIR_OWN_VOICE.items():
            self.fields[name].label = label
        self.fields[
            "ethnicity_own_words"
        ].help_text = "If the list does not describe you, or you want to say more"
