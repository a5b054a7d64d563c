"""Writing the worklist's read model (`WorklistEntry`) from the pathway apps' records.

`refresh_entries(episode_ids)` rewrites those episodes' rows (and removes the closed ones'):
the receivers in `worklist.receivers` call it whenever a record it is worked out from changes.
`rebuild_entries()` rewrites every row, after a bulk load that bypasses the receivers (COPY,
bulk_create, QuerySet.update): `manage.py rebuild_worklist`.

Both are one `INSERT ... SELECT` from the episodes, with the inputs read by the same kind of
correlated subqueries the reference order (`worklist.selectors.prioritised`) uses, but with
nothing that depends on the time: the dates themselves are stored, and the page compares them
with the time of the request (`worklist.ordering`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from healthjustice.core.value_lists import ids_param, ids_subquery
from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.choices import CustodyEventKind
from healthjustice.journeys.custody import BASE_LIMIT_HOURS
from healthjustice.journeys.models import CustodyEvent, Episode
from healthjustice.journeys.selectors import open_only
from healthjustice.mhtr.choices import SessionOutcome
from healthjustice.mhtr.models import (
    ComplianceNotice,
    CourtOutcome,
    TeamSettings,
    TreatmentSession,
)
from healthjustice.people.models import CareRelationship, RecordRestriction
from healthjustice.reconnect.models import (
    GatePlan,
    ReconnectReferral,
    ReconnectTeamSettings,
    ReleaseDetails,
    SupportContact,
    SupportExtension,
    SupportPlanNeed,
)
from healthjustice.screening.models import RiskAlert, Screening

from .models import WorklistEntry
from .reconnect_rules import awaiting_first_check, awaiting_four_week_check

# Rows written by one statement.
BATCH = 500
REBUILD_BATCH = 20_000


def _first(qs: QuerySet[Any], value: str, aggregate: Any) -> Subquery:
    """SQL: one aggregate over the rows of `qs` belonging to the outer episode."""
    return Subquery(qs.order_by().values("episode").annotate(v=aggregate(value)).values("v")[:1])


def _inputs() -> dict[str, Any]:
    """Each stored column (by its column name) as an expression over an outer Episode."""
    episode = OuterRef("pk")
    limits = CustodyEvent.objects.filter(episode=episode, ends_at__isnull=False)
    left = Exists(CustodyEvent.objects.filter(episode=episode, kind=CustodyEventKind.LEFT))
    arrived = F("cj_context__arrived_in_custody_at")
    unsent = ComplianceNotice.objects.filter(episode=episode, disclosure__isnull=True)
    sessions = TreatmentSession.objects.filter(episode=episode).exclude(
        outcome=SessionOutcome.CANCELLED_BY_SERVICE
    )
    latest_screening = (
        Screening.objects.filter(episode=episode)
        .order_by("-screened_at", "-pk")
        .annotate(score=F("risk_rank") * 10 + F("urgency_rank"))
        .values("score")[:1]
    )
    return {
        "episode_id": F("pk"),
        "team_id": F("team_id"),
        "person_id": F("person_id"),
        "allocated_worker_id": F("allocated_worker_id"),
        "site_id": F("site_id"),
        "pathway": F("pathway"),
        "setting": F("setting"),
        "stage": F("stage"),
        "referred_at": F("referred_at"),
        "open_care_since": Case(
            When(
                Q(person__merged_into__isnull=False)
                | Exists(RecordRestriction.objects.filter(person=OuterRef("person_id"))),
                then=Value(None),
            ),
            default=Subquery(
                CareRelationship.objects.filter(
                    person=OuterRef("person_id"), team=OuterRef("team_id"), ended_on__isnull=True
                )
                .order_by("started_on")
                .values("started_on")[:1]
            ),
            output_field=DateField(),
        ),
        "hearing_at": F("cj_context__hearing_at"),
        "custody_since": Case(
            When(left, then=Value(None)), default=arrived, output_field=DateTimeField()
        ),
        "custody_ends": Coalesce(
            _first(limits, "ends_at", Max),
            ExpressionWrapper(
                arrived + Value(timedelta(hours=BASE_LIMIT_HOURS)), output_field=DateTimeField()
            ),
            output_field=DateTimeField(),
        ),
        "custody_limit_hours": Subquery(
            limits.order_by("-ends_at", "-pk").values("limit_hours")[:1],
            output_field=IntegerField(),
        ),
        "release_on": F("cj_context__prison_release_on"),
        "psr_due_on": Case(
            When(cj_context__psr_requested=True, then=F("cj_context__psr_due_on")),
            default=None,
            output_field=DateField(),
        ),
        "notice_due_on": _first(unsent, "due_on", Min),
        "sentenced_on": Subquery(
            CourtOutcome.objects.filter(episode=episode, order_made=True).values("sentenced_on")[:1]
        ),
        "first_appointment_days": Subquery(
            TeamSettings.objects.filter(team=OuterRef("team")).values(
                "first_appointment_working_days"
            )[:1]
        ),
        "first_session_on": _first(sessions, "on", Min),
        "window_closes_on": Subquery(
            ReconnectReferral.objects.filter(episode=episode).values("window_closes")[:1]
        ),
        "gate_planned": Exists(GatePlan.objects.filter(episode=episode)),
        "support_planned": Exists(SupportPlanNeed.objects.filter(episode=episode)),
        "last_contact_on": _first(
            SupportContact.objects.filter(episode=episode, after_release=True), "contact_on", Max
        ),
        "released_on": Subquery(
            ReleaseDetails.objects.filter(episode=episode).values("released_on")[:1]
        ),
        "contact_days": Subquery(
            ReconnectTeamSettings.objects.filter(team=OuterRef("team")).values("contact_days")[:1]
        ),
        "support_extended": Exists(SupportExtension.objects.filter(episode=episode)),
        "extended_to": Subquery(
            SupportExtension.objects.filter(episode=episode)
            .order_by("-approved_at", "-pk")
            .values("extended_to")[:1]
        ),
        "engagement_due_on": Subquery(
            awaiting_first_check(episode).order_by("due").values("due")[:1]
        ),
        "first_checked_on": Subquery(
            awaiting_four_week_check(episode).order_by("checked_on").values("checked_on")[:1]
        ),
        "screening": Subquery(latest_screening, output_field=IntegerField()),
        "alerts": Coalesce(
            _first(
                RiskAlert.objects.filter(episode=episode, acknowledged_at__isnull=True),
                "pk",
                Count,
            ),
            Value(0),
            output_field=IntegerField(),
        ),
        "alert_source": Coalesce(
            Subquery(
                RiskAlert.objects.filter(episode=episode, acknowledged_at__isnull=True)
                .order_by("-raised_at", "-pk")
                .values("source")[:1]
            ),
            Value(""),
        ),
        "follow_up_due_on": _first(
            OnwardReferral.objects.filter(episode=episode, follow_up_done_at__isnull=True),
            "first_appointment_on",
            Min,
        ),
    }


def _table() -> str:
    return connection.ops.quote_name(WorklistEntry._meta.db_table)


def _columns() -> list[str]:
    return [f.column for f in WorklistEntry._meta.concrete_fields]


def _statement(episodes: QuerySet[Episode]) -> tuple[str, list[Any]]:
    """Insert or overwrite the rows of the open episodes among `episodes`: one statement."""
    inputs = _inputs()
    columns = _columns()
    missing = set(columns) ^ set(inputs)
    if missing:  # a column added to the model and not here, or the reverse
        raise RuntimeError(f"Worklist entry columns without an input: {sorted(missing)}")
    names = {column: f"wle_{column}" for column in columns}
    source = open_only(episodes).annotate(**{names[c]: inputs[c] for c in columns})
    sql, params = source.values(*names.values()).query.sql_with_params()
    quote = connection.ops.quote_name
    listed = ", ".join(quote(c) for c in columns)
    picked = ", ".join(quote(names[c]) for c in columns)
    updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in columns if c != "episode_id")
    table = _table()
    # `WHERE true` lets SQLite tell the ON CONFLICT clause from a join's ON.
    # Names from the model, values as parameters.
    statement = (
        f"INSERT INTO {table} ({listed}) SELECT {picked} FROM ({sql}) wle_source WHERE true "  # noqa: S608
        f"ON CONFLICT ({quote('episode_id')}) DO UPDATE SET {updates}"
    )
    return statement, list(params)


def _execute(statement: str, params: Sequence[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)


def _write(episodes: QuerySet[Episode]) -> int:
    return _execute(*_statement(episodes))


# Stands for the list of episode ids in the statements compiled once.
_IDS = "\x00worklist-entry-episode-ids\x00"


@dataclass(frozen=True)
class _Compiled:
    """A statement compiled once, and the places of the episode ids among its parameters."""

    sql: str
    params: list[Any]
    places: list[int]

    @classmethod
    def of(cls, sql: str, params: Sequence[Any]) -> _Compiled:
        places = [i for i, param in enumerate(params) if param == _IDS]
        if not places:
            raise RuntimeError("The episode ids are not among the statement's parameters")
        return cls(sql, list(params), places)

    def run(self, ids: list[int]) -> int:
        given = ids_param(ids)
        params = list(self.params)
        for place in self.places:
            params[place] = given
        return _execute(self.sql, params)


# Per database alias and vendor: the delete of the given episodes' rows that are no longer
# open, then the upsert of the open ones.
_compiled: dict[tuple[str, str], tuple[_Compiled, _Compiled]] = {}


def _by_ids() -> tuple[_Compiled, _Compiled]:
    """The statements of a refresh for episodes given by id, compiled once: building the
    upsert's two dozen correlated subqueries costs far more than running it for a few
    episodes, and every save of a record the order reads runs it."""
    key = (connection.alias, connection.vendor)
    if key not in _compiled:
        given = Episode.objects.filter(pk__in=RawSQL(ids_subquery(), (_IDS,)))  # noqa: S611
        open_sql, open_params = open_only(given).order_by().values("pk").query.sql_with_params()
        column = connection.ops.quote_name(WorklistEntry._meta.get_field("episode").column)
        # Rows of given ids whose episode is closed, or gone, go.
        delete = _Compiled.of(
            f"DELETE FROM {_table()} WHERE {column} IN ({ids_subquery()}) "  # noqa: S608
            f"AND {column} NOT IN ({open_sql})",
            [_IDS, *open_params],
        )
        _compiled[key] = (delete, _Compiled.of(*_statement(given)))
    return _compiled[key]


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def refresh_entries(episode_ids: Iterable[int]) -> None:
    """Rewrite the worklist rows of these episodes from their records: a row for each open
    one, none for a closed (or deleted) one."""
    ids = sorted({int(i) for i in episode_ids if i is not None})
    if not ids:
        return
    with transaction.atomic():
        delete, write = _by_ids()
        for chunk in _chunks(ids, BATCH):
            delete.run(chunk)
            write.run(chunk)


def refresh_team(team_id: int) -> None:
    """Rewrite the rows of a team's open episodes (a team setting the order reads changed)."""
    ids = WorklistEntry.objects.filter(team_id=team_id).values_list("episode_id", flat=True)
    refresh_entries(list(ids))


