"""Reading the audit trail, and finding people and staff for information-governance purposes.

Information governance has no care relationship with anyone, so it never goes through
`people.access.visible_people`. These selectors reach people for one purpose only: to show
who looked at them. They return a name, date of birth and NHS number, never clinical detail,
and every search is itself audited. An auditor's reach is their own organisation's
(`people.access.governed_people`); beyond it a person is refused as if they did not exist
(a 404, audited as a denial), as everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import AccessBasis, Action, AuditEvent, person_reference
from healthjustice.audit.services import VERIFIED_OBJECT_TYPE, audit_record, deny_as_not_found
from healthjustice.people.access import governed_people
from healthjustice.people.models import BreakGlassAccess, Person
from healthjustice.people.selectors import person_search

from .labels import event_label, object_label

IG_PURPOSE = "information_governance"
# Object types whose object_id is a person's public_id. Events about something that belongs to
# a person (an episode, a screening ...) name the person in detail["person"] instead.
PERSON_OBJECT_TYPES = ("person", "audit_person_events")


@dataclass(frozen=True)
class PersonSummary:
    """All information governance sees of a person: enough to be sure it is the right one."""

    public_id: UUID
    full_name: str
    date_of_birth: date | None
    nhs_number_display: str


def _summary(person: Person) -> PersonSummary:
    return PersonSummary(
        public_id=person.public_id,
        full_name=person.full_name,
        date_of_birth=person.date_of_birth,
        nhs_number_display=person.nhs_number_display,
    )


def people_for_information_governance(
    *,
    actor: User,
    identifier: str = "",
    name: str = "",
    date_of_birth: date | None = None,
    limit: int = 25,
    request: HttpRequest | None = None,
) -> list[PersonSummary]:
    """Find anyone within the auditor's reach (restricted records included) by identifier, or
    by name and birth date."""
    matches = person_search(
        actor,
        identifier=identifier,
        name=name,
        date_of_birth=date_of_birth,
        limit=limit,
        scope=governed_people(actor),
        audit=False,
    )
    used = [
        k
        for k, v in (("identifier", identifier), ("name", name), ("date_of_birth", date_of_birth))
        if v
    ]
    audit_record(
        actor=actor,
        request=request,
        action=Action.SEARCH,
        object_type="person",
        detail={"purpose": IG_PURPOSE, "criteria": used, "results": len(matches)},
    )
    return [_summary(m.person) for m in matches]


def governed_person(
    actor: User,
    public_id: Any,
    *,
    request: HttpRequest | None = None,
    select_related: tuple[str, ...] = (),
) -> Person:
    """The person, if within the auditor's reach; a 404 (audited as a denial) otherwise."""
    people = governed_people(actor).select_related(*select_related)
    person = people.filter(public_id=public_id).first()
    if person is None:
        deny_as_not_found(
            actor=actor,
            request=request,
            object_type="person",
            object_id=public_id,
            detail={"purpose": IG_PURPOSE},
            message="No such person",
        )
    return person


def person_summary(
    actor: User, public_id: Any, *, request: HttpRequest | None = None
) -> PersonSummary:
    return _summary(governed_person(actor, public_id, request=request))


def _person_names(public_ids: set[str]) -> dict[str, str]:
    valid = []
    for value in public_ids:
        try:
            valid.append(UUID(value))
        except ValueError:
            continue
    return {
        str(p.public_id): p.full_name
        for p in Person.objects.filter(public_id__in=valid).only(
            "public_id", "given_name", "family_name"
        )
    }


def _in_dates(
    events: QuerySet[AuditEvent],
    date_from: date | None,
    date_to: date | None,
    access_basis: str = "",
) -> QuerySet[AuditEvent]:
    """Events between the dates and, when one is given, on that basis of access."""
    if access_basis:
        events = events.filter(access_basis=access_basis)
    tz = timezone.get_current_timezone()
    if date_from:
        events = events.filter(occurred_at__gte=datetime.combine(date_from, time.min, tz))
    if date_to:
        next_day = datetime.combine(date_to + timedelta(days=1), time.min, tz)
        events = events.filter(occurred_at__lt=next_day)
    return events


def events_about_person(
    public_id: Any,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    access_basis: str = "",
) -> QuerySet[AuditEvent]:
    """Every event about a person, newest first: views, changes, searches by IG, exports."""
    pid = str(public_id)
    # The same expression as the model's index on detail["person"], so the index is used.
    events = AuditEvent.objects.alias(person_ref=person_reference()).filter(
        Q(object_type__in=PERSON_OBJECT_TYPES, object_id=pid) | Q(person_ref=pid)
    )
    return _in_dates(events, date_from, date_to, access_basis).order_by("-seq")


def events_by_user(
    public_id: Any,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    access_basis: str = "",
) -> QuerySet[AuditEvent]:
    """Everything one account did (looked at, searched, changed, was refused), newest first."""
    events = AuditEvent.objects.filter(actor_id=str(public_id))
    return _in_dates(events, date_from, date_to, access_basis).order_by("-seq")


@dataclass
class EventRow:
    """An audit event as information governance reads it."""

    seq: int
    occurred_at: datetime
    action: str
    action_label: str
    event_label: str
    actor_label: str
    actor_public_id: str
    remote_addr: str
    object_label: str
    person_name: str = ""
    person_public_id: str = ""
    fields_changed: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    break_glass: bool = False
    access_basis: str = ""


def _detail_lines(detail: dict[str, Any]) -> list[str]:
    lines = []
    for key, value in sorted(detail.items()):
        # Opaque ids (the person, a grant, an episode) mean nothing on the page; labels say it.
        if key == "person" or (isinstance(value, str) and _is_uuid(value)):
            continue
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        lines.append(f"{key.replace('_', ' ').capitalize()}: {shown.replace('_', ' ')}")
    return lines


