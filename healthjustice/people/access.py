"""The one chokepoint for reaching a person's record.

A member of staff may see a person when, and only when, one of these holds:
1. a team they belong to (in a role that may view records) has a current care relationship
   with the person (the basis of access is "own team");
2. another team has a current care relationship with the person and a data-sharing agreement
   in force shares it with a team the user belongs to (the basis is "agreement"). Every one of
   these must hold for the same agreement: the viewing team's region and the holding team's
   region are both among the agreement's regions; the viewing team's pathway is one of its
   purposes; the two teams' organisations are both parties to it, and are different
   organisations (an agreement never opens one team of a trust to another team of the same
   trust);
3. they hold an unexpired break-glass grant for the person (the basis is "break-glass").
A restricted record overrides all three: only the staff named on the restriction may see it.
A record merged into another (a duplicate) is seen by no one: its page leads to the kept record.
Views never query `Person` directly; they call these functions (a test enforces it).
`access_basis` says which of the three lets a user see a person, and through which agreement;
the audit trail records it with every view and change of the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, cast
from uuid import UUID

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import AccessBasis
from healthjustice.organisations.models import DataSharingAgreement, Membership, Team
from healthjustice.organisations.permissions import current_memberships
from healthjustice.organisations.roles import ROLES, Permission, roles_with

from .models import BreakGlassAccess, CareRelationship, Person, RecordRestriction

# Team lookups are cached on the user object, which lives for one request (as the permission
# cache in organisations.permissions is); clear_permission_cache drops them all, as this app
# registers them there (PeopleConfig.ready).
VIEWING_CACHE_ATTR = "_hj_viewing_team_ids"
REACHABLE_CACHE_ATTR = "_hj_reachable_team_ids"
SHARED_CACHE_ATTR = "_hj_shared_team_agreements"
SIGHT_CACHE_ATTR = "_hj_person_sight"
USER_CACHE_ATTRS = (
    VIEWING_CACHE_ATTR,
    REACHABLE_CACHE_ATTR,
    SHARED_CACHE_ATTR,
    SIGHT_CACHE_ATTR,
)


def glass_in_force(user: User) -> QuerySet[BreakGlassAccess]:
    """The user's break-glass grants that have not expired: the one definition of "in force"."""
    return BreakGlassAccess.objects.filter(user=user, expires_at__gt=timezone.now())


