"""The equity page's sections: suppressed counts, rates, ratios and proportions with their
intervals and judgements in words, as tables (with charts) and as CSV rows.

Suppression (equity/suppression.py) runs before anything is worked out from a count: a hidden
count hides every figure that would give it away (its rate, ratio and percentage).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from markupsafe import Markup

from healthjustice.core import spc
from healthjustice.core.charts import Bar, bar_chart
from healthjustice.core.spc_chart import xmr_chart
from healthjustice.organisations.models import Team

from . import stats
from .groups import (
    BROAD_GROUPS,
    CATEGORY_CODES,
    CODE_LABELS,
    GROUP_LABEL,
    GROUP_OF_CODE,
    NOT_KNOWN,
    NOT_STATED,
)
from .pathways import CASES, PathwayFigures, Step
from .selectors import Completeness, Counts, Figures, Population, WaitFigures
from .suppression import Cell, suppress_system, suppress_table

NO_FIGURE = "no population figure"
NOT_FOR_TEAM = "shown for a whole region"


@dataclass(frozen=True)
class Shown:
    text: str
    csv: str
    hidden: bool = False


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[tuple[str, list[Shown]]]


@dataclass
class Section:
    id: str
    heading: str
    intro: str
    tables: list[Table]
    chart: Markup | None = None
    notes: list[str] = field(default_factory=list)


def _limit() -> int:
    return int(getattr(settings, "HJ_EQUITY_SMALL_NUMBER", 5))


def reference_code() -> str:
    code = str(getattr(settings, "HJ_EQUITY_REFERENCE_CODE", "A"))
    return code if code in CODE_LABELS else "A"


def _count(cell: Cell) -> Shown:
    return Shown(cell.text, cell.csv, cell.hidden)


def _num(value: float, places: int = 1) -> str:
    return f"{value:,.{places}f}"


def _words(text: str) -> Shown:
    return Shown(text, text)


def _rate_text(rate: stats.Rate) -> Shown:
    if rate.value is None or rate.low is None or rate.high is None:
        return _words(NO_FIGURE)
    text = f"{_num(rate.value)} ({_num(rate.low)} to {_num(rate.high)})"
    return Shown(text, text)


def _ratio_text(ratio: stats.Ratio, judgement: stats.Judgement) -> Shown:
    if ratio.value is None or ratio.low is None or ratio.high is None:
        return _words(ratio.why_not or NO_FIGURE)
    text = f"{ratio.value:.2f} ({ratio.low:.2f} to {ratio.high:.2f})"
    return Shown(text, text)


def _percent_text(p: stats.Proportion) -> str:
    if p.value is None or p.low is None or p.high is None:
        return "none"
    return f"{100 * p.value:.0f}% ({100 * p.low:.0f}% to {100 * p.high:.0f}%)"


# --- People seen: the hierarchy of categories within groups within the total -----------------

ROW_KEYS = [*CATEGORY_CODES, *(g.key for g in BROAD_GROUPS), NOT_STATED, NOT_KNOWN, "total"]


def _hierarchy(values: dict[str, int]) -> dict[str, Cell]:
    """Suppress counts of categories, groups, not stated, not known and the total together."""
    keys = ROW_KEYS
    position = {k: i for i, k in enumerate(keys)}
    equations = [([position[c] for c in g.codes], position[g.key]) for g in BROAD_GROUPS]
    equations.append(
        (
            [position[g.key] for g in BROAD_GROUPS] + [position[NOT_STATED], position[NOT_KNOWN]],
            position["total"],
        )
    )
    cells = suppress_system([values.get(k, 0) for k in keys], equations, _limit())
    return dict(zip(keys, cells, strict=True))


def _rolled_up(per_code: dict[str, int]) -> dict[str, int]:
    values = dict(per_code)
    for g in BROAD_GROUPS:
        values[g.key] = sum(per_code.get(c, 0) for c in g.codes)
    values["total"] = sum(per_code.values())
    return values


def _label(key: str, everyone: str = "All people") -> str:
    if key in CODE_LABELS:
        return CODE_LABELS[key]
    if key == NOT_STATED:
        return "Not stated"
    if key == NOT_KNOWN:
        return "Not known (not asked, or not recorded)"
    if key == "total":
        return everyone
    return GROUP_LABEL[key]


def people_seen_cells(figures: Figures) -> tuple[dict[str, int], dict[str, Cell]]:
    """The people counted, by category, broad group, not stated, not known and in total, and
    the same suppressed together as the access table shows them (keys as `ROW_KEYS`). The
    board report reads these, so its counts are hidden exactly as this page hides them."""
    values = _rolled_up({code: c.people for code, c in figures.by_code.items()})
    return values, _hierarchy(values)


def _access_rows(
    keys: Sequence[str],
    reference: str,
    cells: dict[str, Cell],
    counts: dict[str, int],
    population: dict[str, int] | None,
) -> tuple[list[tuple[str, list[Shown]]], list[Bar]]:
    rows, bars = [], []
    ref_pop = population.get(reference) if population is not None else None
    for key in keys:
        cell = cells[key]
        shown = [_count(cell)]
        bar_value: float | None = None
        bar_text = cell.text
        if key in (NOT_STATED, NOT_KNOWN, "total"):
            shown += [_words("not applicable")] * 4
        elif population is None:
            shown += [_words(NOT_FOR_TEAM)] * 4
            bar_text = NOT_FOR_TEAM
        elif key not in population:
            shown += [_words(NO_FIGURE)] * 4
            bar_text = NO_FIGURE
        elif cell.hidden:
            pop = population[key]
            shown += [_words(f"{pop:,}"), _words("not shown")]
            verdict = (
                stats.JUDGEMENT_WORDS[stats.Judgement.TOO_SMALL] if cell.primary else "not shown"
            )
            shown += [_words("not shown"), _words(verdict)]
        else:
            pop = population[key]
            rate = stats.rate_per_100k(counts.get(key, 0), pop)
            shown += [_words(f"{pop:,}"), _rate_text(rate)]
            bar_value, bar_text = rate.value, _rate_text(rate).text
            if key == reference:
                shown += [_words("reference group"), _words("reference group")]
            elif ref_pop is None:
                shown += [_words(NO_FIGURE + " for the reference group")] * 2
            elif cells[reference].hidden:
                shown += [_words("not shown")] * 2
            else:
                ratio = stats.rate_ratio(counts.get(key, 0), pop, counts.get(reference, 0), ref_pop)
                judgement = stats.judge_ratio(ratio, small=_limit())
                shown += [
                    _ratio_text(ratio, judgement),
                    _words(stats.judgement_words(judgement, ratio)),
                ]
        rows.append((_label(key), shown))
        if key not in (NOT_STATED, NOT_KNOWN, "total"):
            bars.append(Bar(_label(key), bar_value, bar_text))
    return rows, bars


def _access_columns(pathway: PathwayFigures) -> list[str]:
    return [
        "Ethnic group",
        pathway.counted,
        "Population (Census 2021)",
        "Per 100,000 (95% interval)",
        "Rate ratio (95% interval)",
        "Compared with the reference group",
    ]


def access_section(figures: Figures, population: Population | None) -> Section:
    pathway = figures.pathway
    reference = reference_code()
    values, cells = people_seen_cells(figures)
    group_pop = population.by_group if population is not None and population.known else None
    code_pop = population.by_code if population is not None and population.known else None
    if population is not None and not population.known:
        group_pop, code_pop = {}, {}
    group_keys = [g.key for g in BROAD_GROUPS] + [NOT_STATED, NOT_KNOWN, "total"]
    group_rows, bars = _access_rows(group_keys, GROUP_OF_CODE[reference], cells, values, group_pop)
    code_keys = [*CATEGORY_CODES, NOT_STATED, NOT_KNOWN]
    code_rows, _ = _access_rows(code_keys, reference, cells, values, code_pop)
    notes = [
        f"{pathway.counted}: {pathway.counted_note}. Not stated and not known are counted but "
        "have no population, so no rate.",
    ]
    if population is None:
        notes.append(
            "Rates per 100,000 need the population a team serves, which is recorded for a "
            "region: choose a region to see them."
        )
    else:
        if population.approximate:
            notes.append(
                "The population figures are approximate: partial Census 2021 figures from "
                "secondary sources, not the published ONS table. Load ONS TS021 before using "
                "these rates as PCREF measures."
            )
        if population.missing:
            notes.append(
                "No population figures for " + ", ".join(population.missing) + ", so the "
                "region has no rates."
            )
        if not population.areas:
            notes.append("No local authorities are mapped to this region, so it has no rates.")
    chart = bar_chart(
        "equity-access",
        f"Bar chart: {pathway.counted.lower()} per 100,000 residents, by broad ethnic group",
        bars,
    )
    columns = _access_columns(pathway)
    return Section(
        id="access",
        heading=f"Access: {pathway.counted.lower()} per 100,000 residents",
        intro=(
            f"Each group's rate is compared with {_label(reference)} (and, by broad group, "
            f"with {GROUP_LABEL[GROUP_OF_CODE[reference]]}): a rate ratio above 1 means more "
            f"of the group are counted per head ({pathway.counted.lower()})."
        ),
        tables=[
            Table(f"{pathway.counted} by broad ethnic group", columns, group_rows),
            Table(f"{pathway.counted} by ethnic category", columns, code_rows),
        ],
        chart=chart,
        notes=notes,
    )


# --- Progression and waits by broad group ----------------------------------------------------

GROUP_ROWS = [*(g.key for g in BROAD_GROUPS), NOT_STATED, NOT_KNOWN]


def _by_group(figures: Figures) -> dict[str, Counts]:
    grouped: dict[str, Counts] = {k: Counts() for k in [*GROUP_ROWS, "total"]}
    for code, counts in figures.by_code.items():
        for key in (GROUP_OF_CODE.get(code, code), "total"):
            target = grouped[key]
            # A person has one ethnic category, so the people of different codes are different.
            target.people += counts.people
            target.cases += counts.cases
            target.steps.update(counts.steps)
            target.months.update(counts.months)
    return grouped


def _one_total(values: dict[str, int]) -> dict[str, Cell]:
    keys = [*GROUP_ROWS, "total"]
    cells = suppress_system(
        [values[k] for k in keys], [(list(range(len(GROUP_ROWS))), len(GROUP_ROWS))], _limit()
    )
    return dict(zip(keys, cells, strict=True))


def _share_rows(figures: Figures, steps: Sequence[Step]) -> list[tuple[str, list[Shown]]]:
    """A row per broad group: its cases, then each step as a count and a share of its base,
    with the Wilson interval and a judgement against the reference group."""
    pathway = figures.pathway
    grouped = _by_group(figures)
    reference = GROUP_OF_CODE[reference_code()]
    cases = _one_total({k: c.cases for k, c in grouped.items()})
    step_cells = {
        step.key: _one_total({k: c.steps[step.key] for k, c in grouped.items()}) for step in steps
    }
    step_cells[CASES] = cases
    rows = []
    for key in [*GROUP_ROWS, "total"]:
        shown = [_count(cases[key])]
        for step in steps:
            cell = step_cells[step.key][key]
            base = step_cells[step.of][key]
            if cell.hidden or base.hidden:
                shown.append(Shown(cell.text if cell.hidden else "not shown", cell.csv, True))
                continue
            p = stats.wilson(cell.value, base.value)
            text = f"{cell.value:,}: {_percent_text(p)}"
            if key not in (reference, NOT_STATED, NOT_KNOWN, "total"):
                ref_cell = step_cells[step.key][reference]
                ref_base = step_cells[step.of][reference]
                if ref_cell.hidden or ref_base.hidden:
                    verdict = stats.JUDGEMENT_WORDS[stats.Judgement.TOO_SMALL]
                else:
                    ref = stats.wilson(ref_cell.value, ref_base.value)
                    verdict = stats.JUDGEMENT_WORDS[stats.judge_proportions(p, ref, small=_limit())]
                text += f"; {verdict}"
            shown.append(Shown(text, text))
        rows.append((_label(key, f"All {pathway.cases}"), shown))
    return rows


def _share_table(figures: Figures, steps: Sequence[Step], caption: str) -> Table:
    cases = figures.pathway.cases.capitalize()
    columns = ["Ethnic group", cases, *(step.label for step in steps)]
    return Table(caption, columns, _share_rows(figures, steps))


def progression_section(figures: Figures) -> Section:
    pathway = figures.pathway
    reference = GROUP_OF_CODE[reference_code()]
    steps = ", ".join(step.label[0].lower() + step.label[1:] for step in pathway.steps)
    return Section(
        id="progression",
        heading=pathway.steps_heading,
        intro=(
            f"The share of each group's {pathway.cases} that went on to each step ({steps}), "
            "each with its Wilson 95% interval, compared with the "
            f"{GROUP_LABEL[reference]} group's. A step of a step is a share of those who "
            "reached the first."
        ),
        tables=[
            _share_table(
                figures,
                pathway.steps,
                f"{pathway.cases.capitalize()} by broad ethnic group, and how many went on to "
                "each step",
            )
        ],
    )


def safeguards_section(figures: Figures) -> Section:
    pathway = figures.pathway
    return Section(
        id="coercion",
        heading="Coercion and disclosure, per 100 episodes",
        intro=(
            f"Of each group's {pathway.cases}, the share (so, per 100 episodes) with a report "
            "to a criminal-justice partner issued without the person's consent (on a lawful "
            "basis such as the public interest; corrections are not counted again), whose "
            "record was opened under break-glass during the period, and whose record is "
            "restricted, each with its Wilson 95% interval. A higher share for a group is a "
            "question to ask, not an answer."
        ),
        tables=[
            _share_table(
                figures,
                pathway.safeguards,
                f"{pathway.cases.capitalize()} by broad ethnic group: disclosure without "
                "consent, break-glass and restriction",
            )
        ],
    )


def revolving_door_section(figures: Figures, pathway: PathwayFigures) -> Section:
    notes = []
    if not figures.by_code:
        notes.append(
            "No episode of these teams closed in the period at least a year ago, so there is "
            "nothing to show yet: choose a period that ended a year or more ago."
        )
    return Section(
        id="revolving-door",
        heading="Revolving door: back in contact within 12 months",
        intro=(
            f"Of the {pathway.name} episodes that closed in the period, and at least a year "
            "ago (so each was followed for a whole year), the share whose person came back to "
            "the service (a new episode of any pathway, in any team) within 12 months of the "
            "close, with its Wilson 95% interval."
        ),
        tables=[
            _share_table(
                figures,
                figures.pathway.steps,
                "Closed episodes by broad ethnic group, and how many came back within 12 months",
            )
        ],
        notes=notes,
    )


def _wait_text(waits: WaitFigures, limit: int) -> tuple[Shown, Shown]:
    if not waits.n:
        return _words("none"), _words("none")
    if waits.n < limit:
        words = f"not shown (fewer than {limit})"
        return Shown(words, words, True), Shown(words, words, True)
    assert waits.median is not None and waits.p90 is not None
    return _words(_num(waits.median)), _words(_num(waits.p90))


def waits_section(figures: Figures) -> Section:
    pathway = figures.pathway
    limit = _limit()
    rows = []
    for key in [*GROUP_ROWS, "total"]:
        waits = figures.waits.get(key, {})
        cells: list[Shown] = []
        for wait in pathway.waits:
            cells += _wait_text(waits.get(wait.key, WaitFigures()), limit)
        rows.append((_label(key, f"All {pathway.cases}"), cells))
    columns = ["Ethnic group"]
    for wait in pathway.waits:
        columns += [f"{wait.label}: median", f"{wait.label}: 90th percentile"]
    start = "identification" if pathway.cases == "carers" else "referral"
    return Section(
        id="waits",
        heading=f"Waits from {start}, in {pathway.wait_unit}",
        intro=(
            "The median and the 90th percentile (nearest rank: a wait that happened) of the "
            f"{pathway.wait_unit} from {start} to each step. A time resting on fewer than "
            f"{limit} {pathway.cases} is not shown."
        ),
        tables=[
            Table(
                f"{pathway.wait_unit.capitalize()} from {start} by broad ethnic group",
                columns,
                rows,
            )
        ],
    )


# --- Data completeness by team ---------------------------------------------------------------

COMPLETENESS_PARTS = [
    ("self_reported", "Stated, self-reported"),
    ("stated_not_self_reported", "Stated, not self-reported"),
    ("not_stated", "Not stated"),
    ("not_known", "Not known"),
]


def completeness_section(
    completeness: dict[Team, Completeness], with_chart: bool = True, whose: str = "People"
) -> Section:
    teams = list(completeness)
    records: list[Completeness] = [completeness[t] for t in teams]
    grid = [[getattr(r, name) for name, _ in COMPLETENESS_PARTS] for r in records]
    table = suppress_table(grid, _limit()) if grid else None
    rows: list[tuple[str, list[Shown]]] = []
    bars = []
    for i, team in enumerate(teams):
        assert table is not None
        cells = [_count(c) for c in table.cells[i]]
        total = table.row_totals[i]
        good = table.cells[i][0]
        if good.hidden or total.hidden:
            share = Shown("not shown", "not shown", True)
            bars.append(Bar(team.name, None, "not shown"))
        else:
            p = stats.wilson(good.value, total.value)
            share = _words(_percent_text(p))
            bars.append(
                Bar(team.name, p.percent, f"{p.percent:.0f}%" if p.percent is not None else "none")
            )
        rows.append((team.name, [*cells, _count(total), share]))
    if table is not None:
        rows.append(
            (
                "All teams",
                [
                    *(_count(c) for c in table.column_totals),
                    _count(table.grand_total),
                    _words(""),
                ],
            )
        )
    chart = (
        bar_chart(
            "equity-completeness",
            "Bar chart: share of people whose ethnicity is stated and self-reported, by team",
            bars,
        )
        if with_chart
        else None
    )
    return Section(
        id="completeness",
        heading="Data completeness: is ethnicity recorded, and by the person themselves?",
        intro=(
            "Gaps in the data can hide or create differences: read the figures above with "
            f"these. {whose} in each team in the period, by how their ethnicity is recorded."
        ),
        tables=[
            Table(
                "People by team and how their ethnicity is recorded",
                [
                    "Team",
                    *(label for _, label in COMPLETENESS_PARTS),
                    "People",
                    "Stated and self-reported (95% interval)",
                ],
                rows,
            )
        ],
        chart=chart,
    )


def trend_section(figures: Figures, months: Sequence[str]) -> Section:
    """Each broad group's people by month as an XmR chart, where the group's figures may be
    shown: its period total is shown and no month has a count below the small-number limit (a
    chart drawn over a hidden count would give it away through its mean)."""
    pathway = figures.pathway
    limit = _limit()
    grouped = _by_group(figures)
    totals = _hierarchy(_rolled_up({code: c.people for code, c in figures.by_code.items()}))
    labels = [f"{month_start_label(m)}" for m in months]
    charts: list[Markup] = []
    columns = ["Month"]
    series: list[list[int]] = []
    notes: list[str] = []
    for group in BROAD_GROUPS:
        values = [grouped[group.key].months[m] for m in months]
        if not any(values):
            continue
        if totals[group.key].hidden or any(0 < v < limit for v in values):
            notes.append(
                f"{group.label}: not charted by month, as some months have fewer than {limit} "
                f"{pathway.counted.lower()} (a monthly chart would give the small numbers away)."
            )
            continue
        chart = spc.xmr(values)
        if chart is None:
            continue
        columns.append(group.label)
        series.append(values)
        reading = (
            chart.reading
            if len(values) >= spc.MINIMUM_POINTS
            else f"fewer than {spc.MINIMUM_POINTS} months: too few to read the limits"
        )
        notes.append(f"{group.label}: {reading}.")
        charts.append(
            xmr_chart(
                f"equity-trend-{group.key}",
                f"{pathway.counted} by month: {group.label}",
                f"XmR chart of {pathway.counted.lower()} each month, with the mean "
                f"{chart.mean:,.1f} and process limits {max(chart.lower, 0):,.1f} to "
                f"{chart.upper:,.1f}. {reading.capitalize()}.",
                chart,
                labels,
            )
        )
    rows = [
        (label, [_words(f"{values[i]:,}") for values in series]) for i, label in enumerate(labels)
    ]
    intro = (
        f"{pathway.counted} each month, for each broad ethnic group, as statistical process "
        "control (XmR) charts: the mean, and process limits at the mean ± 2.66 average moving "
        "ranges. Squares mark special cause variation by the Making Data Count rules (a point "
        "outside the limits; seven in a row on one side of the mean; seven in a row rising or "
        "falling; two of three close to a limit)."
    )
    if len(months) < spc.MINIMUM_POINTS:
        intro += f" Choose at least {spc.MINIMUM_POINTS} months for limits worth reading."
    return Section(
        id="over-time",
        heading="Over time: month by month",
        intro=intro,
        tables=[Table(f"{pathway.counted} by month and broad ethnic group", columns, rows)]
        if series
        else [],
        chart=Markup("").join(charts) if charts else None,
        notes=notes,
    )


def month_start_label(key: str) -> str:
    year, month = (int(part) for part in key.split("-"))
    return f"{date(year, month, 1):%b %Y}"


def sections(
    figures: Figures,
    population: Population | None,
    revolving: Figures | None = None,
    months: Sequence[str] = (),
) -> list[Section]:
    found = [access_section(figures, population)] if figures.pathway.per_population else []
    found.append(progression_section(figures))
    if months:
        found.append(trend_section(figures, months))
    if figures.pathway.waits:
        found.append(waits_section(figures))
    if figures.pathway.safeguards:
        found.append(safeguards_section(figures))
    if revolving is not None:
        found.append(revolving_door_section(revolving, figures.pathway))
    whose = {"carers": "Carers identified", "responses": "Responses"}.get(
        figures.pathway.cases, "People with an episode"
    )
    found.append(completeness_section(figures.completeness, whose=whose))
    return found


def csv_rows(sections: Sequence[Section]) -> list[list[str]]:
    """Long form: section, table, row, column, value (suppressed counts as <5 or *)."""
    out = [["section", "table", "row", "column", "value"]]
    for section in sections:
        for table in section.tables:
            for label, cells in table.rows:
                for column, cell in zip(table.columns[1:], cells, strict=False):
                    out.append([section.heading, table.caption, label, column, cell.csv])
    return out
