from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField, SingleLineTextField, set_choices
from healthjustice.core.text import clean_single_line, only_invisible_message

from .choices import (
    AliasKind,
    CommunicationNeed,
    GenderIdentity,
    NhsNumberMissingReason,
    Religion,
    RestrictionReason,
    Sex,
    VeteranStatus,
)
from .ethnic_field import EthnicCategoryField
from .identifiers import clean_nhs_number, clean_pnc_id, clean_postcode, clean_prison_number


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "Select an option"), *choices]


class PersonSearchForm(Form):
    name = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        help_text="Any name they have used. Spelling mistakes are allowed.",
    )
    date_of_birth = NhsDateField(
        label="Date of birth", required=False, help_text="For example, 15 3 1984"
    )
    identifier = forms.CharField(
        label="NHS number, PNC ID or prison number",
        required=False,
        max_length=20,
    )

    def clean(self):
        data = super().clean()
        if not (data.get("name") or data.get("date_of_birth") or data.get("identifier")):
            raise ValidationError("Enter a name, a date of birth or an identifier to search")
        return data


class BreakGlassSearchForm(PersonSearchForm):
    reason = forms.CharField(
        label="Why do you need to open a record outside your teams?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        min_length=10,
        help_text="This is recorded and reviewed by information governance.",
    )


