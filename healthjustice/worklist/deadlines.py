"""MHTR deadlines on the worklist: compliance notices not yet sent to probation, the
pre-sentence report's due date, and the first appointment after sentence.

They are annotations on the worklist's one query, like its other priorities (no query per row),
and apply to MHTR episodes only, so other pathways' lists are ordered as before:

- a compliance notice past its due date and not sent puts the episode at the very top;
- otherwise, after the court and custody deadlines, the nearest of: an unsent notice's due date,
  the PSR's due date (requested, before sentence, criminal-justice details only for holders of
  CJ_CONTEXT_VIEW), and the first appointment's deadline (the team's
  `first_appointment_working_days` after sentence, while the order is made and no appointment is
  booked on or before it), each once it is overdue or near: notices and reports within
  `DEADLINE_WINDOW_DAYS`, first appointments within `FIRST_APPOINTMENT_WINDOW` working days
  (so an order made yesterday, with the default 5 working days, ranks whatever the holidays).

Working days are England and Wales weekdays that are not bank holidays (`mhtr.workdays`). The
database compares them as numbers: each day within a few weeks of today is given the count of
working days up to and including it (`working_day_numbers`), so "N working days after sentence"
is a sum and the bank holidays need no table. The words come from the same annotations, with the
dates worked out exactly in Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Case,
    DateField,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least

from healthjustice.core.dates import format_date
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.stages import MENTAL_HEALTH_TREATMENT_REQUIREMENT
from healthjustice.mhtr.choices import SessionOutcome
from healthjustice.mhtr.models import (
    DEFAULT_FIRST_APPOINTMENT_WORKING_DAYS,
    ComplianceNotice,
    CourtOutcome,
    TeamSettings,
    TreatmentSession,
)
from healthjustice.mhtr.workdays import add_working_days, is_working_day
from healthjustice.organisations.choices import Pathway

_MHTR_ORDER = MENTAL_HEALTH_TREATMENT_REQUIREMENT.order
BEFORE_SENTENCE: tuple[Stage, ...] = _MHTR_ORDER[: _MHTR_ORDER.index(Stage.ORDER_MADE)]
# A deadline ranks once it is overdue or this many days away; further off it is only shown.
DEADLINE_WINDOW_DAYS = 7
FIRST_APPOINTMENT_WINDOW = 5  # working days
# Sentences further back than this have certainly passed their first-appointment deadline
# (30 working days, the most a team may set, are at most 46 calendar days).
SENTENCE_LOOKBACK_DAYS = 50
# Overdue deadlines further back than this rank together, before the rest.
OVERDUE_LOOKBACK_DAYS = 14
# The ranking number of a day after every window: sorts last, never shown.
FAR_OFF = 10**6


@dataclass(frozen=True)
class Deadline:
    """One MHTR deadline in words; `level` as `selectors.Reason`."""

    text: str
    level: str


def working_day_numbers(start: date, end: date) -> dict[date, int]:
    """Each day from `start` to `end`, numbered by the working days from `start` up to and
    including it (a weekend or bank holiday has its preceding working day's number). The
    `n`-th working day after day `s` is then the working day numbered `number[s] + n`."""
    numbers: dict[date, int] = {}
    counted, day = 0, start
    while day <= end:
        if is_working_day(day):
            counted += 1
        numbers[day] = counted
        day += timedelta(days=1)
    return numbers


class _DayNumber(Expression):
    """SQL: the number `numbers` gives the date in `expression`; `before` for a date before the
    first day numbered, `after` for one after the last. Written as one simple CASE (the date is
    compared, not re-evaluated, per branch) and compiled as text, not as a When per day."""

    output_field = IntegerField()

    def __init__(
        self, expression: Any, numbers: Mapping[date, int], *, before: int, after: int
    ) -> None:
        super().__init__()
        self.expression = F(expression) if isinstance(expression, str) else expression
        self.numbers = dict(numbers)
        self.before, self.after = before, after

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    def set_source_expressions(self, exprs: Any) -> None:
        (self.expression,) = exprs

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        value, value_params = compiler.compile(self.expression)
        days = sorted(self.numbers)
        adapt = connection.ops.adapt_datefield_value
        branches = " ".join("WHEN %s THEN %s" for _ in days)
        sql = (
            f"CASE WHEN {value} < %s THEN %s WHEN {value} > %s THEN %s "
            f"ELSE CASE {value} {branches} END END"
        )
        params: list[Any] = [
            *value_params,
            adapt(days[0]),
            self.before,
            *value_params,
            adapt(days[-1]),
            self.after,
            *value_params,
        ]
        for day in days:
            params += [adapt(day), self.numbers[day]]
        return sql, params


def _number_of(
    field: str, numbers: Mapping[date, int], *, start: date, end: date, before: int, after: int
) -> _DayNumber:
    """SQL: the working-day number of the date in `field` (`before` / `after` outside)."""
    within = {day: n for day, n in numbers.items() if start <= day <= end}
    return _DayNumber(field, within, before=before, after=after)


def windows(today: date) -> tuple[date, date, date, dict[date, int]]:
    """The days the deadlines are ranked over, from `today`: the first sentence day looked at,
    the last day a deadline ranks ("soon"), the first day an overdue one is told apart from
    older ones ("recent"), and each day's working-day number from the first to the last day a
    first appointment can fall due."""
    first_day = today - timedelta(days=SENTENCE_LOOKBACK_DAYS)
    soon = today + timedelta(days=DEADLINE_WINDOW_DAYS)
    last_day = max(soon, add_working_days(today, FIRST_APPOINTMENT_WINDOW))
    recent = today - timedelta(days=OVERDUE_LOOKBACK_DAYS)
    return first_day, soon, recent, working_day_numbers(first_day, last_day)


def annotate_deadlines(
    qs: QuerySet[Episode], *, today: date, include_cj: bool
) -> QuerySet[Episode]:
    """Add what the words need (`wl_notice_due`, `wl_psr_due`, `wl_sentenced_on`,
    `wl_first_days`, `wl_first_session_on`; the stage is checked with the words), and for the
    order `wl_notice_overdue` and `wl_mhtr_rank` (the working-day number of the nearest
    deadline). Needs `current_stage`. The steps between are not selected."""
    first_day, soon, recent, numbers = windows(today)
    mhtr = Q(pathway=Pathway.MHTR)

    unsent = ComplianceNotice.objects.filter(episode=OuterRef("pk"), disclosure__isnull=True)
    notice_rank = Subquery(
        unsent.filter(due_on__lte=soon)
        .annotate(
            rank=_number_of("due_on", numbers, start=recent, end=soon, before=0, after=FAR_OFF)
        )
        .order_by("due_on")
        .values("rank")[:1],
        output_field=IntegerField(),
    )

    if include_cj:
        psr = mhtr & Q(cj_context__psr_requested=True)
        psr_due: Any = Case(
            When(psr, then=F("cj_context__psr_due_on")), default=None, output_field=DateField()
        )
        psr_rank: Any = Case(
            When(
                psr & Q(cj_context__psr_due_on__lte=soon) & Q(current_stage__in=BEFORE_SENTENCE),
                then=_number_of(
                    "cj_context__psr_due_on",
                    numbers,
                    start=recent,
                    end=soon,
                    before=0,
                    after=FAR_OFF,
                ),
            ),
            default=None,
            output_field=IntegerField(),
        )
    else:
        psr_due = Value(None, output_field=DateField())
        psr_rank = Value(None, output_field=IntegerField())

    # The first appointment: an order made, and (checked where used) not yet in treatment. The
    # order and the team's setting are read in subqueries, not joins, which the database runs
    # for MHTR rows only: joins would change the plan of every team's worklist.
    orders = CourtOutcome.objects.filter(episode=OuterRef("pk"), order_made=True)
    team_days = TeamSettings.objects.filter(team=OuterRef("team")).values(
        "first_appointment_working_days"
    )[:1]
    sessions = TreatmentSession.objects.exclude(outcome=SessionOutcome.CANCELLED_BY_SERVICE)
    # A session on day x is on or before working day D when the working days strictly before
    # x number fewer than D's: those up to x, less x itself when x is a working day.
    first_session_number = Coalesce(
        Subquery(
            sessions.filter(episode=OuterRef("episode"))
            .annotate(
                number=_DayNumber(
                    "on",
                    {day: n - 1 if is_working_day(day) else n for day, n in numbers.items()},
                    before=0,
                    after=FAR_OFF,
                )
            )
            .order_by("on")
            .values("number")[:1],
            output_field=IntegerField(),
        ),
        Value(FAR_OFF),  # none booked: as if booked after every deadline
    )
    # The deadline's number (the sentence's plus the team's working days), while it is within
    # the window and no appointment is booked on or before it: one subquery, so that the
    # database works it out for MHTR rows only and the query stays small.
    first_rank = Subquery(
        orders.annotate(
            due=_number_of(
                "sentenced_on", numbers, start=first_day, end=today, before=0, after=FAR_OFF
            )
            + Coalesce(
                F("episode__team__mhtr_settings__first_appointment_working_days"),
                Value(DEFAULT_FIRST_APPOINTMENT_WORKING_DAYS),
            ),
        )
        .alias(first_session=first_session_number)
        .filter(due__lte=numbers[today] + FIRST_APPOINTMENT_WINDOW, first_session__gte=F("due"))
        .values("due")[:1],
        output_field=IntegerField(),
    )

    qs = qs.annotate(
        wl_notice_due=Case(
            When(mhtr, then=Subquery(unsent.order_by("due_on").values("due_on")[:1])),
            default=None,
            output_field=DateField(),
        ),
        wl_notice_overdue=Case(
            When(
                mhtr,
                then=Subquery(
                    unsent.filter(due_on__lt=today).order_by("due_on").values("due_on")[:1]
                ),
            ),
            default=None,
            output_field=DateField(),
        ),
        wl_psr_due=psr_due,
        wl_sentenced_on=Case(
            When(mhtr, then=Subquery(orders.values("sentenced_on")[:1])),
            default=None,
            output_field=DateField(),
        ),
        wl_first_days=Case(
            When(mhtr, then=Subquery(team_days)), default=None, output_field=IntegerField()
        ),
        wl_first_session_on=Case(
            When(
                mhtr,
                then=Subquery(
                    sessions.filter(episode=OuterRef("pk")).order_by("on").values("on")[:1]
                ),
            ),
            default=None,
            output_field=DateField(),
        ),
    )
    # Nothing to rank sorts last (FAR_OFF), like the other priorities' missing values.
    return qs.annotate(
        wl_mhtr_rank=Least(
            Coalesce(Case(When(mhtr, then=notice_rank), default=None), Value(FAR_OFF)),
            Coalesce(psr_rank, Value(FAR_OFF)),
            Coalesce(
                Case(
                    When(mhtr & Q(current_stage=Stage.ORDER_MADE), then=first_rank),
                    default=None,
                    output_field=IntegerField(),
                ),
                Value(FAR_OFF),
            ),
            output_field=IntegerField(),
        ),
    )


def working_days_since(day: date, today: date) -> int:
    """The working days from `day` up to but not including `today` (a deadline on `day` missed
    on each of them)."""
    count, current = 0, day
    while current < today:
        if is_working_day(current):
            count += 1
        current += timedelta(days=1)
    return count


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def first_appointment_due(sentenced_on: date, working_days: int) -> date:
    """The last day for the first appointment: `working_days` working days after sentence."""
    return add_working_days(sentenced_on, working_days)


def notice_words(due: date, today: date) -> Deadline:
    if due < today:
        late = max(1, working_days_since(due, today))
        return Deadline(f"Compliance notice overdue by {_plural(late, 'working day')}", "urgent")
    if due == today:
        return Deadline("Compliance notice due today", "urgent")
    if due == today + timedelta(days=1):
        return Deadline("Compliance notice due tomorrow", "soon")
    return Deadline(f"Compliance notice due {format_date(due)}", "soon")


def psr_words(due: date, today: date) -> Deadline:
    days = (due - today).days
    when = format_date(due)
    if days < 0:
        return Deadline(f"PSR overdue by {_plural(-days, 'day')} (due {when})", "urgent")
    if days <= 1:
        return Deadline(f"PSR due {'today' if days == 0 else 'tomorrow'} ({when})", "urgent")
    if days <= DEADLINE_WINDOW_DAYS:
        return Deadline(f"PSR due in {days} days ({when})", "soon")
    return Deadline(f"PSR due {when}", "info")


def first_appointment_words(
    due: date, first_session_on: date | None, today: date
) -> Deadline | None:
    """None when an appointment is booked on or before the deadline."""
    if first_session_on is not None:
        if first_session_on <= due:
            return None
        return Deadline(
            f"First appointment booked for {format_date(first_session_on)}, "
            f"after the deadline of {format_date(due)}",
            "urgent" if due < today else "soon",
        )
    if due < today:
        return Deadline(f"First appointment overdue (due by {format_date(due)})", "urgent")
    if due == today:
        return Deadline("First appointment due today", "urgent")
    return Deadline(f"First appointment due by {format_date(due)}", "soon")


def shows_psr(episode: Any) -> bool:
    """Does this row show the pre-sentence report's due date (criminal-justice details)?"""
    return (
        getattr(episode, "wl_psr_due", None) is not None
        and getattr(episode, "current_stage", None) in BEFORE_SENTENCE
    )


def deadline_words(episode: Any, today: date) -> tuple[list[Deadline], list[Deadline]]:
    """What an annotated episode's MHTR deadlines say: (those shown first, overdue notices;
    the rest, shown after the court and custody deadlines)."""
    first: list[Deadline] = []
    rest: list[Deadline] = []
    notice = getattr(episode, "wl_notice_due", None)
    if notice is not None:
        (first if notice < today else rest).append(notice_words(notice, today))
    if shows_psr(episode):
        rest.append(psr_words(episode.wl_psr_due, today))
    sentenced = getattr(episode, "wl_sentenced_on", None)
    if sentenced is not None and getattr(episode, "current_stage", None) == Stage.ORDER_MADE:
        days = getattr(episode, "wl_first_days", None) or DEFAULT_FIRST_APPOINTMENT_WORKING_DAYS
        due = first_appointment_due(sentenced, days)
        words = first_appointment_words(due, getattr(episode, "wl_first_session_on", None), today)
        if words is not None:
            rest.append(words)
    return first, rest
