"""Instrument history with change against the first score, and what the app shows elsewhere."""

import json

import pytest
from django.urls import reverse

from healthjustice.governance.subject_access import subject_access_document, subject_access_sections
from healthjustice.journeys.services import episode_move
from healthjustice.screening.change import change_from_baseline
from healthjustice.screening.instruments import INSTRUMENTS
from healthjustice.screening.selectors import instrument_history
from healthjustice.screening.services import instrument_administer, screening_record
from tests.factories import PersonFactory, TeamFactory, staff
from tests.screening.factories import make_episode


def _core10(total: int) -> list[int]:
    """CORE-10 answers reaching `total` (items 2 and 3 answered 4 score 0)."""
    answers = [0, 4, 4, 0, 0, 0, 0, 0, 0, 0]
    for index in (0, 3, 4, 6, 7, 8, 9):
        step = min(4, total)
        answers[index] = step
        total -= step
    assert total == 0
    return answers


@pytest.mark.parametrize(
    ("baseline", "now", "label", "reliable"),
    [
        (20, 15, "No reliable change (less than 6 points)", False),
        (20, 14, "Reliable improvement", True),
        (14, 8, "Reliable and clinically significant improvement", True),
        (10, 16, "Reliable deterioration", True),
        (10, 15, "No reliable change (less than 6 points)", False),
    ],
)
def test_core10_reliable_change_is_six_points(baseline, now, label, reliable):
    change = change_from_baseline("core10", baseline, now)
    assert (change.points, change.label, change.reliable) == (now - baseline, label, reliable)


@pytest.mark.parametrize(
    ("baseline", "now", "label", "reliable"),
    [
        (15, 10, "No reliable change (less than 6 points)", False),
        (20, 14, "Reliable improvement", True),
        (15, 9, "Reliable and clinically significant improvement", True),
        (8, 13, "No reliable change (less than 6 points)", False),
        (8, 14, "Reliable deterioration", True),
        (12, 12, "No reliable change (less than 6 points)", False),
    ],
)
def test_phq9_reliable_change_is_six_points(baseline, now, label, reliable):
    change = change_from_baseline("phq9", baseline, now)
    assert (change.points, change.label, change.reliable) == (now - baseline, label, reliable)


@pytest.mark.parametrize(
    ("baseline", "now", "label", "reliable"),
    [
        (14, 11, "No reliable change (less than 4 points)", False),
        (14, 10, "Reliable improvement", True),
        (12, 8, "Reliable and clinically significant improvement", True),
        (5, 8, "No reliable change (less than 4 points)", False),
        (5, 9, "Reliable deterioration", True),
    ],
)
def test_gad7_reliable_change_is_four_points(baseline, now, label, reliable):
    change = change_from_baseline("gad7", baseline, now)
    assert (change.points, change.label, change.reliable) == (now - baseline, label, reliable)


@pytest.mark.parametrize(
    ("code", "threshold"),
    [("core10", 6), ("phq9", 6), ("gad7", 4), ("audit", None), ("auditc", None), ("dast10", None)],
)
def test_reliable_change_threshold_is_part_of_the_definition(code, threshold):
    assert INSTRUMENTS[code].reliable_change == threshold


@pytest.mark.parametrize(
    ("code", "baseline", "now", "label"),
    [
        ("audit", 18, 9, "Down 9 points"),
        ("dast10", 2, 5, "Up 3 points"),
        ("auditc", 4, 4, "No change"),
    ],
)
def test_other_instruments_show_points_without_judgement(code, baseline, now, label):
    change = change_from_baseline(code, baseline, now)
    assert (change.points, change.label, change.reliable) == (now - baseline, label, None)


