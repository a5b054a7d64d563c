"""The dashboard's sections: each a chart and the table of its numbers.

The service dashboard is the leaders' own operational view of their teams' work, so it shows
the real counts (`Cells(limit=0)`); figures that leave the team (returns, equity pages, board
reports) are suppressed where they are made. A dashboard built with a small-number limit hides
counts below it, and any count that would give one away, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from healthjustice.interventions.choices import ServiceType
from healthjustice.journeys.choices import DIVERSION_DISPOSALS, Stage
from healthjustice.screening.choices import Vulnerability

from .charts import Bar, bar_chart
from .selectors import STAGES, Figures, Timing
from .stats import Cell, count_cell, hours_cell, rate_cell, suppress_grid


@dataclass(frozen=True)
class Cells:
    """How this dashboard's numbers are shown: counts below `limit` hidden (0: none)."""

    limit: int = 0

    @property
    def hiding(self) -> bool:
        return self.limit > 1

    def count(self, n: int) -> Cell:
        return count_cell(n, self.limit)

    def rate(self, numerator: int, denominator: int) -> Cell:
        return rate_cell(numerator, denominator, self.limit)

    def hours(self, value: float | None, n: int) -> Cell:
        return hours_cell(value, n, self.limit)

    def grid(self, counts: list[list[int]]) -> list[list[Cell]]:
        return suppress_grid(counts, self.limit)

    def note(self, words: str) -> str:
        """`words` about hidden numbers, only when numbers are hidden."""
        return f" {words}" if self.hiding else ""


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]]
    total: tuple[str, list[Cell]] | None = None


@dataclass
class Block:
    """A chart and the table with its numbers (a block may have a table and no chart)."""

    table: Table
    chart: Markup | None = None


@dataclass
class Section:
    id: str
    heading: str
    intro: str
    blocks: list[Block] = field(default_factory=list)


def _stage_section(f: Figures, c: Cells) -> Section:
    totals = [f.by_stage[s] for s in STAGES]
    grid = c.grid([[m.by_stage[s] for s in STAGES] for m in f.months] + [totals])
    stage_cells = grid[-1]
    month_cells = grid[:-1]
    by_stage = Table(
        caption="Episodes by the stage they are at now",
        columns=["Stage", "Episodes"],
        rows=[(Stage(s).label, [c]) for s, c in zip(STAGES, stage_cells, strict=True)],
        total=("All episodes", [c.count(f.episodes)]),
    )
    by_month = Table(
        caption="Episodes referred each month, by the stage they are at now",
        columns=["Month referred", *[Stage(s).label for s in STAGES], "All"],
        rows=[
            (m.month.label, [*cells, c.count(m.episodes)])
            for m, cells in zip(f.months, month_cells, strict=True)
        ],
    )
    return Section(
        id="stages",
        heading="Episodes by stage",
        intro=(
            "Episodes referred in the period, by the stage each has reached now. "
            "An episode closed at any stage counts as closed."
        ),
        blocks=[
            Block(
                by_stage,
                bar_chart(
                    "chart-stages",
                    "Bar chart: episodes by the stage they are at now",
                    [Bar(label, cells[0]) for label, cells in by_stage.rows],
                ),
            ),
            Block(
                by_month,
                bar_chart(
                    "chart-months",
                    "Bar chart: episodes referred each month",
                    [Bar(m.month.label, c.count(m.episodes)) for m in f.months],
                ),
            ),
        ],
    )


def _timing_cells(t: Timing, c: Cells) -> list[Cell]:
    return [c.count(t.n), c.hours(t.median, t.n), c.hours(t.p90, t.n)]


def _timing_block(f: Figures, c: Cells, *, stage: str, chart_id: str) -> Block:
    overall: Timing = getattr(f, f"to_{stage}")
    per_month = [(m.month.label, getattr(m, f"to_{stage}")) for m in f.months]
    table = Table(
        caption=f"Hours from referral to {stage}, by month referred",
        columns=["Month referred", f"Episodes {stage}", "Median hours", "90th percentile hours"],
        rows=[(label, _timing_cells(t, c)) for label, t in per_month],
        total=("All months", _timing_cells(overall, c)),
    )
    chart = bar_chart(
        chart_id,
        f"Bar chart: median hours from referral to {stage}, by month referred",
        [Bar(label, c.hours(t.median, t.n)) for label, t in per_month],
        unit="hours",
    )
    return Block(table, chart)


def _timing_section(f: Figures, c: Cells) -> Section:
    return Section(
        id="timing",
        heading="Time from referral to screening and to assessment",
        intro=(
            "Hours from the referral to the first time the episode reached each stage. "
            "The median is the middle time; the 90th percentile is the time within which "
            "9 in 10 episodes got there (nearest-rank method)."
            + c.note(f"Times resting on fewer than {c.limit} episodes are not shown.")
        ),
        blocks=[
            _timing_block(f, c, stage="screening", chart_id="chart-to-screening"),
            _timing_block(f, c, stage="assessment", chart_id="chart-to-assessment"),
        ],
    )


