"""RECONNECT's work on the worklist: what to do before, on and after release, in six rules.

A RECONNECT row ranks by the first of these that holds, then by its day (the earliest first):

1. release today or tomorrow (the expected release date) and no gate meet planned;
2. release within `SOON_DAYS` days and no support plan (no need in it yet);
3. the referral window closes within `SOON_DAYS` days, or has closed, and eligibility is not yet
   checked (the episode is still at *referred*: the window is what the check judges, and after
   that the window no longer matters);
4. released (*released* or *post-release support*) and no contact after release in the team's
   number of days (`ReconnectTeamSettings.contact_days`, default 7), counted from the newest
   contact after release, or from the release when there is none;
5. support after release (*released* or *post-release support*) ends within `SOON_DAYS` days, or
   has ended: 6 months after the actual release date, or the newest extension's date;
6. an engagement check is due on a handover (*released* through *handed over*): the one at the
   first appointment once its day has come (the handover's day when the first appointment is not
   known), the 4-week one from 4 weeks after the first.

"Before release" is the stages before *released*; the expected release date is the episode's
criminal-justice `prison_release_on` (Article 10 data, as on the episode page), so rules 1 and
2 apply only for holders of CJ_CONTEXT_VIEW. The actual release date is the release details'
`released_on`. These are the dates the RECONNECT app itself uses.

As with MHTR's deadlines (`worklist.deadlines`), each rule is an annotation on the worklist's
one query, worked out for RECONNECT episodes only (no query per row), and other pathways' rows
keep their order. A day is turned into a number of days from today by `_DayNumber` (one simple
CASE), so no date arithmetic is left to the database. A day further back than `LOOKBACK_DAYS`
counts as that far back. The row shows the first rule's words only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum
from typing import Any

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, NullIf
from django.db.models.lookups import LessThan, LessThanOrEqual

from healthjustice.core.dates import format_date
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.organisations.choices import Pathway
from healthjustice.reconnect.choices import EngagementCheckKind
from healthjustice.reconnect.models import (
    DEFAULT_CONTACT_DAYS,
    EngagementCheck,
    GatePlan,
    Handover,
    ReconnectReferral,
    ReconnectTeamSettings,
    ReleaseDetails,
    SupportContact,
    SupportExtension,
    SupportPlanNeed,
)
from healthjustice.reconnect.selectors import SUPPORT_MONTHS, months_after
from healthjustice.reconnect.services import (
    AFTER_RELEASE,
    BEFORE_RELEASE,
    FOUR_WEEKS,
    HANDOVER_STAGES,
)

from .deadlines import FAR_OFF, _DayNumber

# Release, the window's close and the end of support rank this many days ahead.
SOON_DAYS = 14
# Days further back than this count as this far back (in the order and the words).
LOOKBACK_DAYS = 90
_OLD = -(LOOKBACK_DAYS + 1)
# A rule's rank is its number times this, plus its days: the rules' ranges never meet.
RULE_SPAN = 1000
# The rank of a row no rule places (and of every other pathway's row): after them all.
NO_RECONNECT_RULE = FAR_OFF


class Rule(IntEnum):
    GATE_PLAN = 1
    SUPPORT_PLAN = 2
    WINDOW = 3
    CONTACT = 4
    SUPPORT_ENDS = 5
    ENGAGEMENT = 6


@dataclass(frozen=True)
class Work:
    """One RECONNECT rule in words; `level` as `selectors.Reason`."""

    text: str
    level: str


def _days_from(today: date, start: date, end: date) -> dict[date, int]:
    """Each day from `start` to `end`, numbered by the days from `today` (negative before)."""
    return {
        start + timedelta(days=i): (start - today).days + i for i in range((end - start).days + 1)
    }


def _offset(
    expression: Any, today: date, start: date, end: date, *, after: int = FAR_OFF
) -> _DayNumber:
    """SQL: the days from today to the date in `expression`, for dates from `start` to `end`
    (earlier ones count as `LOOKBACK_DAYS` and more back, later ones as `after`)."""
    return _DayNumber(expression, _days_from(today, start, end), before=_OLD, after=after)


def _six_month_ends(today: date, start: date, end: date) -> dict[date, int]:
    """The release dates whose end of support (6 months on) falls from `start` to `end`, each
    numbered by the days from today to that end. The end only moves on with the release, so
    they are one run of days."""
    ends: dict[date, int] = {}
    day = start - timedelta(days=31 * SUPPORT_MONTHS + 1)
    while day <= end:
        ends_on = months_after(day, SUPPORT_MONTHS)
        if start <= ends_on <= end:
            ends[day] = (ends_on - today).days
        day += timedelta(days=1)
    return ends


def _integer(expression: Any) -> Any:
    return Subquery(expression, output_field=IntegerField())


def awaiting_first_check(episode: Any) -> Any:
    """The episode's handovers without their first-appointment check, each with the day it is
    due (`due`: the first appointment's, or the referral's when that is not known). Typed as
    Any: the type checker does not know the annotation `due`."""
    return (
        Handover.objects.filter(episode=episode)
        .exclude(
            Exists(
                EngagementCheck.objects.filter(
                    handover=OuterRef("pk"), kind=EngagementCheckKind.FIRST_APPOINTMENT
                )
            )
        )
        .annotate(due=Coalesce("referral__first_appointment_on", "referral__referred_on"))
    )


def awaiting_four_week_check(episode: Any) -> QuerySet[EngagementCheck]:
    """The episode's first-appointment checks whose handover has no 4-week check yet."""
    return EngagementCheck.objects.filter(
        handover__episode=episode, kind=EngagementCheckKind.FIRST_APPOINTMENT
    ).exclude(
        Exists(
            EngagementCheck.objects.filter(
                handover=OuterRef("handover"), kind=EngagementCheckKind.FOUR_WEEKS
            )
        )
    )