def describe_events(events: list[AuditEvent]) -> list[EventRow]:
    """Resolve accounts and people named by a page of events, in two queries."""
    actor_ids = {e.actor_id for e in events if e.actor_id}
    users = {
        str(u.public_id): u
        for u in User.objects.filter(public_id__in=[UUID(a) for a in actor_ids if _is_uuid(a)])
    }
    person_ids = {
        e.object_id for e in events if e.object_type in PERSON_OBJECT_TYPES and e.object_id
    } | {str(e.detail.get("person")) for e in events if e.detail.get("person")}
    names = _person_names(person_ids)
    labels = dict(Action.choices)
    bases = dict(AccessBasis.choices)
    rows = []
    for e in events:
        user = users.get(e.actor_id)
        if user is not None:
            actor_label = f"{user.display_name} ({user.username})"
        else:
            actor_label = e.actor_username or "Not signed in"
        person_id = (
            e.object_id if e.object_type in PERSON_OBJECT_TYPES else str(e.detail.get("person", ""))
        )
        rows.append(
            EventRow(
                seq=e.seq,
                occurred_at=e.occurred_at,
                action=e.action,
                action_label=str(labels.get(e.action, e.action)),
                event_label=event_label(e.action, e.object_type, e.detail),
                actor_label=actor_label,
                actor_public_id=e.actor_id if user is not None else "",
                remote_addr=e.remote_addr,
                object_label=object_label(e.object_type),
                person_name=names.get(person_id, ""),
                person_public_id=person_id if person_id in names else "",
                fields_changed=[f.replace("_", " ") for f in e.fields_changed],
                details=_detail_lines(e.detail),
                break_glass=bool(e.detail.get("break_glass")) or e.action == Action.BREAK_GLASS,
                access_basis=str(bases.get(e.access_basis, e.access_basis)),
            )
        )
    return rows


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def users_for_information_governance(query: str, *, limit: int = 50) -> QuerySet[User]:
    """Accounts whose username or name contains every word of the query."""
    users = User.objects.all()
    for term in query.split()[:4]:
        users = users.filter(
            Q(username__icontains=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
        )
    return users.order_by("last_name", "first_name", "username")[:limit]


def user_by_public_id(public_id: Any) -> User:
    user = User.objects.filter(public_id=public_id).first()
    if user is None:
        raise Http404("No such account")
    return user


class BreakGlassStatus:
    ALL = ""
    AWAITING = "awaiting"
    REVIEWED = "reviewed"


def break_glass_grants(
    actor: User,
    *,
    status: str = BreakGlassStatus.ALL,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[BreakGlassAccess]:
    """Break-glass grants to people within the reviewer's reach: those awaiting review first,
    then reviewed ones; newest first in each."""
    grants = BreakGlassAccess.objects.filter(person__in=governed_people(actor)).select_related(
        "user", "reviewed_by", "person"
    )
    if status == BreakGlassStatus.AWAITING:
        grants = grants.filter(reviewed_at__isnull=True)
    elif status == BreakGlassStatus.REVIEWED:
        grants = grants.filter(reviewed_at__isnull=False)
    tz = timezone.get_current_timezone()
    if date_from:
        grants = grants.filter(started_at__gte=datetime.combine(date_from, time.min, tz))
    if date_to:
        grants = grants.filter(
            started_at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tz)
        )
    awaiting_first = Case(
        When(reviewed_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return grants.annotate(_awaiting=awaiting_first).order_by("_awaiting", "-started_at")


def break_glass_awaiting_count(actor: User) -> int:
    return break_glass_grants(actor, status=BreakGlassStatus.AWAITING).count()


def break_glass_grant(
    actor: User, public_id: Any, *, request: HttpRequest | None = None
) -> BreakGlassAccess:
    grant = break_glass_grants(actor).filter(public_id=public_id).first()
    if grant is None:
        deny_as_not_found(
            actor=actor,
            request=request,
            object_type="break_glass",
            object_id=public_id,
            detail={"purpose": IG_PURPOSE},
            message="No such break-glass access",
        )
    return grant


@dataclass(frozen=True)
class LastVerification:
    """The most recent `manage.py audit_verify` run, as the IG pages report it."""

    at: datetime
    intact: bool
    rows_checked: int
    anchors_checked: int
    first_bad_seq: int | None
    problem: str
    days_ago: int
    max_age_days: int
    overdue: bool


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def last_verification(*, now: datetime | None = None) -> LastVerification | None:
    """When the trail was last verified and what was found; None if it never has been."""
    event = (
        AuditEvent.objects.filter(action=Action.VERIFY, object_type=VERIFIED_OBJECT_TYPE)
        .order_by("-seq")
        .first()
    )
    if event is None:
        return None
    detail = event.detail if isinstance(event.detail, dict) else {}
    first_bad = detail.get("first_bad_seq")
    age = (now or timezone.now()) - event.occurred_at
    max_age_days = settings.HJ_AUDIT_VERIFY_MAX_AGE_DAYS
    return LastVerification(
        at=event.occurred_at,
        intact=detail.get("outcome") == "intact",
        rows_checked=_count(detail.get("rows_checked")),
        anchors_checked=_count(detail.get("anchors_checked")),
        first_bad_seq=first_bad if isinstance(first_bad, int) else None,
        problem=str(detail.get("problem", "")),
        days_ago=max(0, age.days),
        max_age_days=max_age_days,
        overdue=age > timedelta(days=max_age_days),
    )
