"""Reading lists, and how each row stands against the register for the person looking.

A row is matched first on an exact identifier (PNC ID, prison number, NHS number), then on
name and date of birth through people's duplicate check, under the same visibility rules as
registration: people the user may see are named (with a link), others held by the service
are only counted, never named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from healthjustice.accounts.models import User
from healthjustice.audit.services import deny_as_not_found
from healthjustice.journeys.access import working_team_ids
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.access import break_glass_candidates, visible_people
from healthjustice.people.identifiers import pnc_id_key
from healthjustice.people.models import Person
from healthjustice.people.selectors import possible_duplicates

from .choices import MatchState
from .models import ImportedList, ListRow

# Counting hidden matches stops here: the number is only ever "some".
_HIDDEN_CAP = 20


@dataclass
class RowMatch:
    state: MatchState
    people: list[Person] = field(default_factory=list)  # visible to the user, best first
    hidden: int = 0  # held by the service, not visible to the user
    by: str = ""  # "identifier" or "name and date of birth"


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


def _pnc_forms(value: str) -> list[str]:
    """The ways the register may hold this PNC ID: short form, and long form in either century."""
    key = pnc_id_key(value)
    if key is None:
        return []
    year, rest = key.split("/")
    return [key, f"19{year}/{rest}", f"20{year}/{rest}"]


def _identifier_filter(row: ListRow) -> Q | None:
    condition = Q()
    used = False
    if row.pnc_id:
        forms = _pnc_forms(row.pnc_id)
        if forms:
            condition |= Q(pnc_id__in=forms)
            used = True
    if row.prison_number:
        condition |= Q(prison_number=row.prison_number)
        used = True
    if row.nhs_number:
        condition |= Q(nhs_number=row.nhs_number)
        used = True
    return condition if used else None


def _dates_agree(row: ListRow, person: Person) -> bool:
    return (
        row.date_of_birth is None
        or person.date_of_birth is None
        or person.date_of_birth == row.date_of_birth
    )


def row_match(user: User, row: ListRow) -> RowMatch:
    """How the row stands for `user`: known to their team, known elsewhere, or new."""
    condition = _identifier_filter(row)
    if condition is not None:
        seen = list(visible_people(user).filter(condition).order_by("family_name", "pk")[:5])
        seen_ids = {p.pk for p in seen}
        others = [
            pk
            for pk in break_glass_candidates(user)
            .filter(condition)
            .values_list("pk", flat=True)[:_HIDDEN_CAP]
            if pk not in seen_ids
        ]
        if seen:
            return RowMatch(MatchState.KNOWN, seen, len(others), "identifier")
        if others:
            return RowMatch(MatchState.HIDDEN, [], len(others), "identifier")
    visible, hidden = possible_duplicates(
        user,
        given_name=row.given_name,
        family_name=row.family_name,
        date_of_birth=row.date_of_birth,
        nhs_number=None,
    )
    people = [m.person for m in visible if _dates_agree(row, m.person)]
    if people:
        return RowMatch(MatchState.KNOWN, people[:5], hidden, "name and date of birth")
    if hidden:
        return RowMatch(MatchState.HIDDEN, [], hidden, "name and date of birth")
    return RowMatch(MatchState.NEW)


@dataclass
class ShownRow:
    row: ListRow
    match: RowMatch


def list_rows(imported: ImportedList) -> QuerySet[ListRow]:
    """The list's rows still kept, in the file's order."""
    return imported.rows.select_related("site", "person", "episode").order_by("line")


def rows_shown(user: User, rows: Any) -> list[ShownRow]:
    """Rows (one page of a list, say), each matched for the user."""
    return [ShownRow(row, row_match(user, row)) for row in rows]