def viewing_team_ids(user: User) -> list[int]:
    """Teams through which the user may view records."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, VIEWING_CACHE_ATTR, None)
    if cached is None:
        # From the memberships read once for the request (organisations.permissions).
        viewing = set(roles_with(Permission.PERSON_VIEW))
        cached = list(
            dict.fromkeys(m.team_id for m in current_memberships(user) if m.role in viewing)
        )
        setattr(user, VIEWING_CACHE_ATTR, cached)
    return list(cached)


def shared_team_agreements(
    own_team_ids: list[int] | set[int], *, own_teams: list[Team] | None = None
) -> dict[int, int]:
    """Teams whose people `own_team_ids` may see by agreement, each with the agreement's id.

    Where two agreements share the same team, the first by title is the one named. At most
    three queries whatever the number of agreements: the agreements in force with their
    parties and regions (one row for each agreement, party and region), the viewing teams
    (none when `own_teams`, the same teams already read, is given) and the teams they could
    share.
    """
    if not own_team_ids:
        return {}
    terms: dict[int, tuple[set[int], set[int], set[str]]] = {}
    rows = (
        DataSharingAgreement.objects.in_force(timezone.localdate())
        .order_by("title", "pk")
        .values_list("pk", "purposes", "organisations", "regions")
    )
    for agreement_id, purposes, organisation_id, region_id in rows:
        parties, regions, _purposes = terms.setdefault(
            agreement_id, (set(), set(), set(purposes or ()))
        )
        if organisation_id is not None:
            parties.add(organisation_id)
        if region_id is not None:
            regions.add(region_id)
    if not terms:
        return {}
    wanted = set(own_team_ids)
    if own_teams is None:
        own_teams = list(
            Team.objects.filter(id__in=own_team_ids).only("organisation_id", "region_id", "pathway")
        )
    viewers = [
        {"organisation_id": t.organisation_id, "region_id": t.region_id, "pathway": t.pathway}
        for t in {t.pk: t for t in own_teams if t.pk in wanted}.values()
    ]
    all_parties = set().union(*(t[0] for t in terms.values()))
    all_regions = set().union(*(t[1] for t in terms.values()))
    candidates = list(
        Team.objects.filter(organisation_id__in=all_parties, region_id__in=all_regions).values(
            "id", "organisation_id", "region_id"
        )
    )
    shared: dict[int, int] = {}
    for agreement_id, (parties, regions, purposes) in terms.items():
        for viewer in viewers:
            if not (
                viewer["organisation_id"] in parties
                and viewer["region_id"] in regions
                and viewer["pathway"] in purposes
            ):
                continue
            for holder in candidates:
                if (
                    holder["organisation_id"] in parties
                    and holder["organisation_id"] != viewer["organisation_id"]
                    and holder["region_id"] in regions
                ):
                    shared.setdefault(holder["id"], agreement_id)
    return shared


def _shared_for_user(user: User) -> dict[int, int]:
    cached = getattr(user, SHARED_CACHE_ATTR, None)
    if cached is None:
        # The viewing teams' organisations, regions and pathways come with the memberships
        # already read for the request.
        own = viewing_team_ids(user)
        teams = [m.team for m in current_memberships(user)] if own else []
        cached = shared_team_agreements(own, own_teams=teams)
        if getattr(user, "is_authenticated", False):
            setattr(user, SHARED_CACHE_ATTR, cached)
    return dict(cached)


def reachable_team_ids(user: User) -> set[int]:
    """Teams whose care relationships let the user see a person: their own and sharing partners'."""
    cached = getattr(user, REACHABLE_CACHE_ATTR, None)
    if cached is None:
        team_ids = viewing_team_ids(user)
        cached = set(team_ids) | set(_shared_for_user(user)) if team_ids else set()
        if getattr(user, "is_authenticated", False):
            setattr(user, REACHABLE_CACHE_ATTR, cached)
    return set(cached)


def _restriction_permits(user: User) -> Q:
    """Unrestricted, or restricted with this user named."""
    restricted = RecordRestriction.objects.filter(person=OuterRef("pk"))
    named = RecordRestriction.objects.filter(person=OuterRef("pk"), allowed_users=user)
    return ~Exists(restricted) | Exists(named)


def _cared_for_by(reachable: set[int]) -> Exists:
    return Exists(
        CareRelationship.objects.current().filter(person=OuterRef("pk"), team_id__in=reachable)
    )


def visible_people(user: User) -> QuerySet[Person]:
    """Every person the user may see. Restricted people appear only to their named staff."""
    reachable = reachable_team_ids(user)
    if not reachable:
        return Person.objects.none()
    glass = glass_in_force(user).filter(person=OuterRef("pk"))
    return Person.objects.filter(
        (_cared_for_by(reachable) | Exists(glass)) & _restriction_permits(user),
        merged_into__isnull=True,
    )


def person_is_visible_to(user: User, person: Person) -> bool:
    return visible_people(user).filter(pk=person.pk).exists()


def break_glass_candidates(user: User) -> QuerySet[Person]:
    """People a practitioner may break the glass to: all but restricted records not naming them."""
    return Person.objects.filter(_restriction_permits(user), merged_into__isnull=True)


def active_break_glass(user: User, person: Person) -> BreakGlassAccess | None:
    return glass_in_force(user).filter(person=person).order_by("-expires_at").first()


_GLASS_FOR, _GLASS_ID = "hj_glass_for_user", "hj_glass_in_force"


def with_glass_in_force(user: User) -> dict[str, Any]:
    """For `annotate` on people: which of the user's break-glass grants for each person is in
    force (the one that runs longest, as `active_break_glass`), read with the person so that
    deciding sight needs no query of its own for it when there is none."""
    grants = glass_in_force(user).filter(person=OuterRef("pk")).order_by("-expires_at")
    return {_GLASS_FOR: Value(user.pk), _GLASS_ID: Subquery(grants.values("pk")[:1])}


def _glass_for(user: User, person: Person) -> BreakGlassAccess | None:
    """`active_break_glass`, from what was read with the person for this user when it was."""
    if getattr(person, _GLASS_FOR, None) != user.pk:
        return active_break_glass(user, person)
    glass_id = getattr(person, _GLASS_ID, None)
    return None if glass_id is None else BreakGlassAccess.objects.filter(pk=glass_id).first()


