"""Reads for the equity figures: census populations of a region, and Liaison and Diversion
counts by ethnic category. Counts only, never a person's details; a handful of narrow queries
whose number does not grow with the data, computed in Python (same on SQLite and PostgreSQL).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode, EpisodeStatus
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Region, Team
from healthjustice.people.models import EthnicCategory, Person
from healthjustice.screening.models import Screening

from .groups import CENSUS_CATEGORIES, GROUP_OF_CODE, NOT_KNOWN, NOT_STATED
from .models import CensusPopulation, LocalAuthority

HOURS = 3600


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


# --- Liaison and Diversion counts by ethnic category -----------------------------------------


@dataclass
class Counts:
    people: set[int] = field(default_factory=set)
    episodes: int = 0
    screened: int = 0
    assessed: int = 0
    referred_on: int = 0
    attended: int = 0  # referred on, and attended a first appointment of any referral
    to_screening: list[float] = field(default_factory=list)
    to_assessment: list[float] = field(default_factory=list)


@dataclass
class Completeness:
    """People with an episode in the team, by how their ethnicity is recorded."""

    self_reported: int = 0
    stated_not_self_reported: int = 0
    not_stated: int = 0
    not_known: int = 0

    @property
    def total(self) -> int:
        return self.self_reported + self.stated_not_self_reported + self.not_stated + self.not_known


@dataclass
class LdFigures:
    by_code: dict[str, Counts]
    completeness: dict[Team, Completeness]


def _code_of(category: EthnicCategory | None) -> str:
    if category is None or category.kind == EthnicCategory.Kind.NOT_KNOWN:
        return NOT_KNOWN
    if category.kind == EthnicCategory.Kind.NOT_STATED:
        return NOT_STATED
    return category.code


def ld_figures(team_ids: tuple[int, ...], starts: datetime, ends: datetime) -> LdFigures:
    """Counts by NHS code for L&D episodes of `team_ids` referred in [starts, ends)."""
    episodes = Episode.objects.filter(
        pathway=Pathway.LIAISON_DIVERSION,
        team_id__in=team_ids,
        referred_at__gte=starts,
        referred_at__lt=ends,
    )
    ids = episodes.values("id")
    rows = list(episodes.values_list("id", "person_id", "team_id", "referred_at"))
    person_ids = {person_id for _, person_id, _, _ in rows}
    categories = {c.pk: c for c in EthnicCategory.objects.all()}
    recorded = {
        pk: (categories.get(cat_id) if cat_id else None, self_reported)
        for pk, cat_id, self_reported in Person.objects.filter(pk__in=person_ids).values_list(
            "pk", "ethnic_category_id", "ethnicity_self_reported"
        )
    }
    first_screening: dict[int, datetime] = {}
    for episode_id, at in (
        Screening.objects.filter(episode_id__in=ids)
        .order_by("screened_at", "pk")
        .values_list("episode_id", "screened_at")
    ):
        first_screening.setdefault(episode_id, at)
    reached: dict[int, dict[str, datetime]] = defaultdict(dict)
    for episode_id, stage, at in (
        EpisodeStatus.objects.filter(episode_id__in=ids)
        .order_by("episode_id", "seq")
        .values_list("episode_id", "stage", "at")
    ):
        reached[episode_id].setdefault(stage, at)
    referred_on: set[int] = set()
    attended: set[int] = set()
    for episode_id, went in OnwardReferral.objects.filter(episode_id__in=ids).values_list(
        "episode_id", "attended"
    ):
        referred_on.add(episode_id)
        if went is True:
            attended.add(episode_id)

    by_code: dict[str, Counts] = defaultdict(Counts)
    seen_in_team: set[tuple[int, int]] = set()
    completeness: dict[int, Completeness] = defaultdict(Completeness)
    for episode_id, person_id, team_id, referred_at in rows:
        category, self_reported = recorded.get(person_id, (None, False))
        code = _code_of(category)
        counts = by_code[code]
        counts.people.add(person_id)
        counts.episodes += 1
        stages = reached.get(episode_id, {})
        screened_at = first_screening.get(episode_id)
        if screened_at is not None or Stage.SCREENED in stages:
            counts.screened += 1
        if screened_at is not None:
            counts.to_screening.append((screened_at - referred_at).total_seconds() / HOURS)
        if Stage.ASSESSED in stages:
            counts.assessed += 1
            counts.to_assessment.append(
                (stages[Stage.ASSESSED] - referred_at).total_seconds() / HOURS
            )
        if episode_id in referred_on:
            counts.referred_on += 1
        if episode_id in attended:
            counts.attended += 1
        if (team_id, person_id) not in seen_in_team:
            seen_in_team.add((team_id, person_id))
            record = completeness[team_id]
            if code == NOT_KNOWN:
                record.not_known += 1
            elif code == NOT_STATED:
                record.not_stated += 1
            elif self_reported:
                record.self_reported += 1
            else:
                record.stated_not_self_reported += 1
    teams = Team.objects.filter(id__in=team_ids).order_by("name")
    return LdFigures(
        by_code=dict(by_code),
        completeness={t: completeness.get(t.id, Completeness()) for t in teams},
    )
