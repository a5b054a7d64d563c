"""Browser tests: Playwright driving Debian's Chromium, with axe-core on every page visited.

Use the `login` fixture to sign a user in through the real sign-in page, and call
`assert_accessible(page)` on every page a test visits. Every page a test opens through the
`page` fixture (or `watch_page`) must also log no console error, throw nothing, and start the
NHS.UK frontend: the test fails otherwise, at the next `assert_accessible` or at its end.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import pytest
from django.conf import settings

PASSWORD = "correct-horse-battery"
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# axe-core has no "wcag22a" tag; these are every tag up to WCAG 2.2 AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


# Runs in every page before its own scripts: a served page whose body never gained the design
# system's "supported" class (its inline script was blocked, say) logs an error the test sees.
FRONTEND_CHECK = """
window.addEventListener('load', () => {
  if (!/^https?:$/.test(location.protocol)) return;
  if (!document.body || !document.body.classList.contains('nhsuk-frontend-supported')) {
    console.error('NHS.UK frontend not initialised: no nhsuk-frontend-supported on the body');
  }
});
"""


DOCUMENT_4XX = "Failed to load resource: the server responded with a status of 4"


def watch_page(page):
    """Collect the page's console errors and uncaught exceptions, and check the frontend."""
    errors: list[str] = []

    def on_console(message) -> None:
        # A page answered with 4xx on purpose (a 404, a used link) is the service's own page;
        # the same status on anything the page loads is a missing file.
        url = message.location.get("url", "")
        if message.text.startswith(DOCUMENT_4XX) and url == page.url:
            return
        if message.type == "error":
            errors.append(f"console error: {message.text} ({message.location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"uncaught exception: {exc}"))
    page.add_init_script(FRONTEND_CHECK)
    # The tests never reach the internet: the NHS font (from NHS England's CDN, allowed by the
    # CSP) arrives empty, which the browser only warns about.
    page.route(
        "https://assets.nhs.uk/**",
        lambda route: route.fulfill(status=200, body=b"", content_type="font/woff2"),
    )
    page.hj_errors = errors
    return page


def assert_page_ok(page) -> None:
    """Fail on any console error or uncaught exception since the last check, and when a served
    page has not started the NHS.UK frontend."""
    errors = getattr(page, "hj_errors", [])
    served = not page.is_closed() and page.url.startswith(("http://", "https://"))
    if served:
        page.wait_for_load_state()  # a click may have started a navigation still under way
    if served and not page.evaluate(
        "() => !!document.body && document.body.classList.contains('nhsuk-frontend-supported')"
    ):
        errors.append(f"NHS.UK frontend not initialised on {page.url}")
    found = list(dict.fromkeys(errors))
    errors.clear()
    assert not found, f"{page.url}:\n" + "\n".join(found)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Never a downloaded browser: Debian's chromium package, installed by `make test`.
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
    }


@pytest.fixture(scope="session")
def browser(live_server, browser):
    """Playwright's browser, set up after the live server so that it closes first: a connection
    Chromium still held open would otherwise end in a server thread after the test database
    connection was taken back from it."""
    return browser


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(n["target"]) for n in v["nodes"][:5]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} at {targets}")
    return "\n".join(lines)


# The NHS.UK file upload's drop button is named by the field's visible <label> followed by its
# own text, with a hidden comma between (the design system's choice, after GOV.UK's research,
# so speech users can say the label); axe wants the button's own text alone. Only that rule,
# only that button, is set aside.
DESIGN_SYSTEM_EXCEPTIONS = {"label-content-name-mismatch": "nhsuk-file-upload__drop-button"}


def _without_design_system_exceptions(violations: list[dict]) -> list[dict]:
    kept = []
    for v in violations:
        marker = DESIGN_SYSTEM_EXCEPTIONS.get(v["id"])
        nodes = [n for n in v["nodes"] if not (marker and marker in n["html"])]
        if nodes:
            kept.append({**v, "nodes": nodes})
    return kept


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text()


def assert_accessible(page) -> None:
    """Run axe-core (from npm) on the page; fail on any WCAG 2.2 AA violation, and (see
    `assert_page_ok`) on console errors or a design system that did not start."""
    assert_page_ok(page)
    # evaluate() is not subject to the page's Content-Security-Policy, unlike add_script_tag.
    # A page seen twice (at two widths) keeps the axe it was given the first time.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    results = page.evaluate("opts => axe.run(document, opts)", AXE_OPTIONS)
    violations = _without_design_system_exceptions(results["violations"])
    assert not violations, f"{page.url}:\n{_describe(violations)}\n{json.dumps(violations)[:2000]}"


@pytest.fixture
def page(page):
    """pytest-playwright's page, watched: the test fails on what the page logs as an error."""
    watch_page(page)
    yield page
    assert_page_ok(page)


@pytest.fixture
def login(page, live_server):
    """Sign a user in through the sign-in page; returns the page, on the user's home page."""

    def _login(user, password: str = PASSWORD):
        page.goto(f"{live_server.url}/accounts/sign-in/")
        assert_accessible(page)
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert "/accounts/sign-in/" not in page.url, "sign-in failed"
        return page

    return _login


def wait_for_header(page):
    """Wait for the design system's header script to have laid the header out. Until it has,
    moving items under "More" may change the header's height and shift the page below it, so a
    click aimed at a link in the page may land beside it."""
    header = page.locator("[data-module='nhsuk-header']")
    header.and_(page.locator("[data-nhsuk-header-init]")).wait_for(state="attached")
    page.wait_for_function("() => new Promise(done => requestAnimationFrame(() => done(true)))")
    return header


def open_from_header(page, name: str, *, exact: bool = False) -> None:
    """Follow a link in the header's navigation as a person does: under "More" when the header
    is full. The design system's script moves the items that do not fit under "More" once the
    page has loaded (and again on a resize), so the choice waits for it to have run."""
    header = wait_for_header(page)
    link = header.get_by_role("link", name=name, exact=exact)
    if not link.first.is_visible():
        header.get_by_role("button", name="More").click()
    link.filter(visible=True).first.click()
