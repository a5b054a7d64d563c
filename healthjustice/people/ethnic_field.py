"""One form field for an ethnic category, chosen from the current code list.

Patients' records, carers' records and the public feedback form all ask the same question; the
field reads the list when a form is shown (not at import) and cleans to the `EthnicCategory`.
"""

from __future__ import annotations

from typing import Any

from django import forms

from .models import EthnicCategory, EthnicCodeList


def current_ethnic_categories() -> dict[str, EthnicCategory]:
    """The current code list's categories by primary key (as a form posts them), in list order."""
    code_list = EthnicCodeList.objects.filter(is_current=True).first()
    return {str(c.pk): c for c in EthnicCategory.objects.filter(code_list=code_list)}


class EthnicCategoryField(forms.ChoiceField):
    """An optional choice of ethnic category; cleans to an `EthnicCategory` or None."""

    def __init__(
        self, *, blank_label: str = "Select an option", with_codes: bool = False, **kwargs: Any
    ) -> None:
        self.blank_label = blank_label
        self.with_codes = with_codes
        kwargs.setdefault("required", False)
        super().__init__(choices=self._current_choices, **kwargs)

    def _current_choices(self) -> list[tuple[str, str]]:
        codes = current_ethnic_categories()
        return [
            ("", self.blank_label),
            *[(pk, f"{c.code} – {c}" if self.with_codes else str(c)) for pk, c in codes.items()],
        ]

    def prepare_value(self, value: Any) -> Any:
        # A form's initial data may hold the record's category itself.
        return str(value.pk) if isinstance(value, EthnicCategory) else value

    def clean(self, value: Any) -> EthnicCategory | None:
        chosen = super().clean(value)
        if not chosen:
            return None
        return current_ethnic_categories().get(str(chosen))
