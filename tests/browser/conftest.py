"""Browser tests: Playwright driving Debian's Chromium, with axe-core on every page visited.

Use the `login` fixture to sign a user in through the real sign-in page, and call
`assert_accessible(page)` on every page a test visits.
"""

from __future__ import annotations

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


def assert_accessible(page) -> None:
    """Run axe-core (from npm) on the page; fail on any WCAG 2.2 AA violation."""
    # evaluate() is not subject to the page's Content-Security-Policy, unlike add_script_tag.
    page.evaluate(AXE_JS.read_text())
    results = page.evaluate("opts => axe.run(document, opts)", AXE_OPTIONS)
    violations = results["violations"]
    assert not violations, f"{page.url}:\n{_describe(violations)}\n{json.dumps(violations)[:2000]}"


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
