"""Who may reach each PCREF page. The public progress page: anyone. The plan, the involvement
register and its figures, and the quarterly board report (page, narrative and PDF): those who
keep the trust's plan (pcref.manage), that is equality leads and service managers. The equality
lead still reaches no person's record: the matrix's other cases refuse them on every
person-scoped page."""

from __future__ import annotations

from datetime import date

from healthjustice.pcref import services
from healthjustice.pcref.models import (
    ActionStatus,
    Competency,
    Involvement,
    InvolvementKind,
    PlanAction,
    Recognition,
)
from tests.access.matrix import ROLES, Case, allow

KEEPERS = ("service_manager", "equality_lead")


def _action(world) -> PlanAction:
    return world.get(
        "pcref_action",
        lambda w: services.save_action(
            actor=w.users["equality_lead"],
            organisation=w.team.organisation,
            competency=Competency.CO_PRODUCTION,
            action_text="Pay people with lived experience for their time.",
            owner="Head of involvement",
            due_on=date(2027, 3, 31),
            status=ActionStatus.IN_PROGRESS,
        ),
    )


def _involvement(world) -> Involvement:
    return world.get(
        "pcref_involvement",
        lambda w: services.save_involvement(
            actor=w.users["equality_lead"],
            organisation=w.team.organisation,
            answers={
                "kind": InvolvementKind.LIVED_EXPERIENCE,
                "name": "Jordan Example",
                "activity": "Co-designing the custody leaflet",
                "took_part_on": date(2026, 10, 1),
                "role": "Panel member",
                "recognition": Recognition.VOUCHER,
                "amount": None,
            },
        ),
    )


def _action_data(world) -> dict:
    return {
        "organisation": str(world.team.organisation.public_id),
        "competency": Competency.WORKFORCE,
        "action": "Reverse mentoring for the board.",
        "owner": "Chief people officer",
        "due_on_0": "31",
        "due_on_1": "3",
        "due_on_2": "2027",
        "status": ActionStatus.NOT_STARTED,
    }


def _involvement_data(world) -> dict:
    return {
        "organisation": str(world.team.organisation.public_id),
        "kind": InvolvementKind.CARER,
        "name": "Sam Example",
        "activity": "Carers' reference group",
        "took_part_on_0": "2",
        "took_part_on_1": "11",
        "took_part_on_2": "2026",
        "role": "Member",
        "recognition": Recognition.NONE,
    }


KEEP = allow(KEEPERS)

CASES = [
    Case("pcref:public_plan", allow(ROLES)),
    Case("pcref:plan", KEEP),
    Case("pcref:action_new", KEEP),
    Case("pcref:action_new", allow(KEEPERS, 302), method="POST", data=_action_data),
    Case("pcref:action_edit", KEEP, kwargs=lambda w: {"public_id": _action(w).public_id}),
    Case(
        "pcref:action_edit",
        allow(KEEPERS, 302),
        kwargs=lambda w: {"public_id": _action(w).public_id},
        method="POST",
        data=lambda w: {**_action_data(w), "version": _action(w).version},
    ),
    Case("pcref:involvement", KEEP),
    Case("pcref:involvement_new", KEEP),
    Case("pcref:involvement_new", allow(KEEPERS, 302), method="POST", data=_involvement_data),
    Case(
        "pcref:involvement_edit",
        KEEP,
        kwargs=lambda w: {"public_id": _involvement(w).public_id},
    ),
    Case(
        "pcref:involvement_edit",
        allow(KEEPERS, 302),
        kwargs=lambda w: {"public_id": _involvement(w).public_id},
        method="POST",
        data=lambda w: {**_involvement_data(w), "version": _involvement(w).version},
    ),
    Case("pcref:involvement_figures", KEEP),
    # The quarterly board report: the last complete quarter of the user's trust by default.
    Case("pcref:board", KEEP),
    Case("pcref:board_pdf", KEEP),
    Case("pcref:board_narrative", KEEP),
    Case(
        "pcref:board_narrative",
        allow(KEEPERS, 302),
        method="POST",
        data=lambda w: {"summary": "A steady quarter.", "version": "0"},
    ),
]
