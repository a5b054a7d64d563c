"""The form for PHQ-9, GAD-7 and CORE-10 on one occasion: one radio group per item, built from
the screening app's instrument definitions; a questionnaire left blank is not recorded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from healthjustice.core.error_messages import Form
from healthjustice.screening.instruments import Instrument, get_instrument

from .measures import field_name
from .outcomes import MEASURE_CODES


class MeasuresForm(Form):
    def __init__(self, *args: Any, codes: Sequence[str] = MEASURE_CODES, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instruments: list[Instrument] = [get_instrument(code) for code in codes]
        for instrument in self.instruments:
            for item in instrument.items:
                hint = (
                    "Risk item: any answer but the first raises a risk alert."
                    if item.is_risk
                    else ""
                )
                self.fields[field_name(instrument.code, item.number)] = forms.TypedChoiceField(
                    label=f"{item.number}. {item.text}",
                    choices=[(str(i), o.label) for i, o in enumerate(item.options)],
                    coerce=int,
                    required=False,
                    widget=forms.RadioSelect,
                    help_text=hint,
                    error_messages={
                        "required": f"{instrument.name} item {item.number}: select an answer",
                        "invalid_choice": (
                            f"{instrument.name} item {item.number}: the answer is out of "
                            "range, select one of the answers shown"
                        ),
                    },
                )

    def clean(self) -> dict[str, Any]:
        """A questionnaire begun must be finished: name each item left out."""
        data = super().clean()
        for instrument in self.instruments:
            names = [field_name(instrument.code, item.number) for item in instrument.items]
            begun = any(data.get(n) not in (None, "") or n in self.errors for n in names)
            if not begun:
                continue
            for item, name in zip(instrument.items, names, strict=True):
                if name not in self.errors and data.get(name) in (None, ""):
                    self.add_error(name, f"{instrument.name} item {item.number}: select an answer")
        return data

    def fields_of(self, instrument: Instrument) -> list[forms.BoundField]:
        return [self[field_name(instrument.code, item.number)] for item in instrument.items]

    def answers(self) -> dict[str, list[int | None]]:
        """Per questionnaire, the option index of each item (None where not answered)."""
        result: dict[str, list[int | None]] = {}
        for instrument in self.instruments:
            values: list[Any] = [
                self.cleaned_data.get(field_name(instrument.code, item.number))
                for item in instrument.items
            ]
            result[instrument.code] = [v if isinstance(v, int) else None for v in values]
        return result
