"""Team leaders change their own MHTR teams' settings: who may, the bounds, two leaders at once,
the audit trail, and the pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from healthjustice.audit.models import AuditEvent
from healthjustice.core.concurrency import StaleEditError
from healthjustice.mhtr import selectors
from healthjustice.mhtr.models import TeamSettings
from healthjustice.mhtr.team_settings import (
    SettingsInput,
    bounds,
    current_settings,
    may_change_settings,
    settings_teams,
    team_for_settings,
    team_settings_save,
)
from healthjustice.organisations.roles import ROLES, Permission, Role
from tests.conftest import MODEL_BACKEND
from tests.factories import RegionFactory, TeamFactory, staff
from tests.mhtr.factories import mhtr_team


def _input(**changes) -> SettingsInput:
    data = {"planned_sessions": 10, "notice_working_days": 2, "first_appointment_working_days": 7}
    data.update(changes)
    return SettingsInput(**data)


@pytest.fixture
def leader(mw):
    return staff(Role.TEAM_LEADER, team=mw.team)


# --- the permission ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.SERVICE_MANAGER])
def test_leaders_hold_the_team_settings_permission(role):
    assert Permission.TEAM_SETTINGS_MANAGE in ROLES[role].permissions


@pytest.mark.parametrize(
    "role",
    [Role.PRACTITIONER, Role.EQUALITY_LEAD, Role.IG_AUDITOR, Role.SYSTEM_ADMIN, Role.CARER],
)
def test_other_roles_do_not_hold_it(role):
    assert Permission.TEAM_SETTINGS_MANAGE not in ROLES[role].permissions


def test_only_leaders_of_that_mhtr_team_may_change_its_settings(mw, leader):
    assert may_change_settings(leader, mw.team)
    assert not may_change_settings(mw.worker, mw.team)  # a practitioner of the team
    ld_leader = staff(Role.TEAM_LEADER, team=mw.ld_team)  # leads another team of the region
    assert not may_change_settings(ld_leader, mw.team)
    assert list(settings_teams(ld_leader)) == []  # an L&D team has no MHTR settings
    other = mhtr_team(like=TeamFactory(region=RegionFactory(name="Black Country")))
    assert list(settings_teams(leader)) == [mw.team]
    with pytest.raises(PermissionDenied):
        team_for_settings(leader, other.public_id)
    with pytest.raises(Http404):
        team_for_settings(leader, mw.ld_team.public_id)


# --- saving -----------------------------------------------------------------------------------


def test_first_save_creates_the_teams_settings_and_audits_the_fields(mw, leader):
    saved, version = current_settings(mw.team)
    assert saved.pk is None and version == 0 and saved.planned_sessions == 12
    settings = team_settings_save(actor=leader, team=mw.team, data=_input(), expected_version=0)
    assert (settings.planned_sessions, settings.version) == (10, 1)
    assert selectors.settings_for(mw.team).notice_working_days == 2
    event = AuditEvent.objects.get(object_type="team_settings")
    assert event.action == "create"
    assert event.fields_changed == [
        "first_appointment_working_days",
        "notice_working_days",
        "planned_sessions",
    ]
    assert event.detail["via"] == "settings page"


def test_a_change_names_only_the_fields_changed(mw, leader):
    team_settings_save(actor=leader, team=mw.team, data=_input(), expected_version=0)
    settings = team_settings_save(
        actor=leader, team=mw.team, data=_input(planned_sessions=14), expected_version=1
    )
    assert settings.version == 2
    event = AuditEvent.objects.filter(object_type="team_settings").latest("seq")
    assert event.action == "update" and event.fields_changed == ["planned_sessions"]


def test_saving_nothing_new_writes_nothing(mw, leader):
    team_settings_save(actor=leader, team=mw.team, data=_input(), expected_version=0)
    settings = team_settings_save(actor=leader, team=mw.team, data=_input(), expected_version=1)
    assert settings.version == 1
    assert AuditEvent.objects.filter(object_type="team_settings").count() == 1


@pytest.mark.parametrize("name", ["planned_sessions", "notice_working_days"])
def test_values_outside_the_models_bounds_are_refused(mw, leader, name):
    low, high = bounds(name)
    for value in (low - 1, high + 1):
        with pytest.raises(ValidationError) as exc:
            team_settings_save(
                actor=leader, team=mw.team, data=_input(**{name: value}), expected_version=0
            )
        assert exc.value.message_dict[name] == [
            f"{exc.value.message_dict[name][0].split(' must ')[0]} must be between {low} and {high}"
        ]
    assert not TeamSettings.objects.exists()


def test_bounds_come_from_the_model():
    assert bounds("planned_sessions") == (1, 60)
    assert bounds("notice_working_days") == (0, 10)
    assert bounds("first_appointment_working_days") == (1, 30)


def test_a_practitioner_cannot_save_them(mw):
    with pytest.raises(PermissionDenied):
        team_settings_save(actor=mw.worker, team=mw.team, data=_input(), expected_version=0)
    assert not TeamSettings.objects.exists()


def test_two_leaders_at_once_the_second_is_refused_and_the_first_kept(mw, leader):
    """Both opened the page at version 1; the first saves, the second's save is refused."""
    second = staff(Role.SERVICE_MANAGER, team=mw.team)
    team_settings_save(actor=leader, team=mw.team, data=_input(), expected_version=0)
    team_settings_save(
        actor=leader, team=mw.team, data=_input(planned_sessions=16), expected_version=1
    )
    with pytest.raises(StaleEditError, match="Someone else saved these settings"):
        team_settings_save(
            actor=second, team=mw.team, data=_input(planned_sessions=8), expected_version=1
        )
    settings = TeamSettings.objects.get(team=mw.team)
    assert (settings.planned_sessions, settings.version) == (16, 2)


