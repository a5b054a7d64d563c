"""Reads for the equity figures: census populations of a region, and each pathway's counts by
ethnic category (Liaison and Diversion, MHTR, RECONNECT, and carers). Counts only, never a
person's details; a handful of narrow queries per pathway whose number does not grow with the
data, the same on SQLite and PostgreSQL.

Liaison and Diversion, by far the largest pathway (a region's year is hundreds of thousands of
episodes), is counted by the database: totals by ethnic category, month and team come back, and
the waits' medians and 90th percentiles are picked out by window functions (`core.ranks`). The
other pathways read each case's facts and count them here (`_counted`).
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from healthjustice.assessments.choices import WITHOUT_CONSENT
from healthjustice.assessments.models import Report
from healthjustice.audit.models import Action, AuditEvent
from healthjustice.carers.models import Carer, SharingAgreement
from healthjustice.core.ranks import (
    ALL,
    collect_ranked,
    elapsed,
    hours,
    over_rows,
    ranked_rows,
)
from healthjustice.core.report_queries import report_queries
from healthjustice.feedback.models import Experience, Feedback, TreatedFairly
from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.models import Episode, EpisodeStatus
from healthjustice.mhtr.choices import Suitability
from healthjustice.mhtr.measures import trajectories_of
from healthjustice.mhtr.models import CourtOutcome, SuitabilityAssessment
from healthjustice.mhtr.outcomes import outcomes_from_series, summarise
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Region, Team
from healthjustice.people.models import EthnicCategory, Person, RecordRestriction
from healthjustice.reconnect.choices import EligibilityOutcome, EngagementCheckKind
from healthjustice.reconnect.models import (
    EligibilityCheck,
    EngagementCheck,
    GateMeet,
    Handover,
    ReleaseDetails,
    SupportContact,
)
from healthjustice.screening.models import Screening

from .groups import CENSUS_CATEGORIES, GROUP_OF_CODE, NOT_KNOWN, NOT_STATED
from .models import CensusPopulation, LocalAuthority
from .pathways import BY_KEY, CASES, FEEDBACK, REVOLVING_DOOR, PathwayFigures
from .stats import median, percentile_nearest_rank

HOURS = 3600
TOTAL = "total"


# --- Populations -----------------------------------------------------------------------------


@dataclass
class Population:
    """Usual residents of a region by NHS code and by broad group, where known for every one
    of its local authorities; `missing` names the areas with no figures at all."""

    by_code: dict[str, int] = field(default_factory=dict)
    by_group: dict[str, int] = field(default_factory=dict)
    approximate: bool = False
    areas: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return bool(self.by_code or self.by_group)


_CODE_PARTS: dict[str, set[str]] = defaultdict(set)
for _c in CENSUS_CATEGORIES:
    _CODE_PARTS[_c.nhs_code].add(_c.key)


def _area_figures(rows: list[CensusPopulation]) -> tuple[dict[str, int], dict[str, int]]:
    """One area's figures by NHS code and by broad group."""
    detailed = {r.census_category: r for r in rows if r.census_category}
    by_code: dict[str, int] = {}
    for code, parts in _CODE_PARTS.items():
        if parts <= detailed.keys():
            by_code[code] = sum(detailed[p].count for p in parts)
    if len(detailed) == len(CENSUS_CATEGORIES):
        by_group: dict[str, int] = Counter()
        for code, n in by_code.items():
            by_group[GROUP_OF_CODE[code]] += n
        return by_code, dict(by_group)
    # Broad groups as the census gives them (Chinese still within Asian): approximate.
    return by_code, {r.census_group: r.count for r in rows if not r.census_category}


def region_population(region: Region) -> Population:
    authorities = list(LocalAuthority.objects.filter(region=region).order_by("name"))
    rows: dict[int, list[CensusPopulation]] = defaultdict(list)
    for row in CensusPopulation.objects.filter(local_authority__in=authorities):
        rows[row.local_authority_id].append(row)
    result = Population(areas=[a.name for a in authorities])
    if not authorities:
        return result
    per_area = []
    for authority in authorities:
        if not rows[authority.id]:
            result.missing.append(authority.name)
            continue
        per_area.append(_area_figures(rows[authority.id]))
        result.approximate |= any(r.approximate for r in rows[authority.id])
        for r in rows[authority.id]:
            if r.source not in result.sources:
                result.sources.append(r.source)
    if result.missing:
        return result
    for index in (0, 1):
        keys = set.intersection(*(set(area[index]) for area in per_area))
        target = result.by_code if index == 0 else result.by_group
        for key in sorted(keys):
            target[key] = sum(area[index][key] for area in per_area)
    return result


