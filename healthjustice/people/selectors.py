"""Reading people's records: always through the access chokepoint, always audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from rapidfuzz import fuzz

from healthjustice.accounts.models import User
from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.audit.models import Action
from healthjustice.audit.reading import record_view, shows_records
from healthjustice.audit.services import audit_record, deny_as_not_found
from healthjustice.core.registry import Registry
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from . import relations
from .access import (
    break_glass_candidates,
    care_relationships_of,
    person_sight,
    visible_people,
    with_care_relationships,
    with_glass_in_force,
)
from .identifiers import clean_nhs_number, clean_pnc_id, clean_prison_number
from .models import CareRelationship, Person, PersonAlias, PersonMerge, SearchName
from .names import normalise, phonetic_key

MAX_CANDIDATES = 5000
# The best-scoring candidates whose access is checked: enough that a common name's namesakes
# the user may not see do not crowd out the ones they may.
MAX_RANKED = 500
MIN_NAME_SCORE = 70


@dataclass
class Match:
    person: Person
    score: int
    matched_name: str = ""
    via_alias: bool = False
    reasons: list[str] = field(default_factory=list)


def _identifier_filter(identifier: str) -> Q | None:
    value = identifier.strip()
    if not value:
        return None
    for cleaner, field_name in (
        (clean_nhs_number, "nhs_number"),
        (clean_pnc_id, "pnc_id"),
        (clean_prison_number, "prison_number"),
    ):
        try:
            return Q(**{field_name: cleaner(value)})
        except ValidationError:
            continue
    return Q(pk__in=[])


def _split_name(name: str) -> tuple[str, str]:
    parts = normalise(name).split()
    if not parts:
        return "", ""
    if len(parts) == 1:
        return "", parts[0]
    return " ".join(parts[:-1]), parts[-1]


def _name_candidates(name: str, dob: date | None) -> list[tuple[int, str, str, bool]]:
    """Search names near `name`: the union of conditions each narrow enough to be answered from
    an index (people/migrations/0005) at a million people: a phonetic key with the other name's
    first letter, the family name's first three letters with the given name's first letter, or
    the birth date with a first letter."""
    given, family = _split_name(name)
    family_key = phonetic_key(family)
    conditions: list[Q]
    if given:
        given_key = phonetic_key(given)
        conditions = [
            Q(family_key=family_key, given__startswith=given[:1]),
            Q(given_key=given_key, family__startswith=family[:1]),
            Q(family__startswith=family[:3], given__startswith=given[:1]),
        ]
        # A mistyped family name still finds the person when the first name and birth date agree.
        if dob:
            conditions.append(Q(given_key=given_key, person__date_of_birth=dob))
    else:
        conditions = [Q(family_key=family_key), Q(family__startswith=family[:3])]
    if dob:
        conditions.append(Q(person__date_of_birth=dob, family__startswith=family[:1]))
    # Names first, by index; who may see the candidates is decided afterwards on the best few,
    # which is far cheaper than checking access for everyone before looking at names.
    parts = [
        SearchName.objects.filter(c).values_list("person_id", "given", "family", "is_alias")
        for c in conditions
    ]
    return list(parts[0].union(*parts[1:])[:MAX_CANDIDATES])


def _rank(name: str, rows: list[tuple[int, str, str, bool]]) -> dict[int, tuple[int, str, bool]]:
    wanted = normalise(name)
    given, family = _split_name(name)
    best: dict[int, tuple[int, str, bool]] = {}
    for person_id, g, f, is_alias in rows:
        full = f"{g} {f}".strip()
        score = fuzz.WRatio(wanted, full) if given else fuzz.ratio(family, f)
        if score > best.get(person_id, (-1, "", False))[0]:
            best[person_id] = (int(score), full, is_alias)
    return best


def person_search(
    user: User,
    *,
    name: str = "",
    date_of_birth: date | None = None,
    identifier: str = "",
    limit: int = 25,
    scope: QuerySet[Person] | None = None,
    request: HttpRequest | None = None,
    audit: bool = True,
) -> list[Match]:
    """Find people the user may see by name (typos and aliases), birth date or identifier."""
    base = visible_people(user) if scope is None else scope
    results: dict[int, Match] = {}
    id_filter = _identifier_filter(identifier)
    if id_filter is not None:
        for person in base.filter(id_filter)[:limit]:
            results[person.pk] = Match(person, 100, reasons=["identifier matches"])
    if name.strip():
        ranked = _rank(name, _name_candidates(name, date_of_birth))
        best = sorted(
            (item for item in ranked.items() if item[1][0] >= MIN_NAME_SCORE),
            key=lambda item: -item[1][0],
        )[:MAX_RANKED]
        keep = dict(best)
        people = base.filter(pk__in=keep).select_related("ethnic_category")
        for person in people:
            score, matched, via_alias = keep[person.pk]
            reasons = ["other name matches" if via_alias else "name matches"]
            if date_of_birth and person.date_of_birth == date_of_birth:
                score += 20
                reasons.append("date of birth matches")
            if id_filter is None or person.pk in results:
                match = results.get(person.pk) or Match(person, 0)
                match.score = max(match.score, score)
                match.matched_name, match.via_alias = matched, via_alias
                match.reasons = sorted(set(match.reasons + reasons))
                results[person.pk] = match
    elif date_of_birth and id_filter is None:
        for person in base.filter(date_of_birth=date_of_birth)[:limit]:
            results[person.pk] = Match(person, 50, reasons=["date of birth matches"])
    if date_of_birth:
        results = {
            pk: m
            for pk, m in results.items()
            if m.person.date_of_birth is None
            or m.person.date_of_birth == date_of_birth
            or "identifier matches" in m.reasons
            or abs((m.person.date_of_birth - date_of_birth).days) <= 366
        }
    ordered = sorted(results.values(), key=lambda m: (-m.score, m.person.family_name))[:limit]
    if audit:
        used = [
            k
            for k, v in (
                ("name", name),
                ("date_of_birth", date_of_birth),
                ("identifier", identifier),
            )
            if v
        ]
        audit_record(
            actor=user,
            request=request,
            action=Action.SEARCH,
            object_type="person",
            detail={
                "criteria": used,
                "results": len(ordered),
                "scope": "break_glass" if scope is not None else "own",
            },
        )
    return ordered


def break_glass_search(user: User, **criteria: Any) -> list[Match]:
    """Search beyond the user's relationships (restricted records stay hidden)."""
    return person_search(user, scope=break_glass_candidates(user), **criteria)


