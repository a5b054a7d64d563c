"""Team leaders set how many days after release may pass without a contact: who may, the
bounds, two leaders at once, the audit trail, and the pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.core.concurrency import StaleEditError
from healthjustice.organisations.roles import Role
from healthjustice.reconnect.models import ReconnectTeamSettings
from healthjustice.reconnect.team_settings import (
    contact_days_bounds,
    current_settings,
    may_change_settings,
    settings_teams,
    team_for_settings,
    team_settings_save,
)
from tests.factories import RegionFactory, TeamFactory, staff
from tests.reconnect.factories import reconnect_team


def test_only_leaders_of_that_reconnect_team_may_change_its_settings(rw):
    assert may_change_settings(rw.leader, rw.team)
    assert not may_change_settings(rw.worker, rw.team)
    ld_leader = staff(Role.TEAM_LEADER, team=rw.ld_team)
    assert list(settings_teams(ld_leader)) == []
    other = reconnect_team(like=TeamFactory(region=RegionFactory(name="Black Country")))
    assert list(settings_teams(rw.leader)) == [rw.team]
    with pytest.raises(PermissionDenied):
        team_for_settings(rw.leader, other.public_id)
    with pytest.raises(Http404):
        team_for_settings(rw.leader, rw.ld_team.public_id)
    with pytest.raises(PermissionDenied):
        team_settings_save(actor=rw.worker, team=rw.team, contact_days=5, expected_version=0)
    assert not ReconnectTeamSettings.objects.exists()


def test_saving_creates_then_changes_the_settings_and_audits_them(rw):
    saved, version = current_settings(rw.team)
    assert (saved.pk, saved.contact_days, version) == (None, 7, 0)
    first = team_settings_save(actor=rw.leader, team=rw.team, contact_days=5, expected_version=0)
    assert (first.contact_days, first.version) == (5, 1)
    second = team_settings_save(actor=rw.leader, team=rw.team, contact_days=10, expected_version=1)
    assert (second.contact_days, second.version) == (10, 2)
    events = AuditEvent.objects.filter(
        object_id=str(first.pk), action__in=[Action.CREATE, Action.UPDATE]
    ).order_by("seq")
    assert [e.action for e in events] == [Action.CREATE, Action.UPDATE]
    assert events.last().fields_changed == ["contact_days"]


def test_values_outside_the_bounds_are_refused_and_nothing_is_stored(rw):
    low, high = contact_days_bounds()
    assert (low, high) == (1, 28)
    for bad in (0, 29):
        with pytest.raises(ValidationError) as refused:
            team_settings_save(actor=rw.leader, team=rw.team, contact_days=bad, expected_version=0)
        assert refused.value.message_dict["contact_days"] == [
            "The days after release without a contact must be between 1 and 28"
        ]
    assert not ReconnectTeamSettings.objects.exists()


def test_a_save_over_someone_elses_is_refused(rw):
    other_leader = staff(Role.TEAM_LEADER, team=rw.team)
    team_settings_save(actor=other_leader, team=rw.team, contact_days=4, expected_version=0)
    with pytest.raises(StaleEditError):
        team_settings_save(actor=rw.leader, team=rw.team, contact_days=9, expected_version=0)
    assert ReconnectTeamSettings.objects.get(team=rw.team).contact_days == 4


def test_the_pages_list_change_and_explain_wrong_input(rw, signed_in):
    client = signed_in(rw.leader)
    listing = client.get(reverse("reconnect:team_settings")).content.decode()
    assert rw.team.name in listing
    url = reverse("reconnect:team_settings_edit", kwargs={"public_id": rw.team.public_id})
    page = client.post(url, {"version": "0", "contact_days": "40"}).content.decode()
    assert "The days after release without a contact must be between 1 and 28" in page
    page = client.post(url, {"version": "0", "contact_days": ""}).content.decode()
    assert "Enter the days after release without a contact" in page
    assert not ReconnectTeamSettings.objects.exists()
    response = client.post(url, {"version": "0", "contact_days": "3"})
    assert response.status_code == 302
    assert ReconnectTeamSettings.objects.get(team=rw.team).contact_days == 3
    stale = client.post(url, {"version": "0", "contact_days": "6"}).content.decode()
    assert "Someone else saved these settings" in stale
    assert ReconnectTeamSettings.objects.get(team=rw.team).contact_days == 3