# --- Counts by ethnic category, for any pathway ----------------------------------------------


@dataclass
class Counts:
    """One ethnic category's cases: the people (or carers), the cases and each step."""

    people: int = 0
    cases: int = 0
    steps: Counter[str] = field(default_factory=Counter)
    # Month ("YYYY-MM") -> the people (or carers) whose case began in it.
    months: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class WaitFigures:
    """The waits of one group to one step: how many, their median and 90th percentile
    (nearest rank), as `stats.median` and `stats.percentile_nearest_rank` give them."""

    n: int = 0
    median: float | None = None
    p90: float | None = None

    @classmethod
    def of(cls, values: list[float]) -> WaitFigures:
        return cls(len(values), median(values), percentile_nearest_rank(values, 90))


@dataclass
class Completeness:
    """People with a case in the team, by how their ethnicity is recorded."""

    self_reported: int = 0
    stated_not_self_reported: int = 0
    not_stated: int = 0
    not_known: int = 0

    @property
    def total(self) -> int:
        return self.self_reported + self.stated_not_self_reported + self.not_stated + self.not_known


@dataclass
class Figures:
    pathway: PathwayFigures
    by_code: dict[str, Counts]
    completeness: dict[Team, Completeness]
    # Row key (broad group, not stated, not known, or "total") -> wait key -> the waits.
    waits: dict[str, dict[str, WaitFigures]] = field(default_factory=dict)


@dataclass
class Case:
    """One episode (or one carer) as the figures see it: whose, which team, what it reached."""

    person: int
    team_id: int
    category: EthnicCategory | None
    self_reported: bool
    month: str = ""  # "YYYY-MM" the case began (referred, or identified)
    steps: set[str] = field(default_factory=set)
    waits: dict[str, float] = field(default_factory=dict)


def _code_of(category: EthnicCategory | None) -> str:
    if category is None or category.kind == EthnicCategory.Kind.NOT_KNOWN:
        return NOT_KNOWN
    if category.kind == EthnicCategory.Kind.NOT_STATED:
        return NOT_STATED
    return category.code


def _days(later: date, earlier: date) -> float | None:
    days = (later - earlier).days
    return float(days) if days >= 0 else None


def _local_day(value: datetime) -> date:
    return timezone.localtime(value).date()


@dataclass
class _Episodes:
    # The episodes and their people as subqueries, not lists: a year of a region's episodes is
    # hundreds of thousands of ids, which as literal parameters cost more than the query.
    ids: QuerySet[Any]
    people: QuerySet[Any]
    cases: dict[int, Case]
    referred_at: dict[int, datetime]
    person_ids: dict[str, int] = field(default_factory=dict)  # public id -> pk


def _episodes(episodes: QuerySet[Episode]) -> _Episodes:
    rows = list(episodes.values_list("id", "person_id", "team_id", "referred_at"))
    categories = {c.pk: c for c in EthnicCategory.objects.all()}
    found = _Episodes(episodes.values("id"), episodes.values("person_id"), {}, {})
    recorded = {}
    for pk, public_id, cat_id, self_reported in Person.objects.filter(
        pk__in=found.people
    ).values_list("pk", "public_id", "ethnic_category_id", "ethnicity_self_reported"):
        recorded[pk] = (categories.get(cat_id) if cat_id else None, self_reported)
        found.person_ids[str(public_id)] = pk
    zone = timezone.get_current_timezone()  # once, not once an episode
    for episode_id, person_id, team_id, referred_at in rows:
        category, self_reported = recorded.get(person_id, (None, False))
        month = f"{referred_at.astimezone(zone):%Y-%m}"
        found.cases[episode_id] = Case(person_id, team_id, category, self_reported, month)
        found.referred_at[episode_id] = referred_at
    return found


def _referred_in(
    pathway: str, team_ids: tuple[int, ...], starts: datetime, ends: datetime
) -> QuerySet[Episode]:
    return Episode.objects.filter(
        pathway=pathway, team_id__in=team_ids, referred_at__gte=starts, referred_at__lt=ends
    )


