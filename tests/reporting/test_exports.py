import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.organisations.roles import Role
from healthjustice.reporting import data_return
from healthjustice.reporting.models import DataReturnExport, ExportStatus
from healthjustice.reporting.services import data_return_export_request
from tests.factories import staff
from tests.reporting.known_data import build_known

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    return build_known()


def _request(client, known):
    return client.post(
        reverse("reporting:export_request"),
        {"region": str(known.region.public_id), "month": known.month.key},
    )


def _detail(export, name="reporting:export_detail"):
    return reverse(name, kwargs={"public_id": export.public_id})


def test_export_request_runs_in_the_background_and_the_file_downloads(known, signed_in):
    client = signed_in(known.leader_a)
    response = _request(client, known)
    export = DataReturnExport.objects.get()
    assert response["Location"] == _detail(export)
    assert export.status == ExportStatus.DONE
    assert (export.progress, export.rows) == (100, 18)
    assert export.requested_by == known.leader_a
    assert export.task_id
    assert default_storage.exists(export.file.name)

    page = client.get(_detail(export)).content.decode()
    assert "Download the CSV file" in page
    assert "18 rows" in page

    download = client.get(_detail(export, "reporting:export_download"))
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv"
    assert (
        f'filename="ld-return-{known.month.key}-staffordshire.csv"'
        in (download["Content-Disposition"])
    )
    body = b"".join(download.streaming_content).decode()
    assert body.splitlines()[0] == ",".join(data_return.COLUMNS)
    assert len(body.splitlines()) == 19
    event = AuditEvent.objects.get(action=Action.EXPORT, object_type="data_return_export")
    assert event.object_id == str(export.public_id)
    assert event.actor_username == known.leader_a.username


def test_export_progress_is_saved_while_it_runs(known, monkeypatch):
    seen: list[tuple[str, int]] = []
    real_row = data_return._row

    def watching_row(*args, **kwargs):
        export = DataReturnExport.objects.get()
        seen.append((export.status, export.progress))
        return real_row(*args, **kwargs)

    monkeypatch.setattr(data_return, "_row", watching_row)
    data_return_export_request(actor=known.leader_a, region=known.region, month=known.month)
    assert all(status == ExportStatus.RUNNING for status, _ in seen)
    progress = [p for _, p in seen]
    assert progress[0] == 0
    assert progress == sorted(progress)
    assert 40 <= progress[len(progress) // 2] <= 60
    assert DataReturnExport.objects.get().progress == 100


def test_export_that_fails_is_marked_failed_and_says_so(known, signed_in, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("healthjustice.reporting.services.write_data_return", broken)
    client = signed_in(known.leader_a)
    _request(client, known)
    export = DataReturnExport.objects.get()
    assert export.status == ExportStatus.FAILED
    assert not export.file
    assert "disk full" not in export.error
    page = client.get(_detail(export)).content.decode()
    assert "could not be built" in page
    assert 'hx-trigger="every 2s"' not in page


def test_export_status_polls_until_the_export_is_finished(known, signed_in):
    export = DataReturnExport.objects.create(
        region=known.region, month=known.month.first_day, requested_by=known.leader_a
    )
    client = signed_in(known.leader_a)
    waiting = client.get(_detail(export, "reporting:export_status")).content.decode()
    assert 'hx-trigger="every 2s"' in waiting
    assert _detail(export, "reporting:export_status") in waiting
    assert "<html" not in waiting, "the status is a fragment for htmx to swap in"
    DataReturnExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress=45)
    running = client.get(_detail(export, "reporting:export_status")).content.decode()
    assert 'value="45"' in running and "45% done" in running
    DataReturnExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE, progress=100, rows=0, file="exports/x.csv"
    )
    done = client.get(_detail(export, "reporting:export_status")).content.decode()
    assert "hx-trigger" not in done
    assert "Download the CSV file" in done


def test_export_waiting_too_long_says_no_worker_has_picked_it_up(known, signed_in, settings):
    settings.HJ_EXPORT_WORKER_WAIT_SECONDS = 60
    export = DataReturnExport.objects.create(
        region=known.region, month=known.month.first_day, requested_by=known.leader_a
    )
    client = signed_in(known.leader_a)
    assert "No background worker" not in client.get(_detail(export)).content.decode()
    DataReturnExport.objects.filter(pk=export.pk).update(
        requested_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    page = client.get(_detail(export)).content.decode()
    assert "No background worker has picked this export up" in page


def test_export_may_be_downloaded_by_leaders_of_the_region_only(known, signed_in):
    data_return_export_request(actor=known.leader_a, region=known.region, month=known.month)
    export = DataReturnExport.objects.get()
    url = _detail(export, "reporting:export_download")
    same_region = staff(Role.TEAM_LEADER, team=known.team_b)
    other_region = staff(Role.TEAM_LEADER, team=known.team_c)
    practitioner = staff(Role.PRACTITIONER, team=known.team_a)

    assert signed_in(same_region).get(url).status_code == 200
    assert signed_in(other_region).get(url).status_code == 404
    assert signed_in(other_region).get(_detail(export)).status_code == 404
    assert signed_in(practitioner).get(url).status_code == 403
    denied = AuditEvent.objects.filter(action=Action.DENIED, object_type="data_return_export")
    assert denied.count() == 2


def test_export_request_for_a_region_the_user_does_not_lead_is_refused(known, signed_in):
    other_region_leader = staff(Role.TEAM_LEADER, team=known.team_c)
    response = _request(signed_in(other_region_leader), known)
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:dashboard")
    assert not DataReturnExport.objects.exists()


def test_purge_exports_deletes_files_after_the_retention_period(known, signed_in):
    old = data_return_export_request(actor=known.leader_a, region=known.region, month=known.month)
    new = data_return_export_request(actor=known.leader_a, region=known.region, month=known.month)
    DataReturnExport.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=8)
    )
    old_name = old.file.name
    call_command("purge_exports")
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == ExportStatus.EXPIRED and not old.file
    assert not default_storage.exists(old_name)
    assert new.status == ExportStatus.DONE and default_storage.exists(new.file.name)
    client = signed_in(known.leader_a)
    assert client.get(_detail(old, "reporting:export_download")).status_code == 404
    assert "deleted at the end of its retention period" in client.get(_detail(old)).content.decode()


def test_export_claimed_by_another_worker_after_it_was_read_is_not_run_twice(known, monkeypatch):
    from django.db.models.query import QuerySet

    from healthjustice.reporting import services

    export = DataReturnExport.objects.create(
        region=known.region,
        month=known.month.first_day,
        requested_by=known.leader_a,
        status=ExportStatus.RUNNING,
    )
    real_get = QuerySet.get

    def stale_get(self, *args, **kwargs):
        # The row as this worker read it, just before another worker claimed it.
        obj = real_get(self, *args, **kwargs)
        if isinstance(obj, DataReturnExport):
            obj.status = ExportStatus.QUEUED
        return obj

    def must_not_run(*args, **kwargs):
        raise AssertionError("the return was built a second time")

    monkeypatch.setattr(QuerySet, "get", stale_get)
    monkeypatch.setattr(services, "write_data_return", must_not_run)
    services.data_return_export_run(public_id=str(export.public_id))
    stored = DataReturnExport.objects.filter(pk=export.pk).values_list("status", flat=True)
    assert list(stored) == [ExportStatus.RUNNING]
