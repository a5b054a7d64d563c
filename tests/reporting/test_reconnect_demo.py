"""The demo data gives the RECONNECT dashboard something to show in every figure."""

import re

import pytest
from django.urls import reverse

from healthjustice.demo.loader import load_demo
from healthjustice.organisations.choices import Pathway
from healthjustice.reporting.forms import DEFAULT_MONTHS_SHOWN
from healthjustice.reporting.periods import Month, recent_months
from healthjustice.reporting.reconnect_dashboard import reconnect_sections
from healthjustice.reporting.scope import dashboard_scopes
from healthjustice.reporting.selectors import reconnect_dashboard_facts

pytestmark = pytest.mark.django_db


def test_demo_reconnect_dashboard_shows_every_figure_in_the_default_months(signed_in):
    ctx, _ = load_demo(people=120, seed=5, log=lambda _msg: None)
    manager = ctx.users["service_manager.staffs"]
    team = ctx.teams["staffs.reconnect"]
    scopes = dashboard_scopes(manager, pathway=Pathway.RECONNECT)
    assert any(s.team_ids == (team.id,) for s in scopes)

    first, last = recent_months(DEFAULT_MONTHS_SHOWN)[-1], Month.current()
    facts = reconnect_dashboard_facts((team.id,), first, last)
    for section in reconnect_sections(facts, first, last):
        total = section.blocks[0].table.total
        assert total is not None
        numbers = [c.value for c in total[1] if c.kind == "count"]
        assert any(n and n > 0 for n in numbers), section.id

    page = signed_in(manager).get(reverse("reporting:reconnect_dashboard")).content.decode()
    assert page.count('class="hj-chart" id=') == 7
    assert re.search(r"<rect ", page), "at least one bar is drawn"
