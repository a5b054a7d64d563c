"""Reopening a mistaken closure within 7 days, and each worker's open caseload on allocation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode, EpisodeStatus
from healthjustice.journeys.selectors import at_stage, current_stage, open_only
from healthjustice.journeys.services import episode_reopen
from healthjustice.journeys.stages import ORDER, IllegalMove
from healthjustice.organisations.roles import Role
from tests.factories import TeamFactory, staff
from tests.journeys.factories import make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="Stoke custody L&D")


@pytest.fixture
def leader(team):
    return staff(Role.TEAM_LEADER, team=team)


@pytest.fixture
def practitioner(team):
    return staff(team=team, user__first_name="Asha", user__last_name="Patel")


def _closed(team, *, days_ago: float = 1):
    episode = make_episode(team, stage=ORDER[ORDER.index(Stage.CLOSED) - 1])
    EpisodeStatus.objects.create(
        episode=episode,
        seq=episode.statuses.count() + 1,
        stage=Stage.CLOSED,
        closure_reason="declined",
        at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    return episode


def test_leader_reopens_within_7_days_back_to_the_stage_it_was_closed_from(team, leader):
    episode = _closed(team, days_ago=6.9)
    status = episode_reopen(actor=leader, episode=episode, reason="Closed the wrong episode")
    assert status.stage == Stage.INTERVENTION
    assert status.note == "Reopened: Closed the wrong episode"
    assert current_stage(episode) == Stage.INTERVENTION
    assert open_only(Episode.objects.filter(pk=episode.pk)).exists()
    assert at_stage(Episode.objects.filter(pk=episode.pk), Stage.INTERVENTION).exists()
    assert not at_stage(Episode.objects.filter(pk=episode.pk), Stage.CLOSED).exists()
    event = AuditEvent.objects.filter(object_type="episode").last()
    assert event.detail["reopened"] is True


def test_reopening_after_7_days_is_refused(team, leader):
    episode = _closed(team, days_ago=7.01)
    with pytest.raises(IllegalMove, match="more than 7 days ago"):
        episode_reopen(actor=leader, episode=episode, reason="Closed by mistake")


def test_reopening_needs_a_reason_and_a_closed_episode(team, leader):
    with pytest.raises(IllegalMove, match="Give a reason"):
        episode_reopen(actor=leader, episode=_closed(team), reason="  ")
    with pytest.raises(IllegalMove, match="Only a closed episode"):
        episode_reopen(actor=leader, episode=make_episode(team), reason="Closed by mistake")


def test_a_practitioner_cannot_reopen(team, practitioner):
    with pytest.raises(PermissionDenied):
        episode_reopen(actor=practitioner, episode=_closed(team), reason="Closed by mistake")


def test_the_page_offers_reopening_then_says_to_open_a_new_episode(team, leader, client):
    client.force_login(leader)
    recent = _closed(team, days_ago=1)
    page = client.get(reverse("journeys:detail", args=[recent.public_id])).content.decode()
    assert "Reopen this episode" in page
    response = client.post(reverse("journeys:reopen", args=[recent.public_id]), {"reason": ""})
    assert "Enter why you are reopening this episode" in response.content.decode()
    response = client.post(
        reverse("journeys:reopen", args=[recent.public_id]), {"reason": "Closed in error"}
    )
    assert response.status_code == 302
    assert current_stage(recent) == Stage.INTERVENTION
    old = _closed(team, days_ago=8)
    page = client.get(reverse("journeys:detail", args=[old.public_id])).content.decode()
    assert "Reopen this episode" not in page
    assert "more than 7 days ago" in page and "open a new episode" in page


def test_allocation_shows_each_workers_open_caseload(team, leader, practitioner, client):
    make_episode(team, worker=practitioner)
    make_episode(team, worker=practitioner)
    make_episode(team, worker=practitioner, stage=Stage.CLOSED)  # not open: not counted
    episode = make_episode(team)
    client.force_login(leader)
    page = client.get(reverse("journeys:detail", args=[episode.public_id])).content.decode()
    assert "Asha Patel (2 open episodes)" in page
    worklist = client.get(reverse("worklist:home"), {"team": str(team.public_id)})
    assert "Asha Patel (2 open)" in worklist.content.decode()
