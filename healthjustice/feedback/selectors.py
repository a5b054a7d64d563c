"""Reads for feedback and you said, we did."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.organisations.models import Membership, Team
from healthjustice.organisations.roles import Permission, permissions_for_role

from .models import Feedback, FeedbackStatus, ImprovementAction, Theme

# Each status as a filter on feedback (see Feedback.status).
_ANSWERED = ~Q(response="")
STATUS_FILTERS: dict[str, Q] = {
    FeedbackStatus.NEW: Q(response=""),
    FeedbackStatus.RESPONDED: _ANSWERED & Q(wants_reply=True, reply_sent_at__isnull=True),
    FeedbackStatus.CLOSED: _ANSWERED & (Q(wants_reply=False) | Q(reply_sent_at__isnull=False)),
}


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


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_feedback(
    user: User,
    *,
    team: Team | None = None,
    status: str = "",
    theme: Theme | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> tuple[QuerySet[Feedback], dict[str, int]]:
    """The user's teams' feedback matching the filters, newest first, and how many of those
    matching every filter but the status stand at each status."""
    rows = feedback_for(user)
    if team is not None:
        rows = rows.filter(team=team)
    if theme is not None:
        rows = rows.filter(themes=theme)
    if date_from is not None:
        rows = rows.filter(received_at__gte=_day_start(date_from))
    if date_to is not None:
        rows = rows.filter(received_at__lt=_day_start(date_to + timedelta(days=1)))
    counts = rows.aggregate(
        **{name: Count("pk", filter=rule, distinct=True) for name, rule in STATUS_FILTERS.items()}
    )
    if status in STATUS_FILTERS:
        rows = rows.filter(STATUS_FILTERS[status])
    return rows.distinct().order_by("-received_at", "-pk"), counts


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
    return (
        actions_for(user)
        .select_related("created_by")
        .prefetch_related("feedback")
        .filter(public_id=public_id)
        .first()
    )


def filtered_actions(
    user: User, *, team: Team | None = None, published: str = ""
) -> QuerySet[ImprovementAction]:
    """The user's teams' actions, newest first; `published` is "yes", "no" or "" for both."""
    rows = actions_for(user).annotate(feedback_count=Count("feedback"))
    if team is not None:
        rows = rows.filter(team=team)
    if published in ("yes", "no"):
        rows = rows.filter(is_published=published == "yes")
    return rows.order_by("-created_at", "-pk")


def active_themes() -> QuerySet[Theme]:
    return Theme.objects.filter(is_active=True)


def published_actions() -> QuerySet[ImprovementAction]:
    """The public you said, we did list: by team, then theme, newest first."""
    return (
        ImprovementAction.objects.filter(is_published=True)
        .select_related("team", "theme")
        .order_by("team__name", "theme__sort_order", "theme__name", "-created_at")
    )
