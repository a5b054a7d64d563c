"""MHTR deadlines on the worklist: overdue compliance notices at the top, then the pre-sentence
report's due date and the first appointment after sentence, in words and in working days."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import CriminalJusticeContext
from healthjustice.mhtr.choices import NoticeMethod, OrderType, SessionMode, SessionOutcome
from healthjustice.mhtr.models import (
    ComplianceNotice,
    CourtOutcome,
    NoticeDisclosure,
    TeamSettings,
    TreatmentSession,
)
from healthjustice.mhtr.workdays import add_working_days
from healthjustice.organisations.roles import Role
from healthjustice.worklist.deadlines import (
    first_appointment_due,
    working_day_numbers,
    working_days_since,
)
from healthjustice.worklist.selectors import explain, worklist_queryset
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.journeys.factories import make_episode
from tests.mhtr.factories import make_mhtr_episode, mhtr_team

pytestmark = pytest.mark.django_db

D = datetime.timedelta(days=1)


@pytest.fixture
def team():
    ld = TeamFactory(name="Stoke court L&D", region=RegionFactory(name="Staffordshire"))
    return mhtr_team(like=ld)


@pytest.fixture
def worker(team):
    return staff(Role.PRACTITIONER, team=team)


def _episode(team, stage, days_ago=30):
    return make_mhtr_episode(
        team=team, person=PersonFactory(team=team), stage=stage, days_ago=days_ago
    )


def _psr(team, due, *, stage=Stage.AWAITING_SENTENCE, days_ago=30, requested=True):
    episode = _episode(team, stage, days_ago)
    CriminalJusticeContext.objects.create(
        episode=episode, psr_requested=requested, psr_due_on=due if requested else None
    )
    return episode


def _order(team, user, sentenced_on, *, stage=Stage.ORDER_MADE, days_ago=60, made=True):
    episode = _episode(team, stage, days_ago)
    CourtOutcome.objects.create(
        episode=episode,
        order_made=made,
        court="North Staffordshire Justice Centre",
        sentenced_on=sentenced_on,
        order_type=OrderType.COMMUNITY_ORDER if made else "",
        starts_on=sentenced_on if made else None,
        months=6 if made else None,
        recorded_by=user,
    )
    return episode


def _session(episode, user, on, outcome=""):
    return TreatmentSession.objects.create(
        episode=episode,
        on=on,
        at=datetime.time(10, 0),
        mode=SessionMode.IN_PERSON,
        practitioner="Jo Practitioner",
        outcome=outcome,
        created_by=user,
    )


def _notice(episode, user, session, due_on, *, sent=False):
    notice = ComplianceNotice.objects.create(
        episode=episode, session=session, due_on=due_on, created_by=user
    )
    if sent:
        NoticeDisclosure.objects.create(
            notice=notice,
            sent_on=due_on,
            recipient="Sam Example",
            method=NoticeMethod.SECURE_EMAIL,
            content="Did not attend",
            sent_by=user,
        )
    return notice


def _rows(user, team, now):
    return list(worklist_queryset(user, team_id=team.id, now=now))


def _words(rows, episode, now):
    row = next(r for r in rows if r.pk == episode.pk)
    return [r.text for r in explain(row, now=now)]


# Working days


def test_working_days_skip_weekends_and_england_and_wales_bank_holidays():
    # Christmas 2026: Friday 25 December, Monday 28 December (Boxing Day's substitute) and
    # Friday 1 January 2027 are bank holidays.
    assert first_appointment_due(datetime.date(2026, 12, 23), 5) == datetime.date(2027, 1, 4)
    assert first_appointment_due(datetime.date(2026, 12, 24), 1) == datetime.date(2026, 12, 29)
    assert first_appointment_due(datetime.date(2026, 12, 26), 1) == datetime.date(2026, 12, 29)
    assert working_days_since(datetime.date(2026, 12, 24), datetime.date(2026, 12, 30)) == 2


def test_working_day_numbers_give_the_same_deadlines_as_counting_days():
    start = datetime.date(2026, 11, 20)
    numbers = working_day_numbers(start, datetime.date(2027, 3, 1))
    by_number = {n: day for day, n in sorted(numbers.items(), reverse=True)}
    for offset in range(45):
        sentenced = start + offset * D
        for days in (1, 5, 12, 30):
            due = add_working_days(sentenced, days)
            assert by_number[numbers[sentenced] + days] == due


# The order and the words


def test_overdue_notice_tops_the_list_then_psr_and_first_appointment_deadlines(team, worker):
    now = timezone.now()
    today = timezone.localdate(now)
    e = {}
    missed = _order(team, worker, today - 30 * D, stage=Stage.IN_TREATMENT, days_ago=80)
    absence = _session(missed, worker, today - 12 * D, SessionOutcome.DID_NOT_ATTEND)
    _notice(missed, worker, absence, add_working_days(today - 12 * D, 1))
    e["notice_overdue"] = missed
    sent = _order(team, worker, today - 30 * D, stage=Stage.IN_TREATMENT, days_ago=79)
    sent_absence = _session(sent, worker, today - 12 * D, SessionOutcome.DID_NOT_ATTEND)
    _notice(sent, worker, sent_absence, add_working_days(today - 12 * D, 1), sent=True)
    e["notice_sent"] = sent
    e["first_overdue"] = _order(team, worker, today - 20 * D, days_ago=70)
    e["psr_overdue"] = _psr(team, today - 2 * D, days_ago=50)
    e["psr_today"] = _psr(team, today, days_ago=45)
    e["psr_tomorrow"] = _psr(team, today + D, days_ago=40)
    e["psr_2_days"] = _psr(team, today + 2 * D, days_ago=35)
    e["psr_far_off"] = _psr(team, today + 20 * D, days_ago=34)
    e["psr_not_requested"] = _psr(team, None, requested=False, days_ago=33)
    e["psr_after_sentence"] = _psr(team, today, stage=Stage.IN_TREATMENT, days_ago=32)
    e["referred"] = _episode(team, Stage.REFERRED, days_ago=31)

    rows = _rows(worker, team, now)
    names = {ep.pk: name for name, ep in e.items()}
    assert [names[r.pk] for r in rows] == [
        "notice_overdue",
        "first_overdue",
        "psr_overdue",
        "psr_today",
        "psr_tomorrow",
        "psr_2_days",
        # No deadline of their own: by the longest wait.
        "notice_sent",
        "psr_far_off",
        "psr_not_requested",
        "psr_after_sentence",
        "referred",
    ]

    def words(name):
        return _words(rows, e[name], now)

    late = working_days_since(add_working_days(today - 12 * D, 1), today)
    unit = "working day" if late == 1 else "working days"
    assert words("notice_overdue")[0] == f"Compliance notice overdue by {late} {unit}"
    assert not any("Compliance notice" in w for w in words("notice_sent"))
    due = add_working_days(today - 20 * D, 5)
    assert f"First appointment overdue (due by {due.day} {due:%B %Y})" in words("first_overdue")
    assert words("psr_overdue")[0].startswith("PSR overdue by 2 days (due ")
    assert words("psr_today")[0].startswith("PSR due today (")
    assert words("psr_tomorrow")[0].startswith("PSR due tomorrow (")
    assert words("psr_2_days")[0].startswith("PSR due in 2 days (")
    far = today + 20 * D
    assert words("psr_far_off")[0] == f"PSR due {far.day} {far:%B %Y}"
    for name in ("psr_not_requested", "psr_after_sentence", "referred"):
        assert not any(w.startswith(("PSR", "First appointment")) for w in words(name))


def test_notice_due_today_is_a_deadline_below_overdue_ones(team, worker):
    now = timezone.now()
    today = timezone.localdate(now)
    due_today = _order(team, worker, today - 30 * D, stage=Stage.IN_TREATMENT, days_ago=40)
    _notice(due_today, worker, _session(due_today, worker, today - 3 * D, "dna"), today)
    overdue = _order(team, worker, today - 30 * D, stage=Stage.IN_TREATMENT, days_ago=39)
    _notice(overdue, worker, _session(overdue, worker, today - 9 * D, "dna"), today - 8 * D)
    waiting = _episode(team, Stage.REFERRED, days_ago=90)
    rows = _rows(worker, team, now)
    assert [r.pk for r in rows] == [overdue.pk, due_today.pk, waiting.pk]
    assert _words(rows, due_today, now)[0] == "Compliance notice due today"


def test_first_appointment_deadline_counts_the_teams_working_days_over_christmas(team, worker):
    # Wednesday 30 December 2026, between the Christmas and New Year bank holidays.
    now = timezone.make_aware(datetime.datetime(2026, 12, 30, 11, 0))
    sentenced = datetime.date(2026, 12, 23)
    five = _order(team, worker, sentenced, days_ago=-1)  # due Monday 4 January
    booked_in_time = _order(team, worker, sentenced, days_ago=-1)
    _session(booked_in_time, worker, datetime.date(2027, 1, 4))
    booked_late = _order(team, worker, sentenced, days_ago=-1)
    _session(booked_late, worker, datetime.date(2027, 1, 5))
    cancelled = _order(team, worker, sentenced, days_ago=-1)
    _session(cancelled, worker, datetime.date(2027, 1, 4), SessionOutcome.CANCELLED_BY_SERVICE)
    psr_saturday = _psr(team, datetime.date(2027, 1, 2), days_ago=-1)
    psr_tuesday = _psr(team, datetime.date(2027, 1, 5), days_ago=-1)
    rows = _rows(worker, team, now)
    assert _words(rows, five, now)[0] == "First appointment due by 4 January 2027"
    assert not any("First appointment" in w for w in _words(rows, booked_in_time, now))
    assert _words(rows, booked_late, now)[0] == (
        "First appointment booked for 5 January 2027, after the deadline of 4 January 2027"
    )
    assert _words(rows, cancelled, now)[0] == "First appointment due by 4 January 2027"
    order = [r.pk for r in rows]
    # Saturday 2 January ranks with Thursday 31 December, before Monday 4 January.
    assert order.index(psr_saturday.pk) < order.index(five.pk) < order.index(psr_tuesday.pk)
    assert order[-1] == booked_in_time.pk

    # A team that allows 3 working days: due today.
    TeamSettings.objects.create(team=team, first_appointment_working_days=3)
    rows = _rows(worker, team, now)
    assert _words(rows, five, now)[0] == "First appointment due today"
    assert rows[0].pk in {five.pk, cancelled.pk}


def test_no_order_made_has_no_first_appointment_deadline(team, worker):
    now = timezone.now()
    today = timezone.localdate(now)
    none = _order(team, worker, today - 2 * D, made=False)
    rows = _rows(worker, team, now)
    assert not any("First appointment" in w for w in _words(rows, none, now))


# Criminal-justice details, the page and its cost


def test_psr_due_date_is_criminal_justice_detail(team, worker, signed_in, monkeypatch):
    today = timezone.localdate()
    shown = _psr(team, today + D)
    html = signed_in(worker).get(reverse("worklist:home")).content.decode()
    assert "PSR due tomorrow" in html
    cj = AuditEvent.objects.filter(object_type="cj_context").get()
    assert cj.detail == {"via": "worklist", "episodes": [str(shown.public_id)]}

    from tests.journeys.test_worklist import _without_cj_permission

    _without_cj_permission(monkeypatch)
    from healthjustice.organisations.permissions import clear_permission_cache

    clear_permission_cache(worker)
    html = signed_in(worker).get(reverse("worklist:home")).content.decode()
    assert "PSR due" not in html


def test_ld_episodes_have_no_mhtr_deadlines(worker):
    ld = TeamFactory(name="Stoke custody L&D")
    user = staff(team=ld)
    today = timezone.localdate()
    episode = make_episode(ld, cj={"psr_requested": True, "psr_due_on": today})
    rows = list(worklist_queryset(user, team_id=ld.id))
    assert not any(w.startswith("PSR") for w in _words(rows, episode, timezone.now()))


def _varied_mhtr(team, user, count):
    today = timezone.localdate()
    for i in range(count):
        kind = i % 4
        if kind == 0:
            _psr(team, today + (i % 3) * D)
        elif kind == 1:
            episode = _order(team, user, today - 20 * D, stage=Stage.IN_TREATMENT)
            _notice(episode, user, _session(episode, user, today - 9 * D, "dna"), today - 8 * D)
        elif kind == 2:
            episode = _order(team, user, today - (i % 5) * D)
            if i % 3:
                _session(episode, user, today + D)
        else:
            _episode(team, Stage.REFERRED)


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_mhtr_worklist_query_count_is_the_same_for_5_and_50_episodes(team, signed_in):
    lead = staff(Role.TEAM_LEADER, team=team)
    client = signed_in(lead)
    url = reverse("worklist:home") + f"?team={team.public_id}"
    _varied_mhtr(team, lead, 5)
    with_5 = _queries(client, url)
    _varied_mhtr(team, lead, 45)
    assert _queries(client, url) == with_5


def test_mine_filters_by_pathway_when_my_teams_work_on_more_than_one(team, worker, signed_in):
    ld = TeamFactory(name="Stoke custody L&D")
    staff(team=ld, user=worker)
    ld_episode = make_episode(ld, worker=worker)
    mhtr_episode = _episode(team, Stage.REFERRED)
    mhtr_episode.allocated_worker = worker
    mhtr_episode.save(update_fields=["allocated_worker"])
    client = signed_in(worker)
    url = reverse("worklist:home")

    def shown(**params):
        html = client.get(url, {"team": "mine", **params}).content.decode()
        return {
            e
            for e in (ld_episode, mhtr_episode)
            if reverse("journeys:detail", kwargs={"public_id": e.public_id}) in html
        }

    assert shown() == {ld_episode, mhtr_episode}
    assert shown(pathway="mhtr") == {mhtr_episode}
    assert shown(pathway="ld") == {ld_episode}
    assert shown(pathway="not-a-pathway") == {ld_episode, mhtr_episode}
    html = client.get(url).content.decode()
    assert 'name="pathway"' in html
    assert "Compliance notices to probation that are past their due date" in html


def test_pathway_filter_is_not_offered_to_a_single_pathway(team, worker, signed_in):
    html = signed_in(worker).get(reverse("worklist:home")).content.decode()
    assert 'name="pathway"' not in html
    ld_worker = staff(team=TeamFactory(name="Stoke custody L&D"))
    html = signed_in(ld_worker).get(reverse("worklist:home")).content.decode()
    assert "Compliance notices to probation" not in html
