"""Bulk synthetic people for load tests: fast, not registrations, never the demo people.

Each person comes with other names, search names, care relationships to the existing teams,
episodes (about 1.5 a person) with their status rows, screenings, and audit events (10 a person
by default), in the proportions of a working service. Rows are built as tuples or as lines of
COPY text and written by COPY on PostgreSQL (`bulk.TableWriter`), by bulk_create on SQLite.
Search names use the same normalisation as `people.services.search_names_rebuild`, so search
behaves as it does for registered people.

Either one transaction per batch, or, with the indexes rebuilt (`seed_synthetic(indexes=...)`,
`indexes.rebuilt_indexes`), one transaction for the whole run with the loaded tables locked.

The audit events continue chain 1 of the trail: the transaction takes that chain's head as any
audit write does, numbers its rows above the highest on any chain, appends them with their hashes
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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Max, Model
from django.utils import timezone
from faker import Faker

from healthjustice.accounts.models import User
from healthjustice.audit.chain import GENESIS_HASH
from healthjustice.audit.chains import resync_sequence
from healthjustice.audit.models import AuditEvent, ChainHead
from healthjustice.core.bulk import TableWriter, copy_text
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
from healthjustice.people.names import first_given_name, normalise, phonetic_key
from healthjustice.screening.choices import RISK_RANK, URGENCY_RANK, RiskLevel, Urgency
from healthjustice.screening.models import Screening

from .generator import PersonGenerator, Pools
from .identifiers import sequential_nhs_numbers
from .indexes import rebuilt_indexes
from .reference import BLACK_COUNTRY, STAFFS
from .synthetic_episodes import CLOSURE_REASONS, RECENT_DAYS, SETTINGS, SOURCE_FOR_SETTING

DEFAULT_BATCH = 5000
DEFAULT_PRIMARY_SHARE = 0.5
DEFAULT_EPISODES_PER_PERSON = 1.5
DEFAULT_SCREENING_SHARE = 0.7
DEFAULT_AUDIT_PER_PERSON = 10
INDEX_CHOICES = ("auto", "rebuild", "keep")
# `--indexes auto` rebuilds from this many people (and only when the run at least doubles the
# people table): below it a run takes seconds either way, and is not worth locking the tables.
REBUILD_AT_LEAST = 10_000
SECOND_TEAM_SHARE = 0.25
HISTORY_DAYS = 720
# The version and variant bits of a random UUID (RFC 4122), as uuid.UUID(version=4) sets them.
VERSION_4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
VERSION_4_SET = (0x4000 << 64) | (0x8000 << 48)
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


@lru_cache(maxsize=50_000)
def _first(name: str) -> str:
    return first_given_name(name)[:100]


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
SEARCH_FIELDS = (
    "person",
    "given",
    "family",
    "given_key",
    "family_key",
    "is_alias",
    "given_first",
    "date_of_birth",
)
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
PERSON_COLUMNS = (
    "id",
    "public_id",
    *PERSON_FIELDS,
    "ethnic_category",
    "ethnicity_recorded_on",
    "created_at",
    "updated_at",
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


# A batch's rows, table by table: tuples, or COPY text (`bulk.TableWriter.write_text`).
Tables = list[tuple[type[Model], Sequence[str], "list[tuple[Any, ...]] | str"]]


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
        self.categories = {
            c.code: c.pk for c in EthnicCategory.objects.filter(code_list__is_current=True)
        }
        self.worker = load_worker() if (episodes_per_person or audit_per_person) else None
        self.defaults = {
            f.name: _plain(f.get_default())
            for f in Person._meta.concrete_fields
            if f.name in PERSON_FIELDS
        }
        self.json_at = [PERSON_FIELDS.index("communication_needs")]
        taken = Person.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True)
        self.generator = PersonGenerator(
            self.rng,
            Pools.build(faker, self.rng, size=3000),
            sequential_nhs_numbers(self.rng, taken.iterator(chunk_size=10_000)),
            self.today,
        )
        self.audit_done = 0
        # Set when the run holds the loaded tables locked in one transaction (indexes rebuilt):
        # then nobody else can write audit rows, so the head is read once, not every batch
        # (with the indexes dropped each read of the highest row would scan the whole table),
        # and the sequence is moved past the rows once, at the end (`seed_synthetic`).
        self.exclusive = False
        self.audit_seq = 0
        self.audit_prev = GENESIS_HASH
        self.audit_unsaved = 0
        self.audit_total = 0
        self.audit_start = self.now - datetime.timedelta(days=HISTORY_DAYS)
        self._episode_tables()

    def _worker(self) -> User:
        if self.worker is None:
            raise ValueError("No load worker: episodes and audit events were turned off.")
        return self.worker

    def _uuid(self) -> str:
        """A random (version 4) UUID's text, as `uuid.uuid4()` would give it."""
        bits = self.id_rng.getrandbits(128) & VERSION_4_CLEAR | VERSION_4_SET
        h = f"{bits:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def _pick_team(self) -> Team:
        if self.rng.random() < self.primary_share:
            return self.teams[0]
        return self.rng.choice(self.teams[1:] or self.teams)

    def _person_row(self, person_id: int, public_id: str, fields: dict[str, Any], team: Team):
        started = self.today - datetime.timedelta(days=self.rng.randint(0, HISTORY_DAYS))
        category = self.categories.get(fields.pop("_ethnic_code", None) or "")
        defaults = self.defaults
        values = [
            value.value if isinstance(value, enum.Enum) else value
            for value in [fields.get(name, defaults[name]) for name in PERSON_FIELDS]
        ]
        for i in self.json_at:
            values[i] = json.dumps(values[i])
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

    # Episodes, as benchmarks/worklist.py's loader makes them (synthetic_episodes.py), written
    # as COPY text (`bulk.TableWriter.write_text`): five rows an episode on average.
    def _episode_tables(self) -> None:
        """What every episode draws from, made once: settings repeated by weight (so a draw is
        one index), each stage's path through the state machine, and the screenings' risk and
        urgency in the same way."""
        self.setting_draw = [
            f"{setting.value}\t{{site}}\t{SOURCE_FOR_SETTING[setting].value}"
            for setting, weight in SETTINGS
            for _ in range(weight)
        ]
        self.open_paths = {
            stage: [str(s) for s in ORDER[: ORDER.index(stage) + 1]] for stage in OPEN_STAGES
        }
        self.closed_paths = [[*self.open_paths[stage], "closed"] for stage in OPEN_STAGES]
        self.closure_reasons = [copy_text(reason) for reason in CLOSURE_REASONS]
        risks = [(RiskLevel.LOW, 6), (RiskLevel.MEDIUM, 3), (RiskLevel.HIGH, 1)]
        urgencies = [
            (Urgency.ROUTINE, 10),
            (Urgency.SOON, 6),
            (Urgency.URGENT, 3),
            (Urgency.IMMEDIATE, 1),
        ]
        self.risk_draw = [
            (risk.value, RISK_RANK[risk], "f" if risk == RiskLevel.LOW else "t")
            for risk, weight in risks
            for _ in range(weight)
        ]
        self.urgency_draw = [
            (urgency.value, URGENCY_RANK[urgency])
            for urgency, weight in urgencies
            for _ in range(weight)
        ]
        self.episode_end = self.writer.text_suffix(Episode, EPISODE_FIELDS)
        self.status_end = self.writer.text_suffix(EpisodeStatus, STATUS_FIELDS)
        self.screening_end = self.writer.text_suffix(Screening, SCREENING_FIELDS)
        self.recent = datetime.timedelta(days=RECENT_DAYS)
        self.longest_step = datetime.timedelta(days=3)

    def _episode_rows(self, episode_id: int, person_id: int, team_id: int, out: dict) -> str:
        """Append the episode's line, its status rows' and maybe a screening's to `out`; return
        the episode's public id."""
        rng = self.rng
        random = rng.random
        referred_at = self.now - datetime.timedelta(seconds=rng.randint(60, HISTORY_DAYS * 86400))
        recent = self.now - referred_at < self.recent
        if (recent and random() < 0.8) or (not recent and random() < 0.03):
            path = self.open_paths[OPEN_STAGES[int(random() * len(OPEN_STAGES))]]
        else:
            path = self.closed_paths[int(random() * len(self.closed_paths))]
        setting = self.setting_draw[int(random() * len(self.setting_draw))]
        sites = self.sites.get(team_id)
        site = sites[int(random() * len(sites))] if sites else "\\N"
        public_id = self._uuid()
        when = referred_at.isoformat()
        out["episodes"].append(
            f"{episode_id}\t{public_id}\t{person_id}\t{team_id}\tld\t"
            f"{setting.format(site=site)}\t{when}\t{SYNTHETIC_REASON}\t{when}{self.episode_end}"
        )
        span = max((self.now - referred_at) / (len(path) + 1), datetime.timedelta(0))
        step = min(span, self.longest_step)
        statuses = out["statuses"]
        end = self.status_end
        for i, stage in enumerate(path):
            at = (referred_at + step * i).isoformat() if i else when
            reason = (
                self.closure_reasons[int(random() * len(self.closure_reasons))]
                if stage == "closed"
                else ""
            )
            statuses.append(f"{episode_id}\t{i + 1}\t{stage}\t{at}\t{reason}{end}")
        if "screened" in path and random() < self.screening_share:
            risk, risk_rank, full = self.risk_draw[int(random() * len(self.risk_draw))]
            urgency, urgency_rank = self.urgency_draw[int(random() * len(self.urgency_draw))]
            screened_at = (referred_at + datetime.timedelta(hours=1)).isoformat()
            out["screenings"].append(
                f"{self._uuid()}\t{episode_id}\t{screened_at}\t{self._worker().pk}\t"
                f'["mental_health"]\t{risk}\t{urgency}\t{risk_rank}\t{urgency_rank}\t{full}'
                f"{self.screening_end}"
            )
        return public_id

    def _chain_start(self) -> None:
        """Lock chain 1's head (until the transaction ends, as any audit write does) and carry
        on above the highest row number on any chain, from the head's hash."""
        head, _ = ChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
        )
        highest = AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0
        self.audit_seq, self.audit_prev = max(head.last_seq, highest), head.last_hash
        self.audit_unsaved = 0

    def _chain_end(self) -> None:
        """Move the head on past the rows written since `_chain_start`."""
        if self.audit_unsaved:
            ChainHead.objects.filter(id=1).update(
                last_seq=self.audit_seq,
                last_hash=self.audit_prev,
                length=F("length") + self.audit_unsaved,
            )
        self.audit_unsaved = 0

    def _audit_text(self, about: list[tuple[str, str | None]]) -> str:
        """COPY text for `audit_per_person` events for each (person, episode) public id,
        chained on from `_chain_start` or the previous call.

        Each row is made as two strings and nothing else: the JSON that its hash covers, in the
        form `audit.chain.row_digest` gives (keys sorted, no spaces), and its line of COPY text.
        The parts that are the same for every row of a step of `AUDIT_PATTERN` are made once."""
        if not about or not self.audit_per_person:
            return ""
        worker = self._worker()
        actor_id, username = str(worker.public_id), worker.username
        seq, prev = self.audit_seq, self.audit_prev
        suffix = self.writer.text_suffix(AuditEvent, AUDIT_FIELDS)
        user_text = copy_text(username)
        # For each step: about the episode?, the hashed JSON up to "detail", the hashed JSON
        # from "object_type" to "occurred_at", the COPY line from actor_id to object_id, and
        # the COPY line's access basis.
        steps = []
        for action, otype, of_episode in (*AUDIT_PATTERN, ("view", "person", False)):
            basis = "own_team" if action in BASIS_ACTIONS else ""
            opening = '{"access_basis":"own_team",' if basis else "{"
            steps.append(
                (
                    of_episode,
                    f'{opening}"action":"{action}","actor_id":"{actor_id}",'
                    f'"actor_username":{json.dumps(username)},"detail":',
                    f'","object_type":"{otype}","occurred_at":"',
                    f"\t{actor_id}\t{user_text}\t\t{action}\t{otype}\t",
                    f"\t{basis}\t",
                )
            )
        plain_view = steps[-1]
        pattern = steps[:-1]
        start = self.audit_start
        window_us = (self.now - self.audit_start) // datetime.timedelta(microseconds=1)
        total = max(self.audit_total, 1)
        done = self.audit_done
        one_us = datetime.timedelta(microseconds=1)
        sha = hashlib.sha256
        lines: list[str] = []
        for person, episode in about:
            person_detail = f'{{"person":"{person}"}}'
            for i in range(self.audit_per_person):
                of_episode, head_json, type_json, middle, basis = pattern[i % len(pattern)]
                if of_episode and episode is None:
                    of_episode, head_json, type_json, middle, basis = plain_view
                oid, detail = (episode, person_detail) if of_episode else (person, "{}")
                seq += 1
                when = (start + one_us * (window_us * done // total)).isoformat()
                done += 1
                digest = sha(
                    f'{prev}{head_json}{detail},"fields_changed":[],"object_id":"{oid}'
                    f'{type_json}{when}","remote_addr":"","seq":{seq}}}'.encode()
                ).hexdigest()
                lines.append(
                    f"{seq}\t{when}{middle}{oid}\t[]\t{detail}{basis}{prev}\t{digest}{suffix}"
                )
                prev = digest
        self.audit_done = done
        self.audit_seq, self.audit_prev = seq, prev
        self.audit_unsaved += len(lines)
        return "".join(lines)

    def _episode_count(self) -> int:
        whole = int(self.episodes_per_person)
        return whole + (self.rng.random() < self.episodes_per_person - whole)

    def _allocate(self, size: int) -> tuple[list[int], list[int], list[int]]:
        """Ids for the next `size` people and their episodes (how many each, then the ids), so
        that making the rows needs nothing from the database."""
        counts = [self._episode_count() for _ in range(size)]
        return self.writer.ids(Person, size), counts, self.writer.ids(Episode, sum(counts))

    def _make(self, person_ids: list[int], counts: list[int], episode_ids: list[int]) -> Tables:
        """The rows of a batch, table by table, without touching the database."""
        rng = self.rng
        people, aliases, searches, relationships = [], [], [], []
        made: list[tuple[int, str, int]] = []
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
            born = fields.get("date_of_birth")
            searches += [
                (person_id, _normal(g), _normal(f), _key(g), _key(f), alias, _first(g), born)
                for g, f, alias in names
            ]
            relationships.append((self._uuid(), person_id, team.pk, started, SYNTHETIC_REASON))
            if len(self.teams) > 1 and rng.random() < SECOND_TEAM_SHARE:
                other = rng.choice([t for t in self.teams if t.pk != team.pk])
                relationships.append((self._uuid(), person_id, other.pk, started, SYNTHETIC_REASON))
            made.append((person_id, public_id, team.pk))
        next_episode = iter(episode_ids)
        out: dict[str, list] = {"episodes": [], "statuses": [], "screenings": []}
        about: list[tuple[str, str | None]] = []
        for (person_id, public_id, team_id), count in zip(made, counts, strict=True):
            episode = None
            for _ in range(count):
                episode = self._episode_rows(next(next_episode), person_id, team_id, out)
            about.append((public_id, episode))
        return [
            (Person, PERSON_COLUMNS, people),
            (PersonAlias, ALIAS_FIELDS, aliases),
            (SearchName, SEARCH_FIELDS, searches),
            (CareRelationship, RELATIONSHIP_FIELDS, relationships),
            (Episode, EPISODE_FIELDS, "".join(out["episodes"])),
            (EpisodeStatus, STATUS_FIELDS, "".join(out["statuses"])),
            (Screening, SCREENING_FIELDS, "".join(out["screenings"])),
            (AuditEvent, AUDIT_FIELDS, self._audit_text(about)),
        ]

    def _write(self, tables: Tables) -> None:
        for model, fields, rows in tables:
            if isinstance(rows, str):
                self.writer.write_text(model, fields, rows)
            else:
                self.writer.write(model, fields, rows)

    def _batch(self, size: int) -> None:
        """One batch in its own transaction, with the head locked only while it is written."""
        with transaction.atomic():
            allocated = self._allocate(size)
            if self.audit_per_person:
                self._chain_start()
            self._write(self._make(*allocated))
            self._chain_end()
            resync_sequence()  # so writers on the other chains number their rows above these

    def run(self, people: int, batch: int = DEFAULT_BATCH) -> int:
        """Add `people` people, a batch a transaction; or, when `exclusive`, all in the
        caller's transaction, making each batch's rows while the database takes the previous
        batch's (`_run_overlapped`)."""
        started = time.perf_counter()
        self.audit_total = people * self.audit_per_person
        sizes = [min(batch, people - done) for done in range(0, people, batch)]
        batches = self._run_overlapped(sizes) if self.exclusive else map(self._batch, sizes)
        done = 0
        for size, _ in zip(sizes, batches, strict=True):
            done += size
            self.log(f"{done:,} of {people:,} people ({time.perf_counter() - started:.1f} s)")
        return done

    def _run_overlapped(self, sizes: list[int]) -> Iterator[None]:
        """Write each batch from a second thread while this one makes the next. The writing
        thread uses the same connection, so the same transaction; psycopg lets one thread use
        it at a time, and this thread only asks the database for ids between batches, when
        the writer has finished. A failure in either thread ends the run, and the caller's
        transaction rolls everything back. Yields once a batch is written."""
        if self.audit_per_person:
            self._chain_start()
        self.writer.raw = connection.connection  # psycopg's own, shareable between threads
        try:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="seed-copy") as pool:
                pending: Future[None] | None = None
                allocated = self._allocate(sizes[0])
                for i in range(len(sizes)):
                    tables = self._make(*allocated)
                    if pending is not None:
                        pending.result()
                        yield None
                    if i + 1 < len(sizes):
                        allocated = self._allocate(sizes[i + 1])
                    pending = pool.submit(self._write, tables)
                if pending is not None:
                    pending.result()
                    yield None
        finally:
            self.writer.raw = None
        self._chain_end()


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


def rebuild_indexes(indexes: str, people: int) -> bool:
    """Whether to load with the tables' indexes dropped and rebuilt (`indexes.rebuilt_indexes`)
    for `--indexes auto|rebuild|keep`. Never on SQLite. `auto` rebuilds when the run at least
    doubles the people table and adds at least `REBUILD_AT_LEAST` people."""
    if indexes not in INDEX_CHOICES:
        raise ValueError(f"indexes must be one of {', '.join(INDEX_CHOICES)}, not {indexes!r}")
    postgresql = connection.vendor == "postgresql"
    if indexes == "rebuild" and not postgresql:
        raise ValueError(f"indexes can be rebuilt on PostgreSQL only, not {connection.vendor}")
    if indexes != "auto":
        return indexes == "rebuild"
    return postgresql and people >= REBUILD_AT_LEAST and people >= Person.objects.count()


def seed_synthetic(
    *,
    people: int,
    batch: int = DEFAULT_BATCH,
    seed: int | None = None,
    primary_share: float = DEFAULT_PRIMARY_SHARE,
    episodes_per_person: float = DEFAULT_EPISODES_PER_PERSON,
    screening_share: float = DEFAULT_SCREENING_SHARE,
    audit_per_person: int = DEFAULT_AUDIT_PER_PERSON,
    indexes: str = "auto",
    log: Callable[[str], Any] | None = None,
) -> int:
    """Add `people` synthetic people linked to existing teams (the first team gets
    `primary_share` of them, so one team's practitioners see a large caseload), with about
    `episodes_per_person` episodes each, a screening on `screening_share` of the episodes that
    reached screening, and `audit_per_person` audit events each.

    With the indexes kept each batch is its own transaction. Rebuilding them (`indexes`, see
    `rebuild_indexes`) makes the whole run one transaction, with the loaded tables locked
    against every other session until it commits; if anything fails nothing is written."""
    say = log or (lambda _msg: None)

    def loader() -> SyntheticLoader:
        return SyntheticLoader(
            seed=seed,
            primary_share=primary_share,
            episodes_per_person=episodes_per_person,
            screening_share=screening_share,
            audit_per_person=audit_per_person,
            log=log,
        )

    if not rebuild_indexes(indexes, people):
        added = loader().run(people, batch)
    else:
        with transaction.atomic():
            synthetic = loader()
            synthetic.exclusive = True
            started = time.perf_counter()
            with rebuilt_indexes(LOADED) as dropped:
                say(f"Dropped {len(dropped)} indexes, unique constraints and foreign keys.")
                added = synthetic.run(people, batch)
                loaded = time.perf_counter()
            say(f"Rebuilt them in {time.perf_counter() - loaded:.1f} s; committing.")
            resync_sequence()
        say(f"Loaded and rebuilt in {time.perf_counter() - started:.1f} s.")
    refresh_planner_statistics()
    return added
