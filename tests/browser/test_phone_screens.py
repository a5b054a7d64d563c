"""Every page fits a phone's screen (375 px wide, as the smallest common iPhone) with no
sideways scrolling, and passes axe there too: practitioners in a custody suite or a courtroom
carry phones and tablets, and the header and tables change shape at that width.

The pages are the every-page walk's (tests/browser/every_page.py), seen by the same roles.
"""

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.access.world import build_world
from tests.browser.conftest import assert_accessible
from tests.browser.every_page import WALK_PARTS, visit_every_page

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}

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


def overflow(page) -> dict | None:
    return page.evaluate(OVERFLOW)


def assert_fits_phone(page) -> None:
    """Turn an open page to a phone's width and check nothing scrolls sideways, once the
    header has redrawn: NHS.UK's header moves its navigation items under "More" in a resize
    handler that runs a moment after the resize, as a person turning a tablet would see."""
    page.set_viewport_size(PHONE)
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            "document.documentElement.scrollWidth <= window.innerWidth", timeout=5_000
        )
    found = overflow(page)
    assert found is None, found


@pytest.mark.parametrize("part", WALK_PARTS)
def test_every_page_fits_a_phone_screen_without_sideways_scrolling(part, browser, live_server):
    too_wide: list[str] = []

    def check(page, name: str) -> None:
        found = overflow(page)
        if found:
            too_wide.append(
                f"{name}: {found['scrollWidth']} px wide in a {found['innerWidth']} px screen;"
                f" widest: {found['widest']}"
            )
        assert_accessible(page)

    visit_every_page(browser, live_server, build_world(), check, viewport=PHONE, part=part)
    assert not too_wide, "Pages wider than a phone:\n" + "\n".join(too_wide)


def test_a_page_wider_than_the_screen_is_found_and_named(page):
    page.set_viewport_size(PHONE)
    page.set_content(
        "<html lang='en'><body><main><p>Fits</p><table id='wide'><tr><td>"
        + "&nbsp;".join(["unbreakable"] * 20)
        + "</td></tr></table></main></body></html>"
    )
    found = overflow(page)
    assert found and found["scrollWidth"] > PHONE["width"]
    assert found["widest"].startswith("table#wide")
    page.set_content("<html lang='en'><body><main><p>Fits</p></main></body></html>")
    assert overflow(page) is None
