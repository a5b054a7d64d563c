"""RECONNECT's rules on the worklist: release-day work first, then the support plan, the
referral window, contacts after release, the end of support and engagement checks, each ranked
and worded, at their boundary days, with the top rule's words only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from healthjustice.core.dates import format_date
from healthjustice.organisations.roles import Role
from healthjustice.reconnect import services
from healthjustice.reconnect.choices import ContactMode, EngagementCheckKind, NeedArea
from healthjustice.reconnect.models import (
    EngagementCheck,
    ReconnectTeamSettings,
    ReleaseDetails,
    SupportContact,
    SupportExtension,
)
from healthjustice.reconnect.selectors import months_after
from healthjustice.worklist.reconnect_rules import Rule, rule_of
from healthjustice.worklist.selectors import explain, uses_cj_details, worklist_queryset
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.journeys.factories import make_episode
from tests.reconnect.factories import (
    eligible,
    handed_over_to,
    post_release,
    pre_release,
    prison,
    reconnect_team,
    referred,
)

pytestmark = pytest.mark.django_db

D = datetime.timedelta(days=1)


@pytest.fixture
def team():
    ld = TeamFactory(name="Stoke custody L&D", region=RegionFactory(name="Staffordshire"))
    team = reconnect_team(like=ld)
    prison(team)
    return team


@pytest.fixture
def worker(team):
    return staff(Role.PRACTITIONER, team=team)


def _today():
    return timezone.localdate()


def _person(team):
    return PersonFactory(team=team)


def _before(team, worker, release_in, *, stage="pre_release"):
    make = {"referred": referred, "eligible": eligible, "pre_release": pre_release}[stage]
    return make(
        team=team,
        person=_person(team),
        actor=worker,
        expected_release_on=_today() + release_in * D,
    )


def _gate_plan(episode, worker):
    services.gate_plan_record(
        actor=worker,
        episode=episode,
        meet_on=_today() + D,
        meet_at=datetime.time(8, 30),
        place="The gate",
        who="A peer support worker",
    )


def _support_plan(episode, worker):
    services.plan_need_add(
        actor=worker,
        episode=episode,
        area=NeedArea.GP_REGISTRATION,
        goal="Registered with a GP",
        action="Book a GP registration",
    )


def _planned(team, worker, release_in):
    episode = _before(team, worker, release_in)
    _gate_plan(episode, worker)
    _support_plan(episode, worker)
    return episode


def _after(team, worker, released_days_ago, *, contact_days_ago=0):
    """In post-release support, released `released_days_ago` days ago, with a contact after
    release `contact_days_ago` days ago (None: none)."""
    episode = post_release(
        team=team,
        person=_person(team),
        actor=worker,
        released_on=_today() - released_days_ago * D,
    )
    if contact_days_ago is not None:
        _contact(episode, worker, contact_days_ago)
    return episode


def _contact(episode, worker, days_ago):
    # Made directly: the service refuses a contact dated before the referral (made today).
    SupportContact.objects.create(
        episode=episode,
        contact_on=_today() - days_ago * D,
        mode=ContactMode.TELEPHONE,
        after_release=True,
        notes="Checked in",
        recorded_by=worker,
    )


def _released_on(episode, day):
    ReleaseDetails.objects.filter(episode=episode).update(released_on=day)


def _released_for_end(ends_on):
    """A release date whose 6-month end of support is `ends_on`."""
    day = ends_on - 200 * D
    while months_after(day, 6) < ends_on:
        day += D
    assert months_after(day, 6) == ends_on
    return day


def _rows(user, team, **kwargs):
    return list(worklist_queryset(user, team_id=team.id, **kwargs))


def _row(rows, episode):
    return next(r for r in rows if r.pk == episode.pk)


def _words(rows, episode):
    return [r.text for r in explain(_row(rows, episode))]


def _rule(rows, episode):
    return rule_of(_row(rows, episode)) or len(Rule) + 1


def _on(day):
    return f"({format_date(day)})"


# Each rule, its words and its boundary days


def test_release_today_or_tomorrow_without_a_gate_plan_comes_first(team, worker):
    today_ = _before(team, worker, 0)
    tomorrow = _before(team, worker, 1, stage="eligible")
    planned = _before(team, worker, 1)
    _gate_plan(planned, worker)
    in_2_days = _before(team, worker, 2)
    _support_plan(in_2_days, worker)
    rows = _rows(worker, team)
    today = _today()
    assert _words(rows, today_)[0] == f"Release today {_on(today)}: no gate meet planned"
    assert _words(rows, tomorrow)[0] == f"Release tomorrow {_on(today + D)}: no gate meet planned"
    # A gate meet planned: the support plan rule is next; 2 days away is not release day.
    assert _words(rows, planned)[0] == f"Release tomorrow {_on(today + D)}: no support plan"
    assert _rule(rows, in_2_days) != Rule.GATE_PLAN
    # Release words are not repeated by the general release deadline.
    assert not any(w.startswith("Release from prison") for w in _words(rows, today_))
    assert [r.pk for r in rows][:3] == [today_.pk, tomorrow.pk, planned.pk]


def test_release_within_14_days_without_a_support_plan(team, worker):
    day_14 = _before(team, worker, 14)
    _gate_plan(day_14, worker)
    day_15 = _before(team, worker, 15)
    with_plan = _before(team, worker, 5)
    _support_plan(with_plan, worker)
    day_9 = _before(team, worker, 9, stage="referred")
    rows = _rows(worker, team)
    today = _today()
    assert _words(rows, day_9)[0] == f"Release in 9 days {_on(today + 9 * D)}: no support plan"
    assert _words(rows, day_14)[0] == f"Release in 14 days {_on(today + 14 * D)}: no support plan"
    assert _rule(rows, day_15) > Rule.ENGAGEMENT
    assert _rule(rows, with_plan) > Rule.ENGAGEMENT
    assert [r.pk for r in rows][:2] == [day_9.pk, day_14.pk]


def test_the_release_rules_are_criminal_justice_details(team, worker):
    episode = _before(team, worker, 1)
    rows = _rows(worker, team)
    assert uses_cj_details(_row(rows, episode))
    hidden = _rows(worker, team, include_cj=False)
    assert _rule(hidden, episode) > Rule.ENGAGEMENT
    assert not any("gate meet" in w for w in _words(hidden, episode))


def test_referral_window_closing_with_eligibility_not_checked(team, worker):
    today = _today()

    def after_release(days_ago, **kwargs):
        return referred(
            team=team,
            person=_person(team),
            actor=worker,
            expected_release_on=None,
            released_on=today - days_ago * D,
            **kwargs,
        )

    closes_in_14 = after_release(14)  # closes 28 days after the release
    closes_in_15 = after_release(13)
    closes_today = after_release(28)
    checked = after_release(20)
    services.eligibility_record(
        actor=worker,
        episode=checked,
        data=services.EligibilityInput(
            checked_on=today,
            custody_status="released",
            health_need=True,
            outcome="eligible",
        ),
    )
    rows = _rows(worker, team)
    assert _words(rows, closes_today)[0] == (
        f"Referral window closes today {_on(today)}: eligibility not checked"
    )
    assert _words(rows, closes_in_14)[0] == (
        f"Referral window closes in 14 days {_on(today + 14 * D)}: eligibility not checked"
    )
    assert _rule(rows, closes_in_15) > Rule.ENGAGEMENT
    assert _rule(rows, checked) > Rule.ENGAGEMENT
    assert [r.pk for r in rows][:2] == [closes_today.pk, closes_in_14.pk]


def test_contact_after_release_overdue_after_the_teams_days(team, worker):
    never = _after(team, worker, 8, contact_days_ago=None)
    just_in_time = _after(team, worker, 7, contact_days_ago=None)
    contacted_8 = _after(team, worker, 20, contact_days_ago=8)
    contacted_7 = _after(team, worker, 20, contact_days_ago=7)
    rows = _rows(worker, team)
    assert _words(rows, never)[0] == (
        "Contact after release overdue: none for 8 days (the team's limit is 7 days)"
    )
    assert _rule(rows, contacted_8) == Rule.CONTACT
    assert _rule(rows, just_in_time) > Rule.ENGAGEMENT
    assert _rule(rows, contacted_7) > Rule.ENGAGEMENT
    # The longest without a contact first.
    assert [r.pk for r in rows][:2] == [never.pk, contacted_8.pk]

    ReconnectTeamSettings.objects.create(team=team, contact_days=3)
    contacted_4 = _after(team, worker, 20, contact_days_ago=4)
    contacted_3 = _after(team, worker, 20, contact_days_ago=3)
    rows = _rows(worker, team)
    assert _words(rows, contacted_4)[0] == (
        "Contact after release overdue: none for 4 days (the team's limit is 3 days)"
    )
    assert _rule(rows, contacted_3) > Rule.ENGAGEMENT
    assert _rule(rows, just_in_time) == Rule.CONTACT


def test_end_of_support_within_14_days_with_extensions(team, worker):
    today = _today()
    ends_14 = _after(team, worker, 8)
    _released_on(ends_14, _released_for_end(today + 14 * D))
    ends_15 = _after(team, worker, 8)
    _released_on(ends_15, _released_for_end(today + 15 * D))
    ended = _after(team, worker, 8)
    _released_on(ended, _released_for_end(today - 2 * D))
    extended = _after(team, worker, 8)
    SupportExtension.objects.create(
        episode=extended,
        previous_end_on=months_after(today - 8 * D, 6),
        extended_to=today + 3 * D,
        reason="Housing not settled",
        approved_by=worker,
    )
    extended_far = _after(team, worker, 8)
    _released_on(extended_far, _released_for_end(today + 5 * D))
    SupportExtension.objects.create(
        episode=extended_far,
        previous_end_on=today + 5 * D,
        extended_to=today + 60 * D,
        reason="Awaiting a housing decision",
        approved_by=worker,
    )
    rows = _rows(worker, team)
    ends_in = "Support after release ends in"
    assert _words(rows, ends_14)[0] == f"{ends_in} 14 days {_on(today + 14 * D)}"
    assert _words(rows, extended)[0] == f"{ends_in} 3 days {_on(today + 3 * D)}"
    assert _words(rows, ended)[0] == (
        f"Support after release ended 2 days ago {_on(today - 2 * D)}: extend it or close the "
        "episode"
    )
    assert _rule(rows, ends_15) > Rule.ENGAGEMENT
    assert _rule(rows, extended_far) > Rule.ENGAGEMENT
    assert [r.pk for r in rows][:3] == [ended.pk, extended.pk, ends_14.pk]


def test_engagement_checks_due_at_the_first_appointment_and_after_4_weeks(team, worker):
    today = _today()
    first_today = _after(team, worker, 8)
    handed_over_to(first_today, worker)  # no first appointment known: due from the handover
    booked = _after(team, worker, 8)
    handed_over_to(booked, worker, first_appointment_on=today + 3 * D)
    four_due = _after(team, worker, 8)
    four_not_yet = _after(team, worker, 8)
    for episode, checked_days_ago in ((four_due, 28), (four_not_yet, 27)):
        handover = handed_over_to(episode, worker)
        EngagementCheck.objects.create(
            handover=handover,
            kind=EngagementCheckKind.FIRST_APPOINTMENT,
            checked_on=today - checked_days_ago * D,
            engaged=True,
            recorded_by=worker,
        )
    rows = _rows(worker, team)
    assert _words(rows, first_today)[0] == "Engagement check at the first appointment due today"
    assert _words(rows, four_due)[0] == "4-week engagement check due today"
    assert _rule(rows, booked) > Rule.ENGAGEMENT
    assert _rule(rows, four_not_yet) > Rule.ENGAGEMENT


# Several rules, the order of the rules, other pathways


def test_a_row_matching_several_rules_shows_only_the_first(team, worker):
    today = _today()
    episode = _after(team, worker, 8, contact_days_ago=None)
    _released_on(episode, _released_for_end(today + 5 * D))
    handed_over_to(episode, worker, handed_over_on=today)
    rows = _rows(worker, team)
    words = _words(rows, episode)
    assert _rule(rows, episode) == Rule.CONTACT
    assert words[0].startswith("Contact after release overdue")
    assert not any(w.startswith(("Support after release", "Engagement check")) for w in words)


def test_the_rules_rank_in_their_order_whatever_the_days(team, worker):
    today = _today()
    # Made last rule first, so that neither the referral's age nor the days decide.
    engagement = _after(team, worker, 8)
    handed_over_to(engagement, worker)
    ends = _after(team, worker, 8)
    _released_on(ends, _released_for_end(today + 2 * D))
    no_contact = _after(team, worker, 30, contact_days_ago=20)
    window = referred(
        team=team,
        person=_person(team),
        actor=worker,
        expected_release_on=None,
        released_on=today - 27 * D,
    )
    no_plan = _before(team, worker, 10)
    _gate_plan(no_plan, worker)
    no_gate = _before(team, worker, 1)
    nothing_due = _planned(team, worker, 40)
    ld_team = TeamFactory(name="Stoke court L&D")
    staff(team=ld_team, user=worker)
    rows = _rows(worker, team)
    assert [r.pk for r in rows] == [
        no_gate.pk,
        no_plan.pk,
        window.pk,
        no_contact.pk,
        ends.pk,
        engagement.pk,
        nothing_due.pk,
    ]
    assert [_rule(rows, e) for e in (no_gate, no_plan, window, no_contact, ends, engagement)] == [
        *Rule
    ]


def test_other_pathways_keep_the_release_deadline_and_have_no_reconnect_rules(worker):
    ld = TeamFactory(name="Stoke custody L&D")
    user = staff(team=ld)
    today = _today()
    soon = make_episode(ld, cj={"prison_release_on": today + D})
    waiting = make_episode(ld)
    rows = list(worklist_queryset(user, team_id=ld.id))
    assert [r.pk for r in rows] == [soon.pk, waiting.pk]
    assert _words(rows, soon)[0] == f"Release from prison tomorrow {_on(today + D)}"
    assert all(rule_of(r) is None for r in rows)


# The page: its queries, its words, and the settings link


def _varied(team, worker, count):
    today = _today()
    for i in range(count):
        kind = i % 5
        if kind == 0:
            _before(team, worker, i % 2)
        elif kind == 1:
            _before(team, worker, 3 + i % 10, stage="eligible")
        elif kind == 2:
            _after(team, worker, 10 + i % 5, contact_days_ago=None)
        elif kind == 3:
            handed_over_to(_after(team, worker, 8), worker)
        else:
            episode = _after(team, worker, 8)
            _released_on(episode, _released_for_end(today + (i % 14) * D))


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_reconnect_worklist_query_count_is_the_same_for_5_and_30_episodes(team, signed_in):
    lead = staff(Role.TEAM_LEADER, team=team)
    client = signed_in(lead)
    url = reverse("worklist:home") + f"?team={team.public_id}"
    _varied(team, lead, 5)
    with_5 = _queries(client, url)
    _varied(team, lead, 25)
    assert _queries(client, url) == with_5


def test_the_page_shows_the_words_and_a_leader_finds_the_settings(team, worker, signed_in):
    _before(team, worker, 1)
    html = signed_in(worker).get(reverse("worklist:home")).content.decode()
    assert "no gate meet planned" in html
    assert "Then RECONNECT work" in html
    assert reverse("reconnect:team_settings") not in html
    lead = staff(Role.TEAM_LEADER, team=team)
    html = signed_in(lead).get(reverse("worklist:home")).content.decode()
    assert reverse("reconnect:team_settings") in html


def test_a_recall_closes_the_episode_and_takes_it_off_the_list(team, worker):
    episode = _after(team, worker, 8, contact_days_ago=None)
    services.recall_record(
        actor=worker, episode=episode, recalled_on=_today(), notes="Recalled on licence"
    )
    rows = _rows(worker, team)
    assert episode.pk not in [r.pk for r in rows]


def test_another_pathways_team_list_carries_none_of_reconnects_rules(team, signed_in):
    ld = TeamFactory(name="Stoke custody L&D")
    user = staff(team=ld)
    make_episode(ld, cj={"prison_release_on": _today() + D}, worker=user)
    client = signed_in(user)
    url = reverse("worklist:home") + f"?team={ld.public_id}"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    assert "Release from prison tomorrow" in html
    list_queries = [q["sql"] for q in captured if "worklist_worklistentry" in q["sql"]]
    assert list_queries
    # None of RECONNECT's rules is worked out (the referral window's is one of them).
    assert not any('"window_closes_on" <=' in sql for sql in list_queries)
    # Someone also in a RECONNECT team: their own list may hold RECONNECT episodes.
    staff(team=team, user=user)
    mine = [q["sql"] for q in _captured(client, reverse("worklist:home") + "?team=mine")]
    assert any('"window_closes_on" <=' in sql for sql in mine)


def _captured(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return list(captured)
