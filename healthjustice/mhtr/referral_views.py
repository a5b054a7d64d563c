"""The page where an MHTR team records a referral from probation, the court, a defence
solicitor or the person themselves, reached from the person's page (`person_page.py`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.core.fields import NhsDateField, set_choices
from healthjustice.core.form_errors import apply_errors
from healthjustice.journeys.forms import SERVICE_FIELD_TO_FORM, CriminalJusticeFieldsMixin
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.models import Team
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.selectors import person_for_user

from . import referrals
from .forms import DATE_HINT

# The criminal-justice fields a referral may carry: the hearing, if known.
HEARING_FORM_FIELDS = ("court", "court_name", "hearing_date", "hearing_time")


class OutsideReferralForm(CriminalJusticeFieldsMixin):
    team = forms.ChoiceField(label="MHTR team that received the referral")
    route = forms.ChoiceField(label="Who made the referral?", choices=(), widget=forms.RadioSelect)
    referrer_name = forms.CharField(
        label="Referrer's name (not for a self-referral)",
        max_length=referrals.FIELD_LIMIT,
        required=False,
        help_text="For example, the probation practitioner or the solicitor",
    )
    referrer_organisation = forms.CharField(
        label="Referrer's organisation (not for a self-referral)",
        max_length=referrals.FIELD_LIMIT,
        required=False,
        help_text="For example, Stoke-on-Trent probation delivery unit",
    )
    referrer_contact = forms.CharField(
        label="How to contact the referrer (not for a self-referral)",
        max_length=referrals.FIELD_LIMIT,
        required=False,
        help_text="A phone number or secure email address",
    )
    received_on = NhsDateField(label="Date the referral was received", help_text=DATE_HINT)
    reason = forms.CharField(
        label="Reason for the referral",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the referrer saw or was told. Do not include the offence details here.",
    )

    def __init__(
        self,
        *args: Any,
        teams: tuple[Team, ...] | list[Team] = (),
        include_hearing: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.include_hearing = include_hearing
        self.teams = {str(t.public_id): t for t in teams}
        choices = [(k, t.name) for k, t in self.teams.items()]
        if len(self.teams) == 1:
            self.fields["team"].initial = next(iter(self.teams))
        else:
            choices.insert(0, ("", "Select a team"))
        set_choices(self, "team", choices)
        set_choices(self, "route", referrals.route_choices())
        keep = HEARING_FORM_FIELDS if include_hearing else ()
        for name in [*self.fields]:
            if name in CriminalJusticeFieldsMixin.base_fields and name not in keep:
                del self.fields[name]
        if include_hearing:
            self._setup_courts()
            self.fields["court"].label = "Court of the next hearing (optional)"
            self.fields["hearing_date"].label = "Date of the next hearing (optional)"

    def clean_team(self) -> Team:
        return self.teams[self.cleaned_data["team"]]

    def to_input(self) -> referrals.OutsideReferral:
        data = self.cleaned_data
        hearing = (
            {
                "court": data.get("court"),
                "court_name": data.get("court_name", "").strip(),
                "hearing_at": data.get("hearing_at"),
            }
            if self.include_hearing
            else {}
        )
        return referrals.OutsideReferral(
            route=data["route"],
            received_on=data["received_on"],
            reason=data["reason"],
            referrer_name=data["referrer_name"],
            referrer_organisation=data["referrer_organisation"],
            referrer_contact=data["referrer_contact"],
            hearing=hearing,
        )


@permission_required(Permission.EPISODE_MANAGE)
@require_http_methods(["GET", "POST"])
def refer_person(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    person = person_for_user(request.user, person_id, request=request)
    teams = list(referrals.referral_teams(request.user))
    if not teams:
        raise PermissionDenied("Only members of an MHTR team record referrals to it.")
    include_hearing = has_permission(request.user, Permission.CJ_CONTEXT_VIEW)
    form = OutsideReferralForm(
        request.POST if request.method == "POST" else None,
        teams=teams,
        include_hearing=include_hearing,
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = referrals.referral_receive(
                actor=request.user,
                person=person,
                team=form.cleaned_data["team"],
                data=form.to_input(),
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc, SERVICE_FIELD_TO_FORM)
        else:
            messages.success(
                request,
                f"The referral is recorded: {person.full_name} has an MHTR episode with "
                f"{referral.episode.team.name}.",
            )
            return redirect("journeys:detail", public_id=referral.episode.public_id)
    return render(
        request,
        "mhtr/refer_person.html",
        {
            "title": "Record an MHTR referral",
            "form": form,
            "person": person,
            "one_team": teams[0] if len(teams) == 1 else None,
        },
    )