class PersonDetailsForm(Form):
    given_name = SingleLineTextField(label="First name", max_length=100)
    family_name = SingleLineTextField(label="Last name", max_length=100)
    preferred_name = SingleLineTextField(
        label="Preferred name (optional)", max_length=100, required=False
    )
    date_of_birth = NhsDateField(
        label="Date of birth",
        required=False,
        help_text="For example, 15 3 1984. Leave blank if not known.",
    )
    date_of_birth_estimated = forms.BooleanField(
        label="Date of birth is an estimate", required=False
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect)
    gender_identity = forms.ChoiceField(
        label="Gender identity (optional)", required=False, choices=_blank(GenderIdentity.choices)
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        required=False,
        max_length=14,
        help_text="10 digits, for example 999 123 4560",
    )
    nhs_number_missing_reason = forms.ChoiceField(
        label="If there is no NHS number, why not?",
        required=False,
        choices=_blank(NhsNumberMissingReason.choices),
    )
    pnc_id = forms.CharField(
        label="PNC ID (optional)",
        required=False,
        max_length=14,
        help_text="For example, 2019/0123456A",
    )
    prison_number = forms.CharField(
        label="Prison number (optional)",
        required=False,
        max_length=8,
        help_text="For example, A1234BC",
    )
    ethnic_category = EthnicCategoryField(label="Ethnic category", with_codes=True)
    ethnicity_self_reported = forms.BooleanField(
        label="The person chose this category themselves", required=False
    )
    religion = forms.ChoiceField(
        label="Religion or belief (optional)", required=False, choices=_blank(Religion.choices)
    )
    first_language = forms.CharField(
        label="First language (optional)", required=False, max_length=60
    )
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)
    communication_needs = forms.MultipleChoiceField(
        label="Communication needs (optional)",
        required=False,
        choices=CommunicationNeed.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    reasonable_adjustments = forms.CharField(
        label="Reasonable adjustments (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: explain things slowly, allow extra time, quiet room",
    )
    veteran_status = forms.ChoiceField(
        label="Armed forces veteran (optional)",
        required=False,
        choices=_blank(VeteranStatus.choices),
    )
    no_fixed_abode = forms.BooleanField(label="No fixed abode", required=False)
    address_line_1 = SingleLineTextField(
        label="Address line 1 (optional)", required=False, max_length=120
    )
    address_line_2 = SingleLineTextField(
        label="Address line 2 (optional)", required=False, max_length=120
    )
    town = SingleLineTextField(label="Town or city (optional)", required=False, max_length=80)
    postcode = forms.CharField(label="Postcode (optional)", required=False, max_length=10)
    gp_practice_code = forms.CharField(
        label="GP practice code (optional)",
        required=False,
        max_length=10,
        help_text="The ODS code, for example M83001",
    )
    gp_practice_name = forms.CharField(
        label="GP practice name (optional)", required=False, max_length=120
    )

    def clean_nhs_number(self):
        value = self.cleaned_data["nhs_number"].strip()
        return clean_nhs_number(value) if value else None

    def clean_pnc_id(self):
        value = self.cleaned_data["pnc_id"].strip()
        return clean_pnc_id(value) if value else ""

    def clean_prison_number(self):
        value = self.cleaned_data["prison_number"].strip()
        return clean_prison_number(value) if value else ""

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        return clean_postcode(value) if value else ""

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value and (timezone.localdate() - value).days > 120 * 366:
            raise ValidationError("Date of birth must be within the last 120 years")
        return value

    def clean(self):
        data = super().clean()
        if (
            not data.get("nhs_number")
            and not data.get("nhs_number_missing_reason")
            and ("nhs_number" not in self.errors)
        ):
            self.add_error(
                "nhs_number_missing_reason",
                "Select why there is no NHS number, or enter the NHS number",
            )
        if data.get("nhs_number"):
            data["nhs_number_missing_reason"] = ""
        if data.get("no_fixed_abode") and (data.get("address_line_1") or data.get("postcode")):
            self.add_error(
                "no_fixed_abode",
                "A person with no fixed abode cannot also have an address: clear one",
            )
        return data


class RegisterPersonForm(PersonDetailsForm):
    other_names = forms.CharField(
        label="Other names they have given (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One name per line, first name then last name",
    )
    team = forms.ChoiceField(label="Register for team")

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {str(t.public_id): t for t in teams}
        set_choices(self, "team", [(k, t.name) for k, t in self.teams.items()])
        if len(self.teams) == 1:
            self.fields["team"].initial = next(iter(self.teams))

    def clean_team(self):
        return self.teams[self.cleaned_data["team"]]

    def clean_other_names(self):
        names = []
        for line in self.cleaned_data["other_names"].splitlines():
            parts = clean_single_line(line).split()
            if not parts:
                if line.strip():
                    raise ValidationError(only_invisible_message("Each other name"))
                continue
            if any(len(p) > 100 for p in parts):
                raise ValidationError("Each name must be 100 characters or fewer")
            names.append((" ".join(parts[:-1]), parts[-1]))
        if len(names) > 10:
            raise ValidationError("Enter up to 10 other names; add more from the person's page")
        return names


class EditPersonForm(PersonDetailsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AliasForm(Form):
    given_name = SingleLineTextField(label="First name (optional)", required=False, max_length=100)
    family_name = SingleLineTextField(label="Last name", max_length=100)
    kind = forms.ChoiceField(
        label="Kind of name",
        choices=AliasKind.choices,
        widget=forms.RadioSelect,
        initial=AliasKind.ALIAS,
    )


class BreakGlassOpenForm(Form):
    reason = forms.CharField(widget=forms.HiddenInput, max_length=1000, min_length=10)


class RestrictionForm(Form):
    reason = forms.ChoiceField(
        label="Why is this record restricted?",
        choices=RestrictionReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=300,
        help_text="Do not name the member of staff or their relative here.",
    )
    allowed_users = forms.MultipleChoiceField(
        label="Staff who may open this record",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="You are always included. Anyone not ticked, including break-glass, is refused.",
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(u.public_id): u for u in candidates}
        set_choices(
            self,
            "allowed_users",
            [(k, f"{u.display_name} ({u.username})") for k, u in self.candidates.items()],
        )

    def clean_allowed_users(self):
        return [self.candidates[k] for k in self.cleaned_data["allowed_users"]]


class MergeForm(Form):
    keep = forms.ChoiceField(
        label="Which record should be kept?",
        widget=forms.RadioSelect,
        help_text="The other record is merged into it and no longer appears in searches.",
        error_messages={"required": "Select which record to keep"},
    )
    reason = forms.CharField(
        label="Why are these records the same person?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="For example: same date of birth and PNC ID, registered twice under an alias.",
        error_messages={"required": "Enter why these records are the same person"},
    )

    def __init__(self, *args, person=None, other=None, **kwargs):
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "keep",
            [
                ("this", f"{person.full_name}, the record you started from"),
                ("other", f"{other.full_name}, the record you chose"),
            ],
        )


class UnmergeForm(Form):
    reason = forms.CharField(
        label="Why are you undoing this merge?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="For example: different dates of birth, the records are two different people.",
        error_messages={"required": "Enter why you are undoing this merge"},
    )
