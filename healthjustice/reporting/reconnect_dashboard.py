"""The RECONNECT dashboard: each figure is one declared entry in `FIGURES`, built with the
MHTR dashboard's figure kinds (`mhtr_dashboard.CountFigure`, `RateFigure`, `DaysFigure`) over
`reconnect_facts.ReconnectFacts`.

Nothing is suppressed on this page (it is for the team's own leaders); every rate shows its n.
docs/reconnect-return.md describes every figure; change both together.
"""

from __future__ import annotations

from collections.abc import Iterable

from .dashboard import Section
from .mhtr_dashboard import CountFigure, DaysFigure, Event, RateFigure
from .periods import Month, months_between
from .reconnect_facts import ReconnectFacts

Figure = CountFigure[ReconnectFacts] | RateFigure[ReconnectFacts] | DaysFigure[ReconnectFacts]


def referral_events(f: ReconnectFacts) -> Iterable[Event]:
    key = "in_window" if f.in_window else "exception" if f.by_exception else "not_recorded"
    yield Event(f.referred_on, key=key, hit=f.in_window)


def engaged_before_release_events(f: ReconnectFacts) -> Iterable[Event]:
    if f.released_on is not None:
        engaged = f.engaged_before_release()
        key = "referred_after" if f.referred_after_release else "no_contact"
        yield Event(f.released_on, key=key, hit=engaged)


def gate_meet_events(f: ReconnectFacts) -> Iterable[Event]:
    if f.released_on is not None:
        key = "not_recorded" if f.gate_met is None else "not_met"
        yield Event(f.released_on, key=key, hit=bool(f.gate_met))


def gp_events(f: ReconnectFacts) -> Iterable[Event]:
    if f.released_on is not None:
        yield Event(f.released_on, hit=f.gp_registered_on() is not None)


def handover_events(f: ReconnectFacts) -> Iterable[Event]:
    first = f.first_handover_on
    if first is not None:
        confirmed = any(h.confirmed_at_four_weeks for h in f.handovers)
        not_engaged = any(h.not_engaged_at_four_weeks for h in f.handovers)
        yield Event(first, key="not_engaged" if not_engaged else "not_confirmed", hit=confirmed)


def recall_events(f: ReconnectFacts) -> Iterable[Event]:
    if f.recalled_on is not None:
        yield Event(f.recalled_on, key="recalled")


def days_supported_events(f: ReconnectFacts) -> Iterable[Event]:
    end, supported = f.support_ended_on, f.days_supported
    if end is not None and supported is not None:
        yield Event(end, value=supported)


FIGURES: list[Figure] = [
    RateFigure(
        id="referrals",
        heading="Referrals received and in the window",
        intro=(
            "RECONNECT referrals by the month they were received: those inside the referral "
            "window (from 12 weeks before release to 28 days after it), and those outside it "
            "taken by a team leader's exception."
        ),
        month_label="Month referred",
        caption="Referrals received and in the window, by month referred",
        chart_title="Bar chart: per cent of referrals inside the window, by month referred",
        hit_label="In the window",
        n_label="Referrals received",
        events=referral_events,
        parts=(
            ("exception", "Outside the window, by exception"),
            ("not_recorded", "Window not recorded"),
        ),
        other="not_recorded",
    ),
    RateFigure(
        id="engaged-before-release",
        heading="Engaged before release",
        intro=(
            "Of the people released in the month (the actual release date), those with a "
            "contact before release recorded. People referred after their release could not "
            "be seen before it and are shown apart."
        ),
        month_label="Month released",
        caption="Engaged before release, by month released",
        chart_title="Bar chart: per cent engaged before release, by month released",
        hit_label="Contact before release",
        n_label="Released",
        events=engaged_before_release_events,
        parts=(
            ("referred_after", "Referred after release"),
            ("no_contact", "No contact before release"),
        ),
    ),
    RateFigure(
        id="gate-meets",
        heading="Gate meets achieved",
        intro=(
            "Of the people released in the month, those met at the gate on release day, "
            "with those not met and those with no gate meet recorded."
        ),
        month_label="Month released",
        caption="Gate meets achieved, by month released",
        chart_title="Bar chart: per cent met at the gate, by month released",
        hit_label="Met at the gate",
        n_label="Released",
        events=gate_meet_events,
        parts=(
            ("not_met", "Not met at the gate"),
            ("not_recorded", "No gate meet recorded"),
        ),
    ),
    RateFigure(
        id="gp-registration",
        heading="Registered with a GP within 28 days of release",
        intro=(
            "Of the people released in the month, those who attended a first-week GP "
            "appointment, or were handed over to a GP service and engaged at its first "
            "appointment, no later than 28 days after release. A need for GP registration in "
            "the support plan does not count: it is the need, not the registration. The "
            "latest months rise as the 28 days pass."
        ),
        month_label="Month released",
        caption="Registered with a GP within 28 days of release, by month released",
        chart_title="Bar chart: per cent registered with a GP within 28 days, by month released",
        hit_label="Registered with a GP",
        n_label="Released",
        events=gp_events,
    ),
    RateFigure(
        id="handover-engagement",
        heading="Handed over with engagement confirmed at 4 weeks",
        intro=(
            "People handed over to a community service, by the month of their first handover: "
            "those confirmed as engaged at the check at least 4 weeks after the check at the "
            "first appointment, with those found not engaged then and those not confirmed yet."
        ),
        month_label="Month handed over",
        caption="Handed over with engagement confirmed at 4 weeks, by month of first handover",
        chart_title="Bar chart: per cent engaged at 4 weeks, by month of first handover",
        hit_label="Engaged at 4 weeks",
        n_label="Handed over",
        events=handover_events,
        parts=(
            ("not_engaged", "Not engaged at 4 weeks"),
            ("not_confirmed", "Not yet confirmed"),
        ),
    ),
    CountFigure(
        id="recalls",
        heading="Recalls to custody",
        intro="Recalls to custody after release, by the month of the recall.",
        month_label="Month of the recall",
        caption="Recalls to custody, by month",
        chart_title="Bar chart: recalls to custody",
        categories=(("recalled", "Recalled to custody"),),
        events=recall_events,
        total_column=False,
    ),
    DaysFigure(
        id="days-supported",
        heading="Days supported after release",
        intro=(
            "Calendar days from the actual release to the end of support after release (the "
            "day the episode was handed over or, failing that, closed for any reason, a recall "
            "included), by the month support ended. People still supported are not counted. "
            "The 90th percentile is the value within which 9 in 10 ended (nearest-rank method)."
        ),
        month_label="Month support ended",
        caption="Days supported after release, by month support ended",
        chart_title="Bar chart: median days supported after release, by month support ended",
        n_label="Support ended",
        events=days_supported_events,
    ),
]


def reconnect_sections(
    facts: list[ReconnectFacts], first: Month, last: Month, figures: list[Figure] | None = None
) -> list[Section]:
    """One section per figure, over the months from `first` to `last`."""
    months = months_between(first, last)
    return [figure.section(facts, months) for figure in (FIGURES if figures is None else figures)]