def possible_duplicates(
    user: User,
    *,
    given_name: str,
    family_name: str,
    date_of_birth: date | None,
    nhs_number: str | None,
) -> tuple[list[Match], int]:
    """Likely existing records before registering: those the user may see, and a count of
    others held by other teams (never their details)."""
    name = f"{given_name} {family_name}"
    identifier = nhs_number or ""
    visible = [
        m
        for m in person_search(
            user, name=name, date_of_birth=date_of_birth, identifier=identifier, audit=False
        )
        if m.score >= 85 or "identifier matches" in m.reasons
    ]
    everyone = [
        m
        for m in person_search(
            user,
            name=name,
            date_of_birth=date_of_birth,
            identifier=identifier,
            scope=break_glass_candidates(user),
            audit=False,
        )
        if (m.score >= 85 and date_of_birth and m.person.date_of_birth == date_of_birth)
        or "identifier matches" in m.reasons
    ]
    seen = {m.person.pk for m in visible}
    hidden = len([m for m in everyone if m.person.pk not in seen])
    return visible, hidden


def _person_by_public_id(public_id: Any, user: User) -> Person | None:
    """The record with this public id (merged or not), with what the page's header shows and
    what deciding the user's sight of it reads (its restriction, its care relationships, the
    user's break-glass grant in force)."""
    return (
        Person.objects.filter(public_id=public_id)
        .select_related("ethnic_category", "ethnic_category__code_list", "restriction")
        .prefetch_related(with_care_relationships())
        .annotate(**with_glass_in_force(user))
        .first()
    )


def person_for_user(user: User, public_id: Any, *, request: HttpRequest) -> Person:
    """The person, if the user may see them; a 404 (audited as a denial) otherwise.

    Whether they may is decided once (`access.person_sight`, cached for the request), so the
    page's own reads of the person's records need not repeat the access rules in SQL.
    A GET records the view, once per request (`audit.reading.record_view`)."""
    return _shown_to(user, _person_by_public_id(public_id, user), public_id, request=request)


@dataclass(frozen=True)
class MergedInto:
    """A record that was merged into `kept`, which the user may see."""

    kept: Person


def person_or_kept_record(
    user: User, public_id: Any, *, request: HttpRequest
) -> Person | MergedInto:
    """For a page that follows merges, from one read of the record: `MergedInto(kept)` when
    the record was merged into one the user may see (send them there; nothing is recorded);
    otherwise the person as `person_for_user` gives them, checks and audit included."""
    person = _person_by_public_id(public_id, user)
    if person is not None and person.merged_into_id:
        kept = _kept_record(user, person)
        if kept is not None:
            return MergedInto(kept)
    return _shown_to(user, person, public_id, request=request)


