"""Fields and helpers every carers form shares."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from ..text import clean_plain_text

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def blank_choice(choices: Any, text: str = "Select an option") -> list[tuple[str, str]]:
    return [("", text), *choices]


def _users(users: Any) -> dict[str, Any]:
    return {str(u.public_id): u for u in users}


def parse_time(value: str) -> time:
    match = _TIME.match(value or "")
    if not match:
        raise ValidationError("Enter a time in 24-hour format, for example 14:30")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ValidationError("Enter a real time, for example 14:30")
    return time(hour, minute)


def combine(day, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


class PlainTextField(forms.CharField):
    """Text kept as plain text: control characters dropped, line endings normalised."""

    def to_python(self, value: Any) -> str:
        return clean_plain_text(super().to_python(value) or "")


class UserChoiceField(forms.ChoiceField):
    """A choice of staff member, by public id; the field holds the user after cleaning."""

    def __init__(self, *args: Any, users: Any = (), blank: str = "Nobody", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.set_users(users, blank)

    def set_users(self, users: Any, blank: str = "Nobody") -> None:
        self.users = _users(users)
        self.choices = blank_choice([(k, u.display_name) for k, u in self.users.items()], blank)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return self.users.get(value) if value else None
