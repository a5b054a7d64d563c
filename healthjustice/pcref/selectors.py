"""Reads for the PCREF plan and the involvement register, scoped to the user's trusts."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.equity.figures import access_section, people_seen_cells, progression_section
from healthjustice.equity.groups import BROAD_GROUPS, GROUP_OF_CODE, NOT_KNOWN, NOT_STATED
from healthjustice.equity.pathways import CARERS, FEEDBACK, LIAISON_DIVERSION, MHTR, RECONNECT
from healthjustice.equity.selectors import Figures, Population, pathway_figures, region_population
from healthjustice.equity.stats import wilson
from healthjustice.equity.suppression import Cell, small_number_limit, suppress_breakdown
from healthjustice.organisations.models import Membership, Organisation, Region, Team
from healthjustice.organisations.roles import Permission, roles_with

from .models import BoardReport, Competency, Involvement, PlanAction
from .quarters import Quarter

NOT_RECORDED = "Not recorded"


def organisations_for(user: User) -> QuerySet[Organisation]:
    """The trusts whose plan and register the user keeps: those of the teams in which they
    hold pcref.manage through a current membership."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    ids = (
        Membership.objects.current()
        .filter(user=user, role__in=roles_with(Permission.PCREF_MANAGE))
        .values_list("team__organisation_id", flat=True)
    )
    return Organisation.objects.filter(pk__in=list(ids)).order_by("name")


def plan_actions(user: User) -> QuerySet[PlanAction]:
    return PlanAction.objects.filter(organisation__in=organisations_for(user)).select_related(
        "organisation"
    )


def plan_action(user: User, public_id: uuid.UUID) -> PlanAction | None:
    return plan_actions(user).filter(public_id=public_id).first()


def involvements(
    user: User,
    *,
    kind: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Involvement]:
    rows = Involvement.objects.filter(organisation__in=organisations_for(user)).select_related(
        "organisation", "ethnic_category"
    )
    if kind:
        rows = rows.filter(kind=kind)
    if date_from:
        rows = rows.filter(took_part_on__gte=date_from)
    if date_to:
        rows = rows.filter(took_part_on__lte=date_to)
    return rows


def involvement(user: User, public_id: uuid.UUID) -> Involvement | None:
    return involvements(user).filter(public_id=public_id).first()


def public_plan() -> list[tuple[Organisation, list[tuple[str, list[PlanAction]]]]]:
    """Every trust's plan, by competency in the framework's order: for the public page."""
    by_org: dict[int, tuple[Organisation, dict[str, list[PlanAction]]]] = {}
    for action in PlanAction.objects.select_related("organisation"):
        _, groups = by_org.setdefault(action.organisation_id, (action.organisation, {}))
        groups.setdefault(action.competency, []).append(action)
    return [
        (org, [(c.label, groups[c.value]) for c in Competency if c.value in groups])
        for org, groups in sorted(by_org.values(), key=lambda pair: pair[0].name)
    ]


@dataclass(frozen=True)
class GroupRow:
    label: str
    cell: Cell


@dataclass(frozen=True)
class InvolvementFigures:
    rows: list[GroupRow]
    total: Cell


def _person_key(row: Involvement) -> str:
    return " ".join(row.name.casefold().split())


def involvement_figures(
    user: User, *, date_from: date | None, date_to: date | None
) -> InvolvementFigures:
    """Distinct people (not organisations) who took part in the period, by broad ethnic group,
    small numbers suppressed. A person is counted once, in the group of their latest record
    that has an ethnic category."""
    rows = involvements(user, date_from=date_from, date_to=date_to)
    return _involvement_counts(list(rows.order_by("took_part_on", "pk")))


