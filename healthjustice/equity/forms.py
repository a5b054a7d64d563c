from __future__ import annotations

from datetime import date, datetime, time

from django import forms
from django.utils import timezone

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import set_choices
from healthjustice.organisations.choices import Pathway

from .pathways import BY_KEY, PathwayFigures
from .scope import Scope

LD = Pathway.LIAISON_DIVERSION

MONTHS_OFFERED = 36
DEFAULT_MONTHS_SHOWN = 12


def _months(count: int) -> list[date]:
    """First days of the last `count` months, newest first."""
    today = timezone.localdate()
    year, month = today.year, today.month
    found = []
    for _ in range(count):
        found.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return found


def _key(d: date) -> str:
    return f"{d:%Y-%m}"


def month_start(key: str) -> datetime:
    year, month = (int(part) for part in key.split("-"))
    return timezone.make_aware(datetime.combine(date(year, month, 1), time.min))


def month_end(key: str) -> datetime:
    """Local midnight at the start of the month after `key`."""
    year, month = (int(part) for part in key.split("-"))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return timezone.make_aware(datetime.combine(date(year, month, 1), time.min))


def month_keys(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` ("YYYY-MM"), in order."""
    year, month = (int(part) for part in first.split("-"))
    keys = []
    while f"{year:04d}-{month:02d}" <= last:
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def month_label(key: str) -> str:
    return f"{month_start(key):%B %Y}"


class EquityFilterForm(Form):
    pathway = forms.ChoiceField(
        label="Pathway",
        choices=[(p.key, p.name) for p in BY_KEY.values()],
        widget=forms.HiddenInput,
    )
    scope = forms.ChoiceField(label="Region or team")
    first_month = forms.ChoiceField(label="From")
    last_month = forms.ChoiceField(label="To")

    def __init__(self, data=None, *, scopes: list[Scope] | None = None, pathway: str = LD):
        scopes = scopes or []
        self.scopes = {s.key: s for s in scopes}
        months = _months(MONTHS_OFFERED)
        initial = {
            "pathway": pathway,
            "scope": scopes[0].key if scopes else "",
            "first_month": _key(months[DEFAULT_MONTHS_SHOWN - 1]),
            "last_month": _key(months[0]),
        }
        # Filters come from the query string; any left out take their defaults.
        merged = {**initial, **{k: v for k, v in (data or {}).items() if k in initial}}
        super().__init__(merged)
        set_choices(self, "scope", [(s.key, s.label) for s in scopes])
        choices = [(_key(m), f"{m:%B %Y}") for m in months]
        set_choices(self, "first_month", choices)
        set_choices(self, "last_month", choices)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_month"), data.get("last_month")
        if first and last and first > last:
            self.add_error("last_month", "The last month must be the same as or after the first")
        return data

    @property
    def chosen_pathway(self) -> PathwayFigures:
        return BY_KEY[self.cleaned_data["pathway"]]

    @property
    def chosen_scope(self) -> Scope:
        return self.scopes[self.cleaned_data["scope"]]