def _shown_to(user: User, person: Person | None, public_id: Any, *, request: HttpRequest) -> Person:
    sight = person_sight(user, person) if person is not None else None
    if person is None or sight is None:
        deny_as_not_found(
            actor=user,
            request=request,
            object_type="person",
            object_id=public_id,
            message="No such person",
        )
    if shows_records(request):
        detail = {"break_glass": str(sight.glass.public_id)} if sight.glass else {}
        record_view(
            request,
            actor=user,
            object_type="person",
            object_id=str(person.public_id),
            detail=detail,
            access_basis=str(sight.basis.basis),
        )
    return person


def restriction_candidates(person: Person) -> list[Any]:
    """Staff who could be named on a restriction: current members of the person's care teams."""
    from healthjustice.accounts.models import User
    from healthjustice.organisations.models import Membership

    team_ids = person.care_relationships.current().values_list("team_id", flat=True)
    user_ids = (
        Membership.objects.current().filter(team_id__in=team_ids).values_list("user_id", flat=True)
    )
    return list(User.objects.filter(id__in=user_ids, is_active=True).order_by("last_name"))


@dataclass
class TimelineEntry:
    at: datetime | date
    title: str
    detail: str = ""
    by: str = ""
    tag: str = ""


# Called as provider(person), or provider(person, user) when registered with needs_user.
TimelineProvider = Callable[..., list[TimelineEntry]]
# Providers registered with needs_user=True are called as provider(person, user) and only when
# person_timeline is given the viewing user, so they can show only what that user may see.
timeline_providers: Registry[TimelineProvider] = Registry("person timeline providers")


def register_timeline_provider(
    provider: TimelineProvider | None = None, *, needs_user: bool = False
) -> Any:
    """Other apps (episodes, carers ...) add their events to a person's timeline.

    Use as `@register_timeline_provider` (called with the person) or
    `@register_timeline_provider(needs_user=True)` (called with the person and the viewing user).
    """

    return timeline_providers.register(provider, needs_user=needs_user)


@register_timeline_provider
def _record_changes(person: Person) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            at=c.at,
            title=c.summary,
            detail=("Changed: " + ", ".join(f.replace("_", " ") for f in c.fields))
            if c.fields
            else "",
            by=c.by.display_name if c.by else "",
        )
        for c in person.changes.select_related("by")[:200]
    ]


@register_timeline_provider
def _care_relationships(person: Person) -> list[TimelineEntry]:
    entries = []
    for rel in care_relationships_of(person):
        entries.append(
            TimelineEntry(
                at=rel.started_on,
                title=f"{rel.team.name} began working with them",
                detail=rel.reason,
                tag="Team",
            )
        )
        if rel.ended_on:
            entries.append(
                TimelineEntry(
                    at=rel.ended_on, title=f"{rel.team.name} stopped working with them", tag="Team"
                )
            )
    return entries


def person_timeline(person: Person, user: User | None = None) -> list[TimelineEntry]:
    """Every provider's entries, newest first; user-scoped providers run only with a user."""
    entries: list[TimelineEntry] = []
    for entry in timeline_providers.entries():
        if entry.options["needs_user"]:
            if user is not None:
                entries.extend(entry.item(person, user))
        else:
            entries.extend(entry.item(person))

    def sort_key(e: TimelineEntry) -> datetime:
        if isinstance(e.at, datetime):
            return e.at.replace(tzinfo=None)
        return datetime(e.at.year, e.at.month, e.at.day)

    return sorted(entries, key=sort_key, reverse=True)


def current_care_teams(person: Person) -> list[CareRelationship]:
    """The teams working with the person now, each once (its earliest current relationship):
    a merge brings the duplicate's relationships across, so one team can hold two."""
    rels = sorted(
        (rel for rel in care_relationships_of(person) if rel.is_current()),
        key=lambda r: (r.started_on, r.pk),
    )
    seen: set[int] = set()
    teams = []
    for rel in rels:
        if rel.team_id not in seen:
            seen.add(rel.team_id)
            teams.append(rel)
    return sorted(teams, key=lambda r: r.team.name)


# Sections other apps add to a person's page (episodes, carers ...): fn(request, person) returns
# (title, html Markup) or None. Called only after person_for_user has allowed and audited the view.
PersonSection = Callable[[AuthenticatedRequest, Person], "tuple[str, Any] | None"]
person_section_registry: Registry[PersonSection] = Registry("person page sections")


def register_person_section(fn: PersonSection) -> PersonSection:
    return person_section_registry.add(fn)