def _first_and_latest(
    records: QuerySet[Any], day: str, value: str
) -> tuple[dict[int, date], dict[int, str]]:
    """Per episode, the day of its first record and the `value` of its latest (as recorded)."""
    first: dict[int, date] = {}
    latest: dict[int, str] = {}
    for episode_id, on, outcome in records.order_by("recorded_at", "pk").values_list(
        "episode_id", day, value
    ):
        first.setdefault(episode_id, on)
        latest[episode_id] = outcome
    return first, latest


def _wait_to(case: Case, found: _Episodes, episode_id: int, key: str, day: date | None) -> None:
    """Days from the episode's referral to `day`, as wait `key`."""
    if day is not None:
        wait = _days(day, _local_day(found.referred_at[episode_id]))
        if wait is not None:
            case.waits[key] = wait


def _mhtr_cases(found: _Episodes) -> None:
    ids = found.ids
    first_assessed, latest_outcome = _first_and_latest(
        SuitabilityAssessment.objects.filter(episode_id__in=ids), "assessed_on", "outcome"
    )
    orders = set(
        CourtOutcome.objects.filter(episode_id__in=ids, order_made=True).values_list(
            "episode_id", flat=True
        )
    )
    # Completed: the episode's newest status row closes it, with the order completed.
    newest: dict[int, tuple[str, str]] = {}
    for episode_id, stage, reason in (
        EpisodeStatus.objects.filter(episode_id__in=ids)
        .order_by("episode_id", "seq")
        .values_list("episode_id", "stage", "closure_reason")
    ):
        newest[episode_id] = (stage, reason)
    series = trajectories_of(ids)
    for episode_id, case in found.cases.items():
        if episode_id in first_assessed:
            case.steps.add("assessed")
        _wait_to(case, found, episode_id, "suitability", first_assessed.get(episode_id))
        if latest_outcome.get(episode_id) == Suitability.SUITABLE:
            case.steps.add("suitable")
        if episode_id in orders:
            case.steps.add("order_made")
        if newest.get(episode_id) == (Stage.CLOSED, ClosureReason.ORDER_COMPLETED):
            case.steps.add("completed")
        measures = summarise(outcomes_from_series(series.get(episode_id, {})))
        if measures.measured:
            case.steps.add("measured")
            if measures.reliable_improvement:
                case.steps.add("improved")


def _reconnect_cases(found: _Episodes) -> None:
    ids = found.ids
    first_checked, latest_check = _first_and_latest(
        EligibilityCheck.objects.filter(episode_id__in=ids), "checked_on", "outcome"
    )
    engaged_before = set(
        SupportContact.objects.filter(episode_id__in=ids, after_release=False).values_list(
            "episode_id", flat=True
        )
    )
    released = set(
        ReleaseDetails.objects.filter(episode_id__in=ids, released_on__isnull=False).values_list(
            "episode_id", flat=True
        )
    )
    gate_met = set(
        GateMeet.objects.filter(episode_id__in=ids, met=True).values_list("episode_id", flat=True)
    )
    handed_over = set(
        Handover.objects.filter(episode_id__in=ids).values_list("episode_id", flat=True)
    )
    engaged_after = set(
        EngagementCheck.objects.filter(
            handover__episode_id__in=ids, kind=EngagementCheckKind.FOUR_WEEKS, engaged=True
        ).values_list("handover__episode_id", flat=True)
    )
    for episode_id, case in found.cases.items():
        _wait_to(case, found, episode_id, "eligibility", first_checked.get(episode_id))
        if latest_check.get(episode_id) == EligibilityOutcome.ELIGIBLE:
            case.steps.add("eligible")
        for step, holders in (
            ("engaged_before", engaged_before),
            ("released", released),
            ("gate_met", gate_met),
            ("handed_over", handed_over),
            ("engaged_after", engaged_after),
        ):
            if episode_id in holders:
                case.steps.add(step)