def refresh_people(person_ids: Iterable[int]) -> None:
    """Rewrite the rows of these people's episodes (a merge moved episodes between them)."""
    people = sorted({int(p) for p in person_ids if p is not None})
    if not people:
        return
    ids = set(Episode.objects.filter(person_id__in=people).values_list("pk", flat=True))
    ids |= set(
        WorklistEntry.objects.filter(person_id__in=people).values_list("episode_id", flat=True)
    )
    refresh_entries(ids)


def rebuild_entries(progress: Callable[[int, int], None] | None = None) -> int:
    """Rewrite every row: empty the table, then write the open episodes in batches of
    episode ids. Returns the number of rows written."""
    # TRUNCATE is quick, but not inside a transaction that has deferred constraint checks
    # still to run (a test's): then the rows are deleted.
    truncate = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if truncate:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"TRUNCATE {connection.ops.quote_name(WorklistEntry._meta.db_table)}"
                )
        else:
            WorklistEntry.objects.all().delete()
        bounds = open_only(Episode.objects.all()).aggregate(low=Min("pk"), high=Max("pk"))
        if bounds["low"] is None:
            return 0
        start, high = bounds["low"], bounds["high"]
        written = 0
        while start <= high:
            end = start + REBUILD_BATCH
            written += _write(Episode.objects.filter(pk__gte=start, pk__lt=end))
            if progress is not None:
                progress(written, min(end, high + 1) - bounds["low"])
            start = end
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {_table()}")
    return written


def timed_rebuild(write: Callable[[str], None]) -> int:
    """`rebuild_entries` with its progress and time written out."""
    started = time.perf_counter()

    def progress(rows: int, scanned: int) -> None:
        write(
            f"  {rows:,} rows from {scanned:,} episode ids ({time.perf_counter() - started:.0f} s)"
        )

    written = rebuild_entries(progress)
    write(f"Worklist rebuilt: {written:,} rows in {time.perf_counter() - started:.1f} s")
    return written