def test_two_first_saves_at_once_only_one_creates_the_row(mw, leader):
    second = staff(Role.SERVICE_MANAGER, team=mw.team)
    team_settings_save(actor=leader, team=mw.team, data=_input(), expected_version=0)
    with pytest.raises(StaleEditError):
        team_settings_save(
            actor=second, team=mw.team, data=_input(planned_sessions=8), expected_version=0
        )
    assert TeamSettings.objects.get(team=mw.team).planned_sessions == 10


# --- the pages --------------------------------------------------------------------------------


def _form(version: int, **changes) -> dict[str, str]:
    data = {
        "version": str(version),
        "planned_sessions": "10",
        "notice_working_days": "2",
        "first_appointment_working_days": "7",
    }
    data.update(changes)
    return data


def test_settings_pages_list_the_team_and_save_the_change(client, mw, leader):
    client.force_login(leader, backend=MODEL_BACKEND)
    listing = client.get(reverse("mhtr:team_settings"))
    edit_url = reverse("mhtr:team_settings_edit", kwargs={"public_id": mw.team.public_id})
    assert listing.status_code == 200 and edit_url in listing.content.decode()
    page = client.get(edit_url)
    assert page.status_code == 200 and 'value="12"' in page.content.decode()
    response = client.post(edit_url, _form(0))
    assert response.status_code == 302 and response["Location"] == reverse("mhtr:team_settings")
    assert TeamSettings.objects.get(team=mw.team).planned_sessions == 10
    assert "are saved" in client.get(response["Location"]).content.decode()