def _safeguard_cases(found: _Episodes, starts: datetime, ends: datetime) -> None:
    """Coercion and disclosure: a report issued without consent (a lawful basis other than
    consent or a best-interests decision), the person's record opened under break-glass in the
    period, and a restriction on their record."""
    without_consent = set(
        Report.objects.filter(
            episode_id__in=found.ids, lawful_basis__in=WITHOUT_CONSENT, supersedes__isnull=True
        ).values_list("episode_id", flat=True)
    )
    # Break-glass openings in the period are few; they are matched to the cases' people here.
    broken_glass = {
        found.person_ids[object_id]
        for object_id in AuditEvent.objects.filter(
            action=Action.BREAK_GLASS,
            object_type="person",
            occurred_at__gte=starts,
            occurred_at__lt=ends,
        ).values_list("object_id", flat=True)
        if object_id in found.person_ids
    }
    restricted = set(
        RecordRestriction.objects.filter(
            person_id__in=found.people, created_at__lt=ends
        ).values_list("person_id", flat=True)
    )
    for episode_id, case in found.cases.items():
        if episode_id in without_consent:
            case.steps.add("without_consent")
        if case.person in broken_glass:
            case.steps.add("break_glass")
        if case.person in restricted:
            case.steps.add("restricted")


def _category_codes() -> dict[int | None, str]:
    codes: dict[int | None, str] = {c.pk: _code_of(c) for c in EthnicCategory.objects.all()}
    codes[None] = NOT_KNOWN
    return codes


def _break_glass_people(starts: datetime, ends: datetime) -> list[int]:
    """The people whose record was opened under break-glass in the period (the events name a
    person by public id; the few in a period are matched exactly as recorded)."""
    public_ids = []
    for object_id in AuditEvent.objects.filter(
        action=Action.BREAK_GLASS,
        object_type="person",
        occurred_at__gte=starts,
        occurred_at__lt=ends,
    ).values_list("object_id", flat=True):
        try:
            if str(uuid.UUID(object_id)) == object_id:
                public_ids.append(object_id)
        except ValueError:
            continue
    return list(Person.objects.filter(public_id__in=public_ids).values_list("pk", flat=True))


def _ld_facts(
    episodes: QuerySet[Episode], codes: dict[int | None, str], starts: datetime, ends: datetime
) -> QuerySet[Any]:
    """One row an episode: whose, which team, which month, and what it reached."""
    here = OuterRef("pk")
    statuses = EpisodeStatus.objects.filter(episode_id=here)
    referrals = OnwardReferral.objects.filter(episode_id=here)
    first_screened = Screening.objects.filter(episode_id=here).order_by("screened_at")
    first_assessed = statuses.filter(stage=Stage.ASSESSED).order_by("seq")
    without_consent = Report.objects.filter(
        episode_id=here, lawful_basis__in=WITHOUT_CONSENT, supersedes__isnull=True
    )
    restricted = RecordRestriction.objects.filter(
        person_id=OuterRef("person_id"), created_at__lt=ends
    )
    people = _break_glass_people(starts, ends)
    broken_glass = (
        ExpressionWrapper(Q(person_id__in=people), output_field=BooleanField())
        if people
        else Value(False, output_field=BooleanField())
    )
    return episodes.annotate(
        category_id=F("person__ethnic_category_id"),
        self_reported=F("person__ethnicity_self_reported"),
        month=_month_of("referred_at", starts, ends),
        row_key=_row_of_category(codes),
        to_screening=elapsed(first_screened, "screened_at", since="referred_at"),
        to_assessment=elapsed(first_assessed, "at", since="referred_at"),
        # A move to "screened" by hand with a reason, with or without a screening recorded.
        by_hand=Exists(statuses.filter(stage=Stage.SCREENED)),
        referred_on=Exists(referrals),
        attended=Exists(referrals.filter(attended=True)),
        without_consent=Exists(without_consent),
        break_glass=broken_glass,
        restricted=Exists(restricted),
    ).values(
        "person_id",
        "team_id",
        "category_id",
        "self_reported",
        "month",
        "row_key",
        "to_screening",
        "to_assessment",
        "by_hand",
        *LD_REACHED,
    )


# What each L&D step and safeguard means, over the facts' columns.
LD_REACHED = ("referred_on", "attended", "without_consent", "break_glass", "restricted")
LD_STEPS = {
    "screened": "(to_screening IS NOT NULL OR by_hand)",
    "assessed": "to_assessment IS NOT NULL",
    **{key: key for key in LD_REACHED},
}
LD_WAITS = {"screening": "to_screening", "assessment": "to_assessment"}


