"""Every form's messages are NHS.UK ones that name the field ("Enter date of birth", "First name
must be 100 characters or fewer"), never Django's defaults ("This field is required.").

The forms are found by importing every module of the service, so a new form is checked too.
"""

import importlib
import pkgutil
from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.test import RequestFactory

import healthjustice
from healthjustice.core.error_messages import Form, ModelForm, default_messages
from healthjustice.core.fields import NhsDateField
from healthjustice.journeys.stages import LIAISON_AND_DIVERSION
from healthjustice.screening.instruments import INSTRUMENTS

pytestmark = pytest.mark.django_db

# Modules that cannot be imported outside their own setting (production refuses to load
# without its secrets) hold no forms.
SKIP_MODULES = ("healthjustice.config.settings.production",)


def _all_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(healthjustice.__path__, "healthjustice."):
        if ".migrations" not in module.name and module.name not in SKIP_MODULES:
            importlib.import_module(module.name)

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    found = {
        c
        for c in below(forms.BaseForm)
        if c.__module__.startswith("healthjustice.") and c not in (Form, ModelForm)
    }
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


FORM_CLASSES = _all_form_classes()


def _arguments(form_class) -> dict:
    """What a form needs besides its data, for the few that need something."""
    user_model = get_user_model()
    someone = SimpleNamespace(full_name="Alex Example")
    return {
        "accounts.forms.PasswordChangeForm": lambda: {
            "user": user_model(),
            "request": RequestFactory().get("/"),
        },
        "assessments.forms.AssessmentForm": lambda: {"assessors": user_model.objects.none()},
        "assessments.forms.ReportForm": lambda: {"sections": ()},
        "interventions.forms.ClosureForm": lambda: {
            "reasons": LIAISON_AND_DIVERSION.closure_choices()
        },
        "journeys.forms.EpisodeMoveForm": lambda: {"current": "identified", "pathway": "ld"},
        "matching.forms.SamePersonForm": lambda: {"first": someone, "second": someone},
        "people.forms.MergeForm": lambda: {"person": someone, "other": someone},
        "reporting.forms.DashboardFilterForm": lambda: {"scopes": []},
        "reporting.forms.ExportRequestForm": lambda: {"regions": []},
        "reporting.forms.MhtrDashboardFilterForm": lambda: {"scopes": []},
        "screening.forms.InstrumentAnswersForm": lambda: {
            "instrument": next(iter(INSTRUMENTS.values()))
        },
    }.get(f"{form_class.__module__.removeprefix('healthjustice.')}.{form_class.__name__}", dict)()


def _django_default_messages(field: forms.Field) -> set[str]:
    return {m for ms in default_messages(field, django_only=True).values() for m in ms}


def _messages(field: forms.Field) -> list[str]:
    found = [str(m) for m in field.error_messages.values()]
    if isinstance(field, forms.MultiValueField):
        for part in field.fields:
            found += _messages(part)
    return found


def test_every_form_of_the_service_is_found():
    names = {c.__name__ for c in FORM_CLASSES}
    assert {"RegisterPersonForm", "EpisodeOpenForm", "SignInForm", "ReferralForm"} <= names
    assert len(FORM_CLASSES) > 50


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_no_form_shows_a_django_default_message(form_class):
    form = form_class(data={}, **_arguments(form_class))
    form.is_valid()
    for name, field in form.fields.items():
        defaults = _django_default_messages(field)
        bare = [m for m in _messages(field) if m in defaults]
        assert not bare, f"{form_class.__name__}.{name} keeps Django's {bare}"
    for name, errors in form.errors.items():
        for error in errors:
            assert error not in _django_default_messages(forms.CharField()), (name, error)
            assert "This field" not in error, (form_class.__name__, name, error)


class _Example(Form):
    full_name = forms.CharField(label="Full name", max_length=100)
    date_of_birth = NhsDateField(label="Date of birth")
    team = forms.ChoiceField(label="Team", choices=[("a", "A")], widget=forms.RadioSelect)
    age = forms.IntegerField(label="Age (optional)", required=False, min_value=0)
    reason = forms.CharField(label="Why are these records the same person?")
    own = forms.CharField(label="Note", error_messages={"required": "Write a note"})
    seen = forms.ChoiceField(label="Where are they being seen?", choices=[("c", "Custody")])
    attend = forms.ChoiceField(label="Did they attend?", choices=[("y", "Yes")])


def _errors(data) -> dict[str, list[str]]:
    form = _Example(data=data)
    form.is_valid()
    return form.errors


def test_required_messages_name_the_field_and_say_what_to_do():
    errors = _errors({})
    assert errors["full_name"] == ["Enter full name"]
    assert errors["date_of_birth"] == ["Enter date of birth"]
    assert errors["team"] == ["Select team"]
    assert errors["reason"] == ["Enter why these records are the same person"]
    assert errors["seen"] == ["Select where they are being seen"]
    assert errors["attend"] == ['Select an answer to "Did they attend?"']
    assert errors["own"] == ["Write a note"], "a form's own message is kept"


def test_length_number_choice_and_date_messages_name_the_field():
    errors = _errors(
        {
            "full_name": "x" * 101,
            "date_of_birth_0": "1",
            "date_of_birth_1": "1",
            "date_of_birth_2": "2999",
            "team": "b",
            "age": "-1",
        }
    )
    assert errors["full_name"] == ["Full name must be 100 characters or fewer"]
    assert errors["date_of_birth"] == ["Date of birth must be today or in the past"]
    assert errors["team"] == ["Select team from the list"]
    assert errors["age"] == ["Age must be 0 or more"]
    assert _errors({"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "1990"})[
        "date_of_birth"
    ] == ["Date of birth must be a real date"]
    assert _errors({"date_of_birth_0": "3", "date_of_birth_2": "1990"})["date_of_birth"] == [
        "Date of birth must include a day, month and year"
    ]
    assert _errors({"age": "ten"})["age"] == ["Age must be a whole number"]


def test_fields_added_after_the_form_is_built_are_named_when_it_is_cleaned():
    form = _Example(data={})
    form.fields["late"] = forms.CharField(label="Added late")
    form.is_valid()
    assert form.errors["late"] == ["Enter added late"]
