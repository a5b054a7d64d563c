"""A data-sharing agreement opens a record to another trust's team only within its terms.

Every person-scoped URL of the access matrix (those a clinician outside the care team is
refused with a 404) is tried, reads and writes, by viewers who stand just outside the
agreement: a team of a party in a region it does not cover, a trust that is not a party, a
team of a party in a pathway it does not cover. Each is refused and nothing is written. A
practitioner of the partner trust inside its terms reads every one of those pages. The module
builds the world once; each test, and each case within it, runs in a savepoint, so one case
cannot leak into the next.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from healthjustice.audit.models import AccessBasis, Action, AuditEvent, person_reference
from healthjustice.people.choices import RestrictionReason
from healthjustice.people.models import BreakGlassAccess, RecordRestriction
from tests.access.matrix import Case
from tests.access.test_url_matrix import CASES, _tables_written
from tests.access.world import (
    NON_PARTY,
    OTHER_PATHWAY,
    OTHER_REGION,
    OUTSIDERS,
    PARTNER,
    PARTNER_IG,
    Sharing,
    World,
    add_sharing,
    build_world,
)
from tests.conftest import MODEL_BACKEND, seeded

pytestmark = pytest.mark.django_db

# The matrix's own statement of which URLs reach the world's person or what belongs to them.
# A team's own uploaded lists (imports) are the team's, not a person's: another team gets 404 for
# them whatever agreement covers the people on them.
TEAM_OWNED = {"imports"}
PERSON_CASES = [
    c
    for c in CASES
    if c.kwargs
    and c.expected_for("practitioner_other_team") == 404
    and c.url_name.split(":")[0] not in TEAM_OWNED
]
REFUSED = (403, 404)
# Pages for members of a pathway's own team (an MHTR referral is taken by the MHTR team): the
# partner, an L&D practitioner, sees the person but is not in such a team, so is refused.
FOR_PATHWAY_TEAMS = {"mhtr:refer_person"}
# What a refused request may write: its audit trail, the session. Every other table (many-to-many
# ones too) must see no INSERT, UPDATE or DELETE at all, not even one undone before the response.
_WRITES_ALLOWED = {
    m._meta.db_table
    for m in apps.get_models(include_auto_created=True)
    if m._meta.app_label in ("audit", "sessions", "admin", "contenttypes")
}


@pytest.fixture(scope="module")
def module_world(request, django_db_setup, django_db_blocker):
    """The world, its agreement and what every case names, built once per module (and process)
    in a transaction rolled back at its end; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with seeded(request.node.nodeid):
            world = build_world()
            sharing = add_sharing(world)
            for case in PERSON_CASES:  # build what the cases name now, outside their savepoints
                case.kwargs(world)
                if case.data:
                    case.data(world)
        yield world, sharing
        transaction.set_rollback(True)


@pytest.fixture
def shared_world(module_world, db) -> tuple[World, Sharing]:
    """Each test's own copy of the module's world (the rows are shared, rolled back after it)."""
    return copy.deepcopy(module_world)


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def _request(client: Client, case: Case, world: World):
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    data = case.data(world) if case.data else {}
    return client.post(url, data) if case.method == "POST" else client.get(url, data)


@contextmanager
def _rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def test_the_person_scoped_cases_cover_reads_and_writes():
    methods = {c.method for c in PERSON_CASES}
    assert methods == {"GET", "POST"}
    assert len(PERSON_CASES) > 60


@pytest.mark.parametrize("viewer", OUTSIDERS)
def test_viewers_outside_the_agreement_reach_nothing_and_write_nothing(viewer, shared_world):
    world, _ = shared_world
    client = _client(world.users[viewer])
    failures = []
    for case in PERSON_CASES:
        with _rolled_back():
            last_seq = AuditEvent.objects.order_by("-seq").first().seq
            with CaptureQueriesContext(connection) as queries:
                response = _request(client, case, world)
            statements = [q["sql"] for q in queries.captured_queries]
            written = sorted(_tables_written(statements) - _WRITES_ALLOWED)
            actions = set(
                AuditEvent.objects.filter(seq__gt=last_seq).values_list("action", flat=True)
            )
        if response.status_code not in REFUSED:
            failures.append(f"{case.id}: {response.status_code}")
        if written or actions - {Action.DENIED}:
            failures.append(f"{case.id}: wrote {written or ''} audited {sorted(actions)}")
    assert not failures, f"{viewer} reached: {failures}"


def _views_of_the_person(world: World, after_seq: int):
    """Views written after `after_seq` about the world's person (or something of theirs)."""
    person = str(world.person.public_id)
    return AuditEvent.objects.alias(person_ref=person_reference()).filter(
        Q(object_type="person", object_id=person) | Q(person_ref=person),
        seq__gt=after_seq,
        action=Action.VIEW,
    )


