"""Forms for episodes: opening one, moving it on, its criminal-justice details, the worklist."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField, form_field, set_choices
from healthjustice.organisations.choices import SiteKind
from healthjustice.organisations.models import Site

from .choices import (
    AuthorisingRank,
    BailStatus,
    ChargeStatus,
    CustodyEventKind,
    CustodyOutcome,
    Disposal,
    EpisodeSetting,
    OffenceCategory,
    Plea,
    ReferralSource,
    Stage,
)
from .models import CriminalJusticeContext
from .stages import machine_for, next_stages
from .validation import validate_cj_details


def caseload_words(user: User) -> str:
    """'Asha Patel (3 open episodes)': a worker's name with their open caseload, when known."""
    n = getattr(user, "open_caseload", None)
    if n is None:
        return user.display_name
    return f"{user.display_name} ({n} open episode{'' if n == 1 else 's'})"


def _blank(choices, text: str = "Select an option") -> list[tuple[str, str]]:
    return [("", text), *choices]


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


class NhsTimeField(forms.Field):
    """A time typed as people write it: 14:30, 14.30, 2:30pm or 2pm."""

    widget = forms.TextInput
    typed_as_people_write = True  # its "invalid" message names 2:30pm as well as 14:30
    default_error_messages = {"invalid": "Enter a real time, for example 14:30 or 2:30pm"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "maxlength": "8"})

    def to_python(self, value: Any) -> time | None:
        text = str(value or "").strip().lower().replace(" ", "")
        if not text:
            return None
        match = _TIME.match(text)
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        hour, minute, meridiem = int(match[1]), int(match[2] or 0), match[3]
        if meridiem:
            if not 1 <= hour <= 12:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
        elif match[2] is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if hour > 23 or minute > 59:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return time(hour, minute)

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%H:%M") if isinstance(value, time) else value


