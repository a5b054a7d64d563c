"""The MHTR dashboard page and the MHTR return's background download."""

import datetime
import re

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.roles import Role
from healthjustice.reporting.mhtr_return import COLUMN_NAMES
from healthjustice.reporting.models import DataReturnExport, ExportStatus, ReturnKind
from healthjustice.reporting.scope import dashboard_scopes
from healthjustice.reporting.services import data_return_export_request
from tests.factories import TeamFactory, staff
from tests.reporting.mhtr_known import build_mhtr_known

pytestmark = pytest.mark.django_db


def shows(page: str, figure: str) -> bool:
    return re.search(rf">\s*{re.escape(figure)}\s*<", page) is not None


@pytest.fixture
def known():
    return build_mhtr_known()


def _query(known, scope: str, first=None, last=None) -> dict[str, str]:
    return {
        "scope": scope,
        "first_month": (first or known.a).key,
        "last_month": (last or known.b).key,
    }


def _page(client, known, scope=None, **kwargs) -> str:
    scope = scope or f"team:{known.team.public_id}"
    response = client.get(reverse("reporting:mhtr_dashboard"), _query(known, scope, **kwargs))
    assert response.status_code == 200
    return response.content.decode()


def test_mhtr_scopes_are_the_mhtr_teams_a_leader_leads_or_manages(known):
    assert [s.label for s in dashboard_scopes(known.leader, pathway=Pathway.MHTR)] == [
        "Staffordshire MHTR"
    ]
    assert dashboard_scopes(known.leader) == [], "not an L&D leader"
    manager = staff(Role.SERVICE_MANAGER, team=known.team)
    scopes = dashboard_scopes(manager, pathway=Pathway.MHTR)
    assert [s.label for s in scopes] == [
        "Staffordshire (all teams)",
        "South Staffordshire MHTR",
        "Staffordshire MHTR",
    ]
    assert set(scopes[0].team_ids) == {known.team.id, known.team_2.id}
    ld_leader = staff(Role.TEAM_LEADER, team=TeamFactory(region=known.region))
    assert dashboard_scopes(ld_leader, pathway=Pathway.MHTR) == []


def test_mhtr_dashboard_shows_every_figure_as_a_chart_and_its_table(known, signed_in):
    page = _page(signed_in(known.leader), known)
    assert page.count('class="hj-chart" id=') == 9
    assert page.count("<caption") >= 7
    for heading in (
        "Referrals by source",
        "Suitability outcomes",
        "Proposals to court and orders made",
        "Proposals that led to an order",
        "Days from sentence to the first appointment",
        "Attendance",
        "Completion",
    ):
        assert f">{heading}</h2>" in page
    assert '<title id="chart-attendance-title">' in page
    assert shows(page, "80%") and shows(page, "67%") and shows(page, "10.0")
    assert "Sessions counted (n)" in page and "Orders ended (n)" in page
    assert "calendar days" in page.lower()
    assert "fewer than 5" not in page
    assert " style=" not in page
    for episode in known.episodes.values():
        assert escape(episode.person.full_name) not in page
        assert episode.person.nhs_number not in page
    event = AuditEvent.objects.get(action=Action.VIEW, object_type="mhtr_dashboard")
    assert event.detail == {
        "scope": f"team:{known.team.public_id}",
        "from": known.a.key,
        "to": known.b.key,
    }


def test_mhtr_dashboard_for_an_empty_month_shows_zeros_and_no_rates(known, signed_in):
    later = known.b.next()
    page = _page(signed_in(known.leader), known, first=later, last=later)
    assert page.count('class="hj-chart" id=') == 9
    assert shows(page, "none")
    assert "%" not in re.sub(r"<svg.*?</svg>", "", page, flags=re.S).split("Completion")[-1]


def test_mhtr_dashboard_of_a_region_for_its_service_manager(known, signed_in):
    manager = staff(Role.SERVICE_MANAGER, team=known.team)
    page = _page(signed_in(manager), known, scope=f"region:{known.region.public_id}")
    assert "Staffordshire (all teams)" in page
    assert page.count('class="hj-chart" id=') == 9


def test_mhtr_dashboard_refuses_a_scope_the_user_does_not_lead(known, signed_in):
    cheshire_leader = staff(Role.TEAM_LEADER, team=known.team_3)
    page = _page(signed_in(cheshire_leader), known)
    assert "There is a problem" in page
    assert "Staffordshire MHTR" not in page
    assert 'class="hj-chart"' not in page
    assert not AuditEvent.objects.filter(object_type="mhtr_dashboard").exists()


def test_mhtr_dashboard_refuses_a_last_month_before_the_first(known, signed_in):
    page = _page(signed_in(known.leader), known, first=known.b, last=known.a)
    assert "The last month must be the same as or after the first" in page
    assert 'class="hj-chart"' not in page


def test_mhtr_dashboard_for_a_leader_of_no_mhtr_team_says_so(known, signed_in):
    ld_leader = staff(Role.TEAM_LEADER, team=TeamFactory(region=known.region))
    page = signed_in(ld_leader).get(reverse("reporting:mhtr_dashboard")).content.decode()
    assert "You do not lead a Mental Health Treatment Requirement team" in page
    assert 'class="hj-chart"' not in page