def test_partner_inside_the_agreement_reads_every_page_of_the_person(shared_world):
    world, _ = shared_world
    client = _client(world.users[PARTNER])
    failures, recorded = [], 0
    for case in (c for c in PERSON_CASES if c.method == "GET"):
        with _rolled_back():
            last_seq = AuditEvent.objects.order_by("-seq").first().seq
            status = _request(client, case, world).status_code
            bases = set(
                _views_of_the_person(world, last_seq).values_list("access_basis", flat=True)
            )
        expected = 403 if case.url_name in FOR_PATHWAY_TEAMS else case.expected_for("practitioner")
        if status != expected:
            failures.append(f"{case.id}: {status}, expected {expected}")
        if bases - {AccessBasis.AGREEMENT}:
            failures.append(f"{case.id}: views recorded with basis {sorted(bases)}")
        recorded += bool(bases)
    assert not failures, failures
    assert recorded > 40  # most pages record a view of the person; carers' pages, the carer


def _person_page(world: World) -> str:
    return reverse("people:detail", kwargs={"public_id": world.person.public_id})


def _last_view(world: World, user) -> AuditEvent:
    return AuditEvent.objects.filter(
        action=Action.VIEW, object_type="person", object_id=str(world.person.public_id)
    ).latest("seq")


def test_record_seen_by_agreement_says_so_names_it_and_is_audited_as_agreement(shared_world):
    world, sharing = shared_world
    partner = _client(world.users[PARTNER])
    page = partner.get(_person_page(world)).content.decode()
    assert "nhsuk-inset-text" in page
    assert escape(sharing.agreement.title) in page  # "L&D", escaped like any text
    assert sharing.agreement.reference in page
    assert _last_view(world, world.users[PARTNER]).access_basis == AccessBasis.AGREEMENT

    own = _client(world.users["practitioner"]).get(_person_page(world)).content.decode()
    assert sharing.agreement.reference not in own
    assert _last_view(world, world.users["practitioner"]).access_basis == AccessBasis.OWN_TEAM


def test_restricted_record_is_refused_to_the_partner_unless_named(shared_world):
    world, _ = shared_world
    restriction = RecordRestriction.objects.create(
        person=world.person, reason=RestrictionReason.STAFF_MEMBER
    )
    restriction.allowed_users.set([world.users["practitioner"]])
    partner = _client(world.users[PARTNER])
    assert partner.get(_person_page(world)).status_code == 404
    restriction.allowed_users.add(world.users[PARTNER])
    assert partner.get(_person_page(world)).status_code == 200


@pytest.mark.parametrize("viewer", [OTHER_REGION, NON_PARTY, OTHER_PATHWAY])
def test_break_glass_lets_an_outsider_in_and_the_view_is_audited_as_break_glass(
    viewer, shared_world
):
    world, _ = shared_world
    now = timezone.now()
    BreakGlassAccess.objects.create(
        person=world.person,
        user=world.users[viewer],
        reason="Custody sergeant reports a self-harm risk tonight",
        started_at=now,
        expires_at=now + timedelta(hours=1),
    )
    assert _client(world.users[viewer]).get(_person_page(world)).status_code == 200
    assert _last_view(world, world.users[viewer]).access_basis == AccessBasis.BREAK_GLASS


def test_partner_ig_auditor_reaches_people_of_their_trust_and_shared_with_it_only(shared_world):
    world, sharing = shared_world
    ig = _client(world.users[PARTNER_IG])

    def events(person):
        return ig.get(reverse("audit:person_events", kwargs={"public_id": person.public_id}))

    def export(person):
        url = reverse("audit:subject_access_export", kwargs={"public_id": person.public_id})
        return ig.post(url, {"format": "json"})

    assert events(world.person).status_code == 200
    assert export(world.person).status_code == 200
    outside = str(sharing.unshared_person.public_id)
    before = AuditEvent.objects.filter(action=Action.DENIED, object_id=outside).count()
    assert events(sharing.unshared_person).status_code == 404
    assert export(sharing.unshared_person).status_code == 404
    after = AuditEvent.objects.filter(action=Action.DENIED, object_id=outside).count()
    assert after == before + 2
    assert not AuditEvent.objects.filter(action=Action.EXPORT, object_id=outside).exists()

    own_ig = _client(world.users["ig_auditor"])
    url = reverse("audit:person_events", kwargs={"public_id": sharing.unshared_person.public_id})
    assert own_ig.get(url).status_code == 200


def test_partner_ig_auditor_neither_finds_nor_reviews_people_beyond_their_reach(shared_world):
    world, sharing = shared_world
    ig = _client(world.users[PARTNER_IG])
    outside = sharing.unshared_person
    found = ig.post(reverse("audit:person"), {"identifier": outside.nhs_number})
    assert escape(outside.full_name) not in found.content.decode()
    shared = ig.post(reverse("audit:person"), {"identifier": world.person.nhs_number})
    assert escape(world.person.full_name) in shared.content.decode()

    now = timezone.now()
    grant = BreakGlassAccess.objects.create(
        person=outside,
        user=world.users[OTHER_REGION],
        reason="Custody sergeant reports a self-harm risk tonight",
        started_at=now,
        expires_at=now + timedelta(hours=1),
    )
    review = reverse("audit:break_glass_review", kwargs={"public_id": grant.public_id})
    assert ig.get(review).status_code == 404
    assert ig.post(review, {"outcome": "appropriate", "note": ""}).status_code == 404
    assert BreakGlassAccess.objects.get(pk=grant.pk).reviewed_at is None
    assert review not in ig.get(reverse("audit:break_glass")).content.decode()
    assert _client(world.users["ig_auditor"]).get(review).status_code == 200
