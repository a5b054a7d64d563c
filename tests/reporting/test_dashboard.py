import re

import pytest
from django.urls import reverse
from markupsafe import escape

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.roles import Role
from healthjustice.reporting.scope import dashboard_scopes, export_regions
from tests.factories import TeamFactory, staff
from tests.reporting.known_data import build_known

pytestmark = pytest.mark.django_db


def shows(page: str, figure: str) -> bool:
    """The figure is the whole text of a table cell (or other element)."""
    return re.search(rf">\s*{re.escape(figure)}\s*<", page) is not None


@pytest.fixture
def known():
    return build_known()


def _query(known, scope: str) -> dict[str, str]:
    return {"scope": scope, "first_month": known.month.key, "last_month": known.month.key}


def test_team_leader_sees_their_team_and_service_manager_their_region(known):
    leader_scopes = dashboard_scopes(known.leader_a)
    assert [s.label for s in leader_scopes] == ["Stoke custody L&D"]
    manager = staff(Role.SERVICE_MANAGER, team=known.team_b)
    labels = [s.label for s in dashboard_scopes(manager)]
    assert labels == ["Staffordshire (all teams)", "Stafford court L&D", "Stoke custody L&D"]
    region = dashboard_scopes(manager)[0]
    assert set(region.team_ids) == {known.team_a.id, known.team_b.id}
    assert dashboard_scopes(staff(Role.PRACTITIONER, team=known.team_a)) == []
    assert [r.name for r in export_regions(known.leader_a)] == ["Staffordshire"]


def test_dashboard_shows_the_hand_worked_figures_with_charts_and_tables(known, signed_in):
    client = signed_in(known.leader_a)
    response = client.get(
        reverse("reporting:dashboard"), _query(known, f"team:{known.team_a.public_id}")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="hj-chart" id=') == 8
    assert page.count("<caption") >= 7
    assert '<title id="chart-stages-title">' in page
    assert shows(page, "5.5") and shows(page, "9.0")
    assert shows(page, "35.0") and shows(page, "100.0")
    # The leader's own operational view: real counts, nothing hidden as "fewer than 5".
    assert "fewer than 5" not in page and "protects a small number" not in page
    assert "the real counts of your teams' own work" in page
    assert " style=" not in page
    for episode in known.episodes_a:
        assert escape(episode.person.full_name) not in page
        assert episode.person.nhs_number not in page
    event = AuditEvent.objects.filter(action=Action.VIEW, object_type="service_dashboard").get()
    assert event.detail["scope"] == f"team:{known.team_a.public_id}"


def test_leader_of_another_region_sees_nothing_of_this_one(known, signed_in):
    chester_leader = staff(Role.TEAM_LEADER, team=known.team_c)
    client = signed_in(chester_leader)
    page = client.get(
        reverse("reporting:dashboard"), _query(known, f"team:{known.team_a.public_id}")
    ).content.decode()
    assert "There is a problem" in page
    assert "Stoke custody" not in page
    assert "Staffordshire" not in page
    own = client.get(
        reverse("reporting:dashboard"), _query(known, f"team:{known.team_c.public_id}")
    ).content.decode()
    assert "Chester custody L&amp;D" in own
    assert not shows(own, "5.5")


def test_dashboard_refuses_a_last_month_before_the_first(known, signed_in):
    client = signed_in(known.leader_a)
    page = client.get(
        reverse("reporting:dashboard"),
        {
            "scope": f"team:{known.team_a.public_id}",
            "first_month": known.month.key,
            "last_month": known.month.previous().key,
        },
    ).content.decode()
    assert "The last month must be the same as or after the first" in page
    assert 'class="hj-chart"' not in page


def test_dashboard_defaults_to_the_first_scope_and_recent_months(known, signed_in):
    page = signed_in(known.leader_a).get(reverse("reporting:dashboard")).content.decode()
    assert "Stoke custody L&amp;D" in page
    assert page.count('class="hj-chart" id=') == 8
    assert "Monthly data return" in page


def test_dashboard_for_a_leader_of_no_ld_team_says_so(signed_in):
    leader = staff(Role.TEAM_LEADER, team=TeamFactory(pathway=Pathway.MHTR))
    page = signed_in(leader).get(reverse("reporting:dashboard")).content.decode()
    assert "You do not lead a Liaison and Diversion team" in page
