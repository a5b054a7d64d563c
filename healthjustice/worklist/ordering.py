"""The worklist's order from its read model (`WorklistEntry`): the same order as the reference,
`worklist.selectors.prioritised`, worked out from stored columns of one table, compared with the
time of the request, with no subquery per row.

Each expression here mirrors one of the reference's annotations, step for step: the windows
(a hearing within HJ_WORKLIST_HEARING_HOURS, a release within 7 days, MHTR's working days,
RECONNECT's rules) are the same CASE expressions over the stored dates, so the order is the
same at any moment, and a row is not rewritten as time passes. `tests/worklist/
test_read_model_order.py` holds the two orders equal on generated data at several moments.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Case,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, NullIf
from django.db.models.lookups import LessThan, LessThanOrEqual
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.custody import BASE_LIMIT_HOURS
from healthjustice.journeys.models import Episode
from healthjustice.mhtr.models import DEFAULT_FIRST_APPOINTMENT_WORKING_DAYS
from healthjustice.mhtr.workdays import is_working_day
from healthjustice.organisations.choices import Pathway
from healthjustice.reconnect.models import DEFAULT_CONTACT_DAYS
from healthjustice.reconnect.services import (
    AFTER_RELEASE,
    BEFORE_RELEASE,
    FOUR_WEEKS,
    HANDOVER_STAGES,
)

from .deadlines import (
    BEFORE_SENTENCE,
    FAR_OFF,
    FIRST_APPOINTMENT_WINDOW,
    _DayNumber,
    _number_of,
    windows,
)
from .models import WorklistEntry
from .reconnect_rules import (
    _OLD,
    LOOKBACK_DAYS,
    SOON_DAYS,
    _days_from,
    _offset,
    _six_month_ends,
    first_rule,
)
from .selectors import (
    NO_DEADLINE,
    RELEASE_WINDOW_DAYS,
    hearing_window,
    narrowed,
    release_moment,
)

_NONE = Value(None, output_field=IntegerField())


def entries_filtered(user: User, **filters: Any) -> QuerySet[WorklistEntry]:
    """The rows of one team's open episodes (or the user's own) that the user may see:
    `selectors.worklist_filtered` over the read model. A row held by a team that cares for its
    person, without an end, since on or before today, where the person's record is neither
    restricted nor merged (`open_care_since`) is visible to every user who reaches that team:
    only the other rows are checked against the access rules in full."""
    today = timezone.localdate()

    def known_visible(teams: set[int]) -> Q:
        return Q(team_id__in=teams, open_care_since__lte=today)

    return narrowed(WorklistEntry.objects.all(), user, known_visible=known_visible, **filters)


def _deadline_parts(now: datetime, today: date) -> dict[str, Any]:
    """A hearing within the window, the time in custody and the custody limit's end while in
    custody, a release within 7 days (the day, and as a moment, not for RECONNECT), under the
    reference's names: `selectors._deadline_annotations`."""
    in_custody = Q(custody_since__lte=now) & Q(custody_ends__gt=now)
    return {
        "wl_hearing_at": Case(
            When(
                Q(hearing_at__gte=now) & Q(hearing_at__lte=now + hearing_window()),
                then=F("hearing_at"),
            ),
            default=None,
            output_field=DateTimeField(),
        ),
        "wl_in_custody_since": Case(
            When(in_custody, then=F("custody_since")), default=None, output_field=DateTimeField()
        ),
        "wl_custody_ends": Case(
            When(in_custody, then=F("custody_ends")), default=None, output_field=DateTimeField()
        ),
        "wl_release_on": Case(
            When(
                release_on__range=(today, today + timedelta(days=RELEASE_WINDOW_DAYS)),
                then=F("release_on"),
            ),
            default=None,
            output_field=DateField(),
        ),
        "wl_release_at": release_moment("release_on", today),
    }


def _deadline(now: datetime, today: date) -> Any:
    """The nearest of a hearing within the window, the custody limit's end while in custody,
    and a release within 7 days (not for RECONNECT)."""
    parts = _deadline_parts(now, today)
    return Least(
        *(
            Coalesce(parts[name], Value(NO_DEADLINE))
            for name in ("wl_hearing_at", "wl_custody_ends", "wl_release_at")
        ),
        output_field=DateTimeField(),
    )


# What the words read of a hearing, custody and a release (the rest of `_deadline_parts` is
# the order's only).
_CJ_WORDS = ("wl_hearing_at", "wl_in_custody_since", "wl_custody_ends", "wl_release_on")