def first_rule(none: Any, *rules: Any) -> Coalesce:
    """One number from the six rules' expressions, in `Rule` order: the first rule that holds
    (a rule that does not hold is NULL) times `RULE_SPAN`, plus its days, so that each rule is
    worked out once; `NO_RECONNECT_RULE` when none holds. A rule given as `none` is left out."""
    return Coalesce(
        *[
            expression + Value(rule.value * RULE_SPAN)
            for rule, expression in zip(Rule, rules, strict=True)
            if expression is not none
        ],
        Value(NO_RECONNECT_RULE),
        output_field=IntegerField(),
    )


def annotate_reconnect(
    qs: QuerySet[Episode], *, today: date, include_cj: bool
) -> QuerySet[Episode]:
    """Add `wl_reconnect_rank`: the first rule that holds, times `RULE_SPAN`, plus its day in
    days from today (`FAR_OFF` when none holds, and for other pathways), and the team's days
    without a contact for the words (`wl_rc_contact_days`). Needs `current_stage`."""
    reconnect = Q(pathway=Pathway.RECONNECT)
    before_release = reconnect & Q(current_stage__in=BEFORE_RELEASE)
    after_release = reconnect & Q(current_stage__in=AFTER_RELEASE)
    past = today - timedelta(days=LOOKBACK_DAYS)
    soon = today + timedelta(days=SOON_DAYS)
    episode = OuterRef("pk")
    none = Value(None, output_field=IntegerField())

    # 1 and 2: the expected release (criminal-justice details).
    if include_cj:
        expected = "cj_context__prison_release_on"
        release_in = _offset(expected, today, today, soon)
        gate: Any = Case(
            When(
                before_release
                & Q(cj_context__prison_release_on__range=(today, today + timedelta(days=1)))
                & ~Exists(GatePlan.objects.filter(episode=episode)),
                then=release_in,
            ),
            default=none,
        )
        plan: Any = Case(
            When(
                before_release
                & Q(cj_context__prison_release_on__range=(today, soon))
                & ~Exists(SupportPlanNeed.objects.filter(episode=episode)),
                then=release_in,
            ),
            default=none,
        )
    else:
        gate = plan = none

    # 3: the window closes, eligibility not checked.
    closes = (
        ReconnectReferral.objects.filter(episode=episode, window_closes__lte=soon)
        .annotate(n=_offset("window_closes", today, past, soon))
        .values("n")[:1]
    )
    window = Case(
        When(reconnect & Q(current_stage=Stage.REFERRED), then=_integer(closes)), default=none
    )

    # 4: no contact after release in the team's days (from the newest contact, or the release).
    contact_days = Coalesce(
        _integer(
            ReconnectTeamSettings.objects.filter(team=OuterRef("team")).values("contact_days")[:1]
        ),
        Value(DEFAULT_CONTACT_DAYS),
    )
    last = Coalesce(
        _integer(
            SupportContact.objects.filter(episode=episode, after_release=True)
            .order_by("-contact_on")
            .annotate(n=_offset("contact_on", today, past, today, after=0))
            .values("n")[:1]
        ),
        _integer(
            ReleaseDetails.objects.filter(episode=episode, released_on__isnull=False)
            .annotate(n=_offset("released_on", today, past, today, after=0))
            .values("n")[:1]
        ),
    )
    contact = Case(When(after_release & LessThan(last + contact_days, 0), then=last), default=none)

    # 5: the end of support after release: the newest extension's, or 6 months on.
    six_months = _six_month_ends(today, past, soon)
    six_month_end = ReleaseDetails.objects.filter(
        episode=episode, released_on__isnull=False, released_on__lte=max(six_months)
    )
    extensions = SupportExtension.objects.filter(episode=episode)
    ends = Case(
        When(
            Exists(extensions),
            then=_integer(
                extensions.order_by("-approved_at", "-pk")
                .annotate(n=_offset("extended_to", today, past, soon))
                .values("n")[:1]
            ),
        ),
        default=_integer(
            six_month_end.annotate(
                n=_DayNumber("released_on", six_months, before=_OLD, after=FAR_OFF)
            ).values("n")[:1]
        ),
    )
    support = Case(When(after_release & LessThanOrEqual(ends, SOON_DAYS), then=ends), default=none)

    # 6: engagement checks due, the earliest first. Twice the days, plus 1 for a 4-week check:
    # the same order, and the words can tell which check it is.
    handovers = reconnect & Q(current_stage__in=HANDOVER_STAGES)
    first_due = (
        awaiting_first_check(episode)
        .filter(due__lte=today)
        .annotate(
            n=_DayNumber(
                F("due"),
                {d: 2 * n for d, n in _days_from(today, past, today).items()},
                before=2 * _OLD,
                after=0,
            )
        )
        .order_by("due")
        .values("n")[:1]
    )
    four_from = today - FOUR_WEEKS
    four_due = (
        awaiting_four_week_check(episode)
        .filter(checked_on__lte=four_from)
        .annotate(
            n=_DayNumber(
                "checked_on",
                {d - FOUR_WEEKS: 2 * n + 1 for d, n in _days_from(today, past, today).items()},
                before=2 * _OLD + 1,
                after=1,
            )
        )
        .order_by("checked_on")
        .values("n")[:1]
    )
    engagement = Case(
        When(
            handovers,
            then=NullIf(
                Least(
                    Coalesce(_integer(first_due), Value(FAR_OFF)),
                    Coalesce(_integer(four_due), Value(FAR_OFF)),
                ),
                Value(FAR_OFF),
            ),
        ),
        default=none,
    )

    return qs.annotate(
        wl_reconnect_rank=first_rule(none, gate, plan, window, contact, support, engagement),
        wl_rc_contact_days=Case(When(after_release, then=contact_days), default=none),
    )


