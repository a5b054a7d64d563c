"""The RECONNECT dashboard page and the RECONNECT return's background download."""

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from markupsafe import escape

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.roles import Role
from healthjustice.reporting.models import DataReturnExport, ExportStatus, ReturnKind
from healthjustice.reporting.reconnect_return import COLUMN_NAMES
from healthjustice.reporting.scope import dashboard_scopes
from tests.factories import TeamFactory, staff
from tests.reporting.reconnect_known import build_reconnect_known

pytestmark = pytest.mark.django_db

HEADINGS = (
    "Referrals received and in the window",
    "Engaged before release",
    "Gate meets achieved",
    "Registered with a GP within 28 days of release",
    "Handed over with engagement confirmed at 4 weeks",
    "Recalls to custody",
    "Days supported after release",
)


def shows(page: str, figure: str) -> bool:
    return re.search(rf">\s*{re.escape(figure)}\s*<", page) is not None


@pytest.fixture
def known():
    return build_reconnect_known()


def _page(client, known, scope=None, first=None, last=None) -> str:
    response = client.get(
        reverse("reporting:reconnect_dashboard"),
        {
            "scope": scope or f"team:{known.team.public_id}",
            "first_month": (first or known.a).key,
            "last_month": (last or known.b).key,
        },
    )
    assert response.status_code == 200
    return response.content.decode()


def test_reconnect_scopes_are_the_reconnect_teams_a_leader_leads_or_manages(known):
    assert [s.label for s in dashboard_scopes(known.leader, pathway=Pathway.RECONNECT)] == [
        "Staffordshire RECONNECT"
    ]
    manager = staff(Role.SERVICE_MANAGER, team=known.team)
    scopes = dashboard_scopes(manager, pathway=Pathway.RECONNECT)
    assert [s.label for s in scopes] == [
        "Staffordshire (all teams)",
        "South Staffordshire RECONNECT",
        "Staffordshire RECONNECT",
    ]


def test_reconnect_dashboard_shows_every_figure_as_a_chart_and_its_table(known, signed_in):
    page = _page(signed_in(known.leader), known)
    assert page.count('class="hj-chart" id=') == 7
    assert page.count("<caption") >= 7
    for heading in HEADINGS:
        assert f">{heading}</h2>" in page
    assert shows(page, "71%") and shows(page, "25%") and shows(page, "11.5")
    assert "Released (n)" in page and "Handed over (n)" in page
    assert "fewer than 5" not in page, "a leader's own dashboard shows real counts"
    assert " style=" not in page
    for episode in known.episodes.values():
        assert escape(episode.person.full_name) not in page
        assert episode.person.nhs_number not in page
    event = AuditEvent.objects.get(action=Action.VIEW, object_type="reconnect_dashboard")
    assert event.detail == {
        "scope": f"team:{known.team.public_id}",
        "from": known.a.key,
        "to": known.b.key,
    }


def test_reconnect_dashboard_of_a_region_for_its_service_manager(known, signed_in):
    manager = staff(Role.SERVICE_MANAGER, team=known.team)
    page = _page(signed_in(manager), known, scope=f"region:{known.region.public_id}")
    assert "Staffordshire (all teams)" in page
    assert page.count('class="hj-chart" id=') == 7


def test_reconnect_dashboard_refuses_a_scope_the_user_does_not_lead(known, signed_in):
    other = staff(
        Role.TEAM_LEADER,
        team=TeamFactory(region=known.other_region, pathway=Pathway.RECONNECT),
    )
    page = _page(signed_in(other), known)
    assert "There is a problem" in page
    assert "Staffordshire RECONNECT" not in page
    assert 'class="hj-chart"' not in page
    assert not AuditEvent.objects.filter(object_type="reconnect_dashboard").exists()


def test_reconnect_dashboard_refuses_a_last_month_before_the_first(known, signed_in):
    page = _page(signed_in(known.leader), known, first=known.b, last=known.a)
    assert "The last month must be the same as or after the first" in page
    assert 'class="hj-chart"' not in page


def test_reconnect_dashboard_for_a_leader_of_no_reconnect_team_says_so(known, signed_in):
    ld_leader = staff(Role.TEAM_LEADER, team=TeamFactory(region=known.region))
    page = signed_in(ld_leader).get(reverse("reporting:reconnect_dashboard")).content.decode()
    assert "You do not lead a RECONNECT team" in page
    assert 'class="hj-chart"' not in page


def test_reconnect_dashboard_is_refused_to_practitioners(known, signed_in):
    practitioner = staff(Role.PRACTITIONER, team=known.team)
    response = signed_in(practitioner).get(reverse("reporting:reconnect_dashboard"))
    assert response.status_code == 403


def test_ld_dashboard_links_to_the_reconnect_dashboard(known, signed_in):
    page = signed_in(known.leader).get(reverse("reporting:dashboard")).content.decode()
    assert f'href="{reverse("reporting:reconnect_dashboard")}"' in page


def _url(export, name="reporting:export_detail"):
    return reverse(name, kwargs={"public_id": export.public_id})


def test_reconnect_export_runs_in_the_background_and_downloads(known, signed_in):
    client = signed_in(known.leader)
    response = client.post(
        reverse("reporting:reconnect_export_request"),
        {"region": str(known.region.public_id), "month": known.b.key},
    )
    export = DataReturnExport.objects.get()
    assert response["Location"] == _url(export)
    assert export.kind == ReturnKind.RECONNECT
    assert (export.status, export.progress, export.rows) == (ExportStatus.DONE, 100, 7)
    assert default_storage.exists(export.file.name)

    page = client.get(_url(export)).content.decode()
    assert "RECONNECT monthly return" in page
    assert "7 rows, one for each RECONNECT episode active in the month" in page
    assert reverse("reporting:reconnect_dashboard") in page

    download = client.get(_url(export, "reporting:export_download"))
    assert download.status_code == 200
    assert (
        f'filename="reconnect-return-{known.b.key}-staffordshire.csv"'
        in download["Content-Disposition"]
    )
    body = b"".join(download.streaming_content).decode()
    assert body.splitlines()[0] == ",".join(COLUMN_NAMES)
    assert len(body.splitlines()) == 8
    downloaded = AuditEvent.objects.get(action=Action.EXPORT, object_type="data_return_export")
    assert downloaded.detail["return"] == "reconnect" and downloaded.detail["rows"] == 7

    dashboard = client.get(reverse("reporting:reconnect_dashboard")).content.decode()
    assert "RECONNECT returns you asked for" in dashboard
    mhtr = client.get(reverse("reporting:mhtr_dashboard")).content.decode()
    assert "returns you asked for" not in mhtr


def test_reconnect_export_with_a_region_not_offered_is_refused(known, signed_in):
    client = signed_in(known.leader)
    response = client.post(
        reverse("reporting:reconnect_export_request"),
        {"region": str(known.other_region.public_id), "month": known.b.key},
        follow=True,
    )
    assert "Choose a region and a month from the lists." in response.content.decode()
    assert not DataReturnExport.objects.exists()
