"""Bulk synthetic people for load tests: fast, not registrations, never the demo people.

Each person comes with other names, search names, care relationships to the existing teams,
episodes (about 1.5 a person) with their status rows, screenings, and audit events (10 a person
by default), in the proportions of a working service. Rows are built as tuples and written by
COPY on PostgreSQL (`bulk.TableWriter`), by bulk_create on SQLite, one transaction per batch.
Search names use the same normalisation as `people.services.search_names_rebuild`, so search
behaves as it does for registered people.

The audit events continue chain 1 of the trail: each batch takes that chain's head as any audit
write does, numbers its rows above the highest on any chain, appends them with their hashes
linked from the head's, and moves the head on, so `manage.py audit_verify` checks them as
it checks every other row.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import json
import random
import time
import uuid
from collections.abc import Callable
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from faker import Faker

from healthjustice.accounts.models import User
from healthjustice.audit.chain import GENESIS_HASH, hashed_fields, row_digest
from healthjustice.audit.chains import resync_sequence
from healthjustice.audit.models import AuditEvent, ChainHead
from healthjustice.journeys.models import Episode, EpisodeStatus
from healthjustice.journeys.stages import OPEN_STAGES, ORDER
from healthjustice.organisations.choices import CareSetting, Pathway
from healthjustice.organisations.models import Organisation, Region, Site, Team
from healthjustice.people.models import (
    CareRelationship,
    EthnicCategory,
    Person,
    PersonAlias,
    SearchName,
)
from healthjustice.people.names import normalise, phonetic_key
from healthjustice.screening.choices import RISK_RANK, URGENCY_RANK, RiskLevel, Urgency
from healthjustice.screening.models import Screening

from .bulk import TableWriter
from .generator import PersonGenerator, Pools
from .identifiers import sequential_nhs_numbers
from .reference import BLACK_COUNTRY, STAFFS
from .synthetic_episodes import CLOSURE_REASONS, RECENT_DAYS, SETTINGS, SOURCE_FOR_SETTING

DEFAULT_BATCH = 5000
DEFAULT_PRIMARY_SHARE = 0.5
DEFAULT_EPISODES_PER_PERSON = 1.5
DEFAULT_SCREENING_SHARE = 0.7
DEFAULT_AUDIT_PER_PERSON = 10
SECOND_TEAM_SHARE = 0.25
HISTORY_DAYS = 720
LOAD_TEST_REGION = "Load test region"
LOAD_TEST_ODS = "XLOAD"
LOAD_WORKER = "load.worker"
SYNTHETIC_REASON = "Synthetic load data"

# What happens to a person's record, in order, repeated for more events a person: registered,
# searched for and viewed, an episode opened and screened, the record viewed again.
AUDIT_PATTERN: tuple[tuple[str, str, bool], ...] = (
    # (action, object, about the person's episode rather than the person)
    ("create", "person", False),
    ("view", "person", False),
    ("create", "episode", True),
    ("view", "episode", True),
    ("create", "screening", True),
    ("view", "person", False),
    ("update", "episode", True),
    ("view", "episode", True),
    ("view", "person", False),
    ("update", "person", False),
)
BASIS_ACTIONS = frozenset({"view", "create", "update", "delete", "export"})


@lru_cache(maxsize=50_000)
def _normal(name: str) -> str:
    return normalise(name)[:100]


@lru_cache(maxsize=50_000)
def _key(name: str) -> str:
    return phonetic_key(name)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


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


def load_worker() -> User:
    """The account recorded as screener and as the actor of the load data's audit events."""
    user, created = User.objects.get_or_create(
        username=LOAD_WORKER,
        defaults={"first_name": "Load", "last_name": "Worker", "job_title": "Load test"},
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _region_key(team: Team) -> str:
    return BLACK_COUNTRY if "black country" in team.region.name.lower() else STAFFS


PERSON_FIELDS = [
    f.name
    for f in Person._meta.concrete_fields
    if f.name
    not in {
        "id",
        "public_id",
        "created_at",
        "updated_at",
        "ethnic_category",
        "ethnicity_recorded_on",
    }
]
ALIAS_FIELDS = ("person", "given_name", "family_name", "kind", "recorded_at")
SEARCH_FIELDS = ("person", "given", "family", "given_key", "family_key", "is_alias")
RELATIONSHIP_FIELDS = ("public_id", "person", "team", "started_on", "reason")
EPISODE_FIELDS = (
    "id",
    "public_id",
    "person",
    "team",
    "pathway",
    "setting",
    "site",
    "referral_source",
    "referred_at",
    "reason",
    "created_at",
)
STATUS_FIELDS = ("episode", "seq", "stage", "at", "closure_reason")
SCREENING_FIELDS = (
    "public_id",
    "episode",
    "screened_at",
    "screened_by",
    "vulnerabilities",
    "risk_level",
    "urgency",
    "risk_rank",
    "urgency_rank",
    "full_assessment_needed",
)
AUDIT_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_username",
    "remote_addr",
    "action",
    "object_type",
    "object_id",
    "fields_changed",
    "detail",
    "access_basis",
    "prev_hash",
    "hash",
)