def is_within_relationships(user: User, person: Person) -> bool:
    """True when the user sees the person through care or sharing, not break-glass alone."""
    reachable = reachable_team_ids(user)
    if not reachable:
        return False
    return Person.objects.filter(
        _cared_for_by(reachable) & _restriction_permits(user),
        pk=person.pk,
        merged_into__isnull=True,
    ).exists()


_GOVERNANCE_PERMISSIONS = frozenset(
    {Permission.AUDIT_READ, Permission.AUDIT_REVIEW_BREAK_GLASS, Permission.SUBJECT_ACCESS_EXPORT}
)


def _governance_roles() -> list[str]:
    return [str(r) for r, d in ROLES.items() if d.permissions & _GOVERNANCE_PERMISSIONS]


def governed_people(user: User) -> QuerySet[Person]:
    """People an information-governance auditor may look into (never open: governance.selectors).

    Their reach is their own organisations' (those of their IG memberships): people with a
    care relationship with one of its teams (an ended one too: a subject access request
    outlives the care), or a current one with a team that an agreement in force shares with
    one of its teams under the rule above; and duplicates merged into such people. Restricted
    records are included: auditing who opened them is the point.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Person.objects.none()
    organisations = (
        Membership.objects.current()
        .filter(user=user, role__in=_governance_roles())
        .values("team__organisation_id")
    )
    own = list(Team.objects.filter(organisation_id__in=organisations).values_list("id", flat=True))
    if not own:
        return Person.objects.none()
    shared = set(shared_team_agreements(own))

    def held(ref: str) -> Q:
        return Exists(
            CareRelationship.objects.filter(person=OuterRef(ref), team_id__in=own)
        ) | Exists(
            CareRelationship.objects.current().filter(person=OuterRef(ref), team_id__in=shared)
        )

    return Person.objects.filter(held("pk") | Q(merged_into__isnull=False) & held("merged_into"))


@dataclass(frozen=True)
class BasisOfAccess:
    """Why a user sees a person; `agreement` names the agreement when that is the reason."""

    basis: AccessBasis
    agreement: DataSharingAgreement | None = None
    break_glass: BreakGlassAccess | None = None


@dataclass(frozen=True)
class Sight:
    """What was decided, once in a request, about one person the user may see.

    `basis` is why (as `access_basis`); `glass` the user's break-glass grant for the person in
    force, whether or not it is the basis; `own` the user's viewing teams; `reachable` the
    teams whose care relationships give the user sight (`reachable_team_ids`). A page that
    has this need not ask again, in SQL, whether the user may see the person:
    `journeys.access.person_visible_episodes` filters the person's episodes by these teams (or
    not at all under break-glass)."""

    basis: BasisOfAccess
    glass: BreakGlassAccess | None
    own: frozenset[int]
    user: User = field(repr=False, compare=False)

    @cached_property
    def reachable(self) -> frozenset[int]:
        """Worked out when first asked for: its sharing agreements need not be read for a page
        whose every episode is held by one of the user's own teams."""
        return frozenset(reachable_team_ids(self.user))

    def sees_episodes_of(self, team_id: int) -> bool:
        """Whether the person's episodes held by this team are in sight: every one under a
        break-glass grant in force, otherwise those of the teams the user reaches. One of the
        user's own teams is decided without reading the sharing agreements."""
        return self.glass is not None or team_id in self.own or team_id in self.reachable

    @property
    def within_relationships(self) -> bool:
        """Seen through care or sharing, not break-glass alone (`is_within_relationships`)."""
        return self.basis.basis != AccessBasis.BREAK_GLASS


def person_sight(user: User, person: Person) -> Sight | None:
    """Whether and why the user may see the person (None: they may not), worked out with a few
    key lookups on the person and cached for the user object (one request), so the pages and
    the audit event of one request decide it once.

    The same rule as `visible_people`: the user sees the person when the record is not merged,
    not restricted away from them, and a team they reach holds a current care relationship
    with the person or they hold a break-glass grant in force."""
    if not getattr(user, "is_authenticated", False) or person.pk is None:
        return None
    cache: dict[int, Sight | None] = getattr(user, SIGHT_CACHE_ATTR, None) or {}
    if person.pk in cache:
        return cache[person.pk]
    result = _work_out_sight(user, person)
    cache[person.pk] = result
    setattr(user, SIGHT_CACHE_ATTR, cache)
    return result


