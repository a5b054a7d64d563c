"""Walk every URL of the site for every role and check the outcome (see matrix.py)."""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.access.matrix import LOGIN, ROLES, Case
from tests.access.world import build_world
from tests.conftest import MODEL_BACKEND

# Namespaces covered by one representative case each, because another framework owns them.
WHOLE_NAMESPACES = {"admin"}


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


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_access(case: Case, role: str, client):
    world = build_world()
    if role != "anonymous":
        client.force_login(world.users[role], backend=MODEL_BACKEND)
    url = reverse(case.url_name, kwargs=case.kwargs(world) if case.kwargs else None)
    data = case.data(world) if case.data else {}
    response = client.post(url, data) if case.method == "POST" else client.get(url, data)
    expected = case.expected_for(role)
    if expected == LOGIN:
        assert response.status_code == 302, (role, response.status_code)
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, (
            f"{case.id} as {role}: got {response.status_code}, expected {expected}"
        )
