"""The browser tests' page checks must be able to fail: a console error, an uncaught exception
or an NHS.UK frontend that never started fails the test."""

import pytest

from tests.browser.conftest import assert_page_ok

HARNESS = "http://harness.invalid/"


def _serve(page, body_class: str, script: str = "") -> None:
    html = (
        f"<!DOCTYPE html><html lang='en'><head><title>Harness</title></head>"
        f"<body class='{body_class}'><main><h1>Harness</h1></main>{script}</body></html>"
    )
    page.route(HARNESS, lambda route: route.fulfill(body=html, content_type="text/html"))
    if "nhsuk-frontend-supported" in body_class:
        page.goto(HARNESS)
        return
    # The page logs its own error once loaded; wait for it so the check below sees it.
    with page.expect_console_message(lambda m: m.type == "error"):
        page.goto(HARNESS)


def test_a_console_error_fails_the_page(page):
    page.set_content("<html lang='en'><body><script>console.error('boom')</script></body></html>")
    with pytest.raises(AssertionError, match="console error: boom"):
        assert_page_ok(page)


def test_an_uncaught_exception_fails_the_page(page):
    page.set_content("<html lang='en'><body><script>throw new Error('kaput')</script></body>")
    with pytest.raises(AssertionError, match=r"uncaught exception: .*kaput"):
        assert_page_ok(page)


def test_a_served_page_without_the_nhsuk_frontend_fails(page):
    _serve(page, body_class="")
    with pytest.raises(AssertionError, match=r"NHS\.UK frontend not initialised"):
        assert_page_ok(page)
    page.goto("about:blank")


def test_a_served_page_with_the_nhsuk_frontend_and_no_errors_passes(page):
    _serve(page, body_class="js-enabled nhsuk-frontend-supported")
    assert_page_ok(page)


def test_the_sign_in_page_starts_the_nhsuk_frontend(page, live_server):
    # The error summary takes focus only when the design system's JavaScript runs.
    page.goto(f"{live_server.url}/accounts/sign-in/")
    assert_page_ok(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert_page_ok(page)
    assert page.evaluate(
        "() => document.activeElement.classList.contains('nhsuk-error-summary')"
    ), "the error summary did not take focus"
