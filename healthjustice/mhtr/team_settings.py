"""An MHTR team's own settings, changed by its leaders on a page (the admin keeps its form).

Who may change a team's settings is decided once, by `may_change_settings`: the permission
`team.settings` held through a current membership *of that team* (team leaders and service
managers). Saving is an edit with optimistic locking: the form posts the version it showed, and
a save over someone else's raises `StaleEditError` with nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_model_change
from healthjustice.core.concurrency import StaleEditError
from healthjustice.core.meta import model_field
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Membership, Team
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission, roles_with

from .models import TeamSettings

# A team without its own row has the defaults, shown as version 0 (nothing saved yet).
UNSAVED_VERSION = 0
STALE = (
    "Someone else saved these settings while you were changing them, so yours have not been "
    "saved. The settings as saved now are shown: check them, and save again to replace them."
)
# How each setting is named in a sentence ("Planned sessions must be between 1 and 60").
SETTING_WORDS = {
    "planned_sessions": "The planned number of sessions",
    "notice_working_days": "The working days to send a compliance notice",
    "first_appointment_working_days": "The working days from sentence to the first appointment",
}


@dataclass(frozen=True)
class SettingsInput:
    planned_sessions: int
    notice_working_days: int
    first_appointment_working_days: int


def bounds(name: str) -> tuple[int, int]:
    """The lowest and highest values the model allows for a setting (defined there, once)."""
    validators = model_field(TeamSettings, name).validators
    low = next(v.limit_value for v in validators if isinstance(v, MinValueValidator))
    high = next(v.limit_value for v in validators if isinstance(v, MaxValueValidator))
    return int(low), int(high)


def settings_teams(user: User) -> QuerySet[Team]:
    """The MHTR teams whose settings the user may change: active ones they hold a current
    membership of in a role with the permission."""
    if not has_permission(user, Permission.TEAM_SETTINGS_MANAGE):
        return Team.objects.none()
    team_ids = (
        Membership.objects.current()
        .filter(user=user, role__in=roles_with(Permission.TEAM_SETTINGS_MANAGE))
        .values("team_id")
    )
    return Team.objects.filter(id__in=team_ids, pathway=Pathway.MHTR, is_active=True).order_by(
        "name"
    )


def may_change_settings(user: User, team: Team) -> bool:
    """The one rule for changing a team's settings."""
    return settings_teams(user).filter(pk=team.pk).exists()


def team_for_settings(user: User, public_id: Any) -> Team:
    """The MHTR team, if the user may change its settings: a 404 if there is no such MHTR team,
    refused if it is not one of theirs."""
    team = Team.objects.filter(public_id=public_id, pathway=Pathway.MHTR).first()
    if team is None:
        raise Http404("No such MHTR team")
    if not may_change_settings(user, team):
        raise PermissionDenied("You can change the settings only of MHTR teams you lead.")
    return team


def current_settings(team: Team) -> tuple[TeamSettings, int]:
    """The team's settings (the defaults when it has none saved) and the version to edit."""
    saved = TeamSettings.objects.filter(team=team).first()
    if saved is None:
        return TeamSettings(team=team), UNSAVED_VERSION
    return saved, saved.version


def _check(data: SettingsInput) -> None:
    errors: dict[str, str] = {}
    for name, words in SETTING_WORDS.items():
        low, high = bounds(name)
        value = getattr(data, name)
        if not low <= value <= high:
            errors[name] = f"{words} must be between {low} and {high}"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def team_settings_save(
    *,
    actor: User,
    team: Team,
    data: SettingsInput,
    expected_version: int,
    request: HttpRequest | None = None,
) -> TeamSettings:
    """Change a team's settings, unless someone else saved them since the page was opened."""
    if not may_change_settings(actor, team):
        raise PermissionDenied("You can change the settings only of MHTR teams you lead.")
    _check(data)
    # The team row is the lock: a first save creates the settings row, and two first saves
    # must not both think there is none.
    Team.objects.select_for_update().filter(pk=team.pk).first()
    saved = TeamSettings.objects.select_for_update().filter(team=team).first()
    version = saved.version if saved is not None else UNSAVED_VERSION
    if version != expected_version:
        raise StaleEditError(STALE)
    creating = saved is None
    current = saved if saved is not None else TeamSettings(team=team)
    changed = [f.name for f in fields(data) if getattr(current, f.name) != getattr(data, f.name)]
    if not changed and not creating:
        return current
    for f in fields(data):
        setattr(current, f.name, getattr(data, f.name))
    current.version = 1 if creating else current.version + 1
    current.save()
    audit_model_change(
        actor=actor,
        action=Action.CREATE if creating else Action.UPDATE,
        instance=current,
        fields_changed=changed if not creating else [f.name for f in fields(data)],
        request=request,
        detail={"via": "settings page", "team": str(team.public_id)},
    )
    return current
