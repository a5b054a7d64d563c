"""What every RECONNECT write shares: the guards (may change the episode, is RECONNECT, is
open and at which stage, is eligible), the stages each step is allowed at, and the wording of
dates and audit details."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from healthjustice.accounts.models import User
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.services import is_team_worker
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Team
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.models import Person

from .. import selectors
from ..choices import EligibilityOutcome

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


def _require_eligible(episode: Episode) -> None:
    check = selectors.latest_eligibility(episode)
    if check is None or check.outcome != EligibilityOutcome.ELIGIBLE:
        raise ValidationError("Record that they are eligible first.")


# Stages at which contacts are logged: support before release, and after it.
CONTACT_STAGES = (Stage.PRE_RELEASE, Stage.RELEASED, Stage.POST_RELEASE)


# Stages at which the support plan is written or added to.
PLAN_STAGES = (Stage.ELIGIBILITY_CHECKED, *CONTACT_STAGES)


AFTER_RELEASE = (Stage.RELEASED, Stage.POST_RELEASE)


def _released_on(episode: Episode) -> date:
    details = selectors.release_details_of(episode)
    if details is None or details.released_on is None:
        raise ValidationError("The release is not recorded yet: record the release first.")
    return details.released_on
