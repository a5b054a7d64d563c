"""Episodes of the MHTR and RECONNECT teams run their own pathway's stages, end to end."""

import pytest
from django.urls import reverse
from django.utils import timezone

from healthjustice.journeys.choices import Stage
from healthjustice.journeys.selectors import current_stage
from healthjustice.journeys.services import episode_move, episode_open
from healthjustice.journeys.stages import IllegalMove
from healthjustice.organisations.choices import Pathway
from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db


def _open(pathway: str):
    team = TeamFactory(pathway=pathway)
    user = staff(team=team)
    episode = episode_open(
        actor=user,
        person=PersonFactory(team=team),
        team=team,
        setting="probation",
        referral_source="probation",
        referred_at=timezone.now(),
    )
    return episode, user


def test_an_mhtr_episode_starts_at_referred_and_moves_through_its_own_stages():
    episode, user = _open(Pathway.MHTR)
    assert current_stage(episode) == Stage.REFERRED
    episode_move(actor=user, episode=episode, to_stage=Stage.SUITABILITY_ASSESSED)
    with pytest.raises(IllegalMove, match="Choose a stage from the list"):
        episode_move(actor=user, episode=episode, to_stage=Stage.SCREENED)
    with pytest.raises(IllegalMove, match="from the list"):
        episode_move(
            actor=user, episode=episode, to_stage=Stage.CLOSED, closure_reason="order_completed"
        )
    episode_move(actor=user, episode=episode, to_stage=Stage.CLOSED, closure_reason="not_suitable")
    assert current_stage(episode) == Stage.CLOSED


def test_the_episode_page_offers_the_pathways_next_stage_and_its_closure_reasons(signed_in):
    episode, user = _open(Pathway.RECONNECT)
    page = signed_in(user).get(reverse("journeys:detail", kwargs={"public_id": episode.public_id}))
    html = page.content.decode()
    assert "Move to eligibility checked" in html
    assert "Recalled to custody" in html
    assert "Move to screened" not in html
    assert "Already known to a service" not in html


def test_a_move_posted_for_another_pathways_stage_is_refused_and_nothing_is_written(signed_in):
    episode, user = _open(Pathway.MHTR)
    response = signed_in(user).post(
        reverse("journeys:move", kwargs={"public_id": episode.public_id}),
        {"to_stage": Stage.SCREENED, "note": "by hand"},
    )
    assert response.status_code in (200, 302)
    assert current_stage(episode) == Stage.REFERRED
    assert episode.statuses.count() == 1


def test_the_worklist_filters_an_mhtr_team_by_its_own_stages(signed_in):
    _episode, user = _open(Pathway.MHTR)
    page = signed_in(user).get(reverse("worklist:home")).content.decode()
    assert "Awaiting sentence" in page
    assert ">Screened<" not in page
