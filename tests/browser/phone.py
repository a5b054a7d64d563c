"""A phone's screen for browser tests: 375 px wide, as the smallest common iPhone.

Practitioners in a custody suite or a courtroom carry phones and tablets, and the header and
tables change shape at that width; a page must fit it with no sideways scrolling.
"""

from __future__ import annotations

import contextlib

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 720}

# The page's overflow, and the element reaching furthest right (the outermost of those that
# reach as far), described so a failure says where to look.
OVERFLOW = """
() => {
  const doc = document.documentElement;
  if (doc.scrollWidth <= window.innerWidth) return null;
  let widest = null, right = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > right + 0.5) { widest = el; right = r.right; }
  }
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    [...el.classList].map(c => '.' + c).join('');
  return {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth,
          widest: widest ? describe(widest) + ' (' + Math.round(right) + ' px to its right edge)'
                         : 'none found'};
}
"""

# A function rather than an expression: Playwright evaluates a bare expression string with
# eval, which the pages' Content-Security-Policy refuses.
FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"


def overflow(page) -> dict | None:
    return page.evaluate(OVERFLOW)


def wait_to_fit(page) -> None:
    """Wait (up to 5 s) for the page to fit its screen: NHS.UK's header moves its navigation
    items under "More" in a script that runs a moment after the page loads or the screen
    turns, and until it has, the navigation reaches past the screen's edge."""
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(FITS, timeout=5_000)


def turn_to_phone(page) -> None:
    """Turn an open page to a phone's width and wait for it to fit, as a person turning a
    tablet would see."""
    page.set_viewport_size(PHONE)
    wait_to_fit(page)


def assert_fits(page) -> None:
    """Check that the open page, once its header is laid out, does not scroll sideways."""
    wait_to_fit(page)
    found = overflow(page)
    assert found is None, found


def assert_fits_phone(page) -> None:
    """Turn an open page to a phone's width and check nothing scrolls sideways."""
    page.set_viewport_size(PHONE)
    assert_fits(page)
