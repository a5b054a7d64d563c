"""An MHTR practitioner's worklist: an overdue compliance notice first, then the PSR due
tomorrow, in words, and the pathway filter (axe on each page)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from healthjustice.journeys.choices import Stage
from healthjustice.organisations.roles import Role
from healthjustice.worklist.deadlines import working_days_since
from tests.browser.conftest import assert_accessible
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.journeys.factories import make_episode
from tests.mhtr.factories import mhtr_team
from tests.worklist.test_mhtr_deadlines import _notice, _order, _psr, _session

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.timedelta(days=1)


def test_mhtr_worklist_puts_an_overdue_notice_first_and_filters_by_pathway(login, live_server):
    ld = TeamFactory(name="Stoke court L&D", region=RegionFactory(name="Staffordshire"))
    team = mhtr_team(like=ld)
    user = staff(Role.PRACTITIONER, team=team, user__first_name="Asha", user__last_name="Patel")
    staff(team=ld, user=user)
    today = timezone.localdate()
    missed = _order(team, user, today - 30 * D, stage=Stage.IN_TREATMENT)
    missed.person.given_name, missed.person.family_name = "Leon", "Barker"
    missed.person.save()
    absence = _session(missed, user, today - 9 * D, "dna")
    _notice(missed, user, absence, today - 8 * D)
    psr = _psr(team, today + D)
    for e in (missed, psr):
        e.allocated_worker = user
        e.save(update_fields=["allocated_worker"])
    make_episode(ld, person=PersonFactory(team=ld), worker=user)
    page = login(user)

    page.goto(f"{live_server.url}/episodes/worklist/?team=mine")
    assert_accessible(page)
    first_row = page.locator("table.hj-worklist tbody tr").first
    late = working_days_since(today - 8 * D, today)
    expect(first_row).to_contain_text("Leon BARKER")
    expect(first_row).to_contain_text(f"Compliance notice overdue by {late} working day")
    expect(page.locator("table.hj-worklist")).to_contain_text("PSR due tomorrow")
    expect(page.locator("table.hj-worklist tbody tr")).to_have_count(3)

    page.get_by_label("Pathway").select_option(label="Mental Health Treatment Requirement")
    page.get_by_role("button", name="Show episodes").click()
    expect(page.locator("table.hj-worklist tbody tr")).to_have_count(2)
    assert_accessible(page)
