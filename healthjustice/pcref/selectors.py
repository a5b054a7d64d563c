"""Reads for the PCREF plan and the involvement register, scoped to the user's trusts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from healthjustice.accounts.models import User
from healthjustice.equity.groups import BROAD_GROUPS, GROUP_OF_CODE
from healthjustice.equity.suppression import Cell, suppress_breakdown
from healthjustice.organisations.models import Membership, Organisation
from healthjustice.organisations.roles import Permission, roles_with

from .models import PERSON_KINDS, Competency, Involvement, PlanAction

NOT_RECORDED = "Not recorded"


def organisations_for(user: User) -> QuerySet[Organisation]:
    """The trusts whose plan and register the user keeps: those of the teams in which they
    hold pcref.manage through a current membership."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    ids = (
        Membership.objects.current()
        .filter(user=user, role__in=roles_with(Permission.PCREF_MANAGE))
        .values_list("team__organisation_id", flat=True)
    )
    return Organisation.objects.filter(pk__in=list(ids)).order_by("name")


def plan_actions(user: User) -> QuerySet[PlanAction]:
    return PlanAction.objects.filter(organisation__in=organisations_for(user)).select_related(
        "organisation"
    )


def plan_action(user: User, public_id: uuid.UUID) -> PlanAction | None:
    return plan_actions(user).filter(public_id=public_id).first()


def involvements(
    user: User,
    *,
    kind: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Involvement]:
    rows = Involvement.objects.filter(organisation__in=organisations_for(user)).select_related(
        "organisation", "ethnic_category"
    )
    if kind:
        rows = rows.filter(kind=kind)
    if date_from:
        rows = rows.filter(took_part_on__gte=date_from)
    if date_to:
        rows = rows.filter(took_part_on__lte=date_to)
    return rows


def involvement(user: User, public_id: uuid.UUID) -> Involvement | None:
    return involvements(user).filter(public_id=public_id).first()


def public_plan() -> list[tuple[Organisation, list[tuple[str, list[PlanAction]]]]]:
    """Every trust's plan, by competency in the framework's order: for the public page."""
    by_org: dict[int, tuple[Organisation, dict[str, list[PlanAction]]]] = {}
    for action in PlanAction.objects.select_related("organisation"):
        _, groups = by_org.setdefault(action.organisation_id, (action.organisation, {}))
        groups.setdefault(action.competency, []).append(action)
    return [
        (org, [(c.label, groups[c.value]) for c in Competency if c.value in groups])
        for org, groups in sorted(by_org.values(), key=lambda pair: pair[0].name)
    ]


@dataclass(frozen=True)
class GroupRow:
    label: str
    cell: Cell


@dataclass(frozen=True)
class InvolvementFigures:
    rows: list[GroupRow]
    total: Cell


def _person_key(row: Involvement) -> str:
    return " ".join(row.name.casefold().split())


def involvement_figures(
    user: User, *, date_from: date | None, date_to: date | None
) -> InvolvementFigures:
    """Distinct people (not organisations) who took part in the period, by broad ethnic group,
    small numbers suppressed. A person is counted once, in the group of their latest record
    that has an ethnic category."""
    rows = involvements(user, date_from=date_from, date_to=date_to).filter(
        kind__in=list(PERSON_KINDS)
    )
    group_of: dict[tuple[int, str], str] = {}
    for row in rows.order_by("took_part_on", "pk"):
        key = (row.organisation_id, _person_key(row))
        code = row.ethnic_category.code if row.ethnic_category else ""
        group = GROUP_OF_CODE.get(code, NOT_RECORDED)
        if group != NOT_RECORDED or key not in group_of:
            group_of[key] = group
    keys = [g.key for g in BROAD_GROUPS] + [NOT_RECORDED]
    labels = [g.label for g in BROAD_GROUPS] + [NOT_RECORDED]
    counts = [sum(1 for g in group_of.values() if g == key) for key in keys]
    shown = suppress_breakdown(counts)
    return InvolvementFigures(
        rows=[GroupRow(label, cell) for label, cell in zip(labels, shown.cells, strict=True)],
        total=shown.total,
    )