def placed_by(episode: Any) -> tuple[Rule, int] | None:
    """The rule that placed an annotated episode and its number of days (for the engagement
    rule, twice the days plus 1 for a 4-week check), if any."""
    rank = getattr(episode, "wl_reconnect_rank", None)
    if not isinstance(rank, int) or rank >= NO_RECONNECT_RULE:
        return None
    rule = round(rank / RULE_SPAN)
    return Rule(rule), rank - rule * RULE_SPAN


def rule_of(episode: Any) -> Rule | None:
    """The rule that placed an annotated episode, if any."""
    placed = placed_by(episode)
    return placed[0] if placed else None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _when(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def reconnect_words(episode: Any, today: date) -> Work | None:
    """What the first RECONNECT rule that holds says about an annotated episode."""
    placed = placed_by(episode)
    if placed is None:
        return None
    rule, days = placed
    four = False
    if rule == Rule.ENGAGEMENT:
        four = days % 2 == 1
        days = (days - four) // 2
    day = today + timedelta(days=days)
    on = f"({format_date(day)})"
    long_ago = days <= _OLD
    if rule == Rule.GATE_PLAN:
        return Work(f"Release {_when(days)} {on}: no gate meet planned", "urgent")
    if rule == Rule.SUPPORT_PLAN:
        return Work(
            f"Release {_when(days)} {on}: no support plan", "urgent" if days <= 1 else "soon"
        )
    if rule == Rule.WINDOW:
        if long_ago:
            return Work(
                f"Referral window closed over {LOOKBACK_DAYS} days ago: eligibility not checked",
                "urgent",
            )
        if days < 0:
            return Work(
                f"Referral window closed {_when(days)} {on}: eligibility not checked", "urgent"
            )
        return Work(
            f"Referral window closes {_when(days)} {on}: eligibility not checked",
            "urgent" if days <= 1 else "soon",
        )
    if rule == Rule.CONTACT:
        limit = getattr(episode, "wl_rc_contact_days", None) or DEFAULT_CONTACT_DAYS
        since = f"over {LOOKBACK_DAYS} days" if long_ago else _plural(-days, "day")
        return Work(
            f"Contact after release overdue: none for {since} (the team's limit is "
            f"{_plural(limit, 'day')})",
            "urgent",
        )
    if rule == Rule.SUPPORT_ENDS:
        if long_ago:
            return Work(
                f"Support after release ended over {LOOKBACK_DAYS} days ago: extend it or close "
                "the episode",
                "urgent",
            )
        if days < 0:
            return Work(
                f"Support after release ended {_when(days)} {on}: extend it or close the episode",
                "urgent",
            )
        return Work(
            f"Support after release ends {_when(days)} {on}", "urgent" if days <= 1 else "soon"
        )
    check = "4-week engagement check" if four else "Engagement check at the first appointment"
    if long_ago:
        return Work(f"{check} due for over {LOOKBACK_DAYS} days", "soon")
    if days == 0:
        return Work(f"{check} due today", "soon")
    return Work(f"{check} due since {format_date(day)}", "soon")


def uses_release_date(episode: Any) -> bool:
    """Did this row's RECONNECT rule come from the expected release date (criminal-justice
    details)?"""
    return rule_of(episode) in (Rule.GATE_PLAN, Rule.SUPPORT_PLAN)
