"""Reads for feedback and you said, we did."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from healthjustice.accounts.models import User
from healthjustice.organisations.models import Membership, Team
from healthjustice.organisations.roles import Permission, permissions_for_role

from .models import Feedback, ImprovementAction, Theme


def public_teams() -> QuerySet[Team]:
    """Teams anyone may give feedback about."""
    return Team.objects.filter(is_active=True).select_related("organisation").order_by("name")


def team_by_public_id(value: str | None) -> Team | None:
    try:
        key = uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None
    return public_teams().filter(public_id=key).first()


def teams_with(user: User, permission: Permission) -> QuerySet[Team]:
    """The teams in which the user holds `permission` through a current membership."""
    roles = [
        role
        for role in Membership.objects.current()
        .filter(user=user)
        .values_list("role", flat=True)
        .distinct()
        if permission in permissions_for_role(role)
    ]
    team_ids = (
        Membership.objects.current()
        .filter(user=user, role__in=roles)
        .values_list("team_id", flat=True)
    )
    return Team.objects.filter(pk__in=list(team_ids)).order_by("name")


def feedback_for(user: User) -> QuerySet[Feedback]:
    return (
        Feedback.objects.filter(team__in=teams_with(user, Permission.FEEDBACK_VIEW))
        .select_related("team")
        .prefetch_related("themes")
    )


def feedback_item(user: User, public_id: uuid.UUID) -> Feedback | None:
    return (
        feedback_for(user)
        .select_related("ethnic_category", "responded_by", "contact")
        .filter(public_id=public_id)
        .first()
    )


def actions_for(user: User) -> QuerySet[ImprovementAction]:
    return ImprovementAction.objects.filter(
        team__in=teams_with(user, Permission.FEEDBACK_VIEW)
    ).select_related("team", "theme")


def action_item(user: User, public_id: uuid.UUID) -> ImprovementAction | None:
    return actions_for(user).filter(public_id=public_id).first()


def active_themes() -> QuerySet[Theme]:
    return Theme.objects.filter(is_active=True)


def published_actions() -> QuerySet[ImprovementAction]:
    """The public you said, we did list: by team, then theme, newest first."""
    return (
        ImprovementAction.objects.filter(is_published=True)
        .select_related("team", "theme")
        .order_by("team__name", "theme__sort_order", "theme__name", "-created_at")
    )
