"""The worklist's read model gives exactly the reference order (the annotated query of
`worklist.selectors`) and the reference's words for every row, and exactly the access of
`journeys.access.visible_episodes`, on
generated worlds of every kind of deadline, stage and pathway, at several moments as time moves
past the windows' edges, with and without criminal-justice details."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

import pytest
from django.utils import timezone

from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.choices import CustodyEventKind, Stage
from healthjustice.journeys.models import CustodyEvent, Episode
from healthjustice.journeys.stages import (
    LIAISON_AND_DIVERSION,
    MENTAL_HEALTH_TREATMENT_REQUIREMENT,
)
from healthjustice.mhtr.choices import SessionOutcome
from healthjustice.mhtr.models import TeamSettings
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.roles import Role
from healthjustice.people.choices import RestrictionReason
from healthjustice.people.models import BreakGlassAccess, CareRelationship, RecordRestriction
from healthjustice.reconnect.choices import EngagementCheckKind
from healthjustice.reconnect.models import (
    EngagementCheck,
    ReconnectTeamSettings,
    ReleaseDetails,
    SupportExtension,
)
from healthjustice.reconnect.selectors import months_after
from healthjustice.worklist.entries import rebuild_entries
from healthjustice.worklist.models import WorklistEntry
from healthjustice.worklist.ordering import entries_filtered, entries_in_order, shown_episodes
from healthjustice.worklist.selectors import (
    explain,
    in_priority_order,
    uses_cj_details,
    worklist_filtered,
)
from tests.factories import (
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    RegionFactory,
    TeamFactory,
    staff,
)
from tests.journeys.factories import make_alert, make_episode, make_screening
from tests.mhtr.factories import mhtr_team
from tests.reconnect.factories import handed_over_to, prison, reconnect_team
from tests.worklist.test_mhtr_deadlines import _notice, _order, _psr, _session
from tests.worklist.test_reconnect_rules import (
    _after,
    _before,
    _contact,
    _gate_plan,
    _support_plan,
)

pytestmark = pytest.mark.django_db

H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)
RISKS = ("low", "medium", "high")
URGENCIES = ("routine", "soon", "urgent", "immediate")
LD_STAGES = [*LIAISON_AND_DIVERSION.order, Stage.CLOSED]
MHTR_STAGES = list(MENTAL_HEALTH_TREATMENT_REQUIREMENT.order)
# Moments the lists are compared at, from the world's making: just after, across the hearing
# window's edge, a custody limit's end, the release window, MHTR's and RECONNECT's windows.
MOMENTS = (
    datetime.timedelta(0),
    2 * H + 30 * datetime.timedelta(minutes=1),
    5 * H,
    20 * H,
    30 * H,
    3 * D,
    8 * D,
    15 * D,
    29 * D,
)


@dataclass
class World:
    teams: dict[str, object]
    users: dict[str, object]


def _ld_episode(rng, team, worker, now, person=None):
    today = timezone.localdate(now)
    cj = {}
    if rng.random() < 0.35:
        cj["hearing_at"] = now + rng.randint(-120, 12 * 60) * datetime.timedelta(minutes=1)
    if rng.random() < 0.3:
        cj["arrived_in_custody_at"] = now - rng.randint(0, 40 * 60) * datetime.timedelta(minutes=1)
    if rng.random() < 0.3:
        cj["prison_release_on"] = today + rng.randint(-2, 12) * D
    stage = rng.choice(LD_STAGES)
    episode = make_episode(
        team,
        person=person,
        stage=stage,
        referred_at=now - rng.randint(1, 600) * H,
        worker=worker if rng.random() < 0.3 else None,
        cj=cj or None,
    )
    if "arrived_in_custody_at" in cj and rng.random() < 0.5:
        kind = rng.choice([CustodyEventKind.EXTENSION, CustodyEventKind.LEFT])
        arrived = cj["arrived_in_custody_at"]
        CustodyEvent.objects.create(
            episode=episode,
            kind=kind,
            at=arrived + 20 * H,
            limit_hours=36 if kind == CustodyEventKind.EXTENSION else None,
            ends_at=arrived + 36 * H if kind == CustodyEventKind.EXTENSION else None,
        )
    for _ in range(rng.choice([0, 0, 1, 2])):
        make_screening(
            episode,
            worker,
            risk=rng.choice(RISKS),
            urgency=rng.choice(URGENCIES),
            at=now - rng.randint(1, 100) * H,
        )
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        make_alert(episode, acknowledged_by=worker if rng.random() < 0.4 else None)
    if rng.random() < 0.3:
        due = today + rng.randint(-5, 10) * D
        OnwardReferral.objects.create(
            episode=episode,
            service_type="mental_health",
            service_name="North Staffordshire community mental health team",
            referred_on=due - 7 * D,
            first_appointment_on=due,
            follow_up_done_at=now if rng.random() < 0.3 else None,
            created_by=worker,
        )
    return episode


def _mhtr_episode(rng, team, worker, today):
    kind = rng.choice(["psr", "order", "notice", "plain"])
    if kind == "psr":
        stage = rng.choice([Stage.AWAITING_SENTENCE, Stage.ORDER_MADE, Stage.SUITABILITY_ASSESSED])
        return _psr(team, today + rng.randint(-20, 12) * D, stage=stage)
    if kind == "plain":
        return _psr(team, None, stage=rng.choice(MHTR_STAGES), requested=False)
    sentenced = today - rng.randint(0, 60) * D
    stage = rng.choice([Stage.ORDER_MADE, Stage.ORDER_MADE, Stage.IN_TREATMENT])
    episode = _order(team, worker, sentenced, stage=stage, made=rng.random() < 0.9)
    sessions = rng.choice([1, 2]) if kind == "notice" else int(rng.random() < 0.4)
    for _ in range(sessions):
        outcome = rng.choice(["", SessionOutcome.CANCELLED_BY_SERVICE, SessionOutcome.ATTENDED])
        session = _session(episode, worker, sentenced + rng.randint(0, 12) * D, outcome=outcome)
        if kind == "notice":
            due = today + rng.randint(-20, 10) * D
            _notice(episode, worker, session, due, sent=rng.random() < 0.3)
    return episode


def _reconnect_episode(rng, team, worker, today):
    kind = rng.choice(["before", "before", "window", "after", "after", "handover", "extended"])
    if kind == "before":
        episode = _before(
            team, worker, rng.randint(0, 20), stage=rng.choice(["eligible", "pre_release"])
        )
        if rng.random() < 0.4:
            _gate_plan(episode, worker)
        if rng.random() < 0.4:
            _support_plan(episode, worker)
        return episode
    if kind == "window":
        return _before(team, worker, rng.randint(0, 60), stage="referred")
    released_days_ago = rng.randint(0, 200)
    contact = rng.choice([None, 2, 9, 40])
    episode = _after(team, worker, min(released_days_ago, 40), contact_days_ago=contact)
    if released_days_ago > 40:
        # Released long ago: further back than the service accepts for a referral made today.
        details = ReleaseDetails.objects.get(episode=episode)
        details.released_on = today - released_days_ago * D
        details.save()
    if kind == "after" and rng.random() < 0.4:
        _contact(episode, worker, rng.randint(0, 20))
    if kind == "extended":
        SupportExtension.objects.create(
            episode=episode,
            previous_end_on=months_after(today - 8 * D, 6),
            extended_to=today + rng.randint(-20, 30) * D,
            reason="Housing not settled",
            approved_by=worker,
        )
    if kind == "handover":
        first = rng.choice([None, today + rng.randint(0, 5) * D])
        handover = handed_over_to(episode, worker, first_appointment_on=first)
        if rng.random() < 0.6:
            # An older handover: its dates moved back, as an edit of the onward referral would.
            referral = handover.referral
            back = rng.randint(1, 40) * D
            referral.referred_on -= back
            if referral.first_appointment_on is not None:
                referral.first_appointment_on -= back
            referral.save()
        if rng.random() < 0.6:
            EngagementCheck.objects.create(
                handover=handover,
                kind=EngagementCheckKind.FIRST_APPOINTMENT,
                checked_on=today - rng.randint(0, 40) * D,
                engaged=True,
                recorded_by=worker,
            )
    return episode


def _world(seed: int) -> World:
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate(now)
    region = RegionFactory(name=f"Region {seed}")
    ld = TeamFactory(name=f"Custody L&D {seed}", region=region)
    mhtr = mhtr_team(like=ld)
    rc = reconnect_team(like=ld)
    prison(rc)
    worker = staff(Role.PRACTITIONER, team=ld)
    for team in (mhtr, rc):
        MembershipFactory(user=worker, team=team, role=Role.PRACTITIONER)
    if rng.random() < 0.5:
        TeamSettings.objects.create(team=mhtr, first_appointment_working_days=rng.choice([3, 10]))
    if rng.random() < 0.5:
        ReconnectTeamSettings.objects.create(team=rc, contact_days=rng.choice([3, 14]))
    # A partner team sees the L&D team's people through a data-sharing agreement.
    partner_org = OrganisationFactory()
    partner = TeamFactory(name=f"Partner L&D {seed}", organisation=partner_org)
    agreement = AgreementFactory()
    agreement.organisations.add(ld.organisation, partner_org)
    agreement.regions.add(ld.region, partner.region)
    partner_user = staff(Role.PRACTITIONER, team=partner)
    # A practitioner of an unrelated team, with break-glass access to some people.
    outsider = staff(Role.PRACTITIONER, team=TeamFactory(name=f"Elsewhere {seed}"))

    people = []
    for _ in range(14):
        people.append(_ld_episode(rng, ld, worker, now).person)
    for person in rng.sample(people, 4):
        # Another episode of someone already known, and some people known only by glass.
        _ld_episode(rng, ld, worker, now, person=person)
    stranger = PersonFactory()  # no care relationship with the team
    _ld_episode(rng, ld, worker, now, person=stranger)
    # A care relationship that has ended, and one that starts tomorrow.
    for person, change in zip(rng.sample(people, 2), ("ended_on", "started_on"), strict=True):
        for relationship in CareRelationship.objects.filter(person=person, team=ld):
            setattr(relationship, change, today + (D if change == "started_on" else -D))
            relationship.save()
    restricted = rng.choice(people)
    RecordRestriction.objects.create(person=restricted, reason=RestrictionReason.STAFF_RELATIVE)
    for person in (stranger, rng.choice(people)):
        BreakGlassAccess.objects.create(
            person=person, user=outsider, reason="At risk", expires_at=now + 2 * H
        )
    BreakGlassAccess.objects.create(
        person=rng.choice(people), user=outsider, reason="Expired", expires_at=now - H
    )
    for _ in range(10):
        _mhtr_episode(rng, mhtr, worker, today)
    for _ in range(12):
        _reconnect_episode(rng, rc, worker, today)
    return World(
        teams={"ld": ld, "mhtr": mhtr, "rc": rc},
        users={"worker": worker, "partner": partner_user, "outsider": outsider},
    )


def _reference(user, now, include_cj, reconnect, **filters):
    qs = in_priority_order(
        worklist_filtered(user, **filters), include_cj=include_cj, now=now, reconnect=reconnect
    )
    # Whole rows: the page's query selects its annotations (a key that is a constant, such as
    # RECONNECT's rank on another pathway's list, is then ordered by its position).
    return [episode.pk for episode in qs]


def _read_model(user, now, include_cj, reconnect, **filters):
    qs = entries_in_order(
        entries_filtered(user, **filters), include_cj=include_cj, now=now, reconnect=reconnect
    )
    return list(qs.values_list("episode_id", flat=True))


def _lists(world):
    """(user, filters, reconnect, moments) for the lists compared: each team, mine, a stage, a
    pathway, unallocated, as the page asks for them. A list's order moves with time, and its
    filter and its viewer's access do not: the whole lists of the team's own worker are compared
    at every moment, the filtered ones and other viewers' at the first and a late one (the access
    alone is compared in `test_read_model_access_is_that_of_visible_episodes`)."""
    worker, partner, outsider = (world.users[k] for k in ("worker", "partner", "outsider"))
    some = (MOMENTS[0], MOMENTS[-2])
    lists = []
    for name, team in world.teams.items():
        reconnect = name == "rc"
        lists.append((worker, {"team_id": team.id}, reconnect, MOMENTS))
        lists.append((worker, {"team_id": team.id, "unallocated": True}, reconnect, some))
        lists.append((partner, {"team_id": team.id}, reconnect, some))
        lists.append((outsider, {"team_id": team.id}, reconnect, some))
    ld = world.teams["ld"].id
    lists.append((worker, {"team_id": ld, "stage": Stage.SCREENED}, False, some))
    lists.append((worker, {"mine": True}, True, MOMENTS))
    lists.append((worker, {"mine": True, "pathway": Pathway.MHTR}, False, some))
    return lists


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_read_model_order_is_the_reference_order_at_every_moment(seed):
    world = _world(seed)
    start = timezone.now()
    compared = 0
    for user, filters, reconnect, moments in _lists(world):
        for include_cj in (True, False):
            for moment in moments:
                now = start + moment
                expected = _reference(user, now, include_cj, reconnect, **filters)
                got = _read_model(user, now, include_cj, reconnect, **filters)
                assert got == expected, (filters, include_cj, moment)
                compared += len(expected)
    assert compared > 500  # the worlds are not empty


def _words(episodes, now):
    return [
        (e.pk, e.current_stage, explain(e, now=now), uses_cj_details(e), e.person.full_name)
        for e in episodes
    ]


def _compare_words(world, lines):
    start = timezone.now()
    for user, filters, reconnect, moments in _lists(world):
        for include_cj in (True, False):
            for moment in moments:
                now = start + moment
                reference = list(
                    in_priority_order(
                        worklist_filtered(user, **filters),
                        include_cj=include_cj,
                        now=now,
                        reconnect=reconnect,
                    )
                )
                ids = [e.pk for e in reference]
                shown = shown_episodes(ids, include_cj=include_cj, now=now, reconnect=reconnect)
                expected = _words(reference, now)
                assert _words(shown, now) == expected, (filters, include_cj, moment)
                lines |= {r.text for *_, reasons, _, _ in expected for r in reasons}


def test_read_model_words_are_the_reference_words_at_every_moment():
    lines: set[str] = set()
    for seed in (6, 7):
        world = _world(seed)
        # Handovers whose first appointment has passed with no engagement check: that rule's
        # words, which the generated handovers rarely reach before another rule holds.
        worker, rc = world.users["worker"], world.teams["rc"]
        for days in (2, 9):
            handover = handed_over_to(_after(rc, worker, 30), worker)
            handover.referral.first_appointment_on = timezone.localdate() - days * D
            handover.referral.save()
        _compare_words(world, lines)
    # Every kind of line is among those compared: hearings, custody (extended too), releases,
    # MHTR's deadlines, RECONNECT's rules, screenings, alerts with their source, follow-ups.
    said = " | ".join(sorted(lines)).lower()
    for kind in (
        "court hearing in",
        "in custody",
        "in custody (extended)",
        "release from prison",
        "risk alert: ",
        "follow-up overdue since",
        "not yet screened",
        "risk, ",
        "first appointment",
        "contact after release",
        "no gate meet planned",
        "engagement check",
    ):
        assert kind in said, (kind, said)


def test_a_row_closed_since_the_order_was_read_is_left_out():
    world = _world(8)
    worker = world.users["worker"]
    ids = _read_model(worker, timezone.now(), True, False, team_id=world.teams["ld"].id)
    WorklistEntry.objects.filter(episode_id=ids[0]).delete()
    assert [e.pk for e in shown_episodes(ids)] == ids[1:]


@pytest.mark.parametrize("seed", [4])
def test_rebuilt_rows_equal_the_rows_kept_by_the_writes(seed):
    _world(seed)
    kept = {e.pk: e for e in WorklistEntry.objects.all()}
    assert kept
    rebuild_entries()
    rebuilt = {e.pk: e for e in WorklistEntry.objects.all()}
    assert set(kept) == set(rebuilt)
    fields = [f.attname for f in WorklistEntry._meta.concrete_fields]
    for pk, entry in rebuilt.items():
        assert [getattr(entry, f) for f in fields] == [getattr(kept[pk], f) for f in fields]
    open_ids = set(Episode.objects.exclude(stage=Stage.CLOSED).values_list("pk", flat=True))
    assert set(rebuilt) == open_ids


def test_read_model_access_is_that_of_visible_episodes():
    world = _world(5)
    now = timezone.now()
    for user, filters, reconnect, _ in _lists(world):
        expected = set(worklist_filtered(user, **filters).values_list("pk", flat=True))
        got = set(entries_filtered(user, **filters).values_list("episode_id", flat=True))
        assert got == expected, filters
        assert set(_read_model(user, now, True, reconnect, **filters)) == expected
    # The cases are there: the partner sees some of the L&D team's rows by sharing, the
    # outsider sees only the people whose glass they broke, and the restricted person is hidden.
    ld = world.teams["ld"].id
    outsider = set(
        entries_filtered(world.users["outsider"], team_id=ld).values_list("pk", flat=True)
    )
    partner = set(entries_filtered(world.users["partner"], team_id=ld).values_list("pk", flat=True))
    everyone = set(WorklistEntry.objects.filter(team_id=ld).values_list("pk", flat=True))
    assert outsider and outsider < everyone
    assert partner and partner < everyone
