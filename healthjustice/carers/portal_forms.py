"""Forms carers fill in on the portal. Short labels in plain English."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from healthjustice.core.error_messages import Form

from .attachments import check_attachment, max_bytes, too_large_message
from .choices import ContactMethod, ContactTime
from .forms.equality import EqualityMonitoringForm
from .services import MESSAGE_MAX_CHARS, validate_message_body


class MessageForm(Form):
    body = forms.CharField(
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 6}),
        # Checked by the service so the limit and wording live in one place.
        strip=False,
        error_messages={"required": "Enter your message"},
        help_text=f"Up to {MESSAGE_MAX_CHARS:,} characters. Write it as plain text.",
    )
    attachment = forms.FileField(label="Add a file (optional)", required=False)

    def __init__(self, *args: Any, upload_stopped: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The size limit stopped the upload part-way, so the file is not in `files` at all.
        self.upload_stopped = upload_stopped

    @staticmethod
    def attachment_hint() -> str:
        return (
            f"A PDF, a JPEG photo or a PNG picture, smaller than {max_bytes() // (1024 * 1024)} MB"
        )

    def clean_body(self) -> str:
        try:
            return validate_message_body(self.cleaned_data["body"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["body"]) from exc

    def clean_attachment(self) -> Any:
        if self.upload_stopped:
            raise ValidationError(too_large_message())
        upload = self.cleaned_data.get("attachment")
        return check_attachment(upload) if upload else None


class PreferencesForm(EqualityMonitoringForm):
    phone = forms.CharField(label="Phone number (optional)", max_length=30, required=False)
    email = forms.EmailField(label="Email address (optional)", required=False)
    preferred_contact_method = forms.ChoiceField(
        label="How do you want us to contact you?",
        choices=[c for c in ContactMethod.choices],
        widget=forms.RadioSelect,
    )
    preferred_contact_time = forms.ChoiceField(
        label="When is best to contact you?", choices=ContactTime.choices, widget=forms.RadioSelect
    )
    communication_needs = forms.CharField(
        label="Anything that helps you communicate (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: large print, British Sign Language, easy read",
    )
    language = forms.CharField(label="Which language do you prefer?", max_length=60)
    interpreter_needed = forms.BooleanField(label="I need an interpreter", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_own_voice()

    def clean(self):
        data = super().clean()
        method = data.get("preferred_contact_method")
        if method in (ContactMethod.PHONE, ContactMethod.TEXT) and not data.get("phone"):
            self.add_error("phone", "Enter your phone number so we can call or text you")
        if method == ContactMethod.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter your email address so we can email you")
        return data


class NewPasswordForm(Form):
    """A new password, typed twice. The service checks it against the password validators."""

    password = forms.CharField(
        label="Choose a password",
        strip=False,
        help_text="At least 12 characters. Do not use a password you use anywhere else",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("password")
            and data.get("password_again") is not None
            and data["password"] != data["password_again"]
        ):
            self.add_error("password_again", "The passwords do not match")
        return data


class InvitationAcceptForm(NewPasswordForm):
    username = forms.CharField(
        label="Choose a username",
        max_length=150,
        min_length=4,
        help_text="At least 4 characters. Letters, numbers and . @ + - _ only",
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )

    field_order = ["username", "password", "password_again"]

    def clean_username(self) -> str:
        value = self.cleaned_data["username"].strip()
        if not all(ch.isalnum() or ch in ".@+-_" for ch in value):
            raise ValidationError("Use only letters, numbers and . @ + - _ in your username")
        return value