def _ld_selects(definition: PathwayFigures) -> list[str]:
    """The waits' ranked rows, and the totals by category (cases and each step; people; people
    by month; people by team and how their ethnicity is recorded), in the same columns: tag,
    category, group, self-reported, n, one a step, wait. The waits come first, with typed
    nulls, so that PostgreSQL takes each column's type from them."""
    steps = (*definition.steps, *definition.safeguards)
    reached = []
    for step in steps:
        condition = LD_STEPS[step.key]
        if step.of != CASES:
            condition = f"{condition} AND {LD_STEPS[step.of]}"
        reached.append(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)")
    zeros = ", ".join("0" for _ in steps)
    rest = ", ".join("0" for _ in steps[3:])
    no_category, no_answer = "CAST(NULL AS BIGINT)", "CAST(NULL AS BOOLEAN)"
    people = "COUNT(DISTINCT person_id)"
    selects = [
        f"SELECT '{wait}', {no_category}, k, {no_answer}, n_k, r_k, n_all, r_all, {rest}, v "  # noqa: S608 (constants only)
        f"FROM ({ranked_rows('facts', 'row_key', column)}) AS ranked_{wait}"
        for wait, column in LD_WAITS.items()
    ]
    selects += [
        f"SELECT 'cases', category_id, NULL, NULL, COUNT(*), {', '.join(reached)}, NULL "  # noqa: S608 (constants only)
        "FROM facts GROUP BY category_id",
        f"SELECT 'people', category_id, NULL, NULL, {people}, {zeros}, NULL "  # noqa: S608 (constants only)
        "FROM facts GROUP BY category_id",
        f"SELECT 'month', category_id, month, NULL, {people}, {zeros}, NULL "  # noqa: S608 (constants only)
        "FROM facts GROUP BY category_id, month",
        f"SELECT 'team', category_id, CAST(team_id AS TEXT), self_reported, {people}, {zeros}, "  # noqa: S608 (constants only)
        "NULL FROM facts GROUP BY team_id, category_id, self_reported",
    ]
    return selects


def _month_of(field_name: str, starts: datetime, ends: datetime) -> models.Case:
    """The local month ("YYYY-MM") that a time in [starts, ends) falls in."""
    zone = timezone.get_current_timezone()
    first = timezone.localtime(starts, zone)
    year, month = first.year, first.month
    whens: list[When] = []
    while True:
        key = f"{year:04d}-{month:02d}"
        year, month = year + month // 12, month % 12 + 1
        boundary = datetime(year, month, 1, tzinfo=zone)
        if boundary >= ends:
            return models.Case(*whens, default=Value(key), output_field=CharField())
        whens.append(When(**{f"{field_name}__lt": boundary}, then=Value(key)))


def _row_of_category(codes: dict[int | None, str]) -> models.Case:
    """The broad group (or not stated, or not known) of the episode's person's category."""
    rows: dict[str, list[int]] = defaultdict(list)
    for category_id, code in codes.items():
        if category_id is not None:
            rows[_row_key(code)].append(category_id)
    whens = [When(person__ethnic_category_id__in=ids, then=Value(key)) for key, ids in rows.items()]
    return models.Case(*whens, default=Value(_row_key(NOT_KNOWN)), output_field=CharField())


def _ld_figures(team_ids: tuple[int, ...], starts: datetime, ends: datetime) -> Figures:
    """The L&D figures counted by the database, in one pass over the episodes: totals by
    ethnic category come back, not episodes. The same figures as `_counted` gives over each
    episode's facts."""
    definition = BY_KEY[Pathway.LIAISON_DIVERSION]
    steps = [step.key for step in (*definition.steps, *definition.safeguards)]
    codes = _category_codes()
    facts = _ld_facts(
        _referred_in(Pathway.LIAISON_DIVERSION, team_ids, starts, ends), codes, starts, ends
    )
    by_code: dict[str, Counts] = defaultdict(Counts)
    completeness: dict[int, Completeness] = defaultdict(Completeness)
    ranked: dict[str, list[tuple[Any, Any, int, int, int, int]]] = defaultdict(list)
    for tag, category_id, group, self_reported, n, *reached, wait in over_rows(
        facts, "facts", _ld_selects(definition)
    ):
        code = codes.get(category_id, NOT_KNOWN)
        if tag == "cases":
            by_code[code].cases += n
            by_code[code].steps.update({k: v for k, v in zip(steps, reached, strict=True) if v})
        elif tag == "people":  # a person has one category: the categories' people add up
            by_code[code].people += n
        elif tag == "month":
            by_code[code].months[group] += n
        elif tag == "team":
            _count_completeness(completeness[int(group)], code, bool(self_reported), n)
        else:
            ranked[tag].append((group, wait, n, *reached[:3]))
    waits: dict[str, dict[str, WaitFigures]] = defaultdict(dict)
    for wait in LD_WAITS:
        for key, r in collect_ranked(ranked[wait]).items():
            waits[TOTAL if key is ALL else str(key)][wait] = WaitFigures(
                r.n, r.median(hours), r.p90(hours)
            )
    return Figures(
        pathway=definition,
        by_code=dict(by_code),
        completeness=_completeness_by_team(completeness, team_ids),
        waits=dict(waits),
    )