def test_settings_page_shows_each_mistake_and_saves_nothing(client, mw, leader):
    client.force_login(leader, backend=MODEL_BACKEND)
    edit_url = reverse("mhtr:team_settings_edit", kwargs={"public_id": mw.team.public_id})
    response = client.post(
        edit_url,
        _form(0, planned_sessions="61", notice_working_days="", first_appointment_working_days="x"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The planned number of sessions must be between 1 and 60" in html
    assert "Enter working days to send a compliance notice" in html
    assert "working days from sentence to the first appointment" in html.lower()
    assert not TeamSettings.objects.exists()


def test_settings_page_after_someone_else_saved_shows_theirs_and_keeps_yours(client, mw, leader):
    client.force_login(leader, backend=MODEL_BACKEND)
    edit_url = reverse("mhtr:team_settings_edit", kwargs={"public_id": mw.team.public_id})
    other = staff(Role.TEAM_LEADER, team=mw.team)
    team_settings_save(
        actor=other, team=mw.team, data=_input(planned_sessions=20), expected_version=0
    )
    response = client.post(edit_url, _form(0, planned_sessions="9"))
    html = response.content.decode()
    assert response.status_code == 200 and "Someone else saved these settings" in html
    assert "The settings as saved now" in html and 'value="9"' in html
    assert TeamSettings.objects.get(team=mw.team).planned_sessions == 20
    # Saving again, having seen theirs, replaces them.
    assert client.post(edit_url, _form(1, planned_sessions="9")).status_code == 302
    assert TeamSettings.objects.get(team=mw.team).planned_sessions == 9


def test_a_leader_of_no_mhtr_team_sees_that_there_is_nothing_to_change(client, mw):
    client.force_login(staff(Role.TEAM_LEADER, team=mw.ld_team), backend=MODEL_BACKEND)
    page = client.get(reverse("mhtr:team_settings"))
    assert page.status_code == 200 and "You do not lead an MHTR team" in page.content.decode()
    edit_url = reverse("mhtr:team_settings_edit", kwargs={"public_id": mw.team.public_id})
    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, _form(0)).status_code == 403
    assert not TeamSettings.objects.exists()


def test_the_worklist_links_leaders_to_their_mhtr_team_settings(client, mw, leader):
    client.force_login(leader, backend=MODEL_BACKEND)
    assert reverse("mhtr:team_settings") in client.get(reverse("worklist:home")).content.decode()
    client.force_login(mw.worker, backend=MODEL_BACKEND)
    assert (
        reverse("mhtr:team_settings") not in client.get(reverse("worklist:home")).content.decode()
    )


def test_a_change_in_the_admin_moves_the_version_on(client, mw, leader):
    from django.contrib.admin.sites import site

    admin_user = staff(Role.SYSTEM_ADMIN, team=mw.ld_team)
    team_settings_save(actor=leader, team=mw.team, data=_input(), expected_version=0)
    settings = TeamSettings.objects.get(team=mw.team)
    model_admin = site._registry[TeamSettings]
    request = type("R", (), {"user": admin_user})()
    settings.planned_sessions = 30
    model_admin.save_model(request, settings, form=None, change=True)
    assert TeamSettings.objects.get(team=mw.team).version == 2
    with pytest.raises(StaleEditError):
        team_settings_save(actor=leader, team=mw.team, data=_input(), expected_version=1)


@pytest.mark.django_db(transaction=True)
def test_two_first_saves_at_the_same_moment_queue_on_the_team_and_the_second_is_refused():
    """Real concurrent connections (PostgreSQL): the first save holds the team's row; the
    second, also made from a page with no saved settings, waits, then is refused."""
    import threading
    import time

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections need PostgreSQL")
    team = mhtr_team(like=TeamFactory())
    first = staff(Role.TEAM_LEADER, team=team)
    second = staff(Role.SERVICE_MANAGER, team=team)
    locked = threading.Event()

    def save_first() -> None:
        try:
            with transaction.atomic():
                team_settings_save(actor=first, team=team, data=_input(), expected_version=0)
                locked.set()
                time.sleep(0.5)
        finally:
            connection.close()

    worker = threading.Thread(target=save_first)
    worker.start()
    assert locked.wait(5)
    with pytest.raises(StaleEditError):
        team_settings_save(
            actor=second, team=team, data=_input(planned_sessions=8), expected_version=0
        )
    worker.join()
    saved = TeamSettings.objects.get(team=team)
    assert (saved.planned_sessions, saved.version) == (10, 1)
