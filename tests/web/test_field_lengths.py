"""Every text box of every form stops at the length the form accepts: `maxlength` on the input
or textarea as drawn, matching the field's max_length (and so the model's, for model fields)."""

import re

import pytest
from django import forms
from django.template import engines

from tests.web.test_messages import FORM_CLASSES, _arguments

pytestmark = pytest.mark.django_db


def _text_fields(form):
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.HiddenInput | forms.PasswordInput):
            continue
        if isinstance(field, forms.CharField) and field.max_length:
            yield name, field


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_text_box_carries_its_maxlength(form_class):
    env = engines["jinja2"].env
    form = form_class(**_arguments(form_class))
    for name, field in _text_fields(form):
        html = env.globals["field"](form[name])
        found = re.search(r'maxlength="(\d+)"', str(html))
        assert found, f"{form_class.__name__}.{name} has no maxlength"
        assert int(found[1]) == field.max_length, f"{form_class.__name__}.{name}"


def test_a_model_field_s_limit_reaches_the_page():
    from healthjustice.people.forms import PersonDetailsForm
    from healthjustice.people.models import Person

    form = PersonDetailsForm()
    html = str(engines["jinja2"].env.globals["field"](form["given_name"]))
    assert f'maxlength="{Person._meta.get_field("given_name").max_length}"' in html
