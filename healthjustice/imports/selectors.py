"""Reading lists, and how each row stands against the register for the person looking.

Rows are matched against the register together (`rowmatch`), under the same visibility rules
as registration: people the user may see are named (with a link), others held by the service
are only counted, never named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from healthjustice.accounts.models import User
from healthjustice.audit.services import deny_as_not_found
from healthjustice.journeys.access import working_team_ids
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from .models import ImportedList, ListRow
from .rowmatch import RowMatch, match_rows, pnc_forms

__all__ = ["RowMatch", "match_rows", "pnc_forms"]


def list_teams(user: User) -> list[Any]:
    """The teams whose lists the user may upload and work: those they work in."""
    from healthjustice.organisations.models import Team

    if not has_permission(user, Permission.LIST_IMPORT):
        return []
    return list(Team.objects.filter(pk__in=working_team_ids(user), is_active=True))


def lists_for_user(user: User) -> QuerySet[ImportedList]:
    teams = [t.pk for t in list_teams(user)]
    return ImportedList.objects.filter(team_id__in=teams).select_related("team", "uploaded_by")


def list_for_user(user: User, public_id: Any, *, request: Any) -> ImportedList:
    found = lists_for_user(user).filter(public_id=public_id).first()
    if found is None:
        deny_as_not_found(
            actor=user,
            request=request,
            object_type="imported_list",
            object_id=public_id,
            message="No such list",
        )
    return found


def row_for_user(user: User, public_id: Any, *, request: Any) -> ListRow:
    teams = [t.pk for t in list_teams(user)]
    found = (
        ListRow.objects.filter(team_id__in=teams, public_id=public_id)
        .select_related("imported_list", "team", "site", "person", "episode")
        .first()
    )
    if found is None:
        deny_as_not_found(
            actor=user,
            request=request,
            object_type="list_row",
            object_id=public_id,
            message="No such row",
        )
    return found


def row_match(user: User, row: ListRow) -> RowMatch:
    """How one row stands for `user` (the same rules and path as a whole list)."""
    return match_rows(user, [row])[0]


@dataclass
class ShownRow:
    row: ListRow
    match: RowMatch


def list_rows(imported: ImportedList) -> QuerySet[ListRow]:
    """The list's rows still kept, in the file's order."""
    return imported.rows.select_related("site", "person", "episode").order_by("line")


def rows_shown(user: User, rows: Any) -> list[ShownRow]:
    """Rows (one page of a list, say), matched together for the user."""
    rows = list(rows)
    return [ShownRow(row, match) for row, match in zip(rows, match_rows(user, rows), strict=True)]
