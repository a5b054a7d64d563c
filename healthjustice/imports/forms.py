from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from healthjustice.core.error_messages import Form

from .choices import ListKind
from .formats import too_big_message


class UploadForm(Form):
    team = forms.ChoiceField(label="Team", error_messages={"required": "Select the team"})
    kind = forms.ChoiceField(
        label="Kind of list",
        choices=ListKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of list"},
    )
    file = forms.FileField(
        label="The list's CSV file",
        error_messages={
            "required": "Choose the list's CSV file",
            "empty": "The file you chose is empty. Choose the list's CSV file",
        },
    )

    def __init__(
        self, *args: Any, teams: Sequence[Any] = (), upload_stopped: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {str(t.public_id): t for t in teams}
        choices = [(key, t.name) for key, t in self.teams.items()]
        self.fields["team"].choices = choices  # type: ignore[attr-defined]
        if len(choices) == 1:
            self.fields["team"].initial = choices[0][0]
        self.upload_stopped = upload_stopped
        if upload_stopped:
            # The limit stopped the upload part-way, so the file is not there to be required.
            self.fields["file"].required = False

    def clean_file(self) -> Any:
        if self.upload_stopped:
            raise ValidationError(too_big_message())
        return self.cleaned_data.get("file")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("team"):
            data["team"] = self.teams[data["team"]]
        return data
