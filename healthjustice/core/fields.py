"""Form fields whose shape the NHS.UK components expect."""

from datetime import date
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from healthjustice.core.text import clean_single_line, only_invisible_message

_F = TypeVar("_F", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[_F]) -> _F:
    """The form's field `name`, as the kind of field it was declared as."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is not a {kind.__name__}")
    return field


def set_choices(form: forms.BaseForm, name: str, choices: Any) -> None:
    """Give the form's choice field `name` its choices (known only once the form is made)."""
    form_field(form, name, forms.ChoiceField).choices = choices


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes, as the NHS date input component draws them."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.TextInput, forms.TextInput, forms.TextInput], attrs)

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class NhsDateField(forms.MultiValueField):
    widget = DateInputWidget
    default_error_messages = {
        "incomplete": "Enter a full date, with a day, month and year",
        "invalid": "Enter a real date, for example 15 3 1984",
        "future": "The date must be today or in the past",
        "too_early": "The date must be after %(year)s",
    }

    def __init__(
        self, *, allow_future: bool = False, earliest: date | None = None, **kwargs: Any
    ) -> None:
        self.allow_future = allow_future
        self.earliest = earliest or date(1900, 1, 1)
        fields = (
            forms.CharField(max_length=2),
            forms.CharField(max_length=2),
            forms.CharField(max_length=4),
        )
        kwargs.setdefault("require_all_fields", False)
        super().__init__(fields=fields, **kwargs)

    def compress(self, data_list: Any) -> date | None:
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(p or "").strip() for p in data_list)
        if not (day and month and year):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            value = date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if not self.allow_future and value > timezone.localdate():
            raise ValidationError(self.error_messages["future"], code="future")
        if value < self.earliest:
            raise ValidationError(
                self.error_messages["too_early"],
                code="too_early",
                params={"year": self.earliest.year},
            )
        return value


class SingleLineTextField(forms.CharField):
    """A name or an address line as it will be seen: control, invisible and bidirectional-
    override characters removed (healthjustice.core.text). A value made only of them is
    refused, saying so, rather than saved empty or treated as not given."""

    def to_python(self, value: Any) -> str:
        return clean_single_line(super().to_python(value) or "")

    def clean(self, value: Any) -> Any:
        raw = value if isinstance(value, str) else ""
        if raw.strip() and not clean_single_line(raw):
            label = str(self.label or "This field").removesuffix(" (optional)")
            raise ValidationError(only_invisible_message(label), code="invisible")
        return super().clean(value)
