"""What the RECONNECT dashboard and return are built from: the facts of each RECONNECT episode.

One `ReconnectFacts` per episode, read in a fixed handful of queries (the episodes with their
team, region and person; their status rows; referrals; release details; contacts; gate meets;
first-week appointments; support plan needs; handovers with their onward referrals; engagement
checks; extensions; recalls), so the number of queries does not grow with the number of
episodes. Figures and return columns are computed from these facts, never from the database,
so the page and the file cannot disagree. See docs/reconnect-return.md.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from healthjustice.interventions.choices import ServiceType
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode, EpisodeStatus
from healthjustice.organisations.choices import Pathway
from healthjustice.reconnect.choices import AppointmentKind, EngagementCheckKind
from healthjustice.reconnect.models import (
    EngagementCheck,
    FirstWeekAppointment,
    GateMeet,
    Handover,
    Recall,
    ReconnectReferral,
    ReleaseDetails,
    SupportContact,
    SupportExtension,
    SupportPlanNeed,
)

from .mhtr_facts import EpisodeHistory, active_in, local_date, open_in
from .periods import Month

# Registered with a GP: evidence dated up to this many days after the actual release.
GP_DAYS = 28
# The second engagement check confirms engagement only this many days after the first.
FOUR_WEEKS = datetime.timedelta(weeks=4)


@dataclass(frozen=True)
class AppointmentFact:
    on: datetime.date
    attended: bool | None


@dataclass(frozen=True)
class CheckFact:
    on: datetime.date
    engaged: bool


@dataclass
class HandoverFact:
    on: datetime.date  # the date of the handover (the onward referral's date)
    service_type: str
    checks: dict[str, CheckFact] = field(default_factory=dict)  # by EngagementCheckKind

    @property
    def confirmed_at_four_weeks(self) -> bool:
        """Engaged at the check after 4 weeks, dated at least 4 weeks after the check at the
        first appointment (or after the handover, when that check is missing)."""
        later = self.checks.get(EngagementCheckKind.FOUR_WEEKS)
        if later is None or not later.engaged:
            return False
        first = self.checks.get(EngagementCheckKind.FIRST_APPOINTMENT)
        return later.on >= (first.on if first else self.on) + FOUR_WEEKS

    @property
    def not_engaged_at_four_weeks(self) -> bool:
        later = self.checks.get(EngagementCheckKind.FOUR_WEEKS)
        return later is not None and not later.engaged


@dataclass
class ReconnectFacts(EpisodeHistory):
    id: int
    public_id: uuid.UUID
    team_id: int
    team: str
    region: str
    referred_at: datetime.datetime
    date_of_birth: datetime.date | None = None
    sex: str = ""
    ethnic_category_code: str = ""
    ethnic_code_list: str = ""
    history: list[tuple[str, datetime.datetime, str]] = field(default_factory=list)
    has_referral: bool = False  # a RECONNECT referral row (every referral since the app)
    referrer: str = ""
    by_exception: bool = False
    released_on: datetime.date | None = None
    release_type: str = ""
    accommodation: str = ""
    contacts: list[tuple[datetime.date, bool]] = field(default_factory=list)  # (on, after)
    gate_met: bool | None = None  # None: no gate meet recorded
    gate_recorded_on: datetime.date | None = None
    appointments: dict[str, AppointmentFact] = field(default_factory=dict)  # by kind
    plan_needs: list[tuple[datetime.date, str]] = field(default_factory=list)  # (on, area)
    handovers: list[HandoverFact] = field(default_factory=list)  # oldest first
    extensions: list[tuple[datetime.date, datetime.date]] = field(
        default_factory=list
    )  # (approved on, extended to), oldest first: the newest sets the end of support
    recalled_on: datetime.date | None = None

    @property
    def in_window(self) -> bool:
        """Referred inside the window (not by a team leader's exception)."""
        return self.has_referral and not self.by_exception

    @property
    def referred_after_release(self) -> bool:
        return self.released_on is not None and self.referred_on > self.released_on

    def engaged_before_release(self, by: datetime.date | None = None) -> bool:
        """A contact before release recorded (dated by `by`, if given)."""
        return any(
            not after and (by is None or on <= by) and self._before_release(on)
            for on, after in self.contacts
        )

    def _before_release(self, on: datetime.date) -> bool:
        return self.released_on is None or on <= self.released_on

    def gp_registered_on(self) -> datetime.date | None:
        """The first evidence of GP registration within 28 days of release, or None.

        Evidence is a first-week GP appointment attended, or a handover to a GP service with
        engagement confirmed at its first appointment, dated from the release day to 28 days
        after it. A need for GP registration in the support plan is not evidence: it says
        what was needed, not that it happened.
        """
        if self.released_on is None:
            return None
        last = self.released_on + datetime.timedelta(days=GP_DAYS)
        found: list[datetime.date] = []
        gp = self.appointments.get(AppointmentKind.GP)
        if gp is not None and gp.attended:
            found.append(gp.on)
        for h in self.handovers:
            first = h.checks.get(EngagementCheckKind.FIRST_APPOINTMENT)
            if h.service_type == ServiceType.GP and first is not None and first.engaged:
                found.append(first.on)
        within = [on for on in found if self.released_on <= on <= last]
        return min(within, default=None)

    @property
    def first_handover_on(self) -> datetime.date | None:
        return min((h.on for h in self.handovers), default=None)

    @property
    def support_ended_on(self) -> datetime.date | None:
        """The end of support after release: the day handed over or, failing that, closed
        (recalled, needs met, lost contact, ...). None while support goes on, or when the
        episode ended without a release."""
        if self.released_on is None:
            return None
        handed = self.reached(Stage.HANDED_OVER)
        closed = self.closed
        ends = [local_date(handed)] if handed else []
        if closed:
            ends.append(local_date(closed[0]))
        end = min(ends, default=None)
        return end if end is not None and end >= self.released_on else None

    @property
    def days_supported(self) -> int | None:
        end = self.support_ended_on
        return None if end is None or self.released_on is None else (end - self.released_on).days


def reconnect_episodes(
    *, team_ids: Iterable[int] | None = None, region_id: int | None = None
) -> QuerySet[Episode]:
    episodes = Episode.objects.filter(pathway=Pathway.RECONNECT)
    if team_ids is not None:
        episodes = episodes.filter(team_id__in=list(team_ids))
    if region_id is not None:
        episodes = episodes.filter(team__region_id=region_id)
    return episodes


def load_facts(episodes: QuerySet[Episode]) -> list[ReconnectFacts]:
    """The facts of `episodes` (RECONNECT episodes), oldest referral first."""
    rows = (
        episodes.select_related("team__region", "person__ethnic_category__code_list")
        .only(
            "public_id",
            "referred_at",
            "team__name",
            "team__region__name",
            "person__date_of_birth",
            "person__sex",
            "person__ethnic_category__code",
            "person__ethnic_category__code_list__version",
        )
        .order_by("referred_at", "pk")
    )
    facts: dict[int, ReconnectFacts] = {}
    for e in rows:
        ethnic = e.person.ethnic_category
        facts[e.pk] = ReconnectFacts(
            id=e.pk,
            public_id=e.public_id,
            team_id=e.team_id,
            team=e.team.name,
            region=e.team.region.name,
            referred_at=e.referred_at,
            date_of_birth=e.person.date_of_birth,
            sex=e.person.sex,
            ethnic_category_code=ethnic.code if ethnic else "",
            ethnic_code_list=ethnic.code_list.version if ethnic else "",
        )
    if not facts:
        return []
    ids = list(facts)
    for episode_id, stage, at, reason in (
        EpisodeStatus.objects.filter(episode_id__in=ids)
        .order_by("episode_id", "seq")
        .values_list("episode_id", "stage", "at", "closure_reason")
    ):
        facts[episode_id].history.append((stage, at, reason))
    for episode_id, referrer, exception in ReconnectReferral.objects.filter(
        episode_id__in=ids
    ).values_list("episode_id", "referrer", "exception_reason"):
        f = facts[episode_id]
        f.has_referral, f.referrer, f.by_exception = True, referrer, bool(exception)
    for episode_id, released_on, release_type, accommodation in ReleaseDetails.objects.filter(
        episode_id__in=ids
    ).values_list("episode_id", "released_on", "release_type", "accommodation"):
        f = facts[episode_id]
        f.released_on, f.release_type, f.accommodation = released_on, release_type, accommodation
    for episode_id, on, after in (
        SupportContact.objects.filter(episode_id__in=ids)
        .order_by("contact_on", "recorded_at", "pk")
        .values_list("episode_id", "contact_on", "after_release")
    ):
        facts[episode_id].contacts.append((on, after))
    for episode_id, met, recorded_at in GateMeet.objects.filter(episode_id__in=ids).values_list(
        "episode_id", "met", "recorded_at"
    ):
        facts[episode_id].gate_met = met
        facts[episode_id].gate_recorded_on = local_date(recorded_at)
    for episode_id, kind, on, attended in FirstWeekAppointment.objects.filter(
        episode_id__in=ids
    ).values_list("episode_id", "kind", "appointment_on", "attended"):
        facts[episode_id].appointments[kind] = AppointmentFact(on, attended)
    for episode_id, area, recorded_at in (
        SupportPlanNeed.objects.filter(episode_id__in=ids)
        .order_by("recorded_at", "pk")
        .values_list("episode_id", "area", "recorded_at")
    ):
        facts[episode_id].plan_needs.append((local_date(recorded_at), area))
    handovers: dict[int, HandoverFact] = {}
    for pk, episode_id, on, service_type in (
        Handover.objects.filter(episode_id__in=ids)
        .order_by("referral__referred_on", "recorded_at", "pk")
        .values_list("pk", "episode_id", "referral__referred_on", "referral__service_type")
    ):
        handovers[pk] = HandoverFact(on, service_type)
        facts[episode_id].handovers.append(handovers[pk])
    for handover_id, kind, on, engaged in EngagementCheck.objects.filter(
        handover__episode_id__in=ids
    ).values_list("handover_id", "kind", "checked_on", "engaged"):
        handovers[handover_id].checks[kind] = CheckFact(on, engaged)
    for episode_id, approved_at, extended_to in (
        SupportExtension.objects.filter(episode_id__in=ids)
        .order_by("approved_at", "pk")
        .values_list("episode_id", "approved_at", "extended_to")
    ):
        facts[episode_id].extensions.append((local_date(approved_at), extended_to))
    for episode_id, recalled_on in Recall.objects.filter(episode_id__in=ids).values_list(
        "episode_id", "recalled_on"
    ):
        facts[episode_id].recalled_on = recalled_on
    return list(facts.values())


def facts_active_in(episodes: QuerySet[Episode], first: Month, last: Month) -> list[ReconnectFacts]:
    """The facts of those of `episodes` active at some time from `first` to `last`: referred
    before the end, and not closed before the start."""
    return [f for f in load_facts(open_in(episodes, first, last)) if active_in(f, first, last)]
