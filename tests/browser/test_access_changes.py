"""An information-governance auditor sees who changed access to records, on the landing page."""

import pytest
from playwright.sync_api import expect

from healthjustice.organisations import services
from healthjustice.organisations.models import Membership
from healthjustice.organisations.roles import Role
from tests.browser.conftest import assert_accessible
from tests.factories import TeamFactory, staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_ig_auditor_sees_recent_changes_to_access(login, live_server):
    # Given a system administrator who gave a colleague a place in the custody team
    admin = staff(Role.SYSTEM_ADMIN, user__first_name="Alex", user__last_name="Morgan")
    colleague = staff(team=TeamFactory(), user__first_name="Priya", user__last_name="Shah")
    custody = TeamFactory(name="Stoke custody L&D")
    services.membership_save(
        actor=admin,
        membership=Membership(user=colleague, team=custody, role=Role.TEAM_LEADER),
        fields_changed=["role", "team", "user"],
    )
    auditor = staff(Role.IG_AUDITOR, team=TeamFactory(name="Information governance"))
    page = login(auditor)

    # When the auditor opens the audit trail
    page.get_by_role("link", name="Audit trail").first.click()

    # Then the change is listed: who made it, to what, and which fields
    expect(page.get_by_role("heading", name="Recent changes to access")).to_be_visible()
    table = page.locator("table", has_text="Team membership")
    expect(table).to_contain_text("Alex Morgan")
    expect(table).to_contain_text("Team leader, Stoke custody L&D")
    expect(table).to_contain_text("role, team, user")
    assert_accessible(page)

    # And the link beside it opens what the colleague's account did
    table.get_by_role("link", name="What this account did").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priya Shah")
    assert_accessible(page)