def _local_datetime(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _split(value: datetime | None) -> tuple[date | None, time | None]:
    if value is None:
        return None, None
    local = timezone.localtime(value)
    return local.date(), local.time().replace(second=0, microsecond=0)


# Where a service's error about a model field belongs on these forms.
SERVICE_FIELD_TO_FORM = {
    "referred_at": "referred_date",
    "arrived_in_custody_at": "arrived_date",
    "hearing_at": "hearing_date",
}


class CriminalJusticeFieldsMixin(Form):
    """The criminal-justice (Article 10) answers, shared by the opening and editing forms."""

    custody_record_reference = forms.CharField(
        label="Custody record reference (optional)",
        max_length=40,
        required=False,
        help_text="As it appears on the custody record",
    )
    arrived_date = NhsDateField(
        label="Date they arrived in custody (optional)",
        required=False,
        help_text="The PACE relevant time: it starts the custody clock. For example, 22 11 2026",
    )
    arrived_time = NhsTimeField(
        label="Time they arrived in custody",
        required=False,
        help_text="For example, 14:30 or 2:30pm",
    )
    offence_category = forms.ChoiceField(
        label="Offence category (optional)",
        required=False,
        choices=_blank(OffenceCategory.choices, "Not known"),
    )
    charge_status = forms.ChoiceField(
        label="Charge status (optional)",
        required=False,
        choices=_blank(ChargeStatus.choices, "Not known"),
    )
    court = forms.ChoiceField(label="Court (optional)", required=False)
    court_name = forms.CharField(
        label="Court name, if it is not in the list (optional)", max_length=200, required=False
    )
    hearing_date = NhsDateField(
        label="Date of the court hearing (optional)",
        required=False,
        allow_future=True,
        help_text="For example, 22 11 2026",
    )
    hearing_time = NhsTimeField(
        label="Time of the court hearing", required=False, help_text="For example, 10:00 or 2pm"
    )
    bail_status = forms.ChoiceField(
        label="Bail or remand (optional)",
        required=False,
        choices=_blank(BailStatus.choices, "Not known"),
    )
    disposal = forms.ChoiceField(
        label="Disposal or sentence",
        required=False,
        choices=Disposal.choices,
        initial=Disposal.NOT_YET_KNOWN,
    )
    plea = forms.ChoiceField(
        label="Plea (optional)", required=False, choices=_blank(Plea.choices, "Not known")
    )
    prison_release_on = NhsDateField(
        label="Prison release date (optional)", required=False, allow_future=True
    )
    psr_requested = forms.BooleanField(label="A pre-sentence report was requested", required=False)
    psr_due_on = NhsDateField(
        label="Pre-sentence report due date (optional)", required=False, allow_future=True
    )

    def _setup_courts(self) -> None:
        courts = Site.objects.filter(kind=SiteKind.COURT, is_active=True).order_by("name")
        self.courts = {str(c.public_id): c for c in courts}
        set_choices(
            self,
            "court",
            _blank([(k, c.name) for k, c in self.courts.items()], "Not in the list, or not known"),
        )

    def clean_court(self) -> Site | None:
        value = self.cleaned_data.get("court")
        return self.courts.get(value) if value else None

    def _combined(self, date_name: str, time_name: str, what: str) -> datetime | None:
        day = self.cleaned_data.get(date_name)
        at = self.cleaned_data.get(time_name)
        if date_name in self.errors or time_name in self.errors:
            return None
        if day and at is None:
            self.add_error(time_name, f"Enter the time {what}")
            return None
        if at is not None and not day:
            self.add_error(date_name, f"Enter the date {what}")
            return None
        return _local_datetime(day, at) if day and at is not None else None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["arrived_in_custody_at"] = self._combined(
            "arrived_date", "arrived_time", "they arrived in custody"
        )
        data["hearing_at"] = self._combined("hearing_date", "hearing_time", "of the hearing")
        return data

    def check_cj_details(self, referred_at: datetime | None) -> None:
        """Show every impossible answer at once, not only after the other fields are right."""
        try:
            validate_cj_details(self.cj_details() or {}, referred_at=referred_at)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                target = SERVICE_FIELD_TO_FORM.get(name, name)
                if target in self.fields and target not in self.errors:
                    self.add_error(target, errors)

    def cj_details(self) -> dict[str, Any] | None:
        """The cleaned answers keyed by model field, or None when the form does not ask them."""
        return self.cj_answers()

    def cj_answers(self) -> dict[str, Any]:
        """The cleaned answers keyed by model field (see models.ARTICLE_10_FIELDS)."""
        data = self.cleaned_data
        return {
            "custody_record_reference": data.get("custody_record_reference", "").strip(),
            "arrived_in_custody_at": data.get("arrived_in_custody_at"),
            "offence_category": data.get("offence_category", ""),
            "charge_status": data.get("charge_status", ""),
            "court": data.get("court"),
            "court_name": data.get("court_name", "").strip(),
            "hearing_at": data.get("hearing_at"),
            "bail_status": data.get("bail_status", ""),
            "disposal": data.get("disposal") or Disposal.NOT_YET_KNOWN,
            "prison_release_on": data.get("prison_release_on"),
            "plea": data.get("plea", ""),
            "psr_requested": bool(data.get("psr_requested")),
            "psr_due_on": data.get("psr_due_on"),
        }

    @staticmethod
    def initial_from(context: CriminalJusticeContext | None) -> dict[str, Any]:
        if context is None:
            return {"disposal": Disposal.NOT_YET_KNOWN}
        arrived_date, arrived_time = _split(context.arrived_in_custody_at)
        hearing_date, hearing_time = _split(context.hearing_at)
        return {
            "custody_record_reference": context.custody_record_reference,
            "arrived_date": arrived_date,
            "arrived_time": arrived_time,
            "offence_category": context.offence_category,
            "charge_status": context.charge_status,
            "court": str(context.court.public_id) if context.court is not None else "",
            "court_name": context.court_name,
            "hearing_date": hearing_date,
            "hearing_time": hearing_time,
            "bail_status": context.bail_status,
            "disposal": context.disposal,
            "plea": context.plea,
            "prison_release_on": context.prison_release_on,
            "psr_requested": context.psr_requested,
            "psr_due_on": context.psr_due_on,
            "version": context.version,
        }


class CriminalJusticeForm(CriminalJusticeFieldsMixin):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, referred_at: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referred_at = referred_at
        self._setup_courts()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.check_cj_details(self.referred_at)
        return data

    def cj_details(self) -> dict[str, Any]:
        return self.cj_answers()


class EpisodeOpenForm(CriminalJusticeFieldsMixin):
    team = forms.ChoiceField(label="Team")
    setting = forms.ChoiceField(
        label="Where are they being seen?", choices=_blank(EpisodeSetting.choices)
    )
    site = forms.ChoiceField(label="Site (optional)", required=False)
    referral_source = forms.ChoiceField(
        label="Who referred them?", choices=_blank(ReferralSource.choices)
    )
    referred_date = NhsDateField(label="Date of the referral", help_text="For example, 22 11 2026")
    referred_time = NhsTimeField(
        label="Time of the referral", help_text="For example, 14:30 or 2:30pm"
    )
    reason = forms.CharField(
        label="Reason for the referral",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the referrer saw or was told. Do not include the offence details here.",
    )

    CJ_FIELDS = (
        "custody_record_reference",
        "arrived_date",
        "arrived_time",
        "offence_category",
        "charge_status",
        "court",
        "court_name",
        "hearing_date",
        "hearing_time",
        "bail_status",
        "disposal",
        "plea",
        "prison_release_on",
        "psr_requested",
        "psr_due_on",
    )

    def __init__(self, *args: Any, teams=(), sites=(), include_cj: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.include_cj = include_cj
        self.teams = {str(t.public_id): t for t in teams}
        set_choices(self, "team", [(k, t.name) for k, t in self.teams.items()])
        if len(self.teams) == 1:
            self.fields["team"].initial = next(iter(self.teams))
        else:
            set_choices(self, "team", _blank(form_field(self, "team", forms.ChoiceField).choices))
        self.sites = {str(s.public_id): s for s in sites}
        set_choices(
            self,
            "site",
            _blank([(k, s.name) for k, s in self.sites.items()], "Not at one of the team's sites"),
        )
        if include_cj:
            self._setup_courts()
        else:
            for name in self.CJ_FIELDS:
                del self.fields[name]

    def clean_team(self):
        return self.teams[self.cleaned_data["team"]]

    def clean_site(self) -> Site | None:
        value = self.cleaned_data.get("site")
        return self.sites.get(value) if value else None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, at = data.get("referred_date"), data.get("referred_time")
        referred_at = _local_datetime(day, at) if day and at is not None else None
        data["referred_at"] = referred_at
        if referred_at and referred_at > timezone.now():
            self.add_error("referred_time", "The referral date and time cannot be in the future")
        if self.include_cj:
            self.check_cj_details(referred_at)
        return data

    def cj_details(self) -> dict[str, Any] | None:
        return self.cj_answers() if self.include_cj else None


class EpisodeMoveForm(Form):
    to_stage = forms.ChoiceField(label="What happens next?", widget=forms.RadioSelect)
    closure_reason = forms.ChoiceField(
        label="Reason for closing (if you are closing the episode)",
        required=False,
    )
    skip_reason = forms.CharField(
        label="Reason for skipping a stage (if you are skipping one)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            "Recording a screening moves the episode to screened. To move it there without "
            "one, say why here."
        ),
    )

    def __init__(self, *args: Any, current: str, pathway: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        machine = machine_for(pathway)
        set_choices(
            self,
            "closure_reason",
            _blank([(str(r), r.label) for r in machine.closure_choices(current)]),
        )
        if not machine.reached_by_recording:
            self.fields["note"].help_text = ""
        choices = []
        for stage in next_stages(current, pathway):
            if stage == Stage.CLOSED:
                choices.append((str(stage), "Close the episode"))
            else:
                choices.append((str(stage), f"Move to {stage.label.lower()}"))
        set_choices(self, "to_stage", choices)


class TakeForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class AssignForm(TakeForm):
    worker = forms.ChoiceField(label="Assign to")

    def __init__(self, *args: Any, workers=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workers = {str(w.public_id): w for w in workers}
        set_choices(
            self,
            "worker",
            _blank(
                [(k, caseload_words(w)) for k, w in self.workers.items()],
                "Choose a member of staff",
            ),
        )

    def clean_worker(self):
        return self.workers[self.cleaned_data["worker"]]


class CustodyEventForm(Form):
    """Record an extension, a warrant of further detention, or leaving custody."""

    kind = forms.ChoiceField(
        label="What are you recording?",
        widget=forms.RadioSelect,
        choices=CustodyEventKind.choices,
        error_messages={"required": "Choose what you are recording"},
    )
    at_date = NhsDateField(
        label="Date it was authorised, or they left",
        help_text="For example, 22 11 2026",
        error_messages={"required": "Enter the date it was authorised, or they left"},
    )
    at_time = NhsTimeField(
        label="Time it was authorised, or they left",
        help_text="For example, 14:30 or 2:30pm",
        error_messages={"required": "Enter the time it was authorised, or they left"},
    )
    limit_hours = forms.IntegerField(
        label="New limit, in hours from the relevant time (extension or warrant)",
        required=False,
        min_value=1,
        max_value=999,
        help_text="For example, 36 for an extension; at most 96 in all",
        error_messages={
            "invalid": "Enter the new limit as a whole number of hours, like 36",
            "min_value": "The new limit must be a whole number of hours, like 36",
            "max_value": "Detention can be at most 96 hours from the relevant time",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "3"}),
    )
    rank = forms.ChoiceField(
        label="Rank of the officer who authorised the extension",
        required=False,
        choices=_blank(AuthorisingRank.choices),
    )
    authorised_by = forms.CharField(
        label="Officer's name (extension) or magistrates' court (warrant)",
        required=False,
        max_length=200,
    )
    outcome = forms.ChoiceField(
        label="How they left custody",
        required=False,
        choices=_blank(CustodyOutcome.choices),
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, at = data.get("at_date"), data.get("at_time")
        data["at"] = _local_datetime(day, at) if day and at is not None else None
        return data


# Where a custody-clock service error belongs on CustodyEventForm.
CUSTODY_FIELD_TO_FORM = {"at": "at_date"}


class ReopenForm(Form):
    reason = forms.CharField(
        label="Why are you reopening this episode?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only a closure made by mistake should be undone.",
        error_messages={"required": "Enter why you are reopening this episode"},
    )
