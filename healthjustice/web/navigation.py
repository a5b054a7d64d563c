"""The header's navigation, chosen by what the signed-in user may do."""

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from healthjustice.accounts.models import User
from healthjustice.organisations.models import Team
from healthjustice.organisations.permissions import current_memberships, user_permissions
from healthjustice.organisations.roles import Permission

# (label, url name, permission needed)
NAV_ITEMS: list[tuple[str, str, Permission]] = [
    ("Worklist", "worklist:home", Permission.EPISODE_VIEW),
    ("Follow-ups", "interventions:follow_ups", Permission.EPISODE_VIEW),
    ("Find a person", "people:search", Permission.PERSON_SEARCH),
    ("Register a person", "people:register", Permission.PERSON_CREATE),
    ("Lists", "imports:home", Permission.LIST_IMPORT),
    ("Carers", "carers:home", Permission.CARERS_MANAGE),
    ("Service dashboard", "reporting:dashboard", Permission.TEAM_REPORTS),
    ("Race equity figures", "equity:home", Permission.EQUALITY_AGGREGATES),
    ("Race equity figures", "equity:home", Permission.TEAM_REPORTS),
    ("PCREF plan and involvement", "pcref:plan", Permission.PCREF_MANAGE),
    ("Feedback", "feedback:staff_list", Permission.FEEDBACK_VIEW),
    ("Audit trail", "audit:home", Permission.AUDIT_READ),
    ("Break-glass reviews", "audit:break_glass", Permission.AUDIT_REVIEW_BREAK_GLASS),
    ("Possible duplicates", "matching:queue", Permission.MATCHING_REVIEW),
    ("Merged records", "people:merges", Permission.PERSON_MERGES_VIEW),
]


def navigation(request: HttpRequest) -> list[dict[str, Any]]:
    perms = user_permissions(request.user)
    items: list[dict[str, Any]] = []
    for label, name, permission in NAV_ITEMS:
        if permission not in perms:
            continue
        try:
            href = reverse(name)
        except NoReverseMatch:
            continue
        if any(item["href"] == href for item in items):
            continue  # one page reached through either of two permissions
        items.append({"text": label, "href": href, "current": request.path == href})
    return items


def primary_team(user: User) -> Team | None:
    cache = "_hj_primary_team"
    if not hasattr(user, cache):
        memberships = current_memberships(user)
        setattr(user, cache, memberships[0].team if memberships else None)
    return getattr(user, cache)