def _json_safe(text: str) -> bool:
    return json.dumps(text)[1:-1] == text


class SyntheticLoader:
    def __init__(
        self,
        *,
        seed: int | None = None,
        primary_share: float = DEFAULT_PRIMARY_SHARE,
        episodes_per_person: float = DEFAULT_EPISODES_PER_PERSON,
        screening_share: float = DEFAULT_SCREENING_SHARE,
        audit_per_person: int = DEFAULT_AUDIT_PER_PERSON,
        log: Callable[[str], Any] | None = None,
    ) -> None:
        self.rng = random.Random(seed)
        # Public ids from the system's entropy: a second run with the same seed must not clash.
        self.id_rng = random.Random()
        faker = Faker("en_GB")
        faker.seed_instance(seed)
        self.log = log or (lambda _msg: None)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.writer = TableWriter()
        self.teams = load_test_teams()
        self.primary_share = primary_share if len(self.teams) > 1 else 1.0
        self.episodes_per_person = episodes_per_person
        self.screening_share = screening_share
        self.audit_per_person = audit_per_person
        self.regions = {team.pk: _region_key(team) for team in self.teams}
        self.sites: dict[int, list[int]] = {}
        for site_id, team_id in Site.teams.through.objects.values_list("site_id", "team_id"):
            self.sites.setdefault(team_id, []).append(site_id)
        self.settings, self.weights = zip(*SETTINGS, strict=True)
        self.categories = {
            c.code: c.pk for c in EthnicCategory.objects.filter(code_list__is_current=True)
        }
        self.worker = load_worker() if (episodes_per_person or audit_per_person) else None
        self.defaults = {
            f.name: _plain(f.get_default())
            for f in Person._meta.concrete_fields
            if f.name in PERSON_FIELDS
        }
        self.json_fields = {"communication_needs"}
        taken = Person.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True)
        self.generator = PersonGenerator(
            self.rng,
            Pools.build(faker, self.rng, size=3000),
            sequential_nhs_numbers(self.rng, taken.iterator(chunk_size=10_000)),
            self.today,
        )
        self.audit_done = 0
        self.audit_total = 0
        self.audit_start = self.now - datetime.timedelta(days=HISTORY_DAYS)

    def _worker(self) -> User:
        if self.worker is None:
            raise ValueError("No load worker: episodes and audit events were turned off.")
        return self.worker

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.id_rng.getrandbits(128), version=4)

    def _pick_team(self) -> Team:
        if self.rng.random() < self.primary_share:
            return self.teams[0]
        return self.rng.choice(self.teams[1:] or self.teams)

    def _person_row(self, person_id: int, public_id: uuid.UUID, fields: dict[str, Any], team: Team):
        started = self.today - datetime.timedelta(days=self.rng.randint(0, HISTORY_DAYS))
        category = self.categories.get(fields.pop("_ethnic_code", None) or "")
        values = []
        for name in PERSON_FIELDS:
            value = _plain(fields.get(name, self.defaults[name]))
            if name in self.json_fields:
                value = json.dumps(value)
            values.append(value)
        row = (
            person_id,
            public_id,
            *values,
            category,
            started if category else None,
            self.now,
            self.now,
        )
        return row, started

    # Episodes, as benchmarks/worklist.py's loader makes them (synthetic_episodes.py).
    def _stage(self, referred_at: datetime.datetime) -> str:
        recent = self.now - referred_at < datetime.timedelta(days=RECENT_DAYS)
        if (recent and self.rng.random() < 0.8) or (not recent and self.rng.random() < 0.03):
            return self.rng.choice(OPEN_STAGES)
        return "closed"

    def _episode_rows(self, episode_id: int, person_id: int, team_id: int, out: dict) -> uuid.UUID:
        rng = self.rng
        referred_at = self.now - datetime.timedelta(seconds=rng.randint(60, HISTORY_DAYS * 86400))
        stage = self._stage(referred_at)
        setting = rng.choices(self.settings, self.weights)[0]
        sites = self.sites.get(team_id)
        public_id = self._uuid()
        out["episodes"].append(
            (
                episode_id,
                public_id,
                person_id,
                team_id,
                "ld",
                setting.value,
                rng.choice(sites) if sites else None,
                SOURCE_FOR_SETTING[setting].value,
                referred_at,
                SYNTHETIC_REASON,
                referred_at,
            )
        )
        if stage == "closed":
            last_open = rng.choice(OPEN_STAGES)
            path = [*ORDER[: ORDER.index(last_open) + 1], "closed"]
        else:
            path = list(ORDER[: ORDER.index(stage) + 1])
        span = max((self.now - referred_at) / (len(path) + 1), datetime.timedelta(0))
        step = min(span, datetime.timedelta(days=3))
        for i, s in enumerate(path):
            out["statuses"].append(
                (
                    episode_id,
                    i + 1,
                    str(s),
                    referred_at + step * i,
                    rng.choice(CLOSURE_REASONS) if s == "closed" else "",
                )
            )
        if "screened" in path and rng.random() < self.screening_share:
            risk = rng.choices(RiskLevel.values, (6, 3, 1))[0]
            urgency = rng.choices(Urgency.values, (5, 3, 1.5, 0.5))[0]
            out["screenings"].append(
                (
                    self._uuid(),
                    episode_id,
                    referred_at + datetime.timedelta(hours=1),
                    self._worker().pk,
                    '["mental_health"]',
                    risk,
                    urgency,
                    RISK_RANK[RiskLevel(risk)],
                    URGENCY_RANK[Urgency(urgency)],
                    risk != RiskLevel.LOW,
                )
            )
        return public_id

    def _audit_rows(self, about: list[tuple[str, str | None]]) -> None:
        """Append `audit_per_person` events for each (person, episode) public id, chained from
        the head, which stays locked until the batch commits."""
        if not about or not self.audit_per_person:
            return
        worker = self._worker()
        actor_id, username = str(worker.public_id), worker.username
        head, _ = ChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
        )
        # Row numbers are shared by all the chains: carry on above the highest on any of them.
        highest = AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0
        seq, prev = max(head.last_seq, highest), head.last_hash
        fast = _json_safe(username)
        window = self.now - self.audit_start
        total = max(self.audit_total, 1)
        rows = []
        pattern = AUDIT_PATTERN
        sha = hashlib.sha256
        for person, episode in about:
            for i in range(self.audit_per_person):
                action, otype, of_episode = pattern[i % len(pattern)]
                if of_episode and episode is None:
                    action, otype, of_episode = "view", "person", False
                seq += 1
                at = self.audit_start + window * (self.audit_done / total)
                self.audit_done += 1
                oid = episode if of_episode else person
                detail = f'{{"person":"{person}"}}' if of_episode else "{}"
                basis = "own_team" if action in BASIS_ACTIONS else ""
                when = at.isoformat()
                if fast:
                    payload = (
                        ('{"access_basis":"own_team",' if basis else "{")
                        + f'"action":"{action}","actor_id":"{actor_id}",'
                        f'"actor_username":"{username}","detail":{detail},'
                        f'"fields_changed":[],"object_id":"{oid}","object_type":"{otype}",'
                        f'"occurred_at":"{when}","remote_addr":"","seq":{seq}}}'
                    )
                    digest = sha((prev + payload).encode()).hexdigest()
                else:
                    digest = row_digest(
                        prev,
                        hashed_fields(
                            SimpleNamespace(
                                seq=seq,
                                occurred_at=at,
                                actor_id=actor_id,
                                actor_username=username,
                                remote_addr="",
                                action=action,
                                object_type=otype,
                                object_id=oid,
                                fields_changed=[],
                                detail=json.loads(detail),
                                access_basis=basis,
                            )
                        ),
                    )
                rows.append(
                    (
                        seq,
                        at,
                        actor_id,
                        username,
                        "",
                        action,
                        otype,
                        oid,
                        "[]",
                        detail,
                        basis,
                        prev,
                        digest,
                    )
                )
                prev = digest
        self.writer.write(AuditEvent, AUDIT_FIELDS, rows)
        ChainHead.objects.filter(id=1).update(
            last_seq=seq, last_hash=prev, length=F("length") + len(rows)
        )
        resync_sequence()  # so writers on the other chains number their rows above these

    def _episode_count(self) -> int:
        whole = int(self.episodes_per_person)
        return whole + (self.rng.random() < self.episodes_per_person - whole)

    def _batch(self, size: int) -> None:
        rng = self.rng
        writer = self.writer
        with transaction.atomic():
            person_ids = writer.ids(Person, size)
            people, aliases, searches, relationships = [], [], [], []
            made: list[tuple[int, uuid.UUID, int]] = []
            for person_id in person_ids:
                team = self._pick_team()
                draft = self.generator.draft(self.regions[team.pk])
                fields = dict(draft.fields)
                fields["_ethnic_code"] = draft.ethnic_code
                public_id = self._uuid()
                row, started = self._person_row(person_id, public_id, fields, team)
                people.append(row)
                family = fields["family_name"]
                names = [(fields["given_name"], family, False)]
                if fields.get("preferred_name"):
                    names.append((fields["preferred_name"], family, False))
                for given, other_family, kind in draft.aliases:
                    aliases.append((person_id, given, other_family, _plain(kind), self.now))
                    names.append((given, other_family, True))
                searches += [
                    (person_id, _normal(g), _normal(f), _key(g), _key(f), alias)
                    for g, f, alias in names
                ]
                relationships.append((self._uuid(), person_id, team.pk, started, SYNTHETIC_REASON))
                if len(self.teams) > 1 and rng.random() < SECOND_TEAM_SHARE:
                    other = rng.choice([t for t in self.teams if t.pk != team.pk])
                    relationships.append(
                        (self._uuid(), person_id, other.pk, started, SYNTHETIC_REASON)
                    )
                made.append((person_id, public_id, team.pk))
            writer.write(
                Person,
                [
                    "id",
                    "public_id",
                    *PERSON_FIELDS,
                    "ethnic_category",
                    "ethnicity_recorded_on",
                    "created_at",
                    "updated_at",
                ],
                people,
            )
            writer.write(PersonAlias, ALIAS_FIELDS, aliases)
            writer.write(SearchName, SEARCH_FIELDS, searches)
            writer.write(CareRelationship, RELATIONSHIP_FIELDS, relationships)
            counts = [self._episode_count() for _ in made]
            episode_ids = iter(writer.ids(Episode, sum(counts)))
            out: dict[str, list] = {"episodes": [], "statuses": [], "screenings": []}
            about: list[tuple[str, str | None]] = []
            for (person_id, public_id, team_id), count in zip(made, counts, strict=True):
                episode = None
                for _ in range(count):
                    episode = self._episode_rows(next(episode_ids), person_id, team_id, out)
                about.append((str(public_id), str(episode) if episode else None))
            writer.write(Episode, EPISODE_FIELDS, out["episodes"])
            writer.write(EpisodeStatus, STATUS_FIELDS, out["statuses"])
            writer.write(Screening, SCREENING_FIELDS, out["screenings"])
            self._audit_rows(about)

    def run(self, people: int, batch: int = DEFAULT_BATCH) -> int:
        started = time.perf_counter()
        self.audit_total = people * self.audit_per_person
        done = 0
        while done < people:
            size = min(batch, people - done)
            self._batch(size)
            done += size
            self.log(f"{done:,} of {people:,} people ({time.perf_counter() - started:.1f} s)")
        refresh_planner_statistics()
        return done


