"""A random Liaison and Diversion world full of edge cases, for figures computed two ways.

Three months (the current one and the two before), two teams in scope and one outside, people
of many ethnic categories (not stated, not known, no category, not self-reported), several
episodes each. Referrals fall on the period's and the months' edges (local midnight, and a
microsecond before) as well as within; episodes have no screening, one or several (ties and
screenings before the referral included); moves to "screened" by hand with a reason and no
screening; "assessed" reached twice, the first row (by seq) not the earliest; no status rows at
all; onward referrals attended, not attended and not known; reports without consent and their
corrections; restricted records; a break-glass opening; diversion disposals.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from healthjustice.assessments.models import Report
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.interventions.choices import ServiceType
from healthjustice.journeys.choices import Disposal, Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode, EpisodeStatus
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Team
from healthjustice.organisations.roles import Role
from healthjustice.people.models import RecordRestriction
from healthjustice.reporting.periods import Month
from healthjustice.screening.choices import Vulnerability
from healthjustice.screening.models import Screening
from tests.equity.known import _category
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.interventions.factories import OnwardReferralFactory

H = datetime.timedelta(hours=1)
US = datetime.timedelta(microseconds=1)
CODES = ["A", "B", "C", "H", "J", "M", "N", "R", "S", "Z", "99", None]
STAGES_AFTER = [Stage.SCREENED, Stage.ASSESSED, Stage.INTERVENTION, Stage.CLOSED]


@dataclass
class World:
    teams: tuple[Team, ...]  # in scope
    first: Month
    last: Month

    @property
    def team_ids(self) -> tuple[int, ...]:
        return tuple(t.id for t in self.teams)

    @property
    def starts(self) -> datetime.datetime:
        return self.first.starts_at

    @property
    def ends(self) -> datetime.datetime:
        return self.last.next().starts_at


def _referral_times(rng: random.Random, first: Month, last: Month) -> list[datetime.datetime]:
    edges = []
    month = first
    while month <= last.next():
        edges += [month.starts_at, month.starts_at - US, month.starts_at + US]
        month = month.next()
    span = (last.next().starts_at - first.starts_at).total_seconds()
    within = [first.starts_at + datetime.timedelta(seconds=rng.uniform(0, span)) for _ in edges]
    return edges + within


def build_world(seed: int, *, people: int = 24) -> World:
    rng = random.Random(seed)
    region = RegionFactory()
    team_a = TeamFactory(name="Stoke custody L&D", region=region)
    team_b = TeamFactory(name="Stafford court L&D", region=region)
    outside = TeamFactory(name="Walsall L&D", region=region)
    mhtr = TeamFactory(name="Stoke MHTR", region=region, pathway=Pathway.MHTR)
    worker = staff(Role.PRACTITIONER, team=team_a)
    leader = staff(Role.TEAM_LEADER, team=team_a)
    last = Month.current()
    first = last.previous().previous()
    times = _referral_times(rng, first, last)
    categories = {code: _category(code) if code else None for code in CODES}
    ends = last.next().starts_at
    for _ in range(people):
        code = rng.choice(CODES)
        person = PersonFactory(
            team=team_a,
            ethnic_category=categories[code],
            ethnicity_self_reported=rng.random() < 0.7,
        )
        if rng.random() < 0.2:
            made = ends + (H if rng.random() < 0.3 else -H * 24)
            RecordRestriction.objects.create(person=person, reason="staff_member", created_at=made)
        if rng.random() < 0.1:
            audit_record(
                actor=leader,
                action=Action.BREAK_GLASS,
                object_type="person",
                object_id=str(person.public_id),
                detail={"reason": "Urgent risk"},
            )
        for _ in range(rng.randint(1, 3)):
            team = rng.choice([team_a, team_a, team_b, outside, mhtr])
            _episode(rng, team, person, rng.choice(times), worker, leader)
    return World((team_a, team_b), first, last)


def _episode(rng, team, person, referred_at, worker, leader) -> Episode:
    episode = Episode.objects.create(
        person=person,
        team=team,
        pathway=team.pathway,
        setting="police_custody",
        referral_source="custody_sergeant",
        referred_at=referred_at,
    )
    history: list[tuple[str, datetime.datetime, str]] = []
    if rng.random() < 0.9:  # else no status rows at all
        history.append((Stage.IDENTIFIED, referred_at, ""))
        for stage in STAGES_AFTER:
            if rng.random() < 0.5:
                reason = "Screened by the custody nurse" if stage == Stage.SCREENED else ""
                history.append((stage, referred_at + rng.randint(-2, 90) * H, reason))
        if rng.random() < 0.15:  # assessed again, earlier than the first row says
            history.append((Stage.ASSESSED, referred_at + H, ""))
        if rng.random() < 0.1:  # reopened
            history.append((Stage.IDENTIFIED, referred_at + 100 * H, ""))
    for seq, (stage, at, reason) in enumerate(history, start=1):
        EpisodeStatus.objects.create(
            episode=episode,
            seq=seq,
            stage=stage,
            at=at,
            skip_reason=reason,
            closure_reason="declined" if stage == Stage.CLOSED else "",
        )
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        found = rng.sample(Vulnerability.values, rng.randint(0, 3))
        if rng.random() < 0.1:
            found.append("no_longer_listed")
        Screening.objects.create(
            episode=episode,
            screened_at=referred_at + rng.choice([-1, 0, 2, 2, 5, 30, 47]) * H,
            screened_by=worker,
            vulnerabilities=found,
        )
    for _ in range(rng.choice([0, 0, 1, 2])):
        OnwardReferralFactory(
            episode=episode,
            created_by=worker,
            service_type=rng.choice(ServiceType.values),
            attended=rng.choice([True, False, None]),
            supported_to_first_appointment=rng.choice([True, False, None]),
        )
    if rng.random() < 0.3:
        CriminalJusticeContext.objects.create(episode=episode, disposal=rng.choice(Disposal.values))
    if rng.random() < 0.2:
        report = _report(episode, "serious_harm", leader)
        if rng.random() < 0.5:  # a correction is not counted again
            _report(episode, "serious_harm", leader, supersedes=report, correction_reason="Date")
    return episode


def _report(episode, basis, author, **extra) -> Report:
    return Report.objects.create(
        episode=episode,
        report_type="court_bail_remand",
        recipient="court",
        lawful_basis=basis,
        justification="Risk to others",
        content={"text": "synthetic"},
        content_sha256="0" * 64,
        author=author,
        **extra,
    )
