"""A page's <title> (browser tab, history, bookmarks) never names a person or a carer.

Every page of the access matrix is opened, in the state its case builds, by the first role
that may see it.
"""

import re
from html import unescape

import pytest
from django.urls import reverse

from healthjustice.carers.models import Carer
from healthjustice.people.models import Person, PersonAlias
from tests.access.matrix import ROLES, Case
from tests.access.test_url_matrix import CASES
from tests.access.world import build_world
from tests.conftest import MODEL_BACKEND

pytestmark = pytest.mark.django_db

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def _pages_by_role() -> dict[str, list[Case]]:
    chosen: dict[str, list[Case]] = {}
    seen: set[str] = set()
    for case in CASES:
        if case.method != "GET" or case.url_name in seen:
            continue
        role = next((r for r in ROLES if case.expected_for(r) == 200), None)
        if role is not None:
            seen.add(case.url_name)
            chosen.setdefault(role, []).append(case)
    return chosen


def _names() -> set[str]:
    names: set[str] = set()
    for person in Person.objects.all():
        names |= {person.full_name, person.family_name, person.family_name.upper()}
        if person.preferred_name:
            names.add(person.preferred_name)
    for alias in PersonAlias.objects.all():
        names |= {alias.family_name, alias.family_name.upper()}
    for carer in Carer.objects.all():
        names |= {carer.full_name, carer.family_name, carer.family_name.upper()}
    return {n for n in names if n.strip()}


def test_no_page_title_names_a_person_or_carer(client):
    world = build_world()
    checked, named = [], []
    for role, cases in _pages_by_role().items():
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role], backend=MODEL_BACKEND)
        for case in cases:
            url = reverse(case.url_name, kwargs=case.kwargs(world) if case.kwargs else None)
            response = client.get(url, case.data(world) if case.data else {})
            assert response.status_code == 200, (case.id, role)
            if "text/html" not in response.get("Content-Type", ""):
                continue  # a download or a JSON answer: no title to show
            found = TITLE.search(response.content.decode(errors="replace"))
            if found is None:  # an htmx fragment
                continue
            title = unescape(found.group(1)).strip()
            names = _names()
            hits = [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", title)]
            if hits:
                named.append(f"{case.id} as {role}: {title!r} names {hits}")
            checked.append(case.url_name)
    assert not named, "\n".join(named)
    assert len(checked) > 60, checked