EPISODE_FACTS = {
    Pathway.MHTR: _mhtr_cases,
    Pathway.RECONNECT: _reconnect_cases,
}


def _carer_cases(team_ids: tuple[int, ...], starts: datetime, ends: datetime) -> list[Case]:
    """Carers identified in the period; their answers are their own, so "self-reported"."""
    carers = list(
        Carer.objects.filter(
            team_id__in=team_ids,
            date_identified__gte=_local_day(starts),
            date_identified__lt=_local_day(ends),
        ).values_list(
            "pk",
            "team_id",
            "ethnic_category_id",
            "date_identified",
            "support__toolkit_given_on",
            "support__assessment_offered_on",
            "support__assessment_completed_on",
        )
    )
    categories = {c.pk: c for c in EthnicCategory.objects.all()}
    sharing = set(
        SharingAgreement.objects.in_force()
        .filter(relationship__carer_id__in=[row[0] for row in carers])
        .values_list("relationship__carer_id", flat=True)
    )
    cases = []
    for pk, team_id, category_id, identified, toolkit, offered, completed in carers:
        category = categories.get(category_id) if category_id else None
        case = Case(pk, team_id, category, True, f"{identified:%Y-%m}")
        if toolkit:
            case.steps.add("toolkit")
        if offered:
            case.steps.add("offered")
            wait = _days(offered, identified)
            if wait is not None:
                case.waits["offered"] = wait
        if completed:
            case.steps.add("completed")
        if pk in sharing:
            case.steps.add("sharing")
        cases.append(case)
    return cases


POSITIVE = (Experience.VERY_GOOD, Experience.GOOD)
NEGATIVE = (Experience.POOR, Experience.VERY_POOR)


def _feedback_cases(team_ids: tuple[int, ...], starts: datetime, ends: datetime) -> list[Case]:
    """Feedback received in the period; the ethnic group, when given, is the person's own."""
    categories = {c.pk: c for c in EthnicCategory.objects.all()}
    cases = []
    for pk, team_id, category_id, experience, fairly, received_at in Feedback.objects.filter(
        team_id__in=team_ids, received_at__gte=starts, received_at__lt=ends
    ).values_list(
        "pk", "team_id", "ethnic_category_id", "experience", "treated_fairly", "received_at"
    ):
        category = categories.get(category_id) if category_id else None
        case = Case(pk, team_id, category, True, f"{_local_day(received_at):%Y-%m}")
        if experience != Experience.DONT_KNOW:
            case.steps.add("rated")
        if experience in POSITIVE:
            case.steps.add("positive")
        if experience in NEGATIVE:
            case.steps.add("negative")
        if fairly != TreatedFairly.PREFER_NOT:
            case.steps.add("answered_fairness")
        if fairly == TreatedFairly.YES:
            case.steps.add("fair")
        if fairly == TreatedFairly.NO:
            case.steps.add("not_fair")
        cases.append(case)
    return cases


def _row_key(code: str) -> str:
    """The row a code is shown in by broad group: its group, or not stated, or not known."""
    return GROUP_OF_CODE.get(code, code)


