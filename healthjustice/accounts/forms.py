from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.views.decorators.debug import sensitive_variables

from healthjustice.core.error_messages import NamedErrors

from .models import User
from .services import current_password_ok


class SignInForm(NamedErrors, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask your system administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.widget = forms.TextInput(
            attrs={"autocomplete": "username", **username.widget_attrs(username.widget)}
        )
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )


class PasswordChangeForm(NamedErrors, auth_forms.PasswordChangeForm):
    """Django's form (current password, new password twice, the password validators).

    The current password is checked through `services.current_password_ok`, so wrong answers
    count towards the sign-in lockout. The new password is set by `services.password_change`.
    """

    error_messages = {
        "password_mismatch": "The new passwords do not match",
        "password_incorrect": "Your current password is not right. Enter it again",
    }

    def __init__(self, user: User, data: Any = None, *, request: HttpRequest) -> None:
        super().__init__(user, data)
        self.request = request
        self.fields["old_password"].label = "Your current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = (
            f"At least {min_password_length()} characters. Do not use a password you use "
            "anywhere else"
        )
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Type the new password again"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = "Type the new password again"

    @sensitive_variables("old_password")
    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if not current_password_ok(user=self.user, password=old_password, request=self.request):
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password

    @sensitive_variables("password1", "password2")
    def clean(self) -> dict[str, Any]:
        # As Django's form, but the validators' messages go beside the new password rather
        # than the box that repeats it, and come before a mismatch in the error summary.
        password1 = self.cleaned_data.get("new_password1")
        password2 = self.cleaned_data.get("new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "new_password2",
                ValidationError(self.error_messages["password_mismatch"], code="password_mismatch"),
            )
        forms.Form.clean(self)
        return self.cleaned_data


def min_password_length() -> int:
    for validator in get_default_password_validators():
        if isinstance(validator, MinimumLengthValidator):
            return validator.min_length
    return 8
