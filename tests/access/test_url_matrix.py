"""Walk every URL of the site for every role and check the outcome (see matrix.py)."""

import copy
import importlib
import pkgutil
import re
import time
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from healthjustice.accounts.middleware import SESSION_STARTED_KEY
from healthjustice.accounts.models import User
from healthjustice.audit.models import Action, AuditEvent
from tests.access.matrix import LOGIN, ROLES, Case
from tests.access.world import World, build_world
from tests.conftest import MODEL_BACKEND, seeded

# Namespaces covered by one representative case each, because another framework owns them.
WHOLE_NAMESPACES = {"admin"}
# What reading a page may write: the audit trail of the read, and the sign-in session.
WRITES_ALLOWED_ON_GET = {"audit_auditevent", "audit_chainhead", "django_session"}
WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


# Pages under these apps that take an id show one person's record, and say so in the trail.
PERSON_SCOPED_APPS = {"people", "journeys", "screening", "assessments", "interventions", "mhtr"}
# RECONNECT's cases each need a person of their own (one open episode a person): their pages must
# name exactly one person in the trail, whoever it is.
SCOPED_TO_A_CASE_PERSON = {"reconnect"}
# Undoing a merge shows two other people's records; tests/people/test_merge.py checks both views.
# A team's MHTR or RECONNECT settings take the team's id and are about no person.
NOT_ABOUT_ONE_PERSON = {
    "people:merge_undo",
    "mhtr:team_settings_edit",
    "reconnect:team_settings_edit",
}


def _views_of(person, after_seq: int) -> int:
    pid = str(person.public_id)
    return (
        AuditEvent.objects.filter(seq__gt=after_seq, action=Action.VIEW)
        .filter(Q(object_type="person", object_id=pid) | Q(detail__person=pid))
        .count()
    )


def _people_viewed(after_seq: int) -> list[str]:
    events = AuditEvent.objects.filter(seq__gt=after_seq, action=Action.VIEW)
    return [
        e.object_id if e.object_type == "person" else str(e.detail.get("person"))
        for e in events
        if e.object_type == "person" or (e.detail or {}).get("person")
    ]


def _tables_written(statements: list[str]) -> set[str]:
    return {m.group(1) for sql in statements if (m := WRITE.match(sql))}


def _collect_cases() -> list[Case]:
    cases: list[Case] = []
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            found = importlib.import_module(f"tests.{module.name}.access_cases")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{module.name}.access_cases":
                raise
            continue
        cases.extend(found.CASES)
    return cases


CASES = _collect_cases()


def _url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in WHOLE_NAMESPACES:
                names.add(f"{ns}:*")
                continue
            names |= _url_names(pattern, f"{prefix}{ns}:" if ns else prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{prefix}{pattern.name}")
    return names


def test_the_write_check_sees_each_kind_of_write():
    sql = [
        'INSERT INTO "carers_carersupport" ("carer_id") VALUES (1)',
        'UPDATE "people_person" SET "version" = 2',
        'DELETE FROM "journeys_episode" WHERE id = 1',
        'SELECT "people_person"."id" FROM "people_person"',
    ]
    assert _tables_written(sql) == {
        "carers_carersupport",
        "people_person",
        "journeys_episode",
    }


def test_every_url_is_in_the_access_matrix():
    covered = {c.url_name for c in CASES}
    covered |= {
        f"{c.url_name.split(':')[0]}:*"
        for c in CASES
        if c.url_name.split(":")[0] in WHOLE_NAMESPACES
    }
    missing = sorted(_url_names() - covered)
    assert not missing, f"URLs with no access-matrix case: {missing}"


def test_every_case_names_a_real_url():
    names = _url_names()
    unknown = [
        c.url_name
        for c in CASES
        if c.url_name not in names and c.url_name.split(":")[0] not in WHOLE_NAMESPACES
    ]
    assert not unknown, f"Cases for URLs that do not exist: {unknown}"


def _signed_in(client, user: User) -> None:
    """Give the client a signed-in session for `user`: what `force_login` leaves behind, without
    the sign-in's own audit event and last-login update, which the sign-in tests check and which
    would otherwise be a third of a case's work here."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = MODEL_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SESSION_STARTED_KEY] = time.time()
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


@pytest.fixture(scope="module")
def module_world(request, django_db_setup, django_db_blocker):
    """The world, built once per module (and process) in a transaction rolled back at its end.

    Each case runs in a savepoint inside it (pytest-django's `db`), so what a case writes is
    gone before the next case; `world` hands each case its own copy of the Python objects.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with seeded(request.node.nodeid):
            built = build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def world(module_world: World, db) -> World:
    """A fresh copy of the module's world for one case; what a case builds (`World.get`) is
    built inside the case's savepoint and forgotten with it."""
    return copy.deepcopy(module_world)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_access(case: Case, role: str, client, world: World):
    if role != "anonymous":
        _signed_in(client, world.users[role])
    url = reverse(case.url_name, kwargs=case.kwargs(world) if case.kwargs else None)
    data = case.data(world) if case.data else {}
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data) if case.method == "POST" else client.get(url, data)
    if case.method == "GET":
        statements = [q["sql"] for q in queries.captured_queries]
        written = _tables_written(statements) - WRITES_ALLOWED_ON_GET
        assert not written, f"{case.id} as {role}: a GET wrote to {sorted(written)}"
    expected = case.expected_for(role)
    if (
        case.method == "GET"
        and expected == 200
        and case.kwargs
        and case.url_name.split(":")[0] in PERSON_SCOPED_APPS
        and case.url_name not in NOT_ABOUT_ONE_PERSON
    ):
        views = _views_of(world.person, before)
        assert views == 1, f"{case.id} as {role}: {views} view events name the person, not 1"
    if (
        case.method == "GET"
        and expected == 200
        and case.kwargs
        and case.url_name.split(":")[0] in SCOPED_TO_A_CASE_PERSON
        and case.url_name not in NOT_ABOUT_ONE_PERSON
    ):
        # Criminal-justice details are recorded as a view of their own (Article 10 data).
        viewed = set(_people_viewed(before))
        assert len(viewed) == 1, f"{case.id} as {role}: view events name {viewed}, not one person"
    if expected == LOGIN:
        assert response.status_code == 302, (role, response.status_code)
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, (
            f"{case.id} as {role}: got {response.status_code}, expected {expected}"
        )