def test_mhtr_dashboard_is_refused_to_practitioners(known, signed_in):
    practitioner = staff(Role.PRACTITIONER, team=known.team)
    response = signed_in(practitioner).get(reverse("reporting:mhtr_dashboard"))
    assert response.status_code == 403


def test_ld_dashboard_links_to_the_mhtr_dashboard(known, signed_in):
    page = signed_in(known.leader).get(reverse("reporting:dashboard")).content.decode()
    assert f'href="{reverse("reporting:mhtr_dashboard")}"' in page


# The MHTR return in the background.


def _request(client, known, month=None):
    return client.post(
        reverse("reporting:mhtr_export_request"),
        {"region": str(known.region.public_id), "month": (month or known.b).key},
    )


def _url(export, name="reporting:export_detail"):
    return reverse(name, kwargs={"public_id": export.public_id})


def test_mhtr_export_runs_in_the_background_and_downloads(known, signed_in):
    client = signed_in(known.leader)
    response = _request(client, known)
    export = DataReturnExport.objects.get()
    assert response["Location"] == _url(export)
    assert export.kind == ReturnKind.MHTR
    assert (export.status, export.progress, export.rows) == (ExportStatus.DONE, 100, 9)
    assert default_storage.exists(export.file.name)

    page = client.get(_url(export)).content.decode()
    assert "MHTR monthly return" in page
    assert "9 rows, one for each MHTR episode active in the month" in page
    assert reverse("reporting:mhtr_dashboard") in page

    download = client.get(_url(export, "reporting:export_download"))
    assert download.status_code == 200
    assert (
        f'filename="mhtr-return-{known.b.key}-staffordshire.csv"' in download["Content-Disposition"]
    )
    body = b"".join(download.streaming_content).decode()
    assert body.splitlines()[0] == ",".join(COLUMN_NAMES)
    assert len(body.splitlines()) == 10

    created = AuditEvent.objects.filter(
        action=Action.CREATE, object_type="data_return_export", object_id=str(export.public_id)
    )
    assert [e.detail["return"] for e in created] == ["mhtr", "mhtr"]  # asked for; file made
    downloaded = AuditEvent.objects.get(action=Action.EXPORT, object_type="data_return_export")
    assert downloaded.detail["return"] == "mhtr" and downloaded.detail["rows"] == 9
    assert downloaded.actor_username == known.leader.username


def test_mhtr_exports_are_listed_on_the_mhtr_dashboard_only(known, signed_in):
    client = signed_in(known.leader)
    _request(client, known)
    mhtr_page = client.get(reverse("reporting:mhtr_dashboard")).content.decode()
    assert "MHTR returns you asked for" in mhtr_page
    ld_page = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Data returns you asked for" not in ld_page


def test_mhtr_export_may_be_downloaded_by_leaders_of_the_region_only(known, signed_in):
    export = data_return_export_request(
        actor=known.leader, region=known.region, month=known.b, kind=ReturnKind.MHTR
    )
    url = _url(export, "reporting:export_download")
    same_region = staff(Role.TEAM_LEADER, team=known.team_2)
    other_region = staff(Role.TEAM_LEADER, team=known.team_3)
    practitioner = staff(Role.PRACTITIONER, team=known.team)
    assert signed_in(same_region).get(url).status_code == 200
    assert signed_in(other_region).get(url).status_code == 404
    assert signed_in(practitioner).get(url).status_code == 403
    assert signed_in(practitioner).post(reverse("reporting:mhtr_export_request")).status_code == 403


def test_mhtr_export_for_a_region_the_user_does_not_lead_is_refused(known, signed_in):
    cheshire_leader = staff(Role.TEAM_LEADER, team=known.team_3)
    response = _request(signed_in(cheshire_leader), known)
    assert response["Location"] == reverse("reporting:mhtr_dashboard")
    assert not DataReturnExport.objects.exists()


def test_mhtr_export_that_fails_is_marked_failed(known, signed_in, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("healthjustice.reporting.services.write_mhtr_return", broken)
    client = signed_in(known.leader)
    _request(client, known)
    export = DataReturnExport.objects.get()
    assert export.status == ExportStatus.FAILED and not export.file
    assert "Try again from the MHTR dashboard" in client.get(_url(export)).content.decode()


def test_purge_exports_deletes_mhtr_files_too(known, signed_in):
    export = data_return_export_request(
        actor=known.leader, region=known.region, month=known.b, kind=ReturnKind.MHTR
    )
    name = export.file.name
    DataReturnExport.objects.filter(pk=export.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=8)
    )
    call_command("purge_exports")
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not default_storage.exists(name)
    page = signed_in(known.leader).get(_url(export)).content.decode()
    assert "Ask for the data return again from the MHTR dashboard" in page


@pytest.mark.django_db(transaction=True)
def test_mhtr_export_is_built_by_the_worker(settings):
    from tests.reporting.test_run_worker import DATABASE_TASKS, WORKER_OPTIONS

    known = build_mhtr_known()
    settings.TASKS = DATABASE_TASKS
    export = data_return_export_request(
        actor=known.leader, region=known.region, month=known.b, kind=ReturnKind.MHTR
    )
    assert export.status == ExportStatus.QUEUED
    call_command("run_worker", **WORKER_OPTIONS)
    export.refresh_from_db()
    assert (export.status, export.rows) == (ExportStatus.DONE, 9)
    with default_storage.open(export.file.name) as f:
        assert f.read().decode().splitlines()[0] == ",".join(COLUMN_NAMES)
