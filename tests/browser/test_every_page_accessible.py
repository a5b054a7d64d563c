"""Every page of the site, opened in Chromium by a role that may see it, passes axe.

The pages come from the access matrix's cases (tests/*/access_cases.py), so a page added there
is checked here too, in the state its case builds.
"""

import pytest

from tests.access.world import build_world
from tests.browser.conftest import assert_accessible
from tests.browser.every_page import visit_every_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_page_passes_axe_for_a_role_that_may_see_it(browser, live_server):
    checked = visit_every_page(
        browser, live_server, build_world(), lambda page, _name: assert_accessible(page)
    )
    assert len(checked) > 60, checked
