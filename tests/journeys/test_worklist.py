"""The prioritised worklist: its order, its words, its filters and its cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.choices import Stage
from healthjustice.organisations.roles import ROLES, Permission, Role, RoleDefinition
from healthjustice.people.models import RecordRestriction
from healthjustice.worklist.selectors import explain, worklist_queryset
from tests.factories import TeamFactory, staff
from tests.journeys.factories import make_alert, make_episode, make_screening, make_site

pytestmark = pytest.mark.django_db

H = datetime.timedelta(hours=1)


@pytest.fixture
def team():
    return TeamFactory(name="Stoke custody L&D")


@pytest.fixture
def practitioner(team):
    return staff(team=team, user__first_name="Asha", user__last_name="Patel")


def _follow_up(episode, user, due):
    return OnwardReferral.objects.create(
        episode=episode,
        service_type="mental_health",
        service_name="North Staffordshire community mental health team",
        referred_on=due - datetime.timedelta(days=7),
        first_appointment_on=due,
        created_by=user,
    )


def _build_ordering_world(team, user, now):
    today = timezone.localdate(now)
    e = {}
    e["hearing_2h"] = make_episode(team, referred_at=now - H, cj={"hearing_at": now + 2 * H})
    e["hearing_3h"] = make_episode(team, referred_at=now - H, cj={"hearing_at": now + 3 * H})
    e["custody_19h"] = make_episode(
        team, referred_at=now - 18 * H, cj={"arrived_in_custody_at": now - 19 * H}
    )
    e["custody_2h"] = make_episode(
        team, referred_at=now - H, cj={"arrived_in_custody_at": now - 2 * H}
    )
    e["release_2d"] = make_episode(
        team,
        referred_at=now - H,
        cj={"prison_release_on": today + datetime.timedelta(days=2)},
    )
    high_urgent = make_episode(team, stage=Stage.SCREENED, referred_at=now - H)
    make_screening(high_urgent, user, risk="high", urgency="urgent")
    e["high_urgent"] = high_urgent
    high_routine = make_episode(team, stage=Stage.SCREENED, referred_at=now - 2 * H)
    # An older screening said low risk; only the latest one counts.
    make_screening(high_routine, user, risk="low", urgency="routine", at=now - 2 * H)
    make_screening(high_routine, user, risk="high", urgency="routine", at=now - H)
    e["high_routine"] = high_routine
    medium_immediate = make_episode(team, stage=Stage.SCREENED, referred_at=now - 3 * H)
    make_screening(medium_immediate, user, risk="medium", urgency="immediate")
    e["medium_immediate"] = medium_immediate
    alert = make_episode(team, referred_at=now - H)
    make_alert(alert, source="PHQ-9 item 9")
    e["alert"] = alert
    acknowledged = make_episode(team, referred_at=now - 30 * datetime.timedelta(minutes=1))
    make_alert(acknowledged, acknowledged_by=user)
    e["acknowledged"] = acknowledged
    overdue = make_episode(team, stage=Stage.INTERVENTION, referred_at=now - 2 * H)
    _follow_up(overdue, user, today - datetime.timedelta(days=3))
    e["overdue"] = overdue
    e["waiting_5d"] = make_episode(team, referred_at=now - 5 * 24 * H)
    e["hearing_6h"] = make_episode(team, referred_at=now - 4 * H, cj={"hearing_at": now + 6 * H})
    e["custody_30h"] = make_episode(
        team, referred_at=now - 3 * H, cj={"arrived_in_custody_at": now - 30 * H}
    )
    make_episode(team, stage=Stage.CLOSED, cj={"hearing_at": now + H})
    make_episode(TeamFactory(), cj={"hearing_at": now + H})
    return e


def test_worklist_order_puts_deadlines_then_risk_then_alerts_then_follow_ups_then_waits(
    team, practitioner
):
    now = timezone.now()
    e = _build_ordering_world(team, practitioner, now)
    ordered = list(worklist_queryset(practitioner, team_id=team.id, now=now))
    names = {ep.pk: name for name, ep in e.items()}
    assert [names[ep.pk] for ep in ordered] == [
        "hearing_2h",
        "hearing_3h",
        "custody_19h",
        "custody_2h",
        "release_2d",
        "high_urgent",
        "high_routine",
        "medium_immediate",
        "alert",
        "overdue",
        "waiting_5d",
        "hearing_6h",
        "custody_30h",
        "acknowledged",
    ]


def test_worklist_rows_say_why_they_are_where_they_are(team, practitioner):
    now = timezone.now()
    e = _build_ordering_world(team, practitioner, now)
    rows = {
        ep.pk: explain(ep, now=now)
        for ep in worklist_queryset(practitioner, team_id=team.id, now=now)
    }

    def words(name):
        return [r.text for r in rows[e[name].pk]]

    def levels(name):
        return {r.text: r.level for r in rows[e[name].pk]}

    assert words("hearing_2h")[0].startswith("Court hearing in 2 hours (")
    assert "19 hours of 24 in custody" in words("custody_19h")
    assert levels("custody_19h")["19 hours of 24 in custody"] == "urgent"
    assert levels("custody_2h")["2 hours of 24 in custody"] == "soon"
    release = (timezone.localdate(now) + datetime.timedelta(days=2)).strftime("%-d %B %Y")
    assert f"Release from prison in 2 days ({release})" in words("release_2d")
    assert "High risk, urgent" in words("high_urgent")
    assert "High risk, routine" in words("high_routine")
    assert "Medium risk, immediate" in words("medium_immediate")
    assert "Risk alert: PHQ-9 item 9" in words("alert")
    overdue = (timezone.localdate(now) - datetime.timedelta(days=3)).strftime("%-d %B %Y")
    assert f"Follow-up overdue since {overdue}" in words("overdue")
    assert words("waiting_5d") == ["Not yet screened", "Waiting 5 days"]
    assert words("alert")[-1] == "Waiting 1 hour"
    assert not any("hearing" in w for w in words("hearing_6h"))
    assert not any("custody" in w for w in words("custody_30h"))


def test_hearing_window_follows_the_setting(team, practitioner, settings):
    settings.HJ_WORKLIST_HEARING_HOURS = 8
    now = timezone.now()
    episode = make_episode(team, cj={"hearing_at": now + 6 * H})
    row = worklist_queryset(practitioner, team_id=team.id, now=now).get()
    assert row.pk == episode.pk
    assert explain(row, now=now)[0].text.startswith("Court hearing in 6 hours")


def test_worklist_page_lists_open_episodes_with_reasons(team, practitioner, signed_in):
    make_episode(team, cj={"arrived_in_custody_at": timezone.now() - 17 * H - 5 * 60 * H / 60})
    closed = make_episode(team, stage=Stage.CLOSED)
    response = signed_in(practitioner).get(reverse("worklist:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "hours of 24 in custody" in html
    assert _link(closed) not in html


def _link(episode):
    """Names can repeat in synthetic data; the link to an episode cannot."""
    return reverse("journeys:detail", kwargs={"public_id": episode.public_id})


def test_worklist_filters_by_setting_site_stage_and_worker(team, practitioner, signed_in):
    lead = staff(Role.TEAM_LEADER, team=team)
    site = make_site(team)
    court = make_episode(team, setting="magistrates_court")
    at_site = make_episode(team, site=site)
    screened = make_episode(team, stage=Stage.SCREENED)
    mine = make_episode(team, worker=practitioner)
    client = signed_in(lead)
    url = reverse("worklist:home")
    base = {"team": str(team.public_id)}

    def shown(**params):
        html = client.get(url, {**base, **params}).content.decode()
        return {e for e in (court, at_site, screened, mine) if _link(e) in html}

    assert shown() == {court, at_site, screened, mine}
    assert shown(setting="magistrates_court") == {court}
    assert shown(site=str(site.public_id)) == {at_site}
    assert shown(stage="screened") == {screened}
    assert shown(worker=str(practitioner.public_id)) == {mine}
    assert shown(worker="unallocated") == {court, at_site, screened}
    assert shown(setting="not-a-setting") == {court, at_site, screened, mine}


def test_mine_lists_only_my_episodes_across_my_teams(team, practitioner, signed_in):
    second = TeamFactory(name="Stafford court L&D")
    staff(team=second, user=practitioner)
    here = make_episode(team, worker=practitioner)
    there = make_episode(second, worker=practitioner)
    someone_elses = make_episode(team, worker=staff(team=team))
    html = signed_in(practitioner).get(reverse("worklist:home"), {"team": "mine"}).content
    html = html.decode()
    assert _link(here) in html and _link(there) in html
    assert _link(someone_elses) not in html


def test_worklist_never_shows_a_restricted_record_to_staff_not_named(team, practitioner, signed_in):
    episode = make_episode(team)
    RecordRestriction.objects.create(person=episode.person, reason="staff_member")
    html = signed_in(practitioner).get(reverse("worklist:home")).content.decode()
    assert _link(episode) not in html


def test_worklist_paginates_and_keeps_filters(team, practitioner, signed_in):
    now = timezone.now()
    for minutes in range(30):
        make_episode(team, referred_at=now - datetime.timedelta(minutes=minutes + 1))
    client = signed_in(practitioner)
    page2 = client.get(reverse("worklist:home"), {"team": str(team.public_id), "page": 2})
    html = page2.content.decode()
    assert html.count('<tr class="nhsuk-table__row" role="row">') == 1 + 5
    order = '<span class="nhsuk-table__heading" aria-hidden="true">Order </span>'
    assert f"{order}26\n" in html and f"{order}30\n" in html
    assert f"team={team.public_id}&amp;page=1" in html


@pytest.mark.parametrize("asked", ["3", "99", "0", "-1"])
def test_worklist_page_past_the_end_shows_the_last_page_with_the_count(
    team, practitioner, signed_in, asked
):
    now = timezone.now()
    for minutes in range(27):
        make_episode(team, referred_at=now - datetime.timedelta(minutes=minutes + 1))
    client = signed_in(practitioner)
    html = client.get(
        reverse("worklist:home"), {"team": str(team.public_id), "page": asked}
    ).content.decode()
    assert html.count('<tr class="nhsuk-table__row" role="row">') == 1 + 2
    assert "27 open episodes" in html
    assert "(page 2 of 2)" in html


def test_worklist_page_that_is_not_a_number_shows_the_first(team, practitioner, signed_in):
    make_episode(team)
    html = (
        signed_in(practitioner)
        .get(reverse("worklist:home"), {"team": str(team.public_id), "page": "two"})
        .content.decode()
    )
    assert html.count('<tr class="nhsuk-table__row" role="row">') == 1 + 1
    assert "1 open episode " in html


def test_worklist_partial_for_htmx_is_only_the_results(team, practitioner, signed_in):
    make_episode(team)
    response = signed_in(practitioner).get(reverse("worklist:home"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="worklist-results"')
    assert "<html" not in html
    assert 'hx-trigger="every 60s, worklist-changed from:body"' in html


def _queries_for_worklist(client, url):
    # A first request may refresh the session's idle expiry; count a steady-state page.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _varied_episodes(team, user, count, site):
    now = timezone.now()
    for i in range(count):
        kind = i % 5
        episode = make_episode(
            team,
            stage=Stage.SCREENED if kind in (1, 2) else Stage.IDENTIFIED,
            site=site if i % 2 else None,
            worker=user if i % 3 == 0 else None,
            cj={"hearing_at": now + H} if kind == 0 else None,
        )
        if kind in (1, 2):
            make_screening(episode, user, risk="high")
        if kind == 2:
            make_alert(episode)
        if kind == 3:
            _follow_up(episode, user, timezone.localdate() - datetime.timedelta(days=2))


def test_worklist_query_count_is_the_same_for_5_and_50_episodes(team, signed_in):
    lead = staff(Role.TEAM_LEADER, team=team)
    staff(team=team)
    site = make_site(team)
    client = signed_in(lead)
    url = reverse("worklist:home") + f"?team={team.public_id}"
    _varied_episodes(team, lead, 5, site)
    with_5 = _queries_for_worklist(client, url)
    _varied_episodes(team, lead, 45, site)
    with_50 = _queries_for_worklist(client, url)
    assert with_5 == with_50
    mine = reverse("worklist:home") + "?team=mine"
    assert _queries_for_worklist(client, mine) == with_50


def test_worklist_view_is_audited_with_the_episodes_shown(team, practitioner, signed_in):
    shown = make_episode(team, cj={"hearing_at": timezone.now() + H})
    signed_in(practitioner).get(reverse("worklist:home"))
    event = AuditEvent.objects.filter(object_type="worklist").get()
    assert event.detail["episodes"] == [str(shown.public_id)]
    cj = AuditEvent.objects.filter(object_type="cj_context").get()
    assert cj.detail == {"via": "worklist", "episodes": [str(shown.public_id)]}


def _without_cj_permission(monkeypatch):
    definition = ROLES[Role.PRACTITIONER]
    monkeypatch.setitem(
        ROLES,
        Role.PRACTITIONER,
        RoleDefinition(
            definition.role,
            definition.description,
            definition.permissions - {Permission.CJ_CONTEXT_VIEW},
        ),
    )


def test_worklist_without_cj_permission_neither_shows_nor_orders_by_cj_details(
    team, practitioner, signed_in, monkeypatch
):
    _without_cj_permission(monkeypatch)
    now = timezone.now()
    in_custody = make_episode(team, referred_at=now - H, cj={"arrived_in_custody_at": now - 20 * H})
    waiting = make_episode(team, referred_at=now - 3 * H)
    html = signed_in(practitioner).get(reverse("worklist:home")).content.decode()
    assert "in custody" not in html
    assert html.index(_link(waiting)) < html.index(_link(in_custody))
    assert not AuditEvent.objects.filter(object_type="cj_context").exists()


# Taking and assigning from the page


def test_take_without_javascript_redirects_back_with_a_message(team, practitioner, signed_in):
    episode = make_episode(team)
    client = signed_in(practitioner)
    back = reverse("worklist:home") + f"?team={team.public_id}"
    response = client.post(
        reverse("journeys:take", kwargs={"public_id": episode.public_id}),
        {"version": 1, "next": back},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == back
    assert "You have taken the episode for" in response.content.decode()
    episode.refresh_from_db()
    assert episode.allocated_worker == practitioner


def test_take_refuses_an_outside_next_address(team, practitioner, signed_in):
    episode = make_episode(team)
    response = signed_in(practitioner).post(
        reverse("journeys:take", kwargs={"public_id": episode.public_id}),
        {"version": 1, "next": "https://example.com/"},
    )
    assert response["Location"] == reverse("worklist:home")


def test_take_with_htmx_answers_with_a_status_and_refreshes_the_list(team, practitioner, signed_in):
    episode = make_episode(team)
    response = signed_in(practitioner).post(
        reverse("journeys:take", kwargs={"public_id": episode.public_id}),
        {"version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "worklist-changed"
    assert "You have taken the episode" in response.content.decode()


def test_second_take_from_a_stale_page_is_told_who_has_it(team, practitioner, signed_in, client):
    rival = staff(team=team)
    episode = make_episode(team)
    url = reverse("journeys:take", kwargs={"public_id": episode.public_id})
    signed_in(practitioner).post(url, {"version": 1})
    client.logout()
    response = signed_in(rival).post(url, {"version": 1}, HTTP_HX_REQUEST="true")
    assert "Already taken by Asha Patel." in response.content.decode()
    episode.refresh_from_db()
    assert episode.allocated_worker == practitioner


def test_assign_from_the_page_by_a_team_leader(team, practitioner, signed_in):
    lead = staff(Role.TEAM_LEADER, team=team)
    episode = make_episode(team)
    response = signed_in(lead).post(
        reverse("journeys:assign", kwargs={"public_id": episode.public_id}),
        {"version": 1, "worker": str(practitioner.public_id)},
        follow=True,
    )
    assert "is assigned to Asha Patel" in response.content.decode()
    episode.refresh_from_db()
    assert episode.allocated_worker == practitioner


def test_assign_to_someone_outside_the_team_is_refused_on_the_page(team, signed_in):
    lead = staff(Role.TEAM_LEADER, team=team)
    outsider = staff(team=TeamFactory())
    episode = make_episode(team)
    response = signed_in(lead).post(
        reverse("journeys:assign", kwargs={"public_id": episode.public_id}),
        {"version": 1, "worker": str(outsider.public_id)},
        follow=True,
    )
    assert "Choose who to assign the episode to." in response.content.decode()
    episode.refresh_from_db()
    assert episode.allocated_worker is None