def _vulnerability_section(f: Figures, c: Cells) -> Section:
    rows = [
        (
            v.label,
            [
                c.count(f.vulnerabilities[v]),
                c.rate(f.vulnerabilities[v], f.screened_episodes),
            ],
        )
        for v in Vulnerability
    ]
    table = Table(
        caption="Vulnerabilities found at screening",
        columns=["Vulnerability", "Episodes", "Share of screened episodes"],
        rows=rows,
        total=(
            "At least one vulnerability",
            [
                c.count(f.with_any_vulnerability),
                c.rate(f.with_any_vulnerability, f.screened_episodes),
            ],
        ),
    )
    return Section(
        id="vulnerabilities",
        heading="Vulnerabilities found",
        intro=(
            f"Of the episodes referred in the period, {c.count(f.screened_episodes).text} "
            "had a screening. An episode counts once for each vulnerability found at any of "
            "its screenings, so the rows add up to more than the total."
        ),
        blocks=[
            Block(
                table,
                bar_chart(
                    "chart-vulnerabilities",
                    "Bar chart: episodes with each vulnerability found at screening",
                    [Bar(label, cells[0]) for label, cells in rows],
                ),
            )
        ],
    )


def _referral_section(f: Figures, c: Cells) -> Section:
    types = list(f.by_service)
    outcome_grid = c.grid(
        [
            [f.by_service[t].attended, f.by_service[t].not_attended, f.by_service[t].not_known]
            for t in types
        ]
        + [[f.attended, f.attendance_known - f.attended, f.referrals - f.attendance_known]]
    )
    referral_cells = c.grid([[f.by_service[t].referrals] for t in types] + [[f.referrals]])

    def row(label: str, i: int, supported: int, attended: int, known: int):
        return (
            label,
            [
                referral_cells[i][0],
                *outcome_grid[i],
                c.count(supported),
                c.rate(attended, known),
            ],
        )

    by_type = Table(
        caption="Onward referrals by type of service",
        columns=[
            "Type of service",
            "Referrals",
            "Attended",
            "Did not attend",
            "Not known yet",
            "Supported to the first appointment",
            "Attendance rate",
        ],
        rows=[
            row(
                ServiceType(t).label,
                i,
                f.by_service[t].supported,
                f.by_service[t].attended,
                f.by_service[t].attended + f.by_service[t].not_attended,
            )
            for i, t in enumerate(types)
        ],
        total=row("All services", len(types), f.supported, f.attended, f.attendance_known),
    )
    by_month = Table(
        caption="Onward referral and attendance rates, by month referred",
        columns=[
            "Month referred",
            "Episodes",
            "Episodes referred on",
            "Referral rate",
            "Attendance rate",
        ],
        rows=[
            (
                m.month.label,
                [
                    c.count(m.episodes),
                    c.count(m.referred_on),
                    c.rate(m.referred_on, m.episodes),
                    c.rate(m.attended, m.attendance_known),
                ],
            )
            for m in f.months
        ],
        total=(
            "All months",
            [
                c.count(f.episodes),
                c.count(f.referred_on),
                c.rate(f.referred_on, f.episodes),
                c.rate(f.attended, f.attendance_known),
            ],
        ),
    )
    return Section(
        id="referrals",
        heading="Onward referrals and attendance",
        intro=(
            "The referral rate is the share of episodes with at least one onward referral. "
            "The attendance rate is the share of onward referrals whose first appointment was "
            "attended, out of those where attendance is known."
            + c.note(
                f"A rate is not shown when it is a share of fewer than {c.limit}, or counts "
                f"fewer than {c.limit}."
            )
        ),
        blocks=[
            Block(
                by_type,
                bar_chart(
                    "chart-referrals",
                    "Bar chart: onward referrals by type of service",
                    [Bar(label, cells[0]) for label, cells in by_type.rows],
                ),
            ),
            Block(
                by_month,
                bar_chart(
                    "chart-referral-rate",
                    "Bar chart: onward referral rate by month referred, per cent",
                    [Bar(label, cells[2]) for label, cells in by_month.rows],
                ),
            ),
        ],
    )


def _diversion_section(f: Figures, c: Cells) -> Section:
    grid = c.grid([[f.diversions[d]] for d in DIVERSION_DISPOSALS] + [[sum(f.diversions.values())]])
    table = Table(
        caption="Diversion outcomes recorded, by outcome",
        columns=["Outcome", "Episodes"],
        rows=[(d.label, cells) for d, cells in zip(DIVERSION_DISPOSALS, grid[:-1], strict=True)],
        total=("All diversion outcomes", grid[-1]),
    )
    return Section(
        id="diversions",
        heading="Diversion outcomes",
        intro=(
            "Episodes referred in the period whose recorded disposal diverts the person to "
            "health or youth services: out-of-court disposals, the Mental Health Act court "
            "orders and the youth court orders." + c.note(f"Counts under {c.limit} are not shown.")
        ),
        blocks=[
            Block(
                table,
                bar_chart(
                    "chart-diversions",
                    "Bar chart: episodes with each diversion outcome",
                    [Bar(label, cells[0]) for label, cells in table.rows],
                ),
            )
        ],
    )


def dashboard_sections(figures: Figures, c: Cells | None = None) -> list[Section]:
    c = c or Cells()
    return [
        _stage_section(figures, c),
        _timing_section(figures, c),
        _vulnerability_section(figures, c),
        _referral_section(figures, c),
        _diversion_section(figures, c),
    ]