def _counted(pathway: PathwayFigures, cases: list[Case], team_ids: tuple[int, ...]) -> Figures:
    """Counts by NHS code, and completeness by team (each person once per team). A step counts
    only where the step it is a share of was reached too, so no share can pass 100%."""
    bases = {step.key: step.of for step in (*pathway.steps, *pathway.safeguards)}
    by_code: dict[str, Counts] = defaultdict(Counts)
    people: dict[str, set[int]] = defaultdict(set)
    months: dict[tuple[str, str], set[int]] = defaultdict(set)
    waits: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    seen_in_team: set[tuple[int, int]] = set()
    completeness: dict[int, Completeness] = defaultdict(Completeness)
    for case in cases:
        code = _code_of(case.category)
        counts = by_code[code]
        people[code].add(case.person)
        months[code, case.month].add(case.person)
        counts.cases += 1
        for step in case.steps:
            base = bases.get(step)
            if base is not None and (base == CASES or base in case.steps):
                counts.steps[step] += 1
        for wait, value in case.waits.items():
            waits[_row_key(code)][wait].append(value)
            waits[TOTAL][wait].append(value)
        if (case.team_id, case.person) not in seen_in_team:
            seen_in_team.add((case.team_id, case.person))
            _count_completeness(completeness[case.team_id], code, case.self_reported, 1)
    for code, who in people.items():
        by_code[code].people = len(who)
    for (code, month), who in months.items():
        by_code[code].months[month] = len(who)
    return Figures(
        pathway=pathway,
        by_code=dict(by_code),
        completeness=_completeness_by_team(completeness, team_ids),
        waits={
            key: {wait: WaitFigures.of(values) for wait, values in per_wait.items()}
            for key, per_wait in waits.items()
        },
    )


def _count_completeness(record: Completeness, code: str, self_reported: bool, n: int) -> None:
    if code == NOT_KNOWN:
        record.not_known += n
    elif code == NOT_STATED:
        record.not_stated += n
    elif self_reported:
        record.self_reported += n
    else:
        record.stated_not_self_reported += n


def _completeness_by_team(
    completeness: dict[int, Completeness], team_ids: tuple[int, ...]
) -> dict[Team, Completeness]:
    teams = Team.objects.filter(id__in=team_ids).order_by("name")
    return {t: completeness.get(t.id, Completeness()) for t in teams}


def pathway_figures(
    pathway: str, team_ids: tuple[int, ...], starts: datetime, ends: datetime
) -> Figures:
    """Counts by NHS code for `pathway`'s cases of `team_ids` begun in [starts, ends): episodes
    referred in the period, or carers identified in it."""
    definition = BY_KEY[pathway]
    if pathway == Pathway.CARERS:
        return _counted(definition, _carer_cases(team_ids, starts, ends), team_ids)
    if pathway == FEEDBACK.key:
        return _counted(definition, _feedback_cases(team_ids, starts, ends), team_ids)
    if pathway == Pathway.LIAISON_DIVERSION:
        with report_queries():
            return _ld_figures(team_ids, starts, ends)
    found = _episodes(_referred_in(pathway, team_ids, starts, ends))
    EPISODE_FACTS[Pathway(pathway)](found)
    _safeguard_cases(found, starts, ends)
    return _counted(definition, list(found.cases.values()), team_ids)


FOLLOW_UP = timedelta(days=365)


def revolving_door(
    pathway: str, team_ids: tuple[int, ...], starts: datetime, ends: datetime, now: datetime
) -> Figures:
    """Episodes of `pathway` that closed in [starts, ends) at least a year before `now` (so
    every one was followed for a whole year), and whether the person came back to the service
    (a new episode of any pathway, any team) within 12 months of the close."""
    until = min(ends, now - FOLLOW_UP)
    closes = EpisodeStatus.objects.filter(
        stage=Stage.CLOSED,
        at__gte=starts,
        at__lt=until,
        episode__pathway=pathway,
        episode__team_id__in=team_ids,
    )
    closing = dict(closes.values_list("episode_id", "at"))
    # Only a close that still stands: no newer status row (a reopening) after it.
    newest: dict[int, str] = {}
    for episode_id, stage in (
        EpisodeStatus.objects.filter(episode_id__in=closes.values("episode_id"))
        .order_by("episode_id", "seq")
        .values_list("episode_id", "stage")
    ):
        newest[episode_id] = stage
    found = _episodes(Episode.objects.filter(pk__in=closes.values("episode_id")))
    found.cases = {pk: c for pk, c in found.cases.items() if newest.get(pk) == Stage.CLOSED}
    later: dict[int, list[datetime]] = defaultdict(list)
    for person_id, referred_at in Episode.objects.filter(person_id__in=found.people).values_list(
        "person_id", "referred_at"
    ):
        later[person_id].append(referred_at)
    for episode_id, case in found.cases.items():
        closed_at = closing[episode_id]
        if any(closed_at < at <= closed_at + FOLLOW_UP for at in later[case.person]):
            case.steps.add("recontact")
    return _counted(REVOLVING_DOOR, list(found.cases.values()), team_ids)