def care_relationships_of(person: Person) -> list[CareRelationship]:
    """The person's care relationships (ended ones too, newest first) with their teams: those
    read with the person when `person_for_user` fetched it, so the access decision, the
    timeline and the list of teams share one query; otherwise read now."""
    prefetched = getattr(person, "_prefetched_objects_cache", {})
    if "care_relationships" in prefetched:
        return list(prefetched["care_relationships"])
    return list(person.care_relationships.select_related("team"))


def with_care_relationships() -> Prefetch[str]:
    """For `prefetch_related`: the care relationships `care_relationships_of` uses."""
    return Prefetch("care_relationships", CareRelationship.objects.select_related("team"))


def _holding_team_ids(person: Person) -> set[int]:
    """Teams with a current care relationship with the person (from those read with it when
    they were)."""
    if "care_relationships" in getattr(person, "_prefetched_objects_cache", {}):
        return {rel.team_id for rel in care_relationships_of(person) if rel.is_current()}
    current = CareRelationship.objects.current().filter(person=person)
    return set(current.values_list("team_id", flat=True))


def _unmerged_and_permitted(user: User, person: Person) -> bool:
    """Not merged into another record, and not restricted away from the user. Decided from the
    person as read when it was fetched with its restriction (`person_for_user`), so only a
    restricted record needs a query (is the user named); otherwise asked of the database."""
    restriction_read = Person.restriction.is_cached(person)
    if not restriction_read or "merged_into_id" in person.get_deferred_fields():
        return Person.objects.filter(
            _restriction_permits(user), pk=person.pk, merged_into__isnull=True
        ).exists()
    if person.merged_into_id is not None:
        return False
    restriction = cast(
        "RecordRestriction | None", Person.restriction.related.get_cached_value(person)
    )
    return restriction is None or restriction.allowed_users.filter(pk=user.pk).exists()


def _work_out_sight(user: User, person: Person) -> Sight | None:
    own = set(viewing_team_ids(user))
    if not own:
        return None
    if not _unmerged_and_permitted(user, person):
        return None
    glass = _glass_for(user, person)
    holding = _holding_team_ids(person)
    basis: BasisOfAccess | None = None
    if holding & own:
        basis = BasisOfAccess(AccessBasis.OWN_TEAM)
    else:
        shared = _shared_for_user(user)
        agreement_ids = {shared[team_id] for team_id in holding if team_id in shared}
        if agreement_ids:
            agreements = DataSharingAgreement.objects.filter(pk__in=agreement_ids)
            agreement = agreements.order_by("title", "pk").first()
            basis = BasisOfAccess(AccessBasis.AGREEMENT, agreement=agreement)
        elif glass is not None:
            basis = BasisOfAccess(AccessBasis.BREAK_GLASS, break_glass=glass)
    if basis is None:
        return None
    return Sight(basis=basis, glass=glass, own=frozenset(own), user=user)


def access_basis(user: User, person: Person) -> BasisOfAccess | None:
    """Why the user may see the person: a care relationship of their own team first, else a
    data-sharing agreement (the one named), else a break-glass grant; None when they may not.

    Cached for the user object (one request), a few queries the first time for each person."""
    sight = person_sight(user, person)
    return sight.basis if sight is not None else None


def access_basis_code(user: User, person_public_id: str) -> str:
    """The basis as the audit trail stores it, for a person named by public id ("" if none)."""
    try:
        public_id = UUID(str(person_public_id))
    except ValueError:
        return ""
    person = Person.objects.filter(public_id=public_id).only("pk").first()
    if person is None:
        return ""
    found = access_basis(user, person)
    return str(found.basis) if found else ""


__all__ = [
    "BasisOfAccess",
    "Sight",
    "access_basis",
    "access_basis_code",
    "active_break_glass",
    "break_glass_candidates",
    "care_relationships_of",
    "governed_people",
    "is_within_relationships",
    "person_is_visible_to",
    "person_sight",
    "reachable_team_ids",
    "viewing_team_ids",
    "visible_people",
    "with_care_relationships",
    "with_glass_in_force",
]
