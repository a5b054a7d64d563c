"""The episode's copy of its newest status row's stage, which the database keeps: "open" and
"at a stage" are read from it, so it must agree with the status rows whoever writes them."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from healthjustice.demo.synthetic_episodes import seed_synthetic_episodes
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode, EpisodeStatus
from healthjustice.journeys.selectors import at_stage, open_only, with_current_stage
from healthjustice.journeys.services import episode_move, episode_reopen
from healthjustice.journeys.stages import ORDER
from healthjustice.organisations.roles import Role
from tests.factories import TeamFactory, staff
from tests.journeys.factories import make_episode

pytestmark = pytest.mark.django_db


def _disagreeing() -> list[tuple[int, str, str | None]]:
    """Episodes whose `stage` is not the stage of their newest status row."""
    newest = EpisodeStatus.objects.filter(episode=OuterRef("pk")).order_by("-seq")
    rows = Episode.objects.annotate(newest=Subquery(newest.values("stage")[:1])).values_list(
        "pk", "stage", "newest"
    )
    return [(pk, stage, newest) for pk, stage, newest in rows if stage != (newest or "")]


@pytest.fixture
def team():
    return TeamFactory(name="Stoke custody L&D")


def test_stage_follows_each_move_close_and_reopen_through_the_services(team):
    leader = staff(Role.TEAM_LEADER, team=team)
    episode = make_episode(team, stage=Stage.SCREENED)
    assert Episode.objects.get(pk=episode.pk).stage == Stage.SCREENED
    episode_move(actor=leader, episode=episode, to_stage=Stage.ASSESSED)
    assert Episode.objects.get(pk=episode.pk).stage == Stage.ASSESSED
    episode_move(actor=leader, episode=episode, to_stage=Stage.CLOSED, closure_reason="declined")
    assert Episode.objects.get(pk=episode.pk).stage == Stage.CLOSED
    assert not open_only(Episode.objects.filter(pk=episode.pk)).exists()
    episode_reopen(actor=leader, episode=episode, reason="Closed the wrong episode")
    assert Episode.objects.get(pk=episode.pk).stage == Stage.ASSESSED
    assert at_stage(Episode.objects.filter(pk=episode.pk), Stage.ASSESSED).exists()
    assert _disagreeing() == []


def test_saving_an_episode_read_before_a_move_keeps_the_newer_stage(team):
    leader = staff(Role.TEAM_LEADER, team=team)
    episode = make_episode(team, stage=Stage.IDENTIFIED)
    stale = Episode.objects.get(pk=episode.pk)
    episode_move(
        actor=leader, episode=episode, to_stage=Stage.SCREENED, note="Screened at the desk"
    )
    stale.reason = "Reason corrected"
    stale.save()
    saved = Episode.objects.get(pk=episode.pk)
    assert (saved.stage, saved.reason) == (Stage.SCREENED, "Reason corrected")


def test_an_episode_without_status_rows_is_open_with_no_current_stage(team):
    episode = make_episode(team, stage=Stage.IDENTIFIED)
    bare = Episode.objects.create(
        person=episode.person,
        team=team,
        pathway=team.pathway,
        setting=episode.setting,
        referral_source=episode.referral_source,
        referred_at=timezone.now(),
    )
    assert open_only(Episode.objects.filter(pk=bare.pk)).exists()
    assert with_current_stage(Episode.objects.filter(pk=bare.pk)).get().current_stage is None


def test_stage_agrees_with_the_status_rows_after_the_bulk_loaders():
    team = TeamFactory()
    worker = staff(team=team)
    call_command("seed_synthetic", people=150, batch=60, seed=3, stdout=StringIO())
    seed_synthetic_episodes(episodes=300, worker=worker, worker_team_id=team.pk, seed=5)
    stages = set(Episode.objects.values_list("stage", flat=True))
    assert Stage.CLOSED in stages and len(stages) > 2
    assert _disagreeing() == []


def test_stage_agrees_after_status_rows_added_in_one_statement(team):
    episodes = [make_episode(team, stage=Stage.IDENTIFIED) for _ in range(3)]
    at = timezone.now() - datetime.timedelta(minutes=1)
    rows = [
        EpisodeStatus(episode=e, seq=seq, stage=ORDER[seq - 1], at=at)
        for i, e in enumerate(episodes)
        for seq in range(2, 3 + i)
    ]
    EpisodeStatus.objects.bulk_create(rows)
    assert [Episode.objects.get(pk=e.pk).stage for e in episodes] == list(ORDER[1:4])
    assert _disagreeing() == []
