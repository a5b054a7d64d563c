"""Every page of the site, as the access matrix's cases (tests/*/access_cases.py) list them,
opened by a role that may see it, in the state its case builds. The every-page tests walk it."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.access.matrix import ROLES
from tests.access.test_url_matrix import CASES
from tests.browser.conftest import PASSWORD, assert_page_ok, watch_page

# Not pages a person reads: a JSON health check.
NOT_PAGES = {"healthz"}


def pages_by_role() -> dict[str, list]:
    chosen: dict[str, list] = {}
    seen: set[str] = set()
    for case in CASES:
        if case.method != "GET" or case.url_name in NOT_PAGES or case.url_name in seen:
            continue
        if case.url_name.startswith("admin:"):
            continue
        role = next((r for r in ROLES if case.expected_for(r) == 200), None)
        if role is None:
            continue
        seen.add(case.url_name)
        chosen.setdefault(role, []).append(case)
    return chosen


class Opened(Enum):
    PAGE = "a whole HTML page"
    OTHER = "a download or an htmx fragment"


def _open(page, url: str, case_id: str, role: str) -> Opened:
    """Open the URL; downloads (PDFs, CSVs) and htmx fragments are checked by their own
    tests, and the walk's checks judge whole documents only, so what the browser logs while
    showing anything else (a CSV shown as text has no design system to start) is set aside."""
    errors = page.hj_errors
    before = len(errors)
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return Opened.OTHER
        raise
    assert response is not None and response.status == 200, (case_id, role, response)
    if "text/html" not in response.headers.get("content-type", "") or (
        "<html" not in response.text()[:500]
    ):
        page.wait_for_load_state()
        del errors[before:]
        return Opened.OTHER
    return Opened.PAGE


PAGES_BY_ROLE = pages_by_role()
PAGES_PER_PART = 12
# The walk in parts of a role and up to PAGES_PER_PART of its pages, one test each, so the
# suite's processes share it out.
WALK_PARTS = [
    f"{role}:{start}"
    for role, cases in sorted(PAGES_BY_ROLE.items())
    for start in range(0, len(cases), PAGES_PER_PART)
]


def visit_every_page(
    browser,
    live_server,
    world,
    check: Callable,
    viewport: dict | None = None,
    part: str | None = None,
) -> list[str]:
    """Open every whole HTML page (or only a WALK_PARTS part of them) and call
    `check(page, url_name)` on it; returns the names."""
    checked = []
    only_role, _, start = (part or "").partition(":")
    for role, all_cases in PAGES_BY_ROLE.items():
        if part is not None and role != only_role:
            continue
        cases = all_cases[int(start) : int(start) + PAGES_PER_PART] if part else all_cases
        context = browser.new_context(viewport=viewport) if viewport else browser.new_context()
        page = watch_page(context.new_page())
        if role != "anonymous":
            page.goto(f"{live_server.url}{reverse('accounts:login')}")
            page.get_by_label("Username").fill(world.users[role].username)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
        for case in cases:
            path = reverse(case.url_name, kwargs=case.kwargs(world) if case.kwargs else None)
            if _open(page, f"{live_server.url}{path}", case.id, role) is Opened.PAGE:
                check(page, case.url_name)
                checked.append(case.url_name)
        assert_page_ok(page)
        context.close()
    return checked
