"""Error messages the NHS.UK way, for every form: each names its field and says what to do
("Enter date of birth", "First name must be 100 characters or fewer"), never Django's
"This field is required." or "Enter a valid value.".

Every form of the service is a `Form` or `ModelForm` from here (or mixes in `NamedErrors`), and
tests/web/test_messages.py checks each one. A message a form writes itself is kept; only
Django's own defaults are replaced, from the field's label, when the form is cleaned.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.core import validators
from django.forms.utils import pretty_name

from .fields import NhsDateField

_CHOICE_WIDGETS = (
    forms.Select,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.CheckboxInput,
)
_NUMBERS = (forms.IntegerField, forms.DecimalField, forms.FloatField)
# The validators Django attaches for max_length, min_value and so on, by their error code.
_VALIDATORS: dict[str, type[validators.BaseValidator]] = {
    "max_length": validators.MaxLengthValidator,
    "min_length": validators.MinLengthValidator,
    "max_value": validators.MaxValueValidator,
    "min_value": validators.MinValueValidator,
    "step_size": validators.StepValueValidator,
}


_QUESTION = re.compile(
    r"^(?P<wh>(?:where|who|what|why|how|when))\s+(?P<aux>is|are|was|were|do)\s+"
    r"(?P<subject>they|you|we|it|he|she|(?:this|the|these|their)\s+\w+)\b\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_AUXILIARIES = {"is", "are", "was", "were", "do", "does", "did", "has", "have", "will", "can"}


def _as_clause(question: str) -> str | None:
    """A direct question as the clause a sentence can hold: "Where are they being seen?" ->
    "where they are being seen"; None when it takes more than word order to say it."""
    text = question.rstrip("?").strip()
    words = text.split()
    if len(words) < 2 or words[0].lower() not in {"where", "who", "what", "why", "how", "when"}:
        return None
    if words[1].lower() not in _AUXILIARIES:  # "Who referred them?" is already in order
        return text[:1].lower() + text[1:]
    match = _QUESTION.match(text)
    if not match:
        return None
    verb = "" if match["aux"].lower() == "do" else f" {match['aux'].lower()}"
    clause = f"{match['wh'].lower()} {match['subject']}{verb} {match['rest']}"
    return clause.strip()


def _plain_label(label: str) -> str:
    """ "Date they attended (if they attended)" -> "Date they attended"."""
    return re.sub(r"\s*\([^)]*\)$", "", label.strip()).strip().rstrip(":")


def field_name_in_words(label: str) -> str:
    """The label as the object of a sentence: "Date of birth (optional)" -> "date of birth";
    "NHS number" keeps its capitals; a question becomes a clause ("where they are being
    seen") or, when word order will not do, is quoted whole."""
    label = _plain_label(label)
    if label.endswith("?"):
        return _as_clause(label) or f'an answer to "{label}"'
    if label[:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def _subject(label: str) -> str:
    """The label as the subject of a sentence: "First name must be ...", or for a question
    "The answer to "Why ...?" must be ..."."""
    label = _plain_label(label)
    if label.endswith("?"):
        return f'The answer to "{label}"'
    words = field_name_in_words(label)
    return words[:1].upper() + words[1:]


def named_messages(field: forms.Field, label: str) -> dict[str, str]:
    """The NHS-style message for each error the field can raise, naming it by `label`."""
    words, subject = field_name_in_words(label), _subject(label)
    choose = isinstance(field.widget, _CHOICE_WIDGETS) or isinstance(field, forms.ChoiceField)
    question = _plain_label(label).endswith("?")
    from_the_list = (
        f"Select {words}" if question else f"Select {words} from the list"  # noqa: S608 - not SQL
    )
    messages = {
        "required": f"Select {words}" if choose else f"Enter {words}",
        "invalid_choice": from_the_list,
        "invalid_list": from_the_list,
        "invalid_pk_value": from_the_list,
        "max_length": f"{subject} must be %(limit_value)d characters or fewer",
        "min_length": f"{subject} must be %(limit_value)d characters or more",
        "max_value": f"{subject} must be %(limit_value)s or less",
        "min_value": f"{subject} must be %(limit_value)s or more",
        "step_size": f"{subject} must be a multiple of %(limit_value)s",
        "max_digits": f"{subject} must be no more than %(max)s digits long",
        "max_decimal_places": f"{subject} must have no more than %(max)s decimal places",
        "max_whole_digits": f"{subject} must have no more than %(max)s digits before the point",
        "incomplete": f"Enter all of {words}",
        "invalid": f"Enter {words} in the right format",
        "missing": f"Choose a file for {words}",
        "empty": f"The file chosen for {words} is empty",
        "contradiction": f"Choose a file for {words} or remove the one chosen, not both",
        "invalid_image": f"The file chosen for {words} must be a picture",
    }
    if isinstance(field, forms.BooleanField) and not isinstance(field, forms.NullBooleanField):
        messages["required"] = f"Select {words} to carry on"
    if isinstance(field, forms.IntegerField):
        messages["invalid"] = f"{subject} must be a whole number"
    elif isinstance(field, _NUMBERS):
        messages["invalid"] = f"{subject} must be a number"
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = f"Enter {words} in the right format, like name@example.com"
    elif isinstance(field, forms.URLField):
        messages["invalid"] = f"Enter {words} as a web address, like https://www.nhs.uk"
    elif isinstance(field, forms.DateTimeField):
        messages["invalid"] = f"{subject} must be a real date and time"
    elif isinstance(field, forms.TimeField) or getattr(field, "typed_as_people_write", False):
        messages["invalid"] = f"{subject} must be a real time, like 14:30 or 2:30pm"
    elif isinstance(field, forms.DateField):
        messages["invalid"] = f"{subject} must be a real date"
    if isinstance(field, forms.FileField):
        messages["invalid"] = f"Choose a file for {words}"
        messages["max_length"] = "The file's name must be %(max)d characters or fewer"
    if isinstance(field, NhsDateField):
        messages.update(
            incomplete=f"{subject} must include a day, month and year",
            invalid=f"{subject} must be a real date",
            future=f"{subject} must be today or in the past",
            too_early=f"{subject} must be after %(year)s",
        )
    return messages


def default_messages(field: forms.Field, *, django_only: bool = False) -> dict[str, set[str]]:
    """The messages the field's classes declare for each code (Django's own, and a project
    field's generic ones such as the date input's), and the validators' defaults."""
    defaults: dict[str, set[str]] = {}
    for cls in type(field).__mro__:
        if django_only and not cls.__module__.startswith("django."):
            continue
        for code, message in vars(cls).get("default_error_messages", {}).items():
            defaults.setdefault(code, set()).add(str(message))
    for code, validator in _VALIDATORS.items():
        defaults.setdefault(code, set()).add(str(validator.message))
    return defaults


def name_the_field(field: forms.Field, label: str) -> None:
    """Replace the default messages on `field` with ones that name it; keep a form's own."""
    defaults = default_messages(field)
    ours = named_messages(field, label)
    for code, message in list(field.error_messages.items()):
        if code in ours and str(message) in defaults.get(code, set()):
            field.error_messages[code] = ours[code]
            # An answer not among a question's options is asked for again, in the form's words.
            if code in ("invalid_choice", "invalid_list") and _plain_label(label).endswith("?"):
                field.error_messages[code] = field.error_messages.get("required", ours[code])
    for validator in field.validators:
        validator_code = getattr(validator, "code", None)
        default = getattr(type(validator), "message", None)
        untouched = default is not None and str(getattr(validator, "message", None)) == str(default)
        if validator_code in ours and validator_code not in field.error_messages and untouched:
            field.error_messages[validator_code] = ours[validator_code]
    if isinstance(field, forms.MultiValueField):
        # Django copies the whole field's "incomplete" message to each part when it is built;
        # a part's own errors (a day of three digits) read as the whole field's "invalid".
        for part in field.fields:
            name_the_field(part, label)
            part.error_messages["incomplete"] = field.error_messages["incomplete"]
            for code in ("max_length", "invalid"):
                part.error_messages[code] = field.error_messages.get("invalid", ours["invalid"])


def name_every_field(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        label = field.label if field.label is not None else pretty_name(name)
        name_the_field(field, str(label))


class NamedErrors:
    """Form mixin: Django's default messages become NHS-style messages naming the field.

    Done when the form is built and again when it is cleaned, so fields a form adds in its own
    `__init__` are named too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name_every_field(self)  # type: ignore[arg-type]

    def full_clean(self) -> None:
        name_every_field(self)  # type: ignore[arg-type]
        super().full_clean()  # type: ignore[misc]


class Form(NamedErrors, forms.Form):
    def clean(self) -> dict[str, Any]:
        # Django's Form.clean returns cleaned_data; its stubs allow None, for overrides that do.
        super().clean()
        return self.cleaned_data


# Generic for the type checker only: Django's ModelForm cannot be subscripted at runtime.
if TYPE_CHECKING:
    _ModelForm = forms.ModelForm[Any]
else:
    _ModelForm = forms.ModelForm


class ModelForm(NamedErrors, _ModelForm):
    pass