LOADED = (
    Person,
    PersonAlias,
    SearchName,
    CareRelationship,
    Episode,
    EpisodeStatus,
    Screening,
    AuditEvent,
)


def refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL's statistics are stale until autovacuum catches up, and its
    plans for the access checks are then several times slower; bring them up to date now."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in LOADED:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def seed_synthetic(
    *,
    people: int,
    batch: int = DEFAULT_BATCH,
    seed: int | None = None,
    primary_share: float = DEFAULT_PRIMARY_SHARE,
    episodes_per_person: float = DEFAULT_EPISODES_PER_PERSON,
    screening_share: float = DEFAULT_SCREENING_SHARE,
    audit_per_person: int = DEFAULT_AUDIT_PER_PERSON,
    log: Callable[[str], Any] | None = None,
) -> int:
    """Add `people` synthetic people linked to existing teams (the first team gets
    `primary_share` of them, so one team's practitioners see a large caseload), with about
    `episodes_per_person` episodes each, a screening on `screening_share` of the episodes that
    reached screening, and `audit_per_person` audit events each."""
    loader = SyntheticLoader(
        seed=seed,
        primary_share=primary_share,
        episodes_per_person=episodes_per_person,
        screening_share=screening_share,
        audit_per_person=audit_per_person,
        log=log,
    )
    return loader.run(people, batch)
