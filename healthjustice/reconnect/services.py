"""The RECONNECT pathway's writes: the referral (by the team, from an L&D episode, or from a
prison's release list), eligibility, the release details and the moves to pre-release support
and release. Each checks every rule before writing anything; every stage change goes through
`journeys.services.episode_move`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import StaleEditError
from healthjustice.interventions.choices import ReferralOutcome, ServiceType
from healthjustice.interventions.services import (
    closure_record,
    referral_update_outcome,
)
from healthjustice.interventions.services import (
    referral_record as onward_referral_record,
)
from healthjustice.journeys.choices import ClosureReason, EpisodeSetting, Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode
from healthjustice.journeys.services import (
    cj_context_save,
    episode_move,
    episode_open,
    episode_refer,
    is_team_worker,
)
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Region, Site, Team
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.models import Person

from . import selectors
from .choices import (
    IN_CUSTODY,
    REFERRAL_SOURCE_FOR,
    Accommodation,
    AppointmentKind,
    ContactMode,
    CustodyStatus,
    EligibilityOutcome,
    EngagementCheckKind,
    EnhancedService,
    NeedArea,
    Referrer,
    ReleaseType,
)
from .models import (
    ESTABLISHMENT_KINDS,
    EligibilityCheck,
    EngagementCheck,
    FirstWeekAppointment,
    GateMeet,
    GatePlan,
    Handover,
    Recall,
    ReconnectReferral,
    ReleaseDetails,
    SupportContact,
    SupportExtension,
    SupportPlanNeed,
    SupportWorkerAllocation,
)

ADULT_AGE = 18
WINDOW_BEFORE_RELEASE = timedelta(weeks=12)
WINDOW_AFTER_RELEASE = timedelta(days=28)
# Stages at which eligibility may be (re)checked.
BEFORE_ELIGIBLE = (Stage.REFERRED, Stage.ELIGIBILITY_CHECKED)
# Stages before release: the release may be recorded, pre-release support started.
BEFORE_RELEASE = (Stage.REFERRED, Stage.ELIGIBILITY_CHECKED, Stage.PRE_RELEASE)


def _words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _detail(episode: Episode, **more: Any) -> dict[str, Any]:
    return {"episode": str(episode.public_id), "person": str(episode.person.public_id), **more}


def age_on(person: Person, day: date) -> int | None:
    dob = person.date_of_birth
    if dob is None:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _require_manage(actor: User, episode: Episode) -> None:
    if not has_permission(actor, Permission.EPISODE_MANAGE, episode.person):
        raise PermissionDenied("You may not change this episode.")


def _require_reconnect(episode: Episode) -> None:
    if episode.pathway != Pathway.RECONNECT:
        raise ValidationError("This is not a RECONNECT episode.")


def _locked_stage(episode: Episode) -> str | None:
    """Lock the episode row and read its stage, so two writers queue up behind each other."""
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    latest = locked.statuses.order_by("-seq").first()
    return latest.stage if latest else None


def _stage_words(stage: str | None) -> str:
    return Stage(stage).label.lower() if stage else "no stage"


def _open_stage(episode: Episode) -> str | None:
    stage = _locked_stage(episode)
    if stage == Stage.CLOSED:
        raise ValidationError("This episode is closed: nothing more can be recorded on it.")
    return stage


def is_team_leader(actor: User, team: Team) -> bool:
    """A team leader (or service manager) working in `team`: who may record an exception."""
    return has_permission(actor, Permission.TEAM_ALLOCATE) and is_team_worker(actor, team.pk)


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


# --- eligibility -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EligibilityInput:
    checked_on: date
    custody_status: str
    health_need: bool
    outcome: str
    enhanced_service: str = ""
    notes: str = ""


def unmet_conditions(person: Person, data: EligibilityInput) -> list[str]:
    """The conditions for RECONNECT that do not hold, in words; none means eligible."""
    unmet: list[str] = []
    age = age_on(person, data.checked_on)
    if age is None:
        unmet.append("their date of birth is not recorded, so being 18 or over is not shown")
    elif age < ADULT_AGE:
        unmet.append(f"they are {age}, and RECONNECT is for people aged 18 or over")
    if data.custody_status not in IN_CUSTODY:
        unmet.append(
            "they must be in a prison or immigration removal centre (remand and release on "
            "temporary licence included), or have left one in the last 28 days"
        )
    if not data.health_need:
        unmet.append("they must have an identified health need")
    return unmet


def unmet_conditions_of(check: EligibilityCheck) -> list[str]:
    data = EligibilityInput(
        checked_on=check.checked_on,
        custody_status=check.custody_status,
        health_need=check.health_need,
        outcome=check.outcome,
    )
    return unmet_conditions(check.episode.person, data)


def _check_eligibility(episode: Episode, data: EligibilityInput) -> list[str]:
    errors: dict[str, str] = {}
    referred_on = timezone.localdate(episode.referred_at)
    if data.checked_on > timezone.localdate():
        errors["checked_on"] = "The date of the check must be today or in the past"
    elif data.checked_on < referred_on:
        errors["checked_on"] = (
            f"The date of the check must be on or after the referral ({_words(referred_on)})"
        )
    if data.custody_status not in CustodyStatus.values:
        errors["custody_status"] = "Select an answer from the list"
    if data.outcome not in EligibilityOutcome.values:
        errors["outcome"] = "Select an answer from the list"
    if data.enhanced_service and data.enhanced_service not in EnhancedService.values:
        errors["enhanced_service"] = "Select an enhanced service from the list"
    elif data.outcome == EligibilityOutcome.ENHANCED and not data.enhanced_service:
        errors["enhanced_service"] = "Select the enhanced service they are being referred to"
    elif data.outcome != EligibilityOutcome.ENHANCED and data.enhanced_service:
        errors["enhanced_service"] = (
            "Leave the enhanced service blank, or say they are eligible for an enhanced service"
        )
    if data.outcome == EligibilityOutcome.NOT_ELIGIBLE and not data.notes.strip():
        errors["notes"] = "Say why they are not eligible"
    if errors:
        raise ValidationError(errors)
    unmet = unmet_conditions(episode.person, data)
    if data.outcome != EligibilityOutcome.NOT_ELIGIBLE and unmet:
        raise ValidationError(
            {
                "outcome": f"{EligibilityOutcome(data.outcome).label} cannot be recorded because "
                + "; ".join(unmet)
            }
        )
    return unmet


@transaction.atomic
def eligibility_record(
    *, actor: User, episode: Episode, data: EligibilityInput, request: HttpRequest | None = None
) -> EligibilityCheck:
    """Record an eligibility check. The first moves the episode to 'eligibility checked'; not
    eligible closes it as such, and an enhanced service closes it as referred there."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    unmet = _check_eligibility(episode, data)
    stage = _open_stage(episode)
    if stage not in BEFORE_ELIGIBLE:
        raise ValidationError(
            "Eligibility is checked before pre-release support starts: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    outcome = EligibilityOutcome(data.outcome)
    if stage == Stage.REFERRED:
        episode_move(
            actor=actor,
            episode=episode,
            to_stage=Stage.ELIGIBILITY_CHECKED,
            note=outcome.label,
            by_record=True,
            request=request,
        )
    check = EligibilityCheck.objects.create(
        episode=episode,
        checked_on=data.checked_on,
        age_at_check=age_on(episode.person, data.checked_on),
        custody_status=data.custody_status,
        health_need=data.health_need,
        enhanced_service=data.enhanced_service,
        outcome=data.outcome,
        notes=data.notes.strip(),
        recorded_by=actor,
    )
    if outcome == EligibilityOutcome.NOT_ELIGIBLE:
        why = "; ".join(unmet) or data.notes.strip()
        episode_move(
            actor=actor,
            episode=episode,
            to_stage=Stage.CLOSED,
            closure_reason=ClosureReason.NOT_ELIGIBLE,
            note=f"Not eligible: {why}"[:2000],
            request=request,
        )
    elif outcome == EligibilityOutcome.ENHANCED:
        episode_move(
            actor=actor,
            episode=episode,
            to_stage=Stage.CLOSED,
            closure_reason=ClosureReason.ENHANCED_SERVICE,
            note=f"Referred to {EnhancedService(data.enhanced_service).label}",
            request=request,
        )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_eligibility",
        object_id=str(check.public_id),
        detail=_detail(episode, outcome=data.outcome),
    )
    return check


