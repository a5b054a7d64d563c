"""The prioritised worklist: open episodes in the order a practitioner should see them.

A read model over journeys, screening, interventions, mhtr and reconnect, so it sits above
them all.

The order is computed in SQL, as annotations on one query (no query per row):

0. an MHTR compliance notice past its due date and not yet sent, the oldest first
   (worklist.deadlines);
1. the nearest imminent deadline first: a court hearing within HJ_WORKLIST_HEARING_HOURS,
   the end of the current PACE detention limit (24 hours, or 36 after an extension, or up to
   96 under a warrant: journeys.custody) for someone still in custody, or a prison release
   within 7 days (criminal-justice details: only for holders of CJ_CONTEXT_VIEW; not for
   RECONNECT, whose own rules rank the release); someone who has left custody has no custody
   deadline; then the nearest MHTR deadline, overdue or within 7 days (a compliance notice's,
   the pre-sentence report's, the first appointment's: worklist.deadlines); then RECONNECT's
   work, by the first of its six rules that holds (release today or tomorrow with no gate meet
   planned, release within 14 days with no support plan, the referral window closing, a contact
   after release overdue, the end of support after release, an engagement check due:
   worklist.reconnect_rules);
2. then the latest screening's risk, then its urgency (highest first; not yet screened last);
3. then unacknowledged risk alerts;
4. then the oldest overdue onward-referral follow-up;
5. then the longest wait since referral.

`explain` turns the same annotations into the words shown on each row.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.core.dates import format_date
from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.access import visible_rows
from healthjustice.journeys.choices import CustodyEventKind, Stage
from healthjustice.journeys.custody import BASE_LIMIT_HOURS
from healthjustice.journeys.models import CustodyEvent, Episode
from healthjustice.journeys.selectors import with_current_stage
from healthjustice.organisations.choices import Pathway
from healthjustice.screening.models import RiskAlert, Screening

from .deadlines import annotate_deadlines, deadline_words, shows_psr
from .reconnect_rules import (
    NO_RECONNECT_RULE,
    annotate_reconnect,
    reconnect_words,
    uses_release_date,
)

_Row = TypeVar("_Row", bound=Model)

CUSTODY_CLOCK = timedelta(hours=BASE_LIMIT_HOURS)
# Flag a custody row as urgent when this much of its current limit is left.
CUSTODY_FLAG_LEFT = timedelta(hours=6)
RELEASE_WINDOW_DAYS = 7
# Sorts after every real deadline; never shown.
NO_DEADLINE = datetime(9999, 12, 31, tzinfo=UTC)

RISK_WORDS = {3: "High", 2: "Medium", 1: "Low"}
URGENCY_WORDS = {4: "immediate", 3: "urgent", 2: "soon", 1: "routine"}


def hearing_window() -> timedelta:
    return timedelta(hours=getattr(settings, "HJ_WORKLIST_HEARING_HOURS", 4))


@dataclass(frozen=True)
class Reason:
    """One line of 'why is this here'. `level` picks the tag colour: urgent, soon or info."""

    text: str
    level: str = "info"


def release_moment(field: str, today: date) -> Case:
    """SQL: the start of the release day in `field` when it is within `RELEASE_WINDOW_DAYS`
    of today, else NULL; NULL for RECONNECT, which ranks the release by its own rules
    (worklist.reconnect_rules). One branch per day keeps the date-to-datetime step portable
    across databases."""
    return Case(
        When(pathway=Pathway.RECONNECT, then=Value(None, output_field=DateTimeField())),
        *[
            When(
                **{field: today + timedelta(days=d)},
                then=Value(
                    timezone.make_aware(datetime.combine(today + timedelta(days=d), time.min))
                ),
            )
            for d in range(RELEASE_WINDOW_DAYS + 1)
        ],
        default=None,
        output_field=DateTimeField(),
    )


def _deadline_annotations(now: datetime, today: date) -> dict[str, Any]:
    hearing = Case(
        When(
            Q(cj_context__hearing_at__gte=now)
            & Q(cj_context__hearing_at__lte=now + hearing_window()),
            then=F("cj_context__hearing_at"),
        ),
        default=None,
        output_field=DateTimeField(),
    )
    in_custody = Case(
        When(
            Q(cj_context__arrived_in_custody_at__lte=now)
            & Q(wl_custody_limit_ends__gt=now)
            & Q(wl_left_custody=False),
            then=F("cj_context__arrived_in_custody_at"),
        ),
        default=None,
        output_field=DateTimeField(),
    )
    custody_clock_ends = Case(
        When(wl_in_custody_since__isnull=False, then=F("wl_custody_limit_ends")),
        default=None,
        output_field=DateTimeField(),
    )
    release = release_moment("cj_context__prison_release_on", today)
    return {
        "wl_hearing_at": hearing,
        "wl_in_custody_since": in_custody,
        "wl_release_on": Case(
            When(
                Q(cj_context__prison_release_on__gte=today)
                & Q(cj_context__prison_release_on__lte=today + timedelta(days=RELEASE_WINDOW_DAYS)),
                then=F("cj_context__prison_release_on"),
            ),
            default=None,
        ),
        "wl_release_at": release,
        "wl_custody_ends": custody_clock_ends,
    }


def prioritised(
    episodes: QuerySet[Episode],
    *,
    include_cj: bool,
    now: datetime | None = None,
    reconnect: bool = True,
) -> QuerySet[Episode]:
    """Annotate the priority inputs on open episodes and order by them (see module docstring).
    `reconnect=False` when the list cannot hold a RECONNECT episode (another pathway's team):
    its query then carries none of RECONNECT's rules."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    latest_screening = Screening.objects.filter(episode=OuterRef("pk")).order_by(
        "-screened_at", "-pk"
    )
    open_alerts = RiskAlert.objects.filter(episode=OuterRef("pk"), acknowledged_at__isnull=True)
    overdue = OnwardReferral.objects.filter(
        episode=OuterRef("pk"), first_appointment_on__lt=today, follow_up_done_at__isnull=True
    )
    qs = episodes
    if include_cj:
        steps = _deadline_annotations(now, today)
        limits = CustodyEvent.objects.filter(
            episode=OuterRef("pk"), ends_at__isnull=False
        ).order_by("-ends_at")
        qs = qs.annotate(
            wl_left_custody=Exists(
                CustodyEvent.objects.filter(episode=OuterRef("pk"), kind=CustodyEventKind.LEFT)
            ),
            wl_custody_limit_hours=Coalesce(
                Subquery(limits.values("limit_hours")[:1]), Value(BASE_LIMIT_HOURS)
            ),
            wl_custody_limit_ends=Coalesce(
                Subquery(limits.values("ends_at")[:1]),
                ExpressionWrapper(
                    F("cj_context__arrived_in_custody_at") + Value(CUSTODY_CLOCK),
                    output_field=DateTimeField(),
                ),
                output_field=DateTimeField(),
            ),
        )
        qs = qs.annotate(
            wl_hearing_at=steps["wl_hearing_at"],
            wl_in_custody_since=steps["wl_in_custody_since"],
            wl_release_on=steps["wl_release_on"],
            wl_release_at=steps["wl_release_at"],
        ).annotate(wl_custody_ends=steps["wl_custody_ends"])
        qs = qs.annotate(
            wl_deadline=Least(
                Coalesce("wl_hearing_at", Value(NO_DEADLINE)),
                Coalesce("wl_custody_ends", Value(NO_DEADLINE)),
                Coalesce("wl_release_at", Value(NO_DEADLINE)),
                output_field=DateTimeField(),
            )
        )
    else:
        qs = qs.annotate(wl_deadline=Value(NO_DEADLINE, output_field=DateTimeField()))
    if "current_stage" not in qs.query.annotations:
        qs = with_current_stage(qs)
    qs = annotate_deadlines(qs, today=today, include_cj=include_cj)
    if reconnect:
        qs = annotate_reconnect(qs, today=today, include_cj=include_cj)
    else:
        qs = qs.annotate(wl_reconnect_rank=Value(NO_RECONNECT_RULE, output_field=IntegerField()))
    # Risk and urgency of the latest screening in one number (risk * 10 + urgency): one
    # lookup per episode instead of two; NULL when the episode has not been screened.
    screening_score = latest_screening.annotate(
        wl_score=F("risk_rank") * 10 + F("urgency_rank")
    ).values("wl_score")[:1]
    qs = qs.annotate(
        wl_screening=Subquery(screening_score, output_field=IntegerField()),
        wl_alerts=Coalesce(
            Subquery(
                open_alerts.order_by().values("episode").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        wl_alert_source=Subquery(open_alerts.order_by("-raised_at").values("source")[:1]),
        wl_overdue_since=Subquery(
            overdue.order_by("first_appointment_on").values("first_appointment_on")[:1]
        ),
    )
    return qs.order_by(
        F("wl_notice_overdue").asc(nulls_last=True),
        F("wl_deadline").asc(),
        F("wl_mhtr_rank").asc(),
        F("wl_reconnect_rank").asc(),
        F("wl_screening").desc(nulls_last=True),
        F("wl_alerts").desc(),
        F("wl_overdue_since").asc(nulls_last=True),
        F("referred_at").asc(),
        F("pk").asc(),
    )


def narrowed(
    rows: QuerySet[_Row],
    user: User,
    *,
    team_id: int | None = None,
    mine: bool = False,
    pathway: str = "",
    setting: str = "",
    site_id: int | None = None,
    stage: str = "",
    worker_id: int | None = None,
    unallocated: bool = False,
    known_visible: Callable[[set[int]], Q] | None = None,
) -> QuerySet[_Row]:
    """The open rows of one team (or the user's own) that the user may see, filtered: episodes,
    or the read model's copies of them (`journeys.access.visible_rows`)."""
    if mine:
        rows = rows.filter(allocated_worker=user)
    elif team_id is not None:
        rows = rows.filter(team_id=team_id)
    else:
        return rows.none()
    if pathway:
        rows = rows.filter(pathway=pathway)
    if setting:
        rows = rows.filter(setting=setting)
    if site_id is not None:
        rows = rows.filter(site_id=site_id)
    if unallocated:
        rows = rows.filter(allocated_worker__isnull=True)
    elif worker_id is not None:
        rows = rows.filter(allocated_worker_id=worker_id)
    # Cheapest narrowing first: open (as `journeys.selectors.open_only`), then the stage (as
    # `at_stage`), then who may see them.
    rows = rows.exclude(stage=Stage.CLOSED)
    if stage:
        rows = rows.filter(stage=Stage(stage))
    return visible_rows(user, rows, known_visible=known_visible)


def worklist_filtered(user: User, **filters: Any) -> QuerySet[Episode]:
    """The open episodes of one team (or the user's own) that the user may see, filtered
    (`narrowed`)."""
    return narrowed(Episode.objects.all(), user, **filters)


def in_priority_order(
    episodes: QuerySet[Episode],
    *,
    include_cj: bool = True,
    now: datetime | None = None,
    reconnect: bool = True,
) -> QuerySet[Episode]:
    """`episodes` with what each row shows, in priority order."""
    qs = with_current_stage(episodes).select_related("person", "team", "site", "allocated_worker")
    return prioritised(qs, include_cj=include_cj, now=now, reconnect=reconnect)


def worklist_queryset(
    user: User, *, include_cj: bool = True, now: datetime | None = None, **filters: Any
) -> QuerySet[Episode]:
    """The worklist in priority order; `filters` are those of `worklist_filtered`."""
    return in_priority_order(worklist_filtered(user, **filters), include_cj=include_cj, now=now)


def duration_words(span: timedelta) -> str:
    """'45 minutes', '5 hours', '3 days': whole units, rounded down."""
    minutes = max(0, math.floor(span.total_seconds() / 60))
    if minutes < 1:
        return "less than a minute"
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = hours // 24
    return f"{days} days"


def until_words(span: timedelta) -> str:
    """'35 minutes', '2 hours', '1 hour 50 minutes': precise enough for a hearing."""
    minutes = max(0, math.floor(span.total_seconds() / 60))
    hours, rest = divmod(minutes, 60)
    if not hours:
        return duration_words(span)
    words = f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{words} {rest} minute{'s' if rest != 1 else ''}" if rest else words


def _clock(value: datetime) -> str:
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def explain(episode: Episode, *, now: datetime | None = None) -> list[Reason]:
    """Why an annotated episode sits where it does, in the order the priority weighs it."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue_notices, mhtr_deadlines = deadline_words(episode, today)
    reasons: list[Reason] = [Reason(d.text, d.level) for d in overdue_notices]
    hearing = getattr(episode, "wl_hearing_at", None)
    if hearing:
        when = _clock(hearing)
        day = "" if timezone.localdate(hearing) == today else " tomorrow"
        reasons.append(
            Reason(f"Court hearing in {until_words(hearing - now)} ({when}{day})", "urgent")
        )
    since = getattr(episode, "wl_in_custody_since", None)
    if since:
        used = now - since
        limit = getattr(episode, "wl_custody_limit_hours", None) or BASE_LIMIT_HOURS
        ends = getattr(episode, "wl_custody_ends", None) or since + CUSTODY_CLOCK
        hours = math.floor(used.total_seconds() / 3600)
        text = (
            f"{hours} hour{'s' if hours != 1 else ''} of {limit} in custody"
            if hours >= 1
            else f"Under 1 hour of {limit} in custody"
        )
        if limit > BASE_LIMIT_HOURS:
            text += " (extended)"
        reasons.append(Reason(text, "urgent" if ends - now <= CUSTODY_FLAG_LEFT else "soon"))
    reconnect = reconnect_words(episode, today)
    release = getattr(episode, "wl_release_on", None)
    # RECONNECT's first two rules say the release themselves.
    if release and not uses_release_date(episode):
        days = (release - today).days
        words = {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
        reasons.append(
            Reason(
                f"Release from prison {words} ({format_date(release)})",
                "urgent" if days <= 1 else "soon",
            )
        )
    reasons.extend(Reason(d.text, d.level) for d in mhtr_deadlines)
    if reconnect is not None:
        reasons.append(Reason(reconnect.text, reconnect.level))
    screening = getattr(episode, "wl_screening", None)
    if screening == 0:
        reasons.append(Reason("Screening started, risk not yet judged", "info"))
    elif screening is not None:
        risk, urgency = divmod(screening, 10)
        words = f"{RISK_WORDS.get(risk, 'Unknown')} risk, {URGENCY_WORDS.get(urgency, 'unknown')}"
        level = "info"
        if risk >= 3 or urgency >= 3:
            level = "urgent"
        elif risk == 2 or urgency == 2:
            level = "soon"
        reasons.append(Reason(words, level))
    else:
        reasons.append(Reason("Not yet screened", "info"))
    alerts = getattr(episode, "wl_alerts", 0) or 0
    if alerts:
        more = f" and {alerts - 1} more" if alerts > 1 else ""
        source = getattr(episode, "wl_alert_source", "")
        reasons.append(Reason(f"Risk alert: {source}{more}", "urgent"))
    overdue = getattr(episode, "wl_overdue_since", None)
    if overdue:
        reasons.append(Reason(f"Follow-up overdue since {format_date(overdue)}", "soon"))
    reasons.append(Reason(f"Waiting {duration_words(now - episode.referred_at)}", "info"))
    return reasons


def uses_cj_details(episode: Episode) -> bool:
    """Did this row's place or words come from criminal-justice (Article 10) details?"""
    return (
        any(
            getattr(episode, name, None)
            for name in ("wl_hearing_at", "wl_in_custody_since", "wl_release_on")
        )
        or shows_psr(episode)
        or uses_release_date(episode)
    )
