"""Recent changes to who may see what: memberships and their roles, data-sharing agreements,
restricted records and accounts, for the information-governance landing page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import F, Q

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action, AuditEvent
from healthjustice.organisations.roles import Role

ACCESS_OBJECT_TYPES = ("membership", "data_sharing_agreement", "restriction", "user")
ACCESS_ACTIONS = (Action.CREATE, Action.UPDATE, Action.DELETE, Action.DENIED)
OBJECT_LABELS = {
    "membership": "Team membership",
    "data_sharing_agreement": "Data-sharing agreement",
    "restriction": "Restricted record",
    "user": "Account",
}


@dataclass
class AccessChange:
    seq: int
    occurred_at: datetime
    action: str
    action_label: str
    actor_label: str
    actor_public_id: str
    object_label: str
    object_name: str
    fields_changed: list[str] = field(default_factory=list)
    account_public_id: str = ""
    person_public_id: str = ""


def _uuid_or_blank(value: object) -> str:
    try:
        return str(UUID(str(value)))
    except ValueError:
        return ""


def _object_name(detail: dict[str, Any]) -> str:
    if detail.get("object"):
        return str(detail["object"])
    role = detail.get("role")
    if role in Role.values:
        # A refused membership was never saved, so it has no name of its own.
        return f"{Role(role).label}, {detail.get('team', '')}".strip(", ")
    return ""


def recent_access_changes(limit: int = 10) -> list[AccessChange]:
    """The latest access-granting changes and refusals, newest first.

    An account's own changes (a person changing their own password) are not access being
    granted, so they are left out.
    """
    events = list(
        AuditEvent.objects.filter(object_type__in=ACCESS_OBJECT_TYPES, action__in=ACCESS_ACTIONS)
        .exclude(Q(object_type="user") & Q(actor_id=F("object_id")))
        .order_by("-seq")[:limit]
    )
    actor_ids = {_uuid_or_blank(e.actor_id) for e in events} - {""}
    users = {str(u.public_id): u for u in User.objects.filter(public_id__in=actor_ids)}
    labels = dict(Action.choices)
    rows = []
    for e in events:
        actor = users.get(e.actor_id)
        detail = e.detail if isinstance(e.detail, dict) else {}
        account = detail.get("account") or (e.object_id if e.object_type == "user" else "")
        person = detail.get("person", "") if e.object_type == "restriction" else ""
        rows.append(
            AccessChange(
                seq=e.seq,
                occurred_at=e.occurred_at,
                action=e.action,
                action_label=str(labels.get(e.action, e.action)),
                actor_label=(
                    f"{actor.display_name} ({actor.username})"
                    if actor
                    else e.actor_username or "Not signed in"
                ),
                actor_public_id=e.actor_id if actor else "",
                object_label=OBJECT_LABELS.get(e.object_type, e.object_type),
                object_name=_object_name(detail),
                fields_changed=[f.replace("_", " ") for f in e.fields_changed],
                account_public_id=_uuid_or_blank(account) if account else "",
                person_public_id=_uuid_or_blank(person) if person else "",
            )
        )
    return rows
