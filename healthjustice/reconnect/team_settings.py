"""A RECONNECT team's own settings, changed by its leaders on a page: how many days after
release may pass without a contact before the worklist shows one as overdue.

Who may change a team's settings is decided once, by `may_change_settings`: the permission
`team.settings` held through a current membership *of that team* (team leaders and service
managers), as for MHTR teams. Saving is an edit with optimistic locking: the form posts the
version it showed, and a save over someone else's raises `StaleEditError` with nothing written.
"""

from __future__ import annotations

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

from .models import ReconnectTeamSettings

# A team without its own row has the defaults, shown as version 0 (nothing saved yet).
UNSAVED_VERSION = 0
STALE = (
    "Someone else saved these settings while you were changing them, so yours have not been "
    "saved. The settings as saved now are shown: check them, and save again to replace them."
)
NOT_YOURS = "You can change the settings only of RECONNECT teams you lead."
CONTACT_DAYS_WORDS = "The days after release without a contact"


def contact_days_bounds() -> tuple[int, int]:
    """The fewest and most days the model allows (defined there, once)."""
    validators = model_field(ReconnectTeamSettings, "contact_days").validators
    low = next(v.limit_value for v in validators if isinstance(v, MinValueValidator))
    high = next(v.limit_value for v in validators if isinstance(v, MaxValueValidator))
    return int(low), int(high)


def settings_teams(user: User) -> QuerySet[Team]:
    """The RECONNECT teams whose settings the user may change: active ones they hold a current
    membership of in a role with the permission."""
    if not has_permission(user, Permission.TEAM_SETTINGS_MANAGE):
        return Team.objects.none()
    team_ids = (
        Membership.objects.current()
        .filter(user=user, role__in=roles_with(Permission.TEAM_SETTINGS_MANAGE))
        .values("team_id")
    )
    return Team.objects.filter(id__in=team_ids, pathway=Pathway.RECONNECT, is_active=True).order_by(
        "name"
    )


def may_change_settings(user: User, team: Team) -> bool:
    """The one rule for changing a RECONNECT team's settings."""
    return settings_teams(user).filter(pk=team.pk).exists()


def team_for_settings(user: User, public_id: Any) -> Team:
    """The RECONNECT team, if the user may change its settings: a 404 if there is no such
    RECONNECT team, refused if it is not one of theirs."""
    team = Team.objects.filter(public_id=public_id, pathway=Pathway.RECONNECT).first()
    if team is None:
        raise Http404("No such RECONNECT team")
    if not may_change_settings(user, team):
        raise PermissionDenied(NOT_YOURS)
    return team


def current_settings(team: Team) -> tuple[ReconnectTeamSettings, int]:
    """The team's settings (the defaults when it has none saved) and the version to edit."""
    saved = ReconnectTeamSettings.objects.filter(team=team).first()
    if saved is None:
        return ReconnectTeamSettings(team=team), UNSAVED_VERSION
    return saved, saved.version


@transaction.atomic
def team_settings_save(
    *,
    actor: User,
    team: Team,
    contact_days: int,
    expected_version: int,
    request: HttpRequest | None = None,
) -> ReconnectTeamSettings:
    """Change a team's settings, unless someone else saved them since the page was opened."""
    if not may_change_settings(actor, team):
        raise PermissionDenied(NOT_YOURS)
    low, high = contact_days_bounds()
    if not low <= contact_days <= high:
        raise ValidationError(
            {"contact_days": f"{CONTACT_DAYS_WORDS} must be between {low} and {high}"}
        )
    # The team row is the lock: a first save creates the settings row, and two first saves
    # must not both think there is none.
    Team.objects.select_for_update().filter(pk=team.pk).first()
    saved = ReconnectTeamSettings.objects.select_for_update().filter(team=team).first()
    version = saved.version if saved is not None else UNSAVED_VERSION
    if version != expected_version:
        raise StaleEditError(STALE)
    if saved is not None and saved.contact_days == contact_days:
        return saved
    current = saved if saved is not None else ReconnectTeamSettings(team=team)
    current.contact_days = contact_days
    current.version = 1 if saved is None else current.version + 1
    current.save()
    audit_model_change(
        actor=actor,
        action=Action.CREATE if saved is None else Action.UPDATE,
        instance=current,
        fields_changed=["contact_days"],
        request=request,
        detail={"via": "settings page", "team": str(team.public_id)},
    )
    return current
