"""Recording a screening: ranks, audit, and the move from identified to screened."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from healthjustice.audit.models import AuditEvent
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.selectors import current_stage
from healthjustice.journeys.stages import IllegalMove
from healthjustice.screening.models import Screening
from healthjustice.screening.services import screening_record
from tests.factories import TeamFactory, staff
from tests.screening.factories import make_episode

pytestmark = pytest.mark.django_db


def _record(user, episode, **overrides):
    kwargs = {
        "vulnerabilities": ["housing", "mental_health"],
        "risk_level": "high",
        "urgency": "urgent",
        "full_assessment_needed": True,
        "notes": "Says he has nowhere to sleep tonight",
    }
    kwargs.update(overrides)
    return screening_record(actor=user, episode=episode, **kwargs)


@pytest.fixture
def user():
    return staff(team=TeamFactory())


@pytest.fixture
def episode(user):
    return make_episode(team=user.memberships.get().team, actor=user)


def test_screening_record_moves_identified_episode_to_screened(user, episode):
    _record(user, episode)
    assert current_stage(episode) == Stage.SCREENED
    status = episode.statuses.order_by("-seq").first()
    assert (status.by, status.note) == (user, "Screening recorded")


def test_screening_record_sets_ranks_from_choices(user, episode):
    screening = _record(user, episode, risk_level="medium", urgency="immediate")
    assert (screening.risk_rank, screening.urgency_rank) == (2, 4)


def test_screening_record_keeps_vulnerabilities_in_list_order(user, episode):
    screening = _record(user, episode, vulnerabilities=["veteran", "drugs", "veteran"])
    assert screening.vulnerabilities == ["drugs", "veteran"]


def test_screening_record_audits_fields_not_values(user, episode):
    screening = _record(user, episode)
    event = AuditEvent.objects.get(object_type="screening", object_id=str(screening.public_id))
    assert event.action == "create"
    assert "notes" in event.fields_changed
    assert "nowhere to sleep" not in str(event.detail)
    assert event.detail["person"] == str(episode.person.public_id)


def test_screening_record_on_screened_episode_does_not_move_it(user):
    episode = make_episode(team=user.memberships.get().team, actor=user, stage=Stage.ASSESSED)
    _record(user, episode)
    assert current_stage(episode) == Stage.ASSESSED
    assert episode.screenings.count() == 1


def test_screening_record_refused_on_closed_episode(user):
    episode = make_episode(team=user.memberships.get().team, actor=user, stage=Stage.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        _record(user, episode)
    assert not Screening.objects.exists()


def test_screening_record_refused_whole_when_move_is_illegal(user, episode, monkeypatch):
    def refuse(*args, **kwargs):
        raise IllegalMove("Stage changes are paused for this pathway.")

    monkeypatch.setattr("healthjustice.journeys.services.check_move", refuse)
    with pytest.raises(ValidationError, match="paused"):
        _record(user, episode)
    assert not Screening.objects.exists()
    assert current_stage(episode) == Stage.IDENTIFIED


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("vulnerabilities", {"vulnerabilities": ["werewolf"]}),
        ("risk_level", {"risk_level": "extreme"}),
        ("urgency", {"urgency": "yesterday"}),
    ],
)
def test_screening_record_refuses_unknown_choices(user, episode, field, overrides):
    with pytest.raises(ValidationError) as exc:
        _record(user, episode, **overrides)
    assert field in exc.value.message_dict
    assert not Screening.objects.exists()


def test_screening_record_refused_for_other_team(user, episode):
    outsider = staff(team=TeamFactory())
    with pytest.raises(PermissionDenied):
        _record(outsider, episode)


def test_screening_page_saves_and_moves_stage(user, episode, signed_in):
    client = signed_in(user)
    url = reverse("screening:record", kwargs={"episode_id": episode.public_id})
    response = client.post(
        url,
        {
            "vulnerabilities": ["self_harm_suicide"],
            "risk_level": "high",
            "urgency": "immediate",
            "full_assessment_needed": "yes",
        },
    )
    assert response.status_code == 302
    assert current_stage(episode) == Stage.SCREENED
    screening = episode.screenings.get()
    assert screening.full_assessment_needed is True


def test_screening_page_needs_vulnerabilities_or_none_found(user, episode, signed_in):
    client = signed_in(user)
    url = reverse("screening:record", kwargs={"episode_id": episode.public_id})
    data = {"risk_level": "low", "urgency": "routine", "full_assessment_needed": "no"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Select the vulnerabilities found, or" in response.content.decode()
    assert not Screening.objects.exists()
    response = client.post(url, {**data, "none_found": "on"})
    assert response.status_code == 302
    assert episode.screenings.get().vulnerabilities == []


def test_screening_page_refuses_both_vulnerabilities_and_none_found(user, episode, signed_in):
    client = signed_in(user)
    url = reverse("screening:record", kwargs={"episode_id": episode.public_id})
    response = client.post(
        url,
        {
            "vulnerabilities": ["adhd"],
            "none_found": "on",
            "risk_level": "low",
            "urgency": "routine",
            "full_assessment_needed": "no",
        },
    )
    assert response.status_code == 200
    assert not Screening.objects.exists()