def person_sections(request: AuthenticatedRequest, person: Person) -> list[tuple[str, Any]]:
    """Rendered sections, in registration order; a plain string is escaped, Markup is kept."""
    from markupsafe import Markup, escape

    shown = []
    for section in person_section_registry:
        result = section(request, person)
        if result is not None:
            title, html = result
            shown.append((str(title), html if isinstance(html, Markup) else escape(html)))
    return shown


# Merging duplicate records ------------------------------------------------------------------

# How far to follow a record merged into a record that was itself merged later.
_MAX_MERGE_HOPS = 10


def merged_record_target(user: User, public_id: Any) -> Person | None:
    """For a merged record: the record it now lives in, if the user may see that; else None."""
    person = Person.objects.filter(public_id=public_id, merged_into__isnull=False).first()
    return _kept_record(user, person) if person is not None else None


def _kept_record(user: User, merged: Person) -> Person | None:
    """The record a merged one now lives in (following merges of merges), if the user may see
    it; None otherwise, or when `merged` was not merged."""
    person: Person | None = merged
    hops = 0
    while person is not None and person.merged_into_id and hops < _MAX_MERGE_HOPS:
        person = person.merged_into
        hops += 1
    if person is None or person is merged or person.merged_into_id:
        return None
    return visible_people(user).filter(pk=person.pk).first()


def merge_candidates(user: User, person: Person) -> tuple[list[Match], int]:
    """Records the user may see that look like the same person (by name or other name and date
    of birth, as at registration, or by a shared PNC ID or prison number), and a count of
    others held by other teams. An NHS number is unique, so it never finds another record."""
    names = [(person.given_name, person.family_name)]
    names += [(a.given_name, a.family_name) for a in person.aliases.all()[:5]]
    matches: list[Match] = []
    hidden = 0
    for given, family in names:
        visible, others = possible_duplicates(
            user,
            given_name=given,
            family_name=family,
            date_of_birth=person.date_of_birth,
            nhs_number=None,
        )
        matches += visible
        hidden = max(hidden, others)
    for identifier in (person.pnc_id, person.prison_number):
        if identifier:
            matches += person_search(user, identifier=identifier, audit=False)
    found: dict[int, Match] = {}
    for match in matches:
        if match.person.pk != person.pk and match.person.pk not in found:
            found[match.person.pk] = match
    return sorted(found.values(), key=lambda m: (-m.score, m.person.family_name)), hidden


def merge_problems(user: User, keep: Person, duplicate: Person) -> list[str]:
    return relations.merge_problems(keep, duplicate, actor=user)


@dataclass
class MergeSide:
    """One record as the merge comparison shows it."""

    person: Person
    aliases: list[PersonAlias]
    teams: list[str]


def merge_side(person: Person) -> MergeSide:
    return MergeSide(
        person=person,
        aliases=list(person.aliases.all()),
        teams=[
            rel.team.name
            for rel in CareRelationship.objects.current()
            .filter(person=person)
            .select_related("team")
        ],
    )


def merge_counts(first: Person, second: Person) -> list[tuple[str, int, int]]:
    """For each kind of thing held about a person, how many each record has."""
    return [
        (label, n, m)
        for (label, n), (_, m) in zip(
            relations.related_counts(first), relations.related_counts(second), strict=True
        )
    ]


def merges_for_user(user: User) -> QuerySet[PersonMerge]:
    """Merges, newest first. Information governance sees them all. Staff who work with people
    see a merge in force when they may see the kept record (or one it has since been merged
    into); an undone merge only when they may see both records, which are separate again."""
    merges = PersonMerge.objects.select_related("keep", "duplicate", "merged_by", "undone_by")
    if has_permission(user, Permission.AUDIT_READ):
        return merges
    visible = visible_people(user).values("pk")
    in_force = Q(undone_at__isnull=True) & (
        Q(keep__in=visible)
        | Q(keep__merged_into__in=visible)
        | Q(keep__merged_into__merged_into__in=visible)
    )
    undone = Q(undone_at__isnull=False, keep__in=visible, duplicate__in=visible)
    return merges.filter(in_force | undone)


def merge_for_user(user: User, public_id: Any, *, request: HttpRequest) -> PersonMerge:
    """One merge from `merges_for_user`; a 404 (audited as a denial) otherwise.

    The merge page shows both records, so a view is recorded against each person.
    """
    merge = merges_for_user(user).filter(public_id=public_id).first()
    if merge is None:
        deny_as_not_found(
            actor=user,
            request=request,
            object_type="person_merge",
            object_id=public_id,
            message="No such merge",
        )
    for person in (merge.keep, merge.duplicate):
        record_view(
            request,
            actor=user,
            object_type="person_merge",
            object_id=str(merge.public_id),
            detail={"person": str(person.public_id)},
        )
    return merge
