"""Bulk synthetic people for load tests: fast, not audited, never the demo people.

People, other names, search names and care relationships are written with bulk_create, one
transaction per batch. Search names use the same normalisation as
`people.services.search_names_rebuild`, so search behaves as it does for registered people.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from healthjustice.organisations.choices import CareSetting, Pathway
from healthjustice.organisations.models import Organisation, Region, Team
from healthjustice.people.models import (
    CareRelationship,
    EthnicCategory,
    Person,
    PersonAlias,
    SearchName,
)
from healthjustice.people.names import normalise, phonetic_key

from .generator import PersonGenerator, Pools
from .identifiers import sequential_nhs_numbers
from .reference import BLACK_COUNTRY, STAFFS

DEFAULT_BATCH = 5000
DEFAULT_PRIMARY_SHARE = 0.5
SECOND_TEAM_SHARE = 0.25
HISTORY_DAYS = 720
LOAD_TEST_REGION = "Load test region"
LOAD_TEST_ODS = "XLOAD"


@lru_cache(maxsize=50_000)
def _normal(name: str) -> str:
    return normalise(name)[:100]


@lru_cache(maxsize=50_000)
def _key(name: str) -> str:
    return phonetic_key(name)


def load_test_teams() -> list[Team]:
    """Active teams people can be linked to (not the carers' teams); one is made if none exist."""
    teams = list(
        Team.objects.filter(is_active=True)
        .exclude(pathway=Pathway.CARERS)
        .select_related("region")
        .order_by("pk")
    )
    if teams:
        return teams
    region, _ = Region.objects.get_or_create(name=LOAD_TEST_REGION)
    trust, _ = Organisation.objects.get_or_create(
        ods_code=LOAD_TEST_ODS, defaults={"name": "Load test NHS trust"}
    )
    team, _ = Team.objects.get_or_create(
        organisation=trust,
        name="Load test liaison and diversion",
        defaults={
            "region": region,
            "pathway": Pathway.LIAISON_DIVERSION,
            "settings_covered": [CareSetting.POLICE_CUSTODY, CareSetting.COURT],
        },
    )
    return [team]


def _region_key(team: Team) -> str:
    return BLACK_COUNTRY if "black country" in team.region.name.lower() else STAFFS


def _search_rows(person: Person, aliases: list[PersonAlias]) -> list[SearchName]:
    names = [(person.given_name, person.family_name, False)]
    if person.preferred_name:
        names.append((person.preferred_name, person.family_name, False))
    names += [(a.given_name, a.family_name, True) for a in aliases]
    return [
        SearchName(
            person=person,
            given=_normal(given),
            family=_normal(family),
            given_key=_key(given),
            family_key=_key(family),
            is_alias=is_alias,
        )
        for given, family, is_alias in names
    ]


class SyntheticLoader:
    def __init__(
        self,
        *,
        seed: int | None = None,
        primary_share: float = DEFAULT_PRIMARY_SHARE,
        log: Callable[[str], Any] | None = None,
    ) -> None:
        self.rng = random.Random(seed)
        faker = Faker("en_GB")
        faker.seed_instance(seed)
        self.log = log or (lambda _msg: None)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.teams = load_test_teams()
        self.primary_share = primary_share if len(self.teams) > 1 else 1.0
        self.regions = {team.pk: _region_key(team) for team in self.teams}
        self.categories = {
            c.code: c.pk for c in EthnicCategory.objects.filter(code_list__is_current=True)
        }
        taken = Person.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True)
        self.generator = PersonGenerator(
            self.rng,
            Pools.build(faker, self.rng, size=3000),
            sequential_nhs_numbers(self.rng, taken.iterator(chunk_size=10_000)),
            self.today,
        )

    def _pick_team(self) -> Team:
        if self.rng.random() < self.primary_share:
            return self.teams[0]
        return self.rng.choice(self.teams[1:] or self.teams)

    def _person(self, team: Team) -> tuple[Person, list[tuple[str, str, str]], datetime.date]:
        draft = self.generator.draft(self.regions[team.pk])
        started = self.today - datetime.timedelta(days=self.rng.randint(0, HISTORY_DAYS))
        category = self.categories.get(draft.ethnic_code)
        person = Person(
            **draft.fields,
            ethnic_category_id=category,
            ethnicity_recorded_on=started if category else None,
            created_at=self.now,
            updated_at=self.now,
        )
        return person, draft.aliases, started

    @transaction.atomic
    def _batch(self, size: int) -> None:
        rows = []
        for _ in range(size):
            team = self._pick_team()
            person, aliases, started = self._person(team)
            rows.append((person, aliases, started, team))
        Person.objects.bulk_create([r[0] for r in rows])
        alias_rows: list[PersonAlias] = []
        search_rows: list[SearchName] = []
        relationships: list[CareRelationship] = []
        for person, aliases, started, team in rows:
            own = [
                PersonAlias(person=person, given_name=g, family_name=f, kind=k)
                for g, f, k in aliases
            ]
            alias_rows += own
            search_rows += _search_rows(person, own)
            relationships.append(
                CareRelationship(
                    person=person, team=team, started_on=started, reason="Synthetic load data"
                )
            )
            if len(self.teams) > 1 and self.rng.random() < SECOND_TEAM_SHARE:
                other = self.rng.choice([t for t in self.teams if t.pk != team.pk])
                relationships.append(
                    CareRelationship(
                        person=person, team=other, started_on=started, reason="Synthetic load data"
                    )
                )
        PersonAlias.objects.bulk_create(alias_rows)
        SearchName.objects.bulk_create(search_rows)
        CareRelationship.objects.bulk_create(relationships)

    def run(self, people: int, batch: int = DEFAULT_BATCH) -> int:
        started = time.perf_counter()
        done = 0
        while done < people:
            size = min(batch, people - done)
            self._batch(size)
            done += size
            self.log(f"{done:,} of {people:,} people ({time.perf_counter() - started:.1f} s)")
        refresh_planner_statistics()
        return done


def refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL's statistics are stale until autovacuum catches up, and its
    plans for the access checks are then several times slower; bring them up to date now."""
    if connection.vendor != "postgresql":
        return
    tables = [m._meta.db_table for m in (Person, PersonAlias, SearchName, CareRelationship)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def seed_synthetic(
    *,
    people: int,
    batch: int = DEFAULT_BATCH,
    seed: int | None = None,
    primary_share: float = DEFAULT_PRIMARY_SHARE,
    log: Callable[[str], Any] | None = None,
) -> int:
    """Add `people` synthetic people linked to existing teams (the first team gets
    `primary_share` of them, so one team's practitioners see a large caseload)."""
    loader = SyntheticLoader(seed=seed, primary_share=primary_share, log=log)
    return loader.run(people, batch)