# --- release details -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseInput:
    establishment: Site | None
    expected_release_on: date | None
    release_type: str = ""
    area: Region | None = None
    area_detail: str = ""
    accommodation: str = ""
    probation_practitioner: str = ""
    medication: str = ""


def _check_release_details(data: ReleaseInput, details: ReleaseDetails) -> None:
    errors: dict[str, str] = {}
    if data.establishment is None:
        errors["establishment"] = "Select the prison or immigration removal centre"
    elif data.establishment.kind not in ESTABLISHMENT_KINDS:
        errors["establishment"] = "Select a prison or immigration removal centre from the list"
    if data.release_type and data.release_type not in ReleaseType.values:
        errors["release_type"] = "Select a release type from the list"
    if data.accommodation and data.accommodation not in Accommodation.values:
        errors["accommodation"] = "Select an answer from the list"
    if details.released_on is None and data.expected_release_on is None:
        errors["expected_release_on"] = "Enter the expected release date"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def release_details_save(
    *,
    actor: User,
    episode: Episode,
    data: ReleaseInput,
    expected_version: int,
    request: HttpRequest | None = None,
) -> ReleaseDetails:
    """Change the release details; `expected_version` is the version the editor saw."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    _open_stage(episode)
    details = ReleaseDetails.objects.select_for_update().filter(episode=episode).first()
    if details is None:
        raise ValidationError("This episode has no referral, so no release details.")
    if details.version != expected_version:
        raise StaleEditError(
            "Someone else changed these details after you opened the page. Your changes have "
            "not been saved: check their changes and try again."
        )
    _check_release_details(data, details)
    changed = []
    for name in (
        "establishment",
        "release_type",
        "area",
        "area_detail",
        "accommodation",
        "probation_practitioner",
        "medication",
    ):
        value = getattr(data, name)
        value = value.strip() if isinstance(value, str) else value
        if getattr(details, name) != value:
            setattr(details, name, value)
            changed.append(name)
    context = CriminalJusticeContext.objects.filter(episode=episode).first()
    current = context.prison_release_on if context else None
    if data.expected_release_on != current and data.expected_release_on is not None:
        cj_context_save(
            actor=actor,
            episode=episode,
            details={"prison_release_on": data.expected_release_on},
            expected_version=context.version if context else None,
            request=request,
        )
        changed.append("expected_release_on")
    if changed:
        details.version += 1
        details.updated_at = timezone.now()
        details.updated_by = actor
        details.save()
        audit_record(
            actor=actor,
            request=request,
            action=Action.UPDATE,
            object_type="reconnect_release",
            object_id=str(episode.public_id),
            fields_changed=changed,
            detail=_detail(episode),
        )
    return details


# --- stage moves -----------------------------------------------------------------------------


def _require_eligible(episode: Episode) -> None:
    check = selectors.latest_eligibility(episode)
    if check is None or check.outcome != EligibilityOutcome.ELIGIBLE:
        raise ValidationError("Record that they are eligible first.")


@transaction.atomic
def pre_release_start(
    *, actor: User, episode: Episode, note: str = "", request: HttpRequest | None = None
) -> None:
    """Start support before release: eligible, with an expected release date still to come."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage != Stage.ELIGIBILITY_CHECKED:
        raise ValidationError(
            "Pre-release support starts once eligibility is checked: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    _require_eligible(episode)
    details = selectors.release_details_of(episode)
    if details is not None and details.released_on is not None:
        raise ValidationError(
            f"They were released on {_words(details.released_on)}: record the release instead."
        )
    context = CriminalJusticeContext.objects.filter(episode=episode).first()
    expected = context.prison_release_on if context else None
    if expected is None:
        raise ValidationError("Record the expected release date in the release details first.")
    if expected < timezone.localdate():
        raise ValidationError(
            f"The expected release date ({_words(expected)}) has passed: record the release, or "
            "correct the expected date in the release details."
        )
    episode_move(
        actor=actor,
        episode=episode,
        to_stage=Stage.PRE_RELEASE,
        note=note.strip() or f"Support before release on {_words(expected)}",
        by_record=True,
        request=request,
    )


@transaction.atomic
def release_record(
    *,
    actor: User,
    episode: Episode,
    released_on: date,
    release_type: str,
    expected_version: int,
    skip_reason: str = "",
    request: HttpRequest | None = None,
) -> ReleaseDetails:
    """Record the actual release; the episode moves to 'released'. From 'eligibility checked'
    that skips pre-release support, which needs a reason unless the referral came after the
    release."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    errors: dict[str, str] = {}
    if released_on > timezone.localdate():
        errors["released_on"] = "The actual release date must be today or in the past"
    referral = selectors.referral_of(episode)
    if referral is not None and released_on < referral.window_opens:
        errors["released_on"] = (
            f"The release date must be on or after the referral window opened "
            f"({_words(referral.window_opens)})"
        )
    if release_type not in ReleaseType.values:
        errors["release_type"] = "Select a release type from the list"
    if errors:
        raise ValidationError(errors)
    if stage not in (Stage.ELIGIBILITY_CHECKED, Stage.PRE_RELEASE):
        raise ValidationError(
            "The release is recorded once eligibility is checked and before it is recorded "
            f"already: this episode is at '{_stage_words(stage)}'."
        )
    _require_eligible(episode)
    details = ReleaseDetails.objects.select_for_update().filter(episode=episode).first()
    if details is None:
        raise ValidationError("This episode has no referral, so no release details.")
    if details.version != expected_version:
        raise StaleEditError(
            "Someone else changed these details after you opened the page. Your changes have "
            "not been saved: check their changes and try again."
        )
    if stage == Stage.ELIGIBILITY_CHECKED and not skip_reason.strip():
        if timezone.localdate(episode.referred_at) >= released_on:
            skip_reason = "Referred after their release"
        else:
            raise ValidationError({"skip_reason": "Give a reason for skipping pre-release support"})
    details.released_on = released_on
    details.release_type = release_type
    details.version += 1
    details.updated_at = timezone.now()
    details.updated_by = actor
    details.save()
    episode_move(
        actor=actor,
        episode=episode,
        to_stage=Stage.RELEASED,
        note=f"Released on {_words(released_on)} ({ReleaseType(release_type).label.lower()})",
        skip_reason=skip_reason if stage == Stage.ELIGIBILITY_CHECKED else "",
        by_record=True,
        request=request,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="reconnect_release",
        object_id=str(episode.public_id),
        fields_changed=["released_on", "release_type"],
        detail=_detail(episode),
    )
    return details


# --- contacts ----------------------------------------------------------------------------------

# Stages at which contacts are logged: support before release, and after it.
CONTACT_STAGES = (Stage.PRE_RELEASE, Stage.RELEASED, Stage.POST_RELEASE)


@dataclass(frozen=True)
class ContactInput:
    contact_on: date
    mode: str
    notes: str
    with_whom: str = ""


@transaction.atomic
def contact_record(
    *, actor: User, episode: Episode, data: ContactInput, request: HttpRequest | None = None
) -> SupportContact:
    """Log a contact. Before the release it is a pre-release contact; once released, a
    post-release one, dated on or after the release."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage not in CONTACT_STAGES:
        raise ValidationError(
            "Contacts are logged once pre-release support has started or they are released: "
            f"this episode is at '{_stage_words(stage)}'."
        )
    errors: dict[str, str] = {}
    today = timezone.localdate()
    referred_on = timezone.localdate(episode.referred_at)
    details = selectors.release_details_of(episode)
    released_on = details.released_on if details else None
    after_release = stage != Stage.PRE_RELEASE and released_on is not None
    if data.contact_on > today:
        errors["contact_on"] = "The date of the contact must be today or in the past"
    elif data.contact_on < referred_on:
        errors["contact_on"] = (
            f"The date of the contact must be on or after the referral ({_words(referred_on)})"
        )
    elif after_release and released_on is not None and data.contact_on < released_on:
        errors["contact_on"] = (
            f"They were released on {_words(released_on)}: a contact after release must be on "
            "or after that date"
        )
    elif after_release and (ends := selectors.support_ends_on(episode)) and data.contact_on > ends:
        errors["contact_on"] = (
            f"Support after release ended on {_words(ends)}: a team leader can extend it, "
            "with a reason"
        )
    if data.mode not in ContactMode.values:
        errors["mode"] = "Select how the contact took place"
    if not data.notes.strip():
        errors["notes"] = "Enter notes on the contact"
    if errors:
        raise ValidationError(errors)
    contact = SupportContact.objects.create(
        episode=episode,
        contact_on=data.contact_on,
        mode=data.mode,
        after_release=after_release,
        with_whom=data.with_whom.strip(),
        notes=data.notes.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_contact",
        object_id=str(contact.public_id),
        detail=_detail(episode, after_release=after_release),
    )
    return contact


# --- the support plan --------------------------------------------------------------------------

# Stages at which the support plan is written or added to.
PLAN_STAGES = (Stage.ELIGIBILITY_CHECKED, *CONTACT_STAGES)


@transaction.atomic
def plan_need_add(
    *,
    actor: User,
    episode: Episode,
    area: str,
    goal: str,
    action: str,
    request: HttpRequest | None = None,
) -> SupportPlanNeed:
    """Add a need to the support plan, from the care practitioner's assessment: its goal and
    the action agreed. Once eligible; one entry per area of need."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage not in PLAN_STAGES:
        raise ValidationError(
            "The support plan is written once they are found eligible: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    _require_eligible(episode)
    errors: dict[str, str] = {}
    if area not in NeedArea.values:
        errors["area"] = "Select the area of need from the list"
    elif SupportPlanNeed.objects.filter(episode=episode, area=area).exists():
        errors["area"] = (
            f"The support plan already has {NeedArea(area).label.lower()}: choose another need"
        )
    if not goal.strip():
        errors["goal"] = "Enter the goal for this need"
    if not action.strip():
        errors["action"] = "Enter the action agreed"
    if errors:
        raise ValidationError(errors)
    need = SupportPlanNeed.objects.create(
        episode=episode, area=area, goal=goal.strip(), action=action.strip(), recorded_by=actor
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_plan_need",
        object_id=str(need.public_id),
        detail=_detail(episode, area=area),
    )
    return need


# --- release day -------------------------------------------------------------------------------

AFTER_RELEASE = (Stage.RELEASED, Stage.POST_RELEASE)


@transaction.atomic
def gate_meet_record(
    *,
    actor: User,
    episode: Episode,
    met: bool,
    met_by: str,
    place: str,
    not_met_reason: str = "",
    request: HttpRequest | None = None,
) -> GateMeet:
    """Record the gate meet on release day: met or not, who, where, and what happened if not.
    Only once the release is recorded, and once per episode."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage not in AFTER_RELEASE:
        raise ValidationError(
            "The gate meet is recorded once the release is recorded: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    if GateMeet.objects.filter(episode=episode).exists():
        raise ValidationError("The gate meet is already recorded for this release.")
    errors: dict[str, str] = {}
    if not met_by.strip():
        errors["met_by"] = "Enter who met them, or was to meet them"
    if not place.strip():
        errors["place"] = "Enter where they were met, or were to be met"
    if not met and not not_met_reason.strip():
        errors["not_met_reason"] = "Enter what happened when they were not met"
    if errors:
        raise ValidationError(errors)
    meet = GateMeet.objects.create(
        episode=episode,
        met=met,
        met_by=met_by.strip(),
        place=place.strip(),
        not_met_reason="" if met else not_met_reason.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_gate_meet",
        object_id=str(meet.public_id),
        detail=_detail(episode, met=met),
    )
    return meet


# --- post-release support ----------------------------------------------------------------------


def _released_on(episode: Episode) -> date:
    details = selectors.release_details_of(episode)
    if details is None or details.released_on is None:
        raise ValidationError("The release is not recorded yet: record the release first.")
    return details.released_on


@transaction.atomic
def post_release_start(
    *, actor: User, episode: Episode, note: str = "", request: HttpRequest | None = None
) -> None:
    """Move from 'released' to 'post-release support': support for up to 6 months after the
    actual release date (longer only by an extension)."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage != Stage.RELEASED:
        raise ValidationError(
            "Post-release support starts once the release is recorded: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    released_on = _released_on(episode)
    ends = selectors.support_ends_on(episode)
    assert ends is not None  # released
    if ends < timezone.localdate():
        raise ValidationError(
            f"Support after release ended on {_words(ends)}, 6 months after the release on "
            f"{_words(released_on)}: a team leader can extend it, with a reason, or close the "
            "episode."
        )
    episode_move(
        actor=actor,
        episode=episode,
        to_stage=Stage.POST_RELEASE,
        note=note.strip() or f"Support after release until {_words(ends)}",
        by_record=True,
        request=request,
    )


# Stages at which support after release may be extended.
EXTENSION_STAGES = (Stage.RELEASED, Stage.POST_RELEASE)


@transaction.atomic
def extension_approve(
    *,
    actor: User,
    episode: Episode,
    extended_to: date | None,
    reason: str,
    request: HttpRequest | None = None,
) -> SupportExtension:
    """Extend support after release beyond its end: only a team leader of the episode's team,
    with a reason. Who approved it and when are kept."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    if not is_team_leader(actor, episode.team):
        raise PermissionDenied(
            f"Only a team leader of {episode.team.name} can approve an extension of support."
        )
    stage = _open_stage(episode)
    if stage not in EXTENSION_STAGES:
        raise ValidationError(
            "Support is extended after the release is recorded: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    _released_on(episode)
    ends = selectors.support_ends_on(episode)
    assert ends is not None  # released
    errors: dict[str, str] = {}
    if extended_to is None:
        errors["extended_to"] = "Enter the date support is extended to"
    elif extended_to <= ends:
        errors["extended_to"] = (
            f"Support already runs until {_words(ends)}: the extension must end after that"
        )
    elif extended_to < timezone.localdate():
        errors["extended_to"] = "The date support is extended to must be today or later"
    if not reason.strip():
        errors["reason"] = "Enter the reason for extending support"
    if errors:
        raise ValidationError(errors)
    assert extended_to is not None
    extension = SupportExtension.objects.create(
        episode=episode,
        previous_end_on=ends,
        extended_to=extended_to,
        reason=reason.strip(),
        approved_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_extension",
        object_id=str(extension.public_id),
        detail=_detail(episode, extended_to=extended_to.isoformat()),
    )
    return extension


# Stages from which a recall to custody is recorded: once released.
RECALL_STAGES = (Stage.RELEASED, Stage.POST_RELEASE, Stage.HANDED_OVER)


@transaction.atomic
def recall_record(
    *,
    actor: User,
    episode: Episode,
    recalled_on: date | None,
    notes: str = "",
    request: HttpRequest | None = None,
) -> Recall:
    """Record a recall to custody: its date, and the episode closes with the reason 'recalled
    to custody'. A later release is a new referral (the window allows 12 weeks before it)."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage not in RECALL_STAGES:
        raise ValidationError(
            "A recall to custody is recorded once the release is recorded: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    released_on = _released_on(episode)
    errors: dict[str, str] = {}
    if recalled_on is None:
        errors["recalled_on"] = "Enter the date of the recall"
    elif recalled_on > timezone.localdate():
        errors["recalled_on"] = "The date of the recall must be today or in the past"
    elif recalled_on < released_on:
        errors["recalled_on"] = (
            f"They were released on {_words(released_on)}: the recall must be on or after that date"
        )
    if errors:
        raise ValidationError(errors)
    assert recalled_on is not None
    recall = Recall.objects.create(
        episode=episode, recalled_on=recalled_on, notes=notes.strip(), recorded_by=actor
    )
    summary = f"Recalled to custody on {_words(recalled_on)}."
    if notes.strip():
        summary += " " + notes.strip()
    closure_record(
        actor=actor,
        episode=episode,
        closure_reason=ClosureReason.RECALLED,
        summary=summary,
        request=request,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_recall",
        object_id=str(recall.public_id),
        detail=_detail(episode, recalled_on=recalled_on.isoformat()),
    )
    return recall


# --- handover ----------------------------------------------------------------------------------

# Stages at which handovers are recorded and their engagement checked: once released.
HANDOVER_STAGES = (Stage.RELEASED, Stage.POST_RELEASE, Stage.HANDED_OVER)
FOUR_WEEKS = timedelta(weeks=4)


@dataclass(frozen=True)
class HandoverInput:
    service_type: str
    service_name: str
    handed_over_on: date | None
    first_appointment_on: date | None = None


@transaction.atomic
def handover_record(
    *, actor: User, episode: Episode, data: HandoverInput, request: HttpRequest | None = None
) -> Handover:
    """Hand over to a named community service: an onward referral (`interventions`) of this
    episode, kept as its handover. Once released; a handover with no service is refused."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage not in HANDOVER_STAGES:
        raise ValidationError(
            "Handovers to community services are recorded once the release is recorded: this "
            f"episode is at '{_stage_words(stage)}'."
        )
    released_on = _released_on(episode)
    errors: dict[str, str] = {}
    if data.service_type not in ServiceType.values:
        errors["service_type"] = "Select the type of community service"
    if not data.service_name.strip():
        errors["service_name"] = "Enter the name of the community service they are handed over to"
    if data.handed_over_on is None:
        errors["handed_over_on"] = "Enter the date of the handover"
    elif data.handed_over_on > timezone.localdate():
        errors["handed_over_on"] = "The date of the handover must be today or in the past"
    elif data.handed_over_on < timezone.localdate(episode.referred_at):
        errors["handed_over_on"] = (
            "The handover must be on or after the referral "
            f"({_words(timezone.localdate(episode.referred_at))})"
        )
    elif data.handed_over_on < released_on:
        errors["handed_over_on"] = (
            f"They were released on {_words(released_on)}: the handover must be on or after "
            "that date"
        )
    elif data.first_appointment_on is not None and data.first_appointment_on < data.handed_over_on:
        errors["first_appointment_on"] = (
            "The first appointment must be on or after the date of the handover"
        )
    if errors:
        raise ValidationError(errors)
    assert data.handed_over_on is not None
    referral = onward_referral_record(
        actor=actor,
        episode=episode,
        service_type=data.service_type,
        service_name=data.service_name,
        referred_on=data.handed_over_on,
        first_appointment_on=data.first_appointment_on,
        request=request,
    )
    handover = Handover.objects.create(episode=episode, referral=referral, recorded_by=actor)
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_handover",
        object_id=str(handover.public_id),
        detail=_detail(episode, onward_referral=str(referral.public_id)),
    )
    return handover


def next_check(handover: Handover) -> str | None:
    """The engagement check still to record: the first appointment's, then the 4-week one."""
    kinds = {c.kind for c in handover.checks.all()}
    for kind in (EngagementCheckKind.FIRST_APPOINTMENT, EngagementCheckKind.FOUR_WEEKS):
        if kind not in kinds:
            return kind
    return None


@transaction.atomic
def engagement_check_record(
    *,
    actor: User,
    handover: Handover,
    checked_on: date | None,
    engaged: bool,
    notes: str = "",
    request: HttpRequest | None = None,
) -> EngagementCheck:
    """Confirm whether they engage with the service: at the first appointment (which also
    completes the onward referral's follow-up), then again at least 4 weeks later."""
    episode = handover.episode
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage not in HANDOVER_STAGES:
        raise ValidationError(
            f"Engagement is checked after the release: this episode is at '{_stage_words(stage)}'."
        )
    kind = next_check(handover)
    if kind is None:
        raise ValidationError("Both engagement checks are recorded for this handover.")
    referral = handover.referral
    first = handover.checks.filter(kind=EngagementCheckKind.FIRST_APPOINTMENT).first()
    errors: dict[str, str] = {}
    if checked_on is None:
        errors["checked_on"] = "Enter the date of the check"
    elif checked_on > timezone.localdate():
        errors["checked_on"] = "The date of the check must be today or in the past"
    elif checked_on < referral.referred_on:
        errors["checked_on"] = (
            f"The handover was on {_words(referral.referred_on)}: the check must be on or after "
            "that date"
        )
    elif first is not None and checked_on < first.checked_on + FOUR_WEEKS:
        due = first.checked_on + FOUR_WEEKS
        errors["checked_on"] = (
            f"The 4-week check is due from {_words(due)}, 4 weeks after the first appointment "
            f"({_words(first.checked_on)})"
        )
    if not engaged and not notes.strip():
        errors["notes"] = "Say what happened when they did not engage"
    if errors:
        raise ValidationError(errors)
    assert checked_on is not None
    check = EngagementCheck.objects.create(
        handover=handover,
        kind=kind,
        checked_on=checked_on,
        engaged=engaged,
        notes=notes.strip(),
        recorded_by=actor,
    )
    if kind == EngagementCheckKind.FIRST_APPOINTMENT and referral.follow_up_done_at is None:
        referral_update_outcome(
            actor=actor,
            referral=referral,
            expected_version=referral.version,
            first_appointment_on=referral.first_appointment_on or checked_on,
            supported_to_first_appointment=referral.supported_to_first_appointment,
            attended=engaged,
            attended_on=checked_on if engaged else None,
            outcome=ReferralOutcome.ENGAGED if engaged else ReferralOutcome.DID_NOT_ATTEND,
            outcome_notes=notes,
            request=request,
        )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_engagement_check",
        object_id=str(check.public_id),
        detail=_detail(episode, kind=kind, engaged=engaged),
    )
    return check


NO_HANDOVER = (
    "Record at least one handover to a community service before moving the episode to "
    "'handed over'."
)


@transaction.atomic
def handed_over_move(
    *, actor: User, episode: Episode, note: str = "", request: HttpRequest | None = None
) -> None:
    """Move from post-release support to 'handed over': only once a handover is recorded."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage != Stage.POST_RELEASE:
        raise ValidationError(
            "An episode is handed over from post-release support: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    handovers = list(
        Handover.objects.filter(episode=episode).select_related("referral").order_by("pk")
    )
    if not handovers:
        raise ValidationError(NO_HANDOVER)
    names = ", ".join(h.referral.service_name for h in handovers)
    episode_move(
        actor=actor,
        episode=episode,
        to_stage=Stage.HANDED_OVER,
        note=note.strip() or f"Handed over to {names}",
        by_record=True,
        request=request,
    )


# --- release day planning ----------------------------------------------------------------------

# Stages before release at which the gate meet is planned (once eligible).
GATE_PLAN_STAGES = (Stage.ELIGIBILITY_CHECKED, Stage.PRE_RELEASE)
FIRST_WEEK = timedelta(days=7)


def _expected_release_on(episode: Episode) -> date | None:
    context = CriminalJusticeContext.objects.filter(episode=episode).first()
    return context.prison_release_on if context else None


@transaction.atomic
def gate_plan_record(
    *,
    actor: User,
    episode: Episode,
    meet_on: date | None,
    meet_at: time | None,
    place: str,
    who: str,
    request: HttpRequest | None = None,
) -> GatePlan:
    """Plan the gate meet before release: where, when and who. Planning again adds a plan; the
    newest counts. Once released, the gate meet itself is recorded instead."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    details = selectors.release_details_of(episode)
    if details is not None and details.released_on is not None:
        raise ValidationError(
            f"They were released on {_words(details.released_on)}: the gate meet is planned "
            "before release. Record the gate meet instead."
        )
    if stage not in GATE_PLAN_STAGES:
        raise ValidationError(
            "The gate meet is planned once they are found eligible and before release: this "
            f"episode is at '{_stage_words(stage)}'."
        )
    _require_eligible(episode)
    errors: dict[str, str] = {}
    if meet_on is None:
        errors["meet_on"] = "Enter the date of the meet"
    elif meet_on < timezone.localdate():
        errors["meet_on"] = "The date of the meet must be today or later"
    if meet_at is None:
        errors["meet_at"] = "Enter the time of the meet"
    if not place.strip():
        errors["place"] = "Enter where they will be met"
    if not who.strip():
        errors["who"] = "Enter who will meet them"
    if errors:
        raise ValidationError(errors)
    assert meet_on is not None and meet_at is not None
    plan = GatePlan.objects.create(
        episode=episode,
        meet_on=meet_on,
        meet_at=meet_at,
        place=place.strip(),
        who=who.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_gate_plan",
        object_id=str(plan.public_id),
        detail=_detail(episode, meet_on=meet_on.isoformat()),
    )
    return plan


@transaction.atomic
def appointment_book(
    *,
    actor: User,
    episode: Episode,
    kind: str,
    appointment_on: date | None,
    where: str = "",
    request: HttpRequest | None = None,
) -> FirstWeekAppointment:
    """Book an appointment for the first week after release (GP, substance misuse service,
    housing, Jobcentre): within 7 days of the release (the actual date, or the expected one
    before it). One of each kind."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    if stage not in PLAN_STAGES:
        raise ValidationError(
            "First-week appointments are booked once they are found eligible: this episode is "
            f"at '{_stage_words(stage)}'."
        )
    _require_eligible(episode)
    details = selectors.release_details_of(episode)
    release_on = details.released_on if details and details.released_on else None
    release_on = release_on or _expected_release_on(episode)
    if release_on is None:
        raise ValidationError("Record the expected release date in the release details first.")
    errors: dict[str, str] = {}
    if kind not in AppointmentKind.values:
        errors["kind"] = "Select the kind of appointment"
    elif FirstWeekAppointment.objects.filter(episode=episode, kind=kind).exists():
        errors["kind"] = (
            f"{AppointmentKind(kind).label}: an appointment is already booked for the first week"
        )
    if appointment_on is None:
        errors["appointment_on"] = "Enter the date of the appointment"
    elif not release_on <= appointment_on <= release_on + FIRST_WEEK:
        errors["appointment_on"] = (
            f"A first-week appointment is between the release on {_words(release_on)} and 7 "
            f"days after it ({_words(release_on + FIRST_WEEK)})"
        )
    if errors:
        raise ValidationError(errors)
    assert appointment_on is not None
    appointment = FirstWeekAppointment.objects.create(
        episode=episode,
        kind=kind,
        appointment_on=appointment_on,
        where=where.strip(),
        booked_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_appointment",
        object_id=str(appointment.public_id),
        detail=_detail(episode, kind=kind),
    )
    return appointment


@transaction.atomic
def appointment_attendance(
    *,
    actor: User,
    appointment: FirstWeekAppointment,
    attended: bool,
    request: HttpRequest | None = None,
) -> FirstWeekAppointment:
    """Record whether they attended a first-week appointment: on or after its day, once."""
    episode = appointment.episode
    _require_manage(actor, episode)
    _require_reconnect(episode)
    stage = _open_stage(episode)
    current = FirstWeekAppointment.objects.select_for_update().get(pk=appointment.pk)
    if current.attended is not None:
        raise ValidationError("Whether they attended is already recorded for this appointment.")
    if stage not in AFTER_RELEASE:
        raise ValidationError(
            f"Attendance is recorded after the release: this episode is at '{_stage_words(stage)}'."
        )
    if current.appointment_on > timezone.localdate():
        raise ValidationError(
            f"The appointment is on {_words(current.appointment_on)}: record whether they "
            "attended on or after that day."
        )
    current.attended = attended
    current.attendance_by = actor
    current.attendance_at = timezone.now()
    current.save(update_fields=["attended", "attendance_by", "attendance_at"])
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="reconnect_appointment",
        object_id=str(current.public_id),
        fields_changed=["attended"],
        detail=_detail(episode, attended=attended),
    )
    return current


# --- the support worker ------------------------------------------------------------------------


@transaction.atomic
def support_worker_allocate(
    *, actor: User, episode: Episode, worker: User | None, request: HttpRequest | None = None
) -> SupportWorkerAllocation:
    """A team leader allocates the person to a peer support or support, time and recovery
    worker of the episode's team (a member whose membership has that worker type). Once
    eligible, until handed over; allocating again replaces the allocation (both are kept)."""
    _require_manage(actor, episode)
    _require_reconnect(episode)
    if not is_team_leader(actor, episode.team):
        raise PermissionDenied(
            f"Only a team leader of {episode.team.name} can allocate a support worker."
        )
    stage = _open_stage(episode)
    if stage not in PLAN_STAGES:
        raise ValidationError(
            "A support worker is allocated once they are found eligible: this episode is at "
            f"'{_stage_words(stage)}'."
        )
    _require_eligible(episode)
    memberships = {m.user_id: m for m in selectors.support_workers_of(episode.team)}
    membership = memberships.get(worker.pk) if worker is not None else None
    if membership is None:
        raise ValidationError(
            {
                "worker": "Choose a peer support worker or support, time and recovery worker of "
                f"{episode.team.name}"
            }
        )
    current = selectors.support_worker_of(episode)
    if current is not None and current.worker_id == membership.user_id:
        raise ValidationError(
            {"worker": f"{membership.user.display_name} is already their support worker"}
        )
    allocation = SupportWorkerAllocation.objects.create(
        episode=episode,
        worker=membership.user,
        worker_type=membership.worker_type,
        allocated_by=actor,
    )
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="reconnect_support_worker",
        object_id=str(allocation.public_id),
        detail=_detail(episode, worker=str(membership.user.public_id)),
    )
    return allocation