def _involvement_counts(rows: list[Involvement]) -> InvolvementFigures:
    """Distinct people among `rows` (in date order) by broad group, suppressed."""
    group_of: dict[tuple[int, str], str] = {}
    for row in rows:
        if not row.is_person:
            continue
        key = (row.organisation_id, _person_key(row))
        code = row.ethnic_category.code if row.ethnic_category else ""
        group = GROUP_OF_CODE.get(code, NOT_RECORDED)
        if group != NOT_RECORDED or key not in group_of:
            group_of[key] = group
    keys = [g.key for g in BROAD_GROUPS] + [NOT_RECORDED]
    labels = [g.label for g in BROAD_GROUPS] + [NOT_RECORDED]
    counts = [sum(1 for g in group_of.values() if g == key) for key in keys]
    shown = suppress_breakdown(counts)
    return InvolvementFigures(
        rows=[GroupRow(label, cell) for label, cell in zip(labels, shown.cells, strict=True)],
        total=shown.total,
    )


# --- The quarterly board report ------------------------------------------------------------


@dataclass(frozen=True)
class BoardTable:
    """A table as both the page and the PDF show it: words only, counts already suppressed."""

    caption: str
    columns: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()  # columns of figures, aligned right


@dataclass
class BoardSection:
    id: str
    heading: str
    intro: str = ""
    tables: list[BoardTable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class BoardContent:
    organisation: Organisation
    quarter: Quarter
    narrative: BoardReport | None
    measures: list[BoardSection]
    feedback: BoardSection
    involvement: BoardSection
    actions: BoardSection
    limit: int

    @property
    def sections(self) -> list[BoardSection]:
        return [*self.measures, self.feedback, self.involvement, self.actions]


BOARD_PATHWAYS = (LIAISON_DIVERSION, MHTR, RECONNECT, CARERS)
GROUP_KEYS = [*(g.key for g in BROAD_GROUPS), NOT_STATED, NOT_KNOWN, "total"]


def board_report(organisation: Organisation, quarter: Quarter) -> BoardReport | None:
    return BoardReport.objects.filter(
        organisation=organisation, year=quarter.year, quarter=quarter.number
    ).first()


def _trust_teams(
    organisation: Organisation, pathway: str | None
) -> list[tuple[Region, tuple[int, ...], bool]]:
    """The trust's active teams (of `pathway`, or all), region by region, and whether they are
    all the region's teams of the pathway (then the region's population is theirs to compare
    with; otherwise no rates, as the equity page shows none for a part of a region)."""
    teams = Team.objects.filter(organisation=organisation, is_active=True).select_related("region")
    if pathway is not None:
        teams = teams.filter(pathway=pathway)
    by_region: dict[int, list[Team]] = defaultdict(list)
    for team in teams:
        by_region[team.region_id].append(team)
    found = []
    for region_teams in sorted(by_region.values(), key=lambda ts: ts[0].region.name):
        region = region_teams[0].region
        ids = tuple(sorted(t.id for t in region_teams))
        everyone = Team.objects.filter(region=region, is_active=True)
        if pathway is not None:
            everyone = everyone.filter(pathway=pathway)
        whole = set(ids) == set(everyone.values_list("id", flat=True))
        found.append((region, ids, whole))
    return found


def _share(cell: Cell, total: Cell) -> str:
    if cell.hidden or total.hidden:
        return "not shown"
    p = wilson(cell.value, total.value)
    if p.value is None or p.low is None or p.high is None:
        return "none seen"
    return f"{100 * p.value:.0f}% ({100 * p.low:.0f}% to {100 * p.high:.0f}%)"


def _people_table(figures: Figures, population: Population | None, caption: str) -> BoardTable:
    """By broad group: the people counted (suppressed as the equity page suppresses them), their
    share of everyone counted with its Wilson interval, and the rate ratio against the
    reference group with its interval and judgement, as the equity page's access table."""
    _, cells = people_seen_cells(figures)
    # The equity page's table by broad group: count, population, rate, ratio, judgement.
    access = access_section(figures, population).tables[0].rows
    rows = []
    for key, (label, shown) in zip(GROUP_KEYS, access, strict=True):
        cell = cells[key]
        share = (
            "100%"
            if key == "total" and not cell.hidden and cell.value
            else _share(cell, cells["total"])
        )
        rows.append([label, cell.text, share, shown[3].text, shown[4].text])
    return BoardTable(
        caption,
        [
            "Ethnic group",
            figures.pathway.counted,
            "Share of all (95% interval)",
            "Rate ratio per head (95% interval)",
            "Compared with the reference group",
        ],
        rows,
        frozenset({1}),
    )


def _measures(organisation: Organisation, quarter: Quarter) -> list[BoardSection]:
    sections = []
    for pathway in BOARD_PATHWAYS:
        scopes = _trust_teams(organisation, pathway.key)
        section = BoardSection(
            id=f"measures-{pathway.key}",
            heading=pathway.name,
            intro=f"{pathway.counted}: {pathway.counted_note}.",
        )
        if not scopes:
            section.notes.append(f"The trust has no {pathway.name} teams.")
        for region, team_ids, whole in scopes:
            figures = pathway_figures(pathway.key, team_ids, quarter.starts, quarter.ends)
            population = region_population(region) if whole else None
            where = f"{region.name} ({'all teams' if whole else 'the trust’s teams'})"
            section.tables.append(_people_table(figures, population, f"{pathway.counted}, {where}"))
            if population is None:
                section.notes.append(
                    f"{where}: the trust’s teams serve part of the region, so there is no "
                    "population to compare with and no rate ratio."
                )
            elif population.approximate:
                section.notes.append(
                    f"{where}: the population figures are approximate (partial Census 2021 "
                    "figures, not the published ONS table)."
                )
            elif not population.known:
                section.notes.append(f"{where}: no population figures, so no rate ratio.")
        sections.append(section)
    return sections


FEEDBACK_STEPS = ("rated", "positive", "answered_fairness", "fair")


def _feedback(organisation: Organisation, quarter: Quarter) -> BoardSection:
    """Feedback received in the quarter about the trust's teams, by the ethnic group people
    chose to give: the equity page's "What people told us" table, suppressed as it is."""
    section = BoardSection(
        id="feedback",
        heading="Feedback received, by ethnic group",
        intro=(
            "Feedback about the trust's teams received in the quarter, by the ethnic group the "
            "person chose to give: how many rated their experience very good or good, and how "
            "many felt treated fairly whatever their ethnicity or background, each a share with "
            "its Wilson 95% interval."
        ),
    )
    ids = tuple(
        Team.objects.filter(organisation=organisation).order_by("pk").values_list("id", flat=True)
    )
    figures = pathway_figures(FEEDBACK.key, ids, quarter.starts, quarter.ends)
    steps = tuple(s for s in FEEDBACK.steps if s.key in FEEDBACK_STEPS)
    figures = Figures(replace(FEEDBACK, steps=steps), figures.by_code, figures.completeness)
    table = progression_section(figures).tables[0]
    if not figures.by_code:
        section.notes.append("No feedback was received in the quarter.")
    section.tables.append(
        BoardTable(
            "Feedback received in the quarter, by broad ethnic group",
            table.columns,
            [[label, *(cell.text for cell in cells)] for label, cells in table.rows],
            frozenset({1}),
        )
    )
    return section


def _involvement(organisation: Organisation, quarter: Quarter) -> BoardSection:
    """Co-production in the quarter: each activity with how many people and organisations took
    part (never who), and the people involved by broad ethnic group, suppressed."""
    rows = Involvement.objects.filter(
        organisation=organisation,
        took_part_on__gte=quarter.first_day,
        took_part_on__lte=quarter.last_day,
    ).order_by("took_part_on", "pk")
    activities: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = " ".join(row.activity.casefold().split())
        entry = activities.setdefault(
            key,
            {"activity": row.activity, "first": row.took_part_on, "people": set(), "orgs": set()},
        )
        entry["last"] = row.took_part_on
        (entry["people"] if row.is_person else entry["orgs"]).add(_person_key(row))
    section = BoardSection(
        id="involvement",
        heading="Involvement and co-production",
        intro=(
            "Activities in the quarter in which people with lived experience, carers, families "
            "and community and faith organisations took part. Numbers only: no one is named."
        ),
    )
    if not activities:
        section.notes.append("No involvement was recorded in the quarter.")
        return section

    def when(entry: dict[str, Any]) -> str:
        if entry["first"] == entry["last"]:
            return f"{entry['first']:%-d %B %Y}"
        return f"{entry['first']:%-d %B} to {entry['last']:%-d %B %Y}"

    section.tables.append(
        BoardTable(
            "Co-production activities in the quarter",
            ["Activity", "When", "People taking part", "Organisations taking part"],
            [
                [e["activity"], when(e), f"{len(e['people']):,}", f"{len(e['orgs']):,}"]
                for e in activities.values()
            ],
            frozenset({2, 3}),
        )
    )
    figures = _involvement_counts(list(rows))
    section.tables.append(
        BoardTable(
            "People involved in the quarter, by broad ethnic group",
            ["Ethnic group", "People involved"],
            [[r.label, r.cell.text] for r in figures.rows] + [["All people", figures.total.text]],
            frozenset({1}),
        )
    )
    return section


def _actions(organisation: Organisation, quarter: Quarter) -> BoardSection:
    """The plan's actions: done in the quarter, overdue at its end (due by then and not done
    by then), and due in the next quarter. Who is responsible is left out: it may be a name."""
    actions = list(PlanAction.objects.filter(organisation=organisation))
    order = {c.value: i for i, c in enumerate(Competency)}
    actions.sort(key=lambda a: (order.get(a.competency, 99), a.due_on, a.pk))

    def done_by(action: PlanAction, moment: datetime) -> bool:
        return action.completed_at is not None and action.completed_at < moment

    done = [a for a in actions if done_by(a, quarter.ends) and not done_by(a, quarter.starts)]
    overdue = [a for a in actions if a.due_on <= quarter.last_day and not done_by(a, quarter.ends)]
    following = quarter.next()
    upcoming = [
        a
        for a in actions
        if following.first_day <= a.due_on <= following.last_day and not done_by(a, quarter.ends)
    ]
    section = BoardSection(
        id="actions",
        heading="The PCREF plan",
        intro=(
            f"Actions of the plan done in the quarter, overdue at its end (due by "
            f"{quarter.last_day:%-d %B %Y} and not done by then), and due in the next quarter, "
            f"{following.label}."
        ),
    )
    section.tables = [
        BoardTable(
            f"Done in the quarter ({len(done)})",
            ["Competency", "What we did", "What shows it is done", "Done on"],
            [
                [
                    a.get_competency_display(),
                    a.action,
                    a.evidence or "-",
                    f"{timezone.localtime(a.completed_at):%-d %B %Y}" if a.completed_at else "-",
                ]
                for a in done
            ],
        ),
        BoardTable(
            f"Overdue at the end of the quarter ({len(overdue)})",
            ["Competency", "What we will do", "Due", "Status now"],
            [
                [
                    a.get_competency_display(),
                    a.action,
                    f"{a.due_on:%-d %B %Y}",
                    a.get_status_display(),
                ]
                for a in overdue
            ],
        ),
        BoardTable(
            f"Due next quarter ({len(upcoming)})",
            ["Competency", "What we will do", "Due", "Status now"],
            [
                [
                    a.get_competency_display(),
                    a.action,
                    f"{a.due_on:%-d %B %Y}",
                    a.get_status_display(),
                ]
                for a in upcoming
            ],
        ),
    ]
    return section


def board_content(organisation: Organisation, quarter: Quarter) -> BoardContent:
    """Everything the quarterly board report shows, for the page and the PDF alike."""
    return BoardContent(
        organisation=organisation,
        quarter=quarter,
        narrative=board_report(organisation, quarter),
        measures=_measures(organisation, quarter),
        feedback=_feedback(organisation, quarter),
        involvement=_involvement(organisation, quarter),
        actions=_actions(organisation, quarter),
        limit=small_number_limit(),
    )
