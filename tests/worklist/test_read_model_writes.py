"""Every write that changes what orders the worklist rewrites the episode's row in the read
model, through the service staff use: screening, acknowledging an alert, an onward referral and
its follow-up, custody events, criminal-justice details, MHTR's order, sessions and notices,
RECONNECT's plans, release and contacts, a move or close, an allocation, a team setting and a
merge of two records (and its undoing). A rebuild gives the same rows."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from healthjustice.interventions import services as interventions
from healthjustice.journeys import services as journeys
from healthjustice.journeys.choices import CustodyOutcome, Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode
from healthjustice.mhtr import services as mhtr
from healthjustice.mhtr.choices import SessionOutcome
from healthjustice.mhtr.models import ComplianceNotice, TeamSettings
from healthjustice.organisations.roles import Role
from healthjustice.people import merging
from healthjustice.reconnect import services as reconnect
from healthjustice.reconnect.choices import ContactMode
from healthjustice.reconnect.models import ReconnectTeamSettings
from healthjustice.screening import services as screening
from healthjustice.worklist.entries import rebuild_entries, refresh_entries
from healthjustice.worklist.models import WorklistEntry
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.journeys.factories import make_alert, make_episode
from tests.mhtr.factories import mhtr_team, order_input, suitable_episode
from tests.reconnect.factories import post_release, pre_release, prison, reconnect_team
from tests.worklist.test_reconnect_rules import _gate_plan

pytestmark = pytest.mark.django_db

H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)


@pytest.fixture
def team():
    return TeamFactory(name="Stoke custody L&D", region=RegionFactory(name="Staffordshire"))


@pytest.fixture
def practitioner(team):
    return staff(Role.PRACTITIONER, team=team)


@pytest.fixture
def leader(team):
    return staff(Role.TEAM_LEADER, team=team)


def _entry(episode) -> WorklistEntry:
    return WorklistEntry.objects.get(pk=episode.pk)


def _same_as_rebuilt():
    kept = {e.pk: e for e in WorklistEntry.objects.all()}
    rebuild_entries()
    fields = [f.attname for f in WorklistEntry._meta.concrete_fields]
    rebuilt = {e.pk: [getattr(e, f) for f in fields] for e in WorklistEntry.objects.all()}
    assert {pk: [getattr(e, f) for f in fields] for pk, e in kept.items()} == rebuilt


def test_opening_an_episode_adds_its_row_and_closing_removes_it(team, practitioner, leader):
    episode = make_episode(team, stage=Stage.SCREENED)
    assert _entry(episode).stage == Stage.SCREENED
    journeys.episode_move(actor=leader, episode=episode, to_stage=Stage.ASSESSED)
    assert _entry(episode).stage == Stage.ASSESSED
    journeys.episode_move(
        actor=leader, episode=episode, to_stage=Stage.CLOSED, closure_reason="declined"
    )
    assert not WorklistEntry.objects.filter(pk=episode.pk).exists()
    journeys.episode_reopen(actor=leader, episode=episode, reason="Closed the wrong episode")
    assert _entry(episode).stage == Stage.ASSESSED


def test_screening_and_alerts_update_the_row(team, practitioner):
    episode = make_episode(team)
    assert _entry(episode).screening is None
    screening.screening_record(
        actor=practitioner,
        episode=episode,
        vulnerabilities=["mental_health"],
        risk_level="high",
        urgency="urgent",
        full_assessment_needed=True,
    )
    assert _entry(episode).screening == 33
    alert = make_alert(episode)
    assert _entry(episode).alerts == 1
    screening.risk_alert_acknowledge(actor=practitioner, alert=alert, note="Safety plan agreed")
    assert _entry(episode).alerts == 0


def test_onward_referral_and_its_follow_up_update_the_row(team, practitioner):
    episode = make_episode(team, stage=Stage.INTERVENTION, referred_at=timezone.now() - 20 * D)
    today = timezone.localdate()
    referral = interventions.referral_record(
        actor=practitioner,
        episode=episode,
        service_type="mental_health",
        service_name="North Staffordshire community mental health team",
        referred_on=today - 10 * D,
        first_appointment_on=today - 3 * D,
        skip_reason="Recorded late",
    )
    assert _entry(episode).follow_up_due_on == today - 3 * D
    interventions.referral_follow_up_done(actor=practitioner, referral=referral)
    assert _entry(episode).follow_up_due_on is None


def test_criminal_justice_details_and_custody_events_update_the_row(team, practitioner):
    episode = make_episode(team)
    now = timezone.now()
    hearing = (now + 2 * H).replace(microsecond=0)
    arrived = (now - 3 * H).replace(microsecond=0)
    journeys.cj_context_save(
        actor=practitioner,
        episode=episode,
        details={"hearing_at": hearing, "arrived_in_custody_at": arrived},
        expected_version=None,
    )
    entry = _entry(episode)
    assert (entry.hearing_at, entry.custody_since) == (hearing, arrived)
    assert entry.custody_ends == arrived + 24 * H
    journeys.custody_event_record(
        actor=practitioner,
        episode=episode,
        kind="extension",
        at=now - H,
        limit_hours=36,
        rank="superintendent",
        authorised_by="Amina Khan",
    )
    assert _entry(episode).custody_ends == arrived + 36 * H
    journeys.custody_event_record(
        actor=practitioner,
        episode=episode,
        kind="left",
        at=now,
        outcome=CustodyOutcome.RELEASED_NFA,
    )
    assert _entry(episode).custody_since is None


def test_allocation_updates_the_row(team, practitioner, leader):
    episode = make_episode(team)
    journeys.episode_take(actor=practitioner, episode=episode, expected_version=episode.version)
    assert _entry(episode).allocated_worker_id == practitioner.pk
    episode.refresh_from_db()
    journeys.episode_assign(
        actor=leader, episode=episode, worker=leader, expected_version=episode.version
    )
    assert _entry(episode).allocated_worker_id == leader.pk


def test_mhtr_order_sessions_notices_and_team_settings_update_the_row(team):
    team = mhtr_team(like=team)
    worker = staff(Role.PRACTITIONER, team=team)
    episode = suitable_episode(team=team, person=PersonFactory(team=team), actor=worker)
    mhtr.order_record(actor=worker, episode=episode, data=order_input())
    entry = _entry(episode)
    assert entry.sentenced_on is not None and entry.stage == Stage.ORDER_MADE
    session = mhtr.session_schedule(
        actor=worker,
        episode=episode,
        on=timezone.localdate() - 2 * D,
        at=datetime.time(10),
        mode="in_person",
        practitioner="Jo Practitioner",
    )
    assert _entry(episode).first_session_on == timezone.localdate() - 2 * D
    # An absence probation must hear of: the service makes its compliance notice.
    mhtr.session_outcome_record(
        actor=worker,
        session=session,
        expected_version=session.version,
        outcome=SessionOutcome.DID_NOT_ATTEND,
    )
    notice = ComplianceNotice.objects.get(session=session)
    assert _entry(episode).notice_due_on == notice.due_on
    mhtr.notice_send(
        actor=worker,
        notice=notice,
        sent_on=timezone.localdate(),
        recipient="Sam Example",
        method="phone",
    )
    assert _entry(episode).notice_due_on is None
    TeamSettings.objects.update_or_create(team=team, defaults={"first_appointment_working_days": 9})
    assert _entry(episode).first_appointment_days == 9


def test_reconnect_plans_release_and_contacts_update_the_row(team):
    team = reconnect_team(like=team)
    prison(team)
    worker = staff(Role.PRACTITIONER, team=team)
    before = pre_release(
        team=team,
        person=PersonFactory(team=team),
        actor=worker,
        expected_release_on=timezone.localdate() + D,
    )
    assert _entry(before).release_on == timezone.localdate() + D
    assert not _entry(before).gate_planned
    _gate_plan(before, worker)
    assert _entry(before).gate_planned
    after = post_release(
        team=team,
        person=PersonFactory(team=team),
        actor=worker,
        released_on=timezone.localdate() - 5 * D,
    )
    assert _entry(after).released_on == timezone.localdate() - 5 * D
    reconnect.contact_record(
        actor=worker,
        episode=after,
        data=reconnect.ContactInput(
            contact_on=timezone.localdate(), mode=ContactMode.TELEPHONE, notes="Checked in"
        ),
    )
    assert _entry(after).last_contact_on == timezone.localdate()
    ReconnectTeamSettings.objects.update_or_create(team=team, defaults={"contact_days": 3})
    assert _entry(after).contact_days == 3
    _same_as_rebuilt()


def test_merging_people_moves_the_rows_to_the_kept_record_and_undoing_moves_them_back(team, leader):
    keep = PersonFactory(team=team)
    duplicate = PersonFactory(
        team=team,
        date_of_birth=keep.date_of_birth,
        nhs_number=None,
        nhs_number_missing_reason="not_traced",
    )
    episode = make_episode(team, person=duplicate)
    assert _entry(episode).person_id == duplicate.pk
    merge = merging.person_merge(actor=leader, keep=keep, duplicate=duplicate, reason="Twice")
    assert _entry(episode).person_id == keep.pk
    merging.person_unmerge(actor=leader, merge=merge, reason="Not the same person after all")
    assert _entry(episode).person_id == duplicate.pk


def test_refresh_removes_the_row_of_an_episode_closed_behind_its_back(team):
    episode = make_episode(team)
    Episode.objects.filter(pk=episode.pk).update(stage=Stage.CLOSED)
    assert WorklistEntry.objects.filter(pk=episode.pk).exists()
    refresh_entries([episode.pk])
    assert not WorklistEntry.objects.filter(pk=episode.pk).exists()


def test_criminal_justice_details_saved_directly_update_the_row(team):
    episode = make_episode(team)
    CriminalJusticeContext.objects.create(
        episode=episode, prison_release_on=timezone.localdate() + 3 * D
    )
    assert _entry(episode).release_on == timezone.localdate() + 3 * D
    _same_as_rebuilt()


def test_refreshing_many_episodes_in_chunks_writes_each_open_row_once(team, monkeypatch):
    """The statement compiled once takes each chunk's ids as one parameter: every open
    episode of every chunk is written, with the rows a rebuild gives; the closed, unknown and
    unasked ids write nothing."""
    monkeypatch.setattr("healthjustice.worklist.entries.BATCH", 2)
    episodes = [make_episode(team) for _ in range(6)]
    asked, left_alone = episodes[:5], episodes[5]
    WorklistEntry.objects.all().delete()
    Episode.objects.filter(pk=asked[2].pk).update(stage=Stage.CLOSED)
    unknown = max(e.pk for e in episodes) + 100
    refresh_entries([e.pk for e in asked] + [unknown, asked[0].pk])
    fields = [f.attname for f in WorklistEntry._meta.concrete_fields]
    written = {e.pk: [getattr(e, f) for f in fields] for e in WorklistEntry.objects.all()}
    assert set(written) == {e.pk for i, e in enumerate(asked) if i != 2}
    rebuild_entries()
    rebuilt = {e.pk: [getattr(e, f) for f in fields] for e in WorklistEntry.objects.all()}
    assert set(rebuilt) == set(written) | {left_alone.pk}
    assert written == {pk: row for pk, row in rebuilt.items() if pk in written}
