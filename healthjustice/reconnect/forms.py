"""The RECONNECT forms: NHS-style questions and messages; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import NhsDateField, set_choices
from healthjustice.interventions.choices import ServiceType
from healthjustice.journeys.forms import NhsTimeField
from healthjustice.organisations.models import Region, Site, Team

from .choices import (
    FORM_REFERRERS,
    Accommodation,
    AppointmentKind,
    ContactMode,
    CustodyStatus,
    EligibilityOutcome,
    EnhancedService,
    NeedArea,
    ReleaseType,
)
from .services import ContactInput, EligibilityInput, HandoverInput, ReferralInput, ReleaseInput

DATE_HINT = "For example, 15 3 2027"


class YesNoField(forms.ChoiceField):
    """Yes or no, as radios; cleans to True or False."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(choices=[("yes", "Yes"), ("no", "No")], **kwargs)

    def clean(self, value: Any) -> bool:
        return super().clean(value) == "yes"


def _radios(label: str, choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


def _long_text(label: str, max_length: int = 2000, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, widget=forms.Textarea(attrs={"rows": 3}), **kwargs
    )


def _optional(choices: Any, text: str = "Not known yet") -> list[tuple[str, str]]:
    return [("", text), *choices]


class _EstablishmentMixin(Form):
    """A select of the prisons and immigration removal centres, by public id."""

    establishment = forms.ChoiceField(label="Prison or immigration removal centre")

    def setup_establishments(self, sites: list[Site] | None) -> None:
        self.sites = {str(s.public_id): s for s in sites or []}
        set_choices(
            self,
            "establishment",
            [("", "Select the establishment")]
            + [(k, f"{s.name} ({s.region.name})") for k, s in self.sites.items()],
        )

    def clean_establishment(self) -> Site | None:
        value = self.cleaned_data.get("establishment")
        return self.sites.get(value) if value else None


class ReferralForm(_EstablishmentMixin):
    referrer = _radios("Who made the referral?", FORM_REFERRERS)
    referrer_name = forms.CharField(
        label="Name or service of the referrer (optional)", max_length=200, required=False
    )
    health_need = _long_text(
        "What health need are they being referred for?",
        help_text="For example, no GP in the community; on a methadone script; low mood.",
    )
    expected_release_on = NhsDateField(
        label="Expected release date",
        help_text="Leave blank if they have already been released. " + DATE_HINT,
        required=False,
        allow_future=True,
    )
    released_on = NhsDateField(
        label="Actual release date, if they have been released",
        help_text=DATE_HINT,
        required=False,
        allow_future=True,
    )
    release_type = forms.ChoiceField(
        label="Release type (optional)",
        choices=_optional(ReleaseType.choices),
        required=False,
    )
    exception_reason = _long_text(
        "Reason for an exception to the referral window (team leaders only)",
        required=False,
        help_text="Only needed when the referral is more than 12 weeks before release or more "
        "than 28 days after it.",
    )

    team = forms.ChoiceField(
        label="Which RECONNECT team is taking the referral?", widget=forms.RadioSelect, choices=[]
    )

    def __init__(
        self,
        *args: Any,
        sites: list[Site] | None = None,
        ld: bool = False,
        teams: list[Team] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.setup_establishments(sites)
        # Asked only of someone who works in more than one RECONNECT team.
        self.teams = {str(t.public_id): t for t in teams or []}
        if len(self.teams) > 1:
            set_choices(self, "team", [(key, t.name) for key, t in self.teams.items()])
            self.order_fields(["team"])
        else:
            del self.fields["team"]
        if ld:
            # L&D refers from its own episode: the referrer is known, and no exception is theirs.
            for name in ("referrer", "referrer_name", "exception_reason"):
                del self.fields[name]

    def clean_team(self) -> Team | None:
        return self.teams.get(self.cleaned_data.get("team") or "")

    def chosen_team(self) -> Team | None:
        """The team chosen, or the only one the user works in."""
        if "team" in self.fields:
            team: Team | None = self.cleaned_data.get("team")
            return team
        return next(iter(self.teams.values()), None)

    def to_input(self, **more: Any) -> ReferralInput:
        data = self.cleaned_data
        return ReferralInput(
            referrer=more.get("referrer") or data.get("referrer", ""),
            health_need=data["health_need"],
            establishment=data["establishment"],
            expected_release_on=data["expected_release_on"],
            released_on=data["released_on"],
            release_type=data["release_type"],
            referrer_name=data.get("referrer_name", ""),
            exception_reason=data.get("exception_reason", ""),
        )


class EligibilityForm(Form):
    checked_on = NhsDateField(label="Date of the check", help_text=DATE_HINT)
    custody_status = _radios("Where are they now?", CustodyStatus.choices)
    health_need = YesNoField(
        label="Do they have an identified health need that means they would struggle to engage "
        "with community health or support services?"
    )
    outcome = _radios("Outcome", EligibilityOutcome.choices)
    enhanced_service = forms.ChoiceField(
        label="Enhanced service they are referred to (only if eligible for one)",
        choices=_optional(EnhancedService.choices, "None"),
        required=False,
    )
    notes = _long_text(
        "Notes", max_length=4000, required=False, help_text="Say why if not eligible."
    )

    def to_input(self) -> EligibilityInput:
        return EligibilityInput(**self.cleaned_data)


class ReleaseDetailsForm(_EstablishmentMixin):
    version = forms.IntegerField(widget=forms.HiddenInput)
    expected_release_on = NhsDateField(
        label="Expected release date", help_text=DATE_HINT, required=False, allow_future=True
    )
    release_type = forms.ChoiceField(
        label="Release type", choices=_optional(ReleaseType.choices), required=False
    )
    area = forms.ChoiceField(
        label="Region they will live in on release",
        help_text="It decides which RECONNECT team supports them in the community.",
        required=False,
    )
    area_detail = forms.CharField(
        label="Town or local authority (optional)", max_length=200, required=False
    )
    accommodation = forms.ChoiceField(
        label="Accommodation on release", choices=_optional(Accommodation.choices), required=False
    )
    probation_practitioner = forms.CharField(
        label="Probation practitioner (optional)", max_length=200, required=False
    )
    medication = _long_text(
        "Medication and prescription on release (optional)", max_length=4000, required=False
    )

    def __init__(
        self,
        *args: Any,
        sites: list[Site] | None = None,
        regions: list[Region] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.setup_establishments(sites)
        self.regions = {str(r.public_id): r for r in regions or []}
        set_choices(
            self,
            "area",
            [("", "Not known yet")] + [(k, r.name) for k, r in self.regions.items()],
        )

    def clean_area(self) -> Region | None:
        value = self.cleaned_data.get("area")
        return self.regions.get(value) if value else None

    def to_input(self) -> ReleaseInput:
        data = dict(self.cleaned_data)
        data.pop("version")
        return ReleaseInput(**data)


class PreReleaseForm(Form):
    note = _long_text("Note (optional)", max_length=1000, required=False)


class ReleaseForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    released_on = NhsDateField(
        label="Date they were released", help_text=DATE_HINT, allow_future=True
    )
    release_type = _radios("Release type", ReleaseType.choices)
    skip_reason = _long_text(
        "Why was there no pre-release support?",
        max_length=1000,
        required=False,
        help_text="Not needed if they were referred after their release.",
    )

    def __init__(self, *args: Any, needs_skip_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_skip_reason:
            del self.fields["skip_reason"]


class ContactForm(Form):
    contact_on = NhsDateField(label="Date of the contact", help_text=DATE_HINT, allow_future=True)
    mode = _radios("How did the contact take place?", ContactMode.choices)
    with_whom = forms.CharField(
        label="Who took part (optional)",
        help_text="For example, the person, their probation practitioner, a family member.",
        max_length=200,
        required=False,
    )
    notes = _long_text("Notes", max_length=4000)

    def to_input(self) -> ContactInput:
        return ContactInput(**self.cleaned_data)


class PlanNeedForm(Form):
    area = _radios("Which need is this?", NeedArea.choices)
    goal = _long_text("Goal", max_length=2000)
    action = _long_text("Action agreed", max_length=2000)


class GateMeetForm(Form):
    met = _radios("Were they met at the gate?", [("yes", "Yes"), ("no", "No")])
    met_by = forms.CharField(label="Who met them, or was to", max_length=200)
    place = forms.CharField(label="Where", max_length=200)
    not_met_reason = _long_text("If not met, what happened?", max_length=2000, required=False)


class PostReleaseForm(Form):
    note = _long_text("Note (optional)", max_length=1000, required=False)


class ExtensionForm(Form):
    extended_to = NhsDateField(label="Extend support to", help_text=DATE_HINT, allow_future=True)
    reason = _long_text("Reason for the extension", max_length=2000)


class RecallForm(Form):
    recalled_on = NhsDateField(label="Date of the recall", help_text=DATE_HINT, allow_future=True)
    notes = _long_text("Notes (optional)", max_length=2000, required=False)


class HandoverForm(Form):
    service_type = forms.ChoiceField(
        label="Type of community service",
        choices=[("", "Select the type of service"), *ServiceType.choices],
    )
    service_name = forms.CharField(
        label="Name of the community service",
        help_text="For example, Wolverhampton Recovery Service, or the GP practice's name.",
        max_length=200,
    )
    handed_over_on = NhsDateField(label="Date of the handover", help_text=DATE_HINT)
    first_appointment_on = NhsDateField(
        label="Date of the first appointment (optional)",
        help_text=DATE_HINT,
        required=False,
        allow_future=True,
    )

    def to_input(self) -> HandoverInput:
        return HandoverInput(**self.cleaned_data)


class EngagementCheckForm(Form):
    checked_on = NhsDateField(label="Date of the check", help_text=DATE_HINT, allow_future=True)
    engaged = YesNoField(label="Are they engaging with the service?")
    notes = _long_text(
        "Notes",
        max_length=2000,
        required=False,
        help_text="Say what happened if they are not engaging.",
    )


class HandedOverForm(Form):
    note = _long_text("Note (optional)", max_length=1000, required=False)


class GatePlanForm(Form):
    meet_on = NhsDateField(label="Date of the meet", help_text=DATE_HINT, allow_future=True)
    meet_at = NhsTimeField(label="Time of the meet", help_text="For example, 8:30am or 14:00")
    place = forms.CharField(
        label="Where", help_text="For example, the gate of HMP Stafford.", max_length=200
    )
    who = forms.CharField(
        label="Who will meet them",
        help_text="For example, their peer support worker.",
        max_length=200,
    )


class AppointmentForm(Form):
    kind = _radios("Which appointment?", AppointmentKind.choices)
    appointment_on = NhsDateField(
        label="Date of the appointment", help_text=DATE_HINT, allow_future=True
    )
    where = forms.CharField(label="Where, or with whom (optional)", max_length=200, required=False)


class AttendanceForm(Form):
    attended = YesNoField(label="Did they attend?")


class AppointmentChangeForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    appointment_on = NhsDateField(
        label="New date of the appointment", help_text=DATE_HINT, allow_future=True
    )
    where = forms.CharField(label="Where, or with whom (optional)", max_length=200, required=False)
    reason = _long_text(
        "Why is it changed or rebooked?",
        max_length=2000,
        required=False,  # the service asks for it, in its words
        help_text="For example, they missed it and a new one is booked; the surgery moved it.",
    )


class PlanNeedUpdateForm(Form):
    seen_updates = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    met = YesNoField(label="Is the need met?")
    met_on = NhsDateField(
        label="Date the need was met (if it is met)", help_text=DATE_HINT, required=False
    )
    action = _long_text(
        "New action agreed (if the action changes)", max_length=2000, required=False
    )
    note = _long_text("Note (optional)", max_length=2000, required=False)


class SupportWorkerForm(Form):
    worker = forms.ChoiceField(label="Which worker?", widget=forms.RadioSelect, choices=[])

    def __init__(self, *args: Any, memberships: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workers = {str(m.user.public_id): m.user for m in memberships or []}
        set_choices(
            self,
            "worker",
            [
                (str(m.user.public_id), f"{m.user.display_name} ({m.get_worker_type_display()})")
                for m in memberships or []
            ],
        )

    def clean_worker(self) -> Any:
        return self.workers.get(self.cleaned_data.get("worker") or "")
