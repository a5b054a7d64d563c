from django import forms
from django.core.exceptions import ValidationError


def apply_errors(
    form: forms.Form, exc: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: on its field where there is one.

    `aliases` maps a service's field name to the form field that holds it.
    """
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = (aliases or {}).get(name, name)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
