"""Every page of the site, opened in Chromium by a role that may see it, passes axe at a
desktop's width and, turned to a phone's, fits the screen with no sideways scrolling and passes
axe there too (the header and tables change shape at that width).

The pages come from the access matrix's cases (tests/*/access_cases.py), so a page added there
is checked here too, in the state its case builds. Each page is opened once and seen at both
widths, as a person turning a tablet would.
"""

import pytest

from tests.access.world import build_world
from tests.browser.conftest import assert_accessible
from tests.browser.every_page import PAGES_BY_ROLE, WALK_PARTS, visit_every_page
from tests.browser.phone import DESKTOP, overflow, turn_to_phone


def test_the_walk_covers_the_site():
    assert sum(len(cases) for cases in PAGES_BY_ROLE.values()) > 60


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("part", WALK_PARTS)
def test_every_page_passes_axe_and_fits_a_phone_for_a_role_that_may_see_it(
    part, browser, live_server
):
    too_wide: list[str] = []

    def check(page, name: str) -> None:
        assert_accessible(page)
        turn_to_phone(page)
        found = overflow(page)
        if found:
            too_wide.append(
                f"{name}: {found['scrollWidth']} px wide in a {found['innerWidth']} px screen;"
                f" widest: {found['widest']}"
            )
        assert_accessible(page)
        page.set_viewport_size(DESKTOP)

    visit_every_page(browser, live_server, build_world(), check, viewport=DESKTOP, part=part)
    assert not too_wide, "Pages wider than a phone:\n" + "\n".join(too_wide)