def _mhtr_rank(today: date, include_cj: bool) -> Any:
    """The working-day number of the nearest MHTR deadline: `deadlines.annotate_deadlines`."""
    first_day, soon, recent, numbers = windows(today)
    mhtr = Q(pathway=Pathway.MHTR)

    notice = Case(
        When(
            mhtr & Q(notice_due_on__lte=soon),
            then=_number_of(
                "notice_due_on", numbers, start=recent, end=soon, before=0, after=FAR_OFF
            ),
        ),
        default=_NONE,
    )
    if include_cj:
        psr: Any = Case(
            When(
                mhtr & Q(psr_due_on__lte=soon) & Q(stage__in=BEFORE_SENTENCE),
                then=_number_of(
                    "psr_due_on", numbers, start=recent, end=soon, before=0, after=FAR_OFF
                ),
            ),
            default=_NONE,
        )
    else:
        psr = _NONE
    due = _number_of(
        "sentenced_on", numbers, start=first_day, end=today, before=0, after=FAR_OFF
    ) + Coalesce(F("first_appointment_days"), Value(DEFAULT_FIRST_APPOINTMENT_WORKING_DAYS))
    session = Coalesce(
        _DayNumber(
            "first_session_on",
            {day: n - 1 if is_working_day(day) else n for day, n in numbers.items()},
            before=0,
            after=FAR_OFF,
        ),
        Value(FAR_OFF),
    )
    first = Case(
        When(
            mhtr
            & Q(stage=Stage.ORDER_MADE)
            & Q(sentenced_on__isnull=False)
            & LessThanOrEqual(due, numbers[today] + FIRST_APPOINTMENT_WINDOW)
            & LessThanOrEqual(due, session),
            then=due,
        ),
        default=_NONE,
    )
    return Least(
        Coalesce(notice, Value(FAR_OFF)),
        Coalesce(psr, Value(FAR_OFF)),
        Coalesce(first, Value(FAR_OFF)),
        output_field=IntegerField(),
    )


def _reconnect_rank(today: date, include_cj: bool) -> Any:
    """The first RECONNECT rule that holds: `reconnect_rules.annotate_reconnect`."""
    reconnect = Q(pathway=Pathway.RECONNECT)
    before_release = reconnect & Q(stage__in=BEFORE_RELEASE)
    after_release = reconnect & Q(stage__in=AFTER_RELEASE)
    past = today - timedelta(days=LOOKBACK_DAYS)
    soon = today + timedelta(days=SOON_DAYS)

    if include_cj:
        release_in = _offset("release_on", today, today, soon)
        gate: Any = Case(
            When(
                before_release
                & Q(release_on__range=(today, today + timedelta(days=1)))
                & Q(gate_planned=False),
                then=release_in,
            ),
            default=_NONE,
        )
        plan: Any = Case(
            When(
                before_release & Q(release_on__range=(today, soon)) & Q(support_planned=False),
                then=release_in,
            ),
            default=_NONE,
        )
    else:
        gate = plan = _NONE

    window = Case(
        When(
            reconnect & Q(stage=Stage.REFERRED) & Q(window_closes_on__lte=soon),
            then=_offset("window_closes_on", today, past, soon),
        ),
        default=_NONE,
    )

    contact_days = Coalesce(F("contact_days"), Value(DEFAULT_CONTACT_DAYS))
    last = Coalesce(
        _offset("last_contact_on", today, past, today, after=0),
        _offset("released_on", today, past, today, after=0),
    )
    contact = Case(When(after_release & LessThan(last + contact_days, 0), then=last), default=_NONE)

    six_months = _six_month_ends(today, past, soon)
    ends = Case(
        When(support_extended=True, then=_offset("extended_to", today, past, soon)),
        When(
            released_on__lte=max(six_months),
            then=_DayNumber("released_on", six_months, before=_OLD, after=FAR_OFF),
        ),
        default=_NONE,
    )
    support = Case(When(after_release & LessThanOrEqual(ends, SOON_DAYS), then=ends), default=_NONE)

    first_due = Case(
        When(
            engagement_due_on__lte=today,
            then=_DayNumber(
                "engagement_due_on",
                {d: 2 * n for d, n in _days_from(today, past, today).items()},
                before=2 * _OLD,
                after=0,
            ),
        ),
        default=_NONE,
    )
    four_due = Case(
        When(
            first_checked_on__lte=today - FOUR_WEEKS,
            then=_DayNumber(
                "first_checked_on",
                {d - FOUR_WEEKS: 2 * n + 1 for d, n in _days_from(today, past, today).items()},
                before=2 * _OLD + 1,
                after=1,
            ),
        ),
        default=_NONE,
    )
    engagement = Case(
        When(
            reconnect & Q(stage__in=HANDOVER_STAGES),
            then=NullIf(
                Least(Coalesce(first_due, Value(FAR_OFF)), Coalesce(four_due, Value(FAR_OFF))),
                Value(FAR_OFF),
            ),
        ),
        default=_NONE,
    )
    return first_rule(_NONE, gate, plan, window, contact, support, engagement)


