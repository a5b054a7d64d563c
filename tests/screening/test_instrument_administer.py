"""Administering validated instruments: what is stored, what is refused, when alerts rise."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from healthjustice.audit.models import AuditEvent
from healthjustice.journeys.choices import Stage
from healthjustice.screening.instruments import INSTRUMENTS, score
from healthjustice.screening.models import InstrumentAdministration, RiskAlert
from healthjustice.screening.services import instrument_administer
from tests.factories import TeamFactory, staff
from tests.screening.factories import make_episode

CODES = sorted(INSTRUMENTS)


def _answers(code: str):
    items = INSTRUMENTS[code].items
    return st.tuples(*(st.integers(0, len(i.options) - 1) for i in items)).map(list)


@pytest.fixture
def user(db):
    return staff(team=TeamFactory())


@pytest.fixture
def episode(user):
    return make_episode(team=user.memberships.get().team, actor=user)


def _administer(user, episode, code, answers, **extra):
    return instrument_administer(
        actor=user, episode=episode, instrument_code=code, answers=answers, **extra
    )


class TestScorePersistedExactly(TestCase):
    """Whatever the answers, the stored row is exactly what score() returns."""

    @classmethod
    def setUpTestData(cls):
        cls.user = staff(team=TeamFactory())
        cls.episode = make_episode(team=cls.user.memberships.get().team, actor=cls.user)

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def test_stored_row_matches_scorer(self, data):
        code = data.draw(st.sampled_from(CODES))
        answers = data.draw(_answers(code))
        stored = _administer(self.user, self.episode, code, answers)
        stored.refresh_from_db()
        expected = score(code, answers)
        assert stored.instrument_code == expected.code
        assert stored.instrument_version == expected.version
        assert stored.answers == answers
        assert stored.item_scores == list(expected.item_scores)
        assert stored.total == expected.total
        assert stored.band == expected.band
        assert stored.risk_flag == expected.risk_flag
        assert stored.alerts.count() == len(expected.risk_items)


@pytest.mark.parametrize("code", CODES)
def test_item_level_answers_and_version_stored(user, episode, code):
    answers = [len(i.options) - 1 for i in INSTRUMENTS[code].items]
    stored = _administer(user, episode, code, answers, session_number=3)
    stored.refresh_from_db()
    assert stored.answers == answers
    assert stored.instrument_version == INSTRUMENTS[code].version
    assert stored.session_number == 3
    assert stored.administered_by == user


def test_core10_stores_reversed_item_scores_and_raw_answers(user, episode):
    stored = _administer(user, episode, "core10", [0, 0, 4, 0, 0, 0, 0, 0, 0, 0])
    assert stored.answers == [0, 0, 4, 0, 0, 0, 0, 0, 0, 0]
    assert stored.item_scores == [0, 4, 0, 0, 0, 0, 0, 0, 0, 0]
    assert stored.total == 4


def _every_bad_answer_list():
    """For every instrument: each item out of range (above and below), and each short list."""
    cases = []
    for code, instrument in INSTRUMENTS.items():
        n = len(instrument.items)
        for item in instrument.items:
            above = [0] * n
            above[item.number - 1] = len(item.options)
            below = [0] * n
            below[item.number - 1] = -1
            cases.append((code, above, item.number))
            cases.append((code, below, item.number))
        for length in range(n):
            cases.append((code, [0] * length, length + 1))
    return cases


@pytest.mark.parametrize(("code", "answers", "item"), _every_bad_answer_list())
def test_bad_answers_refused_naming_the_item_and_nothing_stored(user, episode, code, answers, item):
    with pytest.raises(ValidationError) as exc:
        _administer(user, episode, code, answers)
    errors = exc.value.message_dict
    assert list(errors) == [f"item_{item}"]
    assert f"{INSTRUMENTS[code].name} item {item}:" in errors[f"item_{item}"][0]
    assert not InstrumentAdministration.objects.exists()
    assert not RiskAlert.objects.exists()
    assert not AuditEvent.objects.filter(object_type="instrument_administration").exists()


def test_too_many_answers_refused(user, episode):
    with pytest.raises(ValidationError, match="GAD-7 item 8: there is no such item"):
        _administer(user, episode, "gad7", [0] * 8)
    assert not InstrumentAdministration.objects.exists()


def test_unknown_instrument_refused(user, episode):
    with pytest.raises(ValidationError, match="Unknown instrument"):
        _administer(user, episode, "ldsq", [0])


def test_phq9_item9_raises_alert_with_total_one(user, episode):
    stored = _administer(user, episode, "phq9", [0] * 8 + [1])
    assert (stored.total, stored.band, stored.risk_flag) == (1, "minimal", True)
    alert = RiskAlert.objects.get(episode=episode)
    assert alert.source == "PHQ-9 item 9 answered 'several days'"
    assert alert.administration == stored
    assert alert.acknowledged_at is None
    assert AuditEvent.objects.filter(object_type="risk_alert", object_id=str(alert.public_id))


def test_phq9_item9_zero_raises_no_alert_even_when_severe(user, episode):
    stored = _administer(user, episode, "phq9", [3] * 8 + [0])
    assert (stored.total, stored.band, stored.risk_flag) == (24, "severe", False)
    assert not RiskAlert.objects.exists()


def test_core10_item6_raises_alert(user, episode):
    answers = [0, 4, 4, 0, 0, 2, 0, 0, 0, 0]
    stored = _administer(user, episode, "core10", answers)
    assert (stored.total, stored.risk_flag) == (2, True)
    assert RiskAlert.objects.get(episode=episode).source == "CORE-10 item 6 answered 'sometimes'"


def test_instrument_refused_on_closed_episode(user):
    episode = make_episode(team=user.memberships.get().team, actor=user, stage=Stage.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        _administer(user, episode, "gad7", [0] * 7)
    assert not InstrumentAdministration.objects.exists()


def test_instrument_page_renders_items_and_options_from_definition(user, episode, signed_in):
    client = signed_in(user)
    url = reverse(
        "screening:instrument_administer",
        kwargs={"episode_id": episode.public_id, "code": "core10"},
    )
    html = client.get(url).content.decode()
    for item in INSTRUMENTS["core10"].items:
        assert item.text in html
    assert html.count('type="radio"') == 50
    assert "Most or all of the time" in html


def test_instrument_page_missing_answer_names_the_item(user, episode, signed_in):
    client = signed_in(user)
    url = reverse(
        "screening:instrument_administer", kwargs={"episode_id": episode.public_id, "code": "phq9"}
    )
    data = {f"item_{n}": "0" for n in range(1, 9)}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "PHQ-9 item 9: select an answer" in response.content.decode()
    assert not InstrumentAdministration.objects.exists()


def test_instrument_page_out_of_range_answer_names_the_item(user, episode, signed_in):
    client = signed_in(user)
    url = reverse(
        "screening:instrument_administer", kwargs={"episode_id": episode.public_id, "code": "audit"}
    )
    data = {f"item_{n}": "0" for n in range(1, 11)}
    data["item_9"] = "3"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "AUDIT item 9: select one of the answers shown" in response.content.decode()
    assert not InstrumentAdministration.objects.exists()


def test_instrument_page_total_cannot_be_typed_in(user, episode, signed_in):
    client = signed_in(user)
    url = reverse(
        "screening:instrument_administer", kwargs={"episode_id": episode.public_id, "code": "gad7"}
    )
    data = {f"item_{n}": "1" for n in range(1, 8)}
    response = client.post(url, {**data, "total": "0", "band": "minimal"})
    assert response.status_code == 302
    stored = InstrumentAdministration.objects.get()
    assert (stored.total, stored.band) == (7, "mild")


def test_result_page_shows_total_band_cutoff_and_risk(user, episode, signed_in):
    stored = _administer(user, episode, "phq9", [2, 2, 2, 2, 1, 1, 0, 0, 1])
    client = signed_in(user)
    html = client.get(reverse("screening:administration", kwargs={"public_id": stored.public_id}))
    text = html.content.decode()
    assert "11 out of 27" in text
    assert "Moderate" in text
    assert "At or above: 10 or more" in text
    assert "PHQ-9 item 9 answered" in text
