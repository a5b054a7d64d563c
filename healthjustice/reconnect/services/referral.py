"""The referral: by the team, from an L&D episode, or from a prison's release list, each
judged against the referral window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.journeys.choices import EpisodeSetting, Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.services import (
    cj_context_save,
    episode_open,
    episode_refer,
    is_team_worker,
)
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Site, Team
from healthjustice.people.models import Person

from .. import selectors
from ..choices import (
    REFERRAL_SOURCE_FOR,
    Referrer,
    ReleaseType,
)
from ..models import (
    ESTABLISHMENT_KINDS,
    ReconnectReferral,
    ReleaseDetails,
)
from ._common import (
    WINDOW_AFTER_RELEASE,
    WINDOW_BEFORE_RELEASE,
    _detail,
    _locked_stage,
    _require_manage,
    _words,
    is_team_leader,
)

# --- the referral window ---------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """From 12 weeks before release to 28 days after it."""

    release_on: date
    opens: date
    closes: date

    @classmethod
    def around(cls, release_on: date) -> Window:
        return cls(
            release_on, release_on - WINDOW_BEFORE_RELEASE, release_on + WINDOW_AFTER_RELEASE
        )

    def holds(self, day: date) -> bool:
        return self.opens <= day <= self.closes

    def refusal(self, day: date) -> str:
        when = "opens" if day < self.opens else "closed"
        on = self.opens if day < self.opens else self.closes
        return (
            f"The referral is outside the RECONNECT window, which runs from 12 weeks before "
            f"release to 28 days after it: for a release on {_words(self.release_on)} it "
            f"{when} on {_words(on)}. A team leader can record an exception with its reason."
        )


# --- the referral ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralInput:
    referrer: str
    health_need: str
    establishment: Site | None
    expected_release_on: date | None = None
    released_on: date | None = None
    release_type: str = ""
    referrer_name: str = ""
    exception_reason: str = ""


def _check_referral(
    actor: User, team: Team, data: ReferralInput, today: date
) -> tuple[Window, str]:
    """Every rule a referral must meet; returns the window and the exception (if one is used)."""
    errors: dict[str, str] = {}
    if data.referrer not in Referrer.values:
        errors["referrer"] = "Select who made the referral"
    if not data.health_need.strip():
        errors["health_need"] = "Enter the health need they are being referred for"
    if data.establishment is None:
        errors["establishment"] = "Select the prison or immigration removal centre"
    elif data.establishment.kind not in ESTABLISHMENT_KINDS or not data.establishment.is_active:
        errors["establishment"] = "Select a prison or immigration removal centre from the list"
    if data.release_type and data.release_type not in ReleaseType.values:
        errors["release_type"] = "Select a release type from the list"
    if data.released_on is not None:
        if data.released_on > today:
            errors["released_on"] = (
                "The actual release date must be today or in the past: for a release still to "
                "come, enter the expected release date"
            )
    elif data.expected_release_on is None:
        errors["expected_release_on"] = (
            "Enter the expected release date, or the actual release date if they have been released"
        )
    elif data.expected_release_on < today:
        errors["expected_release_on"] = (
            "The expected release date is in the past: if they have been released, enter the "
            "actual release date"
        )
    if errors:
        raise ValidationError(errors)
    release_on = data.released_on or data.expected_release_on
    assert release_on is not None  # checked above
    window = Window.around(release_on)
    exception = data.exception_reason.strip()
    if window.holds(today):
        return window, ""
    if not exception:
        field = "released_on" if data.released_on else "expected_release_on"
        raise ValidationError({field: window.refusal(today)})
    if not is_team_leader(actor, team):
        raise ValidationError(
            {
                "exception_reason": f"Only a team leader of {team.name} can record an exception "
                "to the referral window. " + window.refusal(today)
            }
        )
    return window, exception


def _check_not_open(person: Person, team: Team) -> None:
    if selectors.open_reconnect_episodes(person, team).exists():
        raise ValidationError(f"{person.full_name} already has an open episode with {team.name}.")


def _after_open(
    *,
    actor: User,
    episode: Episode,
    data: ReferralInput,
    window: Window,
    exception: str,
    from_episode: Episode | None,
    request: HttpRequest | None,
) -> ReconnectReferral:
    """What every route writes once the episode is open: the referral, the release details
    and the expected release date in the criminal-justice details."""
    assert data.establishment is not None  # checked
    if data.expected_release_on and data.released_on is None:
        cj_context_save(
            actor=actor,
            episode=episode,
            details={"prison_release_on": data.expected_release_on},
            expected_version=None,
            request=request,
        )
    release = ReleaseDetails.objects.create(
        episode=episode,
        establishment=data.establishment,
        release_type=data.release_type,
        released_on=data.released_on,
        updated_by=actor,
    )
    referral = ReconnectReferral.objects.create(
        episode=episode,
        from_episode=from_episode,
        referrer=data.referrer,
        referrer_name=data.referrer_name.strip(),
        health_need=data.health_need.strip(),
        release_on=window.release_on,
        released=data.released_on is not None,
        window_opens=window.opens,
        window_closes=window.closes,
        exception_reason=exception,
        exception_by=actor if exception else None,
        made_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_referral",
        object_id=str(referral.public_id),
        detail=_detail(
            episode,
            referrer=data.referrer,
            release_details=release.pk,
            **({"window_exception": True} if exception else {}),
            **({"from_episode": str(from_episode.public_id)} if from_episode else {}),
        ),
    )
    return referral


@transaction.atomic
def referral_record(
    *,
    actor: User,
    person: Person,
    team: Team,
    data: ReferralInput,
    request: HttpRequest | None = None,
) -> ReconnectReferral:
    """A RECONNECT worker takes a referral (from prison healthcare, a substance misuse team,
    probation, the person, their family or a friend) into their own team."""
    if team.pathway != Pathway.RECONNECT:
        raise ValidationError({"team": "Choose a RECONNECT team"})
    if not is_team_worker(actor, team.pk):
        raise PermissionDenied("You can only take referrals into a team you work in.")
    if data.referrer in (Referrer.LIAISON_DIVERSION,):
        raise ValidationError(
            {"referrer": "A Liaison and Diversion team refers from its own episode"}
        )
    today = timezone.localdate()
    window, exception = _check_referral(actor, team, data, today)
    _check_not_open(person, team)
    assert data.establishment is not None  # checked
    site = data.establishment if data.establishment.teams.filter(pk=team.pk).exists() else None
    episode = episode_open(
        actor=actor,
        person=person,
        team=team,
        setting=EpisodeSetting.PRISON,
        site=site,
        referral_source=REFERRAL_SOURCE_FOR[data.referrer],
        referred_at=timezone.now(),
        reason=data.health_need.strip(),
        request=request,
    )
    return _after_open(
        actor=actor,
        episode=episode,
        data=data,
        window=window,
        exception=exception,
        from_episode=None,
        request=request,
    )


@transaction.atomic
def referral_from_ld(
    *,
    actor: User,
    from_episode: Episode,
    data: ReferralInput,
    request: HttpRequest | None = None,
) -> ReconnectReferral:
    """Refer the person of an L&D episode to their region's RECONNECT team."""
    _require_manage(actor, from_episode)
    if not is_team_worker(actor, from_episode.team_id):
        raise PermissionDenied("You can only refer on from your own team's episodes.")
    if from_episode.pathway != Pathway.LIAISON_DIVERSION:
        raise ValidationError("Only a Liaison and Diversion episode can refer to RECONNECT.")
    if _locked_stage(from_episode) == Stage.CLOSED:
        raise ValidationError("This episode is closed: open a new episode to refer on.")
    region = from_episode.team.region
    team = selectors.reconnect_team_for(region)
    if team is None:
        raise ValidationError(
            f"There is no RECONNECT team in {region.name}, so the referral cannot be made here."
        )
    data = ReferralInput(
        referrer=Referrer.LIAISON_DIVERSION,
        health_need=data.health_need,
        establishment=data.establishment,
        expected_release_on=data.expected_release_on,
        released_on=data.released_on,
        release_type=data.release_type,
        referrer_name=from_episode.team.name,
        exception_reason=data.exception_reason,
    )
    window, exception = _check_referral(actor, team, data, timezone.localdate())
    _check_not_open(from_episode.person, team)
    episode = episode_refer(
        actor=actor,
        from_episode=from_episode,
        to_team=team,
        reason=data.health_need.strip(),
        request=request,
    )
    return _after_open(
        actor=actor,
        episode=episode,
        data=data,
        window=window,
        exception=exception,
        from_episode=from_episode,
        request=request,
    )


@transaction.atomic
def referral_from_release(
    *,
    actor: User,
    person: Person,
    team: Team,
    establishment: Site,
    expected_release_on: date,
    release_type: str = "",
    list_name: str = "",
    health_need: str = "",
    request: HttpRequest | None = None,
) -> ReconnectReferral:
    """Refer a person named on a prison's release list, in one action (the release-list import
    calls this). The same rules as any referral: the window, one open episode per team."""
    need = health_need.strip() or (
        f"Named on {list_name or 'the release list of ' + establishment.name}, "
        f"for release on {_words(expected_release_on)}, and known to the service."
    )
    return referral_record(
        actor=actor,
        person=person,
        team=team,
        data=ReferralInput(
            referrer=Referrer.RELEASE_LIST,
            health_need=need,
            establishment=establishment,
            expected_release_on=expected_release_on,
            release_type=release_type,
            referrer_name=list_name or establishment.name,
        ),
        request=request,
    )