def entries_in_order(
    entries: QuerySet[WorklistEntry],
    *,
    include_cj: bool = True,
    now: datetime | None = None,
    reconnect: bool = True,
) -> QuerySet[WorklistEntry]:
    """`entries` in the reference's priority order at `now` (see `selectors` for the order).
    Only what the order compares is worked out; the words, for the rows shown only, come from
    `shown_episodes`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    keys: dict[str, Any] = {
        "wl_notice_overdue": Case(
            When(Q(pathway=Pathway.MHTR) & Q(notice_due_on__lt=today), then=F("notice_due_on")),
            default=None,
            output_field=DateField(),
        ),
        "wl_mhtr_rank": _mhtr_rank(today, include_cj),
        "wl_overdue_since": Case(
            When(follow_up_due_on__lt=today, then=F("follow_up_due_on")),
            default=None,
            output_field=DateField(),
        ),
    }
    order: list[Any] = [F("wl_notice_overdue").asc(nulls_last=True)]
    if include_cj:
        keys["wl_deadline"] = _deadline(now, today)
        order.append(F("wl_deadline").asc())
    order.append(F("wl_mhtr_rank").asc())
    if reconnect:
        keys["wl_reconnect_rank"] = _reconnect_rank(today, include_cj)
        order.append(F("wl_reconnect_rank").asc())
    order += [
        F("screening").desc(nulls_last=True),
        F("alerts").desc(),
        F("wl_overdue_since").asc(nulls_last=True),
        F("referred_at").asc(),
        F("episode_id").asc(),
    ]
    return entries.alias(**keys).order_by(*order)


def shown_episodes(
    episode_ids: list[int],
    *,
    include_cj: bool = True,
    now: datetime | None = None,
    reconnect: bool = True,
) -> list[Episode]:
    """The episodes of these rows, in this order, carrying what their words are made of
    (`selectors.explain`, `selectors.uses_cj_details`) under the reference's names, worked out
    from the rows' stored columns with the order's own expressions: one query of the read
    model for the rows shown, rather than the reference query. A row no longer there (its
    episode closed since the page's order was read) is left out."""
    if not episode_ids:
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    mhtr = Q(pathway=Pathway.MHTR)

    def when(condition: Q, value: Any, field: Any) -> Case:
        return Case(When(condition, then=value), default=None, output_field=field)

    words: dict[str, Any] = {
        "wl_notice_due": when(mhtr, F("notice_due_on"), DateField()),
        "wl_sentenced_on": when(mhtr, F("sentenced_on"), DateField()),
        "wl_first_days": when(mhtr, F("first_appointment_days"), IntegerField()),
        "wl_first_session_on": when(mhtr, F("first_session_on"), DateField()),
        "wl_overdue_since": when(Q(follow_up_due_on__lt=today), F("follow_up_due_on"), DateField()),
    }
    if include_cj:
        parts = _deadline_parts(now, today)
        words |= {name: parts[name] for name in _CJ_WORDS}
        words["wl_custody_limit_hours"] = Coalesce(
            F("custody_limit_hours"), Value(BASE_LIMIT_HOURS), output_field=IntegerField()
        )
        words["wl_psr_due"] = when(mhtr, F("psr_due_on"), DateField())
    if reconnect:
        words["wl_reconnect_rank"] = _reconnect_rank(today, include_cj)
        words["wl_rc_contact_days"] = when(
            Q(pathway=Pathway.RECONNECT) & Q(stage__in=AFTER_RELEASE),
            Coalesce(F("contact_days"), Value(DEFAULT_CONTACT_DAYS)),
            IntegerField(),
        )
    rows = (
        WorklistEntry.objects.filter(episode_id__in=episode_ids)
        .select_related(
            "episode__person", "episode__team", "episode__site", "episode__allocated_worker"
        )
        .annotate(**words)
    )
    shown: dict[int, Episode] = {}
    for row in rows:
        episode = row.episode
        stored = {
            "current_stage": row.stage,
            "wl_screening": row.screening,
            "wl_alerts": row.alerts,
            "wl_alert_source": row.alert_source,
        }
        for name, value in (stored | {name: getattr(row, name) for name in words}).items():
            setattr(episode, name, value)
        shown[row.episode_id] = episode
    return [shown[i] for i in episode_ids if i in shown]
