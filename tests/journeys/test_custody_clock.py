"""The PACE custody clock: extensions, warrants, leaving custody, and what pages show."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.journeys.models import CustodyEvent, Episode
from healthjustice.journeys.services import cj_context_save, custody_event_record
from healthjustice.worklist.selectors import explain, worklist_queryset
from tests.factories import TeamFactory, staff
from tests.journeys.factories import make_alert, make_episode

pytestmark = pytest.mark.django_db

H = datetime.timedelta(hours=1)


@pytest.fixture
def team():
    return TeamFactory(name="Stoke custody L&D")


@pytest.fixture
def practitioner(team):
    return staff(team=team)


def _in_custody(team, hours_ago: float):
    now = timezone.now()
    return make_episode(
        team,
        referred_at=now - hours_ago * H + 0.1 * H,
        cj={"arrived_in_custody_at": now - hours_ago * H},
    )


def _extend(user, episode, *, at=None, limit=36, **kw):
    return custody_event_record(
        actor=user,
        episode=episode,
        kind="extension",
        at=at or timezone.now() - H,
        limit_hours=limit,
        rank=kw.pop("rank", "superintendent"),
        authorised_by=kw.pop("authorised_by", "Amina Khan"),
        **kw,
    )


def _warrant(user, episode, *, at=None, limit=72, court="North Staffordshire Magistrates' Court"):
    return custody_event_record(
        actor=user,
        episode=episode,
        kind="warrant",
        at=at or timezone.now() - 0.5 * H,
        limit_hours=limit,
        authorised_by=court,
    )


def _errors(exc_info) -> dict:
    return exc_info.value.message_dict


# The rules ------------------------------------------------------------------------------------


def test_extension_to_36_hours_is_recorded_and_audited(practitioner, team):
    episode = _in_custody(team, 20)
    event = _extend(practitioner, episode)
    assert event.limit_hours == 36
    assert event.ends_at == episode.cj_context.arrived_in_custody_at + 36 * H
    audit = AuditEvent.objects.filter(object_type="cj_context", action="create").last()
    assert audit.detail["custody_event"] == "extension"


def test_extension_after_the_24_hours_is_refused(practitioner, team):
    episode = _in_custody(team, 30)
    with pytest.raises(ValidationError) as exc:
        _extend(practitioner, episode, at=timezone.now() - H)  # 29 hours after arrival
    assert "before the 24 hours end" in _errors(exc)["at"][0]
    assert not CustodyEvent.objects.exists()


def test_extension_beyond_36_hours_is_refused(practitioner, team):
    episode = _in_custody(team, 20)
    with pytest.raises(ValidationError) as exc:
        _extend(practitioner, episode, limit=48)
    assert _errors(exc)["limit_hours"] == [
        "An extension can be at most 36 hours from the relevant time"
    ]


def test_extension_needs_rank_and_name(practitioner, team):
    episode = _in_custody(team, 20)
    with pytest.raises(ValidationError) as exc:
        _extend(practitioner, episode, rank="inspector", authorised_by=" ")
    errors = _errors(exc)
    assert errors["rank"] == ["Choose the rank of the officer who authorised it"]
    assert errors["authorised_by"] == ["Enter the name of the officer who authorised it"]


def test_times_in_the_future_or_before_arrival_are_refused(practitioner, team):
    episode = _in_custody(team, 20)
    with pytest.raises(ValidationError) as exc:
        _extend(practitioner, episode, at=timezone.now() + H)
    assert _errors(exc)["at"] == ["The date and time cannot be in the future"]
    with pytest.raises(ValidationError) as exc:
        _extend(practitioner, episode, at=timezone.now() - 21 * H)
    assert "before they arrived in custody" in _errors(exc)["at"][0]


def test_warrant_without_an_extension_is_refused(practitioner, team):
    episode = _in_custody(team, 20)
    with pytest.raises(ValidationError) as exc:
        _warrant(practitioner, episode)
    assert "only follow a superintendent's extension" in _errors(exc)["kind"][0]


def test_warrant_after_extension_up_to_96_hours(practitioner, team):
    episode = _in_custody(team, 30)
    _extend(practitioner, episode, at=timezone.now() - 8 * H)
    _warrant(practitioner, episode, limit=72)
    with pytest.raises(ValidationError) as exc:
        _warrant(practitioner, episode, limit=72)
    assert _errors(exc)["limit_hours"] == ["The new limit must be more than the current 72 hours"]
    with pytest.raises(ValidationError) as exc:
        _warrant(practitioner, episode, limit=97)
    assert _errors(exc)["limit_hours"] == [
        "Detention can be at most 96 hours from the relevant time"
    ]
    last = _warrant(practitioner, episode, limit=96, court="Stoke Magistrates' Court")
    assert last.ends_at == episode.cj_context.arrived_in_custody_at + 96 * H


def test_leaving_custody_stops_the_clock_and_nothing_follows(practitioner, team):
    episode = _in_custody(team, 10)
    custody_event_record(
        actor=practitioner,
        episode=episode,
        kind="left",
        at=timezone.now() - 8 * H,
        outcome="bailed",
    )
    with pytest.raises(ValidationError) as exc:
        _extend(practitioner, episode)
    assert _errors(exc)["kind"] == ["They have already left custody: the clock has stopped"]


def test_leaving_needs_an_outcome_from_the_list(practitioner, team):
    episode = _in_custody(team, 10)
    with pytest.raises(ValidationError) as exc:
        custody_event_record(
            actor=practitioner, episode=episode, kind="left", at=timezone.now(), outcome="escaped"
        )
    assert _errors(exc)["outcome"] == ["Choose how they left custody"]


def test_no_clock_without_a_relevant_time(practitioner, team):
    episode = make_episode(team)
    with pytest.raises(ValidationError) as exc:
        _extend(practitioner, episode)
    assert "relevant time" in _errors(exc)["kind"][0]


def test_relevant_time_cannot_change_once_the_clock_has_events(practitioner, team):
    episode = _in_custody(team, 20)
    _extend(practitioner, episode)
    context = episode.cj_context
    with pytest.raises(ValidationError) as exc:
        cj_context_save(
            actor=practitioner,
            episode=episode,
            details={"arrived_in_custody_at": timezone.now() - 2 * H},
            expected_version=context.version,
        )
    assert "cannot change" in _errors(exc)["arrived_in_custody_at"][0]


# The worklist ---------------------------------------------------------------------------------


def test_worklist_orders_by_the_current_limit_and_drops_those_who_left(practitioner, team):
    now = timezone.now()
    extended = _in_custody(team, 23)  # 36-hour limit: 13 hours left
    _extend(practitioner, extended, at=now - 0.5 * H)
    plain = _in_custody(team, 14)  # 24-hour limit: 10 hours left
    left = _in_custody(team, 20)  # would be 4 hours left, but they have gone
    custody_event_record(
        actor=practitioner, episode=left, kind="left", at=now - H, outcome="released_nfa"
    )
    beyond_24 = _in_custody(team, 26)  # past 24 hours, kept by an extension: 10 - 26 + 36
    _extend(practitioner, beyond_24, at=now - 3 * H)
    _extend_more = _warrant(practitioner, beyond_24, at=now - H, limit=60)
    assert _extend_more.limit_hours == 60

    now = timezone.now()
    rows = list(worklist_queryset(practitioner, team_id=team.id, now=now))
    order = [r.pk for r in rows]
    assert order.index(plain.pk) < order.index(extended.pk) < order.index(beyond_24.pk)
    left_row = next(r for r in rows if r.pk == left.pk)
    assert left_row.wl_in_custody_since is None
    assert order[-1] == left.pk
    extended_row = next(r for r in rows if r.pk == extended.pk)
    words = [reason.text for reason in explain(extended_row, now=now)]
    assert "23 hours of 36 in custody (extended)" in words
    warrant_row = next(r for r in rows if r.pk == beyond_24.pk)
    assert "26 hours of 60 in custody (extended)" in [
        reason.text for reason in explain(warrant_row, now=now)
    ]


# The pages ------------------------------------------------------------------------------------


def test_episode_and_person_pages_show_the_clock(client, practitioner, team):
    episode = _in_custody(team, 9.5)
    _extend(practitioner, episode, at=timezone.now() - H, authorised_by="Amina Khan")
    client.force_login(practitioner)
    page = client.get(reverse("journeys:detail", args=[episode.public_id])).content.decode()
    assert "9 of 36 hours used, extended by Superintendent Amina Khan" in page
    person = client.get(reverse("people:detail", args=[episode.person.public_id]))
    assert "9 of 36 hours used" in person.content.decode()


def test_person_page_shows_no_clock_for_a_closed_custody_episode_and_reads_episodes_once(
    client, practitioner, team
):
    episode = _in_custody(team, 9.5)
    make_episode(team, person=episode.person, stage="closed")
    client.force_login(practitioner)
    url = reverse("people:detail", args=[episode.person.public_id])
    assert "hours used" in client.get(url).content.decode()
    Episode.objects.filter(pk=episode.pk).update(stage="closed")  # as its closing row leaves it
    client.get(url)  # the session's first refresh is not the page's cost
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    assert "hours used" not in page
    episode_reads = [
        q for q in ctx.captured_queries if q["sql"].startswith('SELECT "journeys_episode"')
    ]
    assert len(episode_reads) == 1


def test_person_page_shows_open_risk_alerts_only(client, practitioner, team):
    episode = _in_custody(team, 3)
    make_alert(episode, source="PHQ-9 item 9 answered 'several days'")
    make_alert(episode, source="Acknowledged concern", acknowledged_by=practitioner)
    client.force_login(practitioner)
    page = client.get(reverse("people:detail", args=[episode.person.public_id])).content.decode()
    assert "1 risk alert not yet acknowledged" in page
    assert "PHQ-9 item 9 answered" in page
    assert "Acknowledged concern" not in page


def test_clock_page_records_leaving_custody(client, practitioner, team):
    episode = _in_custody(team, 5)
    client.force_login(practitioner)
    url = reverse("journeys:custody_clock", args=[episode.public_id])
    assert client.get(url).status_code == 200
    at = timezone.localtime() - H
    response = client.post(
        url,
        {
            "kind": "left",
            "at_date_0": at.day,
            "at_date_1": at.month,
            "at_date_2": at.year,
            "at_time": at.strftime("%H:%M"),
            "outcome": "charged_kept",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("journeys:detail", args=[episode.public_id])).content.decode()
    assert "Left custody" in page
    assert "charged and kept in custody for court" in page


def test_clock_page_shows_a_message_per_field(client, practitioner, team):
    episode = _in_custody(team, 5)
    client.force_login(practitioner)
    url = reverse("journeys:custody_clock", args=[episode.public_id])
    response = client.post(url, {"kind": "extension", "limit_hours": "abc"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the date it was authorised, or they left" in page
    assert "Enter the new limit as a whole number of hours, like 36" in page
    response = client.post(
        url,
        {
            "kind": "warrant",
            "at_date_0": "1",
            "at_date_1": "1",
            "at_date_2": "2020",
            "at_time": "10:00",
            "limit_hours": "48",
        },
    )
    assert "can only follow a superintendent" in response.content.decode()
    assert not CustodyEvent.objects.exists()
