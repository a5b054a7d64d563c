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


def _page_cases() -> list[tuple[Case, str]]:
    chosen = []
    for case in CASES:
        role = next((r for r in ROLES if case.expected_for(r) == 200), None)
        if role is not None:
            chosen.append((case, role))
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


@pytest.mark.parametrize(("case", "role"), _page_cases(), ids=lambda v: getattr(v, "id", v))
def test_page_title_names_nobody(case: Case, role: str, client):
    world = build_world()
    if role != "anonymous":
        client.force_login(world.users[role], backend=MODEL_BACKEND)
    url = reverse(case.url_name, kwargs=case.kwargs(world) if case.kwargs else None)
    data = case.data(world) if case.data else {}
    response = client.post(url, data) if case.method == "POST" else client.get(url, data)
    assert response.status_code == 200, case.id
    if "text/html" not in response.get("Content-Type", ""):
        return
    found = TITLE.search(response.content.decode(errors="replace"))
    if found is None:  # a download, a JSON answer or an htmx fragment: no title to show
        return
    title = unescape(found.group(1)).strip()
    named = [n for n in _names() if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", title)]
    assert not named, f"{case.id} as {role}: title {title!r} names {named}"