@pytest.mark.django_db
def test_history_runs_across_the_persons_visible_episodes(signed_in):
    team = TeamFactory()
    user = staff(team=team)
    person = PersonFactory(team=team)
    first = make_episode(team=team, person=person, actor=user)
    instrument_administer(actor=user, episode=first, instrument_code="core10", answers=_core10(22))
    episode_move(actor=user, episode=first, to_stage="closed", closure_reason="declined")
    second = make_episode(team=team, person=person, actor=user)
    instrument_administer(actor=user, episode=second, instrument_code="core10", answers=_core10(12))
    rows = instrument_history(user, person, INSTRUMENTS["core10"])
    assert [r.administration.total for r in rows] == [22, 12]
    assert rows[0].change is None
    assert rows[1].change.label == "Reliable improvement"
    page = signed_in(user).get(
        reverse(
            "screening:instrument_history",
            kwargs={"episode_id": first.public_id, "code": "core10"},
        )
    )
    text = page.content.decode()
    assert "First score (baseline)" in text
    assert "Reliable improvement" in text
    assert "-10" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "first", "second", "sentence", "label"),
    [
        ("phq9", [3] * 9, [2] * 9, "A change of 6 points or more", "Reliable improvement"),
        ("gad7", [1] * 7, [2] * 7, "A change of 4 points or more", "Reliable deterioration"),
        ("dast10", [1, 0, 1, 0, 0, 0, 0, 0, 0, 0], [1] * 10, None, "Up 8 points"),
    ],
)
def test_history_page_states_the_instruments_reliable_change(
    signed_in, code, first, second, sentence, label
):
    team = TeamFactory()
    user = staff(team=team)
    episode = make_episode(team=team, actor=user)
    for answers in (first, second):
        instrument_administer(actor=user, episode=episode, instrument_code=code, answers=answers)
    text = (
        signed_in(user)
        .get(
            reverse(
                "screening:instrument_history",
                kwargs={"episode_id": episode.public_id, "code": code},
            )
        )
        .content.decode()
    )
    assert label in text
    if sentence:
        assert sentence in text
    else:
        assert "reliable change" not in text


@pytest.mark.django_db
def test_history_hides_other_teams_scores():
    team, other = TeamFactory(), TeamFactory()
    user, outsider = staff(team=team), staff(team=other)
    person = PersonFactory(team=team)
    episode = make_episode(team=team, person=person, actor=user)
    instrument_administer(actor=user, episode=episode, instrument_code="gad7", answers=[1] * 7)
    assert instrument_history(outsider, person, INSTRUMENTS["gad7"]) == []


@pytest.mark.django_db
def test_episode_page_shows_latest_screening_and_results(signed_in):
    team = TeamFactory()
    user = staff(team=team)
    episode = make_episode(team=team, actor=user)
    screening_record(
        actor=user,
        episode=episode,
        vulnerabilities=["autism", "slcn"],
        risk_level="low",
        urgency="routine",
        full_assessment_needed=False,
    )
    instrument_administer(actor=user, episode=episode, instrument_code="auditc", answers=[4, 1, 0])
    text = (
        signed_in(user)
        .get(reverse("journeys:detail", kwargs={"public_id": episode.public_id}))
        .content.decode()
    )
    assert "Autism, Speech, language and communication needs" in text
    assert "AUDIT-C" in text
    assert "At or above" in text


@pytest.mark.django_db
def test_subject_access_holds_screening_sections():
    team = TeamFactory()
    user = staff(team=team)
    episode = make_episode(team=team, actor=user)
    screening_record(
        actor=user,
        episode=episode,
        vulnerabilities=["veteran"],
        risk_level="medium",
        urgency="soon",
        full_assessment_needed=True,
        notes="Served in the Royal Navy",
    )
    instrument_administer(
        actor=user, episode=episode, instrument_code="phq9", answers=[0] * 8 + [1]
    )
    assert {"screenings", "questionnaires", "licensed_screening_tools", "risk_alerts"} <= set(
        subject_access_sections()
    )
    document = json.loads(json.dumps(subject_access_document(episode.person), default=str))
    assert document["screenings"][0]["notes"] == "Served in the Royal Navy"
    answers = document["questionnaires"][0]["answers"]
    assert answers[8]["answer"] == "Several days"
    assert document["risk_alerts"][0]["source"] == "PHQ-9 item 9 answered 'several days'"
