"""Every page of the site, opened in Chromium by a role that may see it, passes axe.

The pages come from the access matrix's cases (tests/*/access_cases.py), so a page added there
is checked here too, in the state its case builds.
"""

import pytest

from tests.access.world import build_world
from tests.browser.conftest import assert_accessible
from tests.browser.every_page import PAGES_BY_ROLE, WALK_PARTS, visit_every_page


def test_the_walk_covers_the_site():
    assert sum(len(cases) for cases in PAGES_BY_ROLE.values()) > 60


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("part", WALK_PARTS)
def test_every_page_passes_axe_for_a_role_that_may_see_it(part, browser, live_server):
    visit_every_page(
        browser,
        live_server,
        build_world(),
        lambda page, _name: assert_accessible(page),
        part=part,
    )
