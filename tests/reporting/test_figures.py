import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from healthjustice.journeys.choices import Stage
from healthjustice.reporting.dashboard import Cells, dashboard_sections
from healthjustice.reporting.selectors import STAGES, Filters, service_figures
from healthjustice.reporting.stats import (
    breakdown_cells,
    median,
    percentile_nearest_rank,
    rate_cell,
    suppress_grid,
)
from tests.interventions.factories import OnwardReferralFactory, make_episode
from tests.reporting.known_data import build_known, screen

pytestmark = pytest.mark.django_db


def test_median_and_nearest_rank_percentile_by_hand():
    assert median([1, 2, 3, 4, 5, 6, 7, 8, 9, 30]) == 5.5
    assert median([3, 1, 2]) == 2
    assert percentile_nearest_rank([30, 1, 2, 3, 4, 5, 6, 7, 8, 9], 90) == 9
    assert percentile_nearest_rank([10, 20, 30, 40, 50, 100], 90) == 100
    assert percentile_nearest_rank([7], 90) == 7
    assert median([]) is None
    assert percentile_nearest_rank([], 90) is None


def test_small_counts_are_suppressed_and_zero_is_not():
    cells = breakdown_cells([0, 3, 12, 7])
    assert [c.text for c in cells] == [
        "0",
        "fewer than 5",
        "12",
        "not shown (protects a small number)",
    ]
    assert cells[3].suppressed, "the next smallest cell hides the one below 5 from subtraction"
    assert cells[3].shown is None


def test_breakdown_with_two_small_cells_needs_no_secondary_suppression():
    assert [c.suppressed for c in breakdown_cells([2, 3, 40])] == [True, True, False]


def test_grid_suppression_covers_rows_and_columns():
    grid = suppress_grid([[10, 2, 8], [6, 9, 7]])
    hidden = [[c.suppressed for c in row] for row in grid]
    # 2 is hidden; its row then hides 8; column 2 then hides 9 and column 3 hides 7.
    assert hidden == [[False, True, True], [False, True, True]]


def test_rate_is_hidden_when_its_count_or_base_is_small():
    assert rate_cell(3, 40).text == "not shown (fewer than 5)"
    assert rate_cell(30, 4).suppressed
    assert rate_cell(6, 12).text == "50%"
    assert rate_cell(0, 0).text == "none"


def test_service_figures_for_team_a_match_the_hand_worked_figures():
    known = build_known()
    figures = service_figures(
        Filters(team_ids=(known.team_a.id,), first=known.month, last=known.month)
    )
    assert figures.episodes == 16
    assert dict(figures.by_stage) == {
        "identified": 6,
        "screened": 4,
        "assessed": 1,
        "intervention": 4,
        "closed": 1,
    }
    assert figures.to_screening.n == 10
    assert figures.to_screening.median == pytest.approx(5.5)
    assert figures.to_screening.p90 == pytest.approx(9)
    assert figures.to_assessment.n == 6
    assert figures.to_assessment.median == pytest.approx(35)
    assert figures.to_assessment.p90 == pytest.approx(100)
    assert figures.screened_episodes == 10
    assert figures.with_any_vulnerability == 10
    assert dict(figures.vulnerabilities) == {
        "mental_health": 10,
        "drugs": 6,
        "alcohol": 3,
        "housing": 1,
    }
    assert figures.referrals == 6
    assert figures.referred_on == 5
    assert figures.attended == 4
    assert figures.attendance_known == 5
    assert figures.supported == 1
    assert figures.by_service["mental_health"].referrals == 3
    assert figures.by_service["mental_health"].not_attended == 1
    assert figures.by_service["housing"].not_known == 1


def test_region_scope_adds_the_other_team_of_the_region_only():
    known = build_known()
    figures = service_figures(
        Filters(team_ids=(known.team_a.id, known.team_b.id), first=known.month, last=known.month)
    )
    assert figures.episodes == 18
    assert figures.by_stage["identified"] == 8


def test_filters_by_setting_and_site_narrow_the_figures():
    known = build_known()
    base = {"team_ids": (known.team_a.id,), "first": known.month, "last": known.month}
    assert service_figures(Filters(**base, setting="magistrates_court")).episodes == 0
    assert service_figures(Filters(**base, setting="police_custody")).episodes == 16
    assert service_figures(Filters(**base, site_id=999999)).episodes == 0


def test_the_leaders_own_dashboard_shows_the_real_counts():
    known = build_known()
    figures = service_figures(
        Filters(team_ids=(known.team_a.id,), first=known.month, last=known.month)
    )
    sections = {s.id: s for s in dashboard_sections(figures)}

    by_stage = sections["stages"].blocks[0].table
    assert [(label, cells[0].text) for label, cells in by_stage.rows] == [
        (Stage(s).label, f"{figures.by_stage[s]:,}") for s in STAGES
    ]
    assert any(0 < figures.by_stage[s] < 5 for s in STAGES), "the world has small counts"
    page_text = " ".join(
        cell.text
        for section in sections.values()
        for block in section.blocks
        for _, cells in block.table.rows
        for cell in cells
    )
    assert "fewer than 5" not in page_text and "not shown" not in page_text
    vulnerabilities = dict(sections["vulnerabilities"].blocks[0].table.rows)
    assert vulnerabilities["Alcohol"][0].text == f"{figures.vulnerabilities['alcohol']:,}"
    referrals = sections["referrals"].blocks[1].table
    assert referrals.total[1][3].text == "80%", "4 attended of 5 known"
    assert "not shown" not in sections["referrals"].intro


def test_dashboard_tables_built_with_a_limit_hide_small_numbers_and_show_times_by_hand():
    known = build_known()
    figures = service_figures(
        Filters(team_ids=(known.team_a.id,), first=known.month, last=known.month)
    )
    sections = {s.id: s for s in dashboard_sections(figures, Cells(limit=5))}

    by_stage = sections["stages"].blocks[0].table
    assert [(label, cells[0].text) for label, cells in by_stage.rows] == [
        ("Identified", "6"),
        ("Screened", "fewer than 5"),
        ("Assessed", "fewer than 5"),
        ("Intervention", "fewer than 5"),
        ("Closed", "fewer than 5"),
    ]
    assert by_stage.total[1][0].text == "16"
    chart = str(sections["stages"].blocks[0].chart)
    assert 'role="img"' in chart and 'aria-labelledby="chart-stages-title"' in chart
    assert "style=" not in chart
    assert ">fewer than 5<" in chart

    screening = sections["timing"].blocks[0].table
    assert [c.text for c in screening.total[1]] == ["10", "5.5", "9.0"]
    assessment = sections["timing"].blocks[1].table
    assert [c.text for c in assessment.total[1]] == ["6", "35.0", "100.0"]

    vulnerabilities = dict(sections["vulnerabilities"].blocks[0].table.rows)
    assert [c.text for c in vulnerabilities["Mental health"]] == ["10", "100%"]
    assert [c.text for c in vulnerabilities["Drugs"]] == ["6", "60%"]
    assert vulnerabilities["Alcohol"][0].text == "fewer than 5"
    assert vulnerabilities["Alcohol"][1].suppressed

    referrals = sections["referrals"].blocks[1].table
    episodes, referred_on, rate, attendance = referrals.total[1]
    assert (episodes.text, referred_on.text, rate.text) == ("16", "5", "31%")
    assert attendance.suppressed, "4 attended of 5 known: the count is below 5"


def test_service_figures_take_the_same_number_of_queries_however_many_episodes():
    known = build_known()
    filters = Filters(team_ids=(known.team_a.id,), first=known.month, last=known.month)
    with CaptureQueriesContext(connection) as before:
        service_figures(filters)
    for episode in known.episodes_a[:3]:
        more = make_episode(team=known.team_a, referred_at=episode.referred_at, stage="assessed")
        screen(more, episode.referred_at, ["autism"], known.leader_a)
        OnwardReferralFactory(episode=more, created_by=known.leader_a)
    with CaptureQueriesContext(connection) as after:
        figures = service_figures(filters)
    assert figures.episodes == 19
    assert len(_reads(after)) == len(_reads(before)) <= 6


def _reads(captured) -> list[str]:
    """The queries, less the savepoints that a block of report queries opens in a test."""
    return [q["sql"] for q in captured if "SAVEPOINT" not in q["sql"].upper()]


def test_diversion_outcomes_are_counted_and_small_counts_hidden():
    from healthjustice.journeys.models import CriminalJusticeContext

    known = build_known()
    filters = Filters(team_ids=(known.team_a.id,), first=known.month, last=known.month)
    outcomes = ["mha_s37"] * 6 + ["referral_order"] * 2 + ["mha_s35", "fine"]
    for episode, disposal in zip(known.episodes_a, outcomes, strict=False):
        CriminalJusticeContext.objects.create(episode=episode, disposal=disposal)
    figures = service_figures(filters)
    assert dict(figures.diversions) == {"mha_s37": 6, "referral_order": 2, "mha_s35": 1}
    section = next(s for s in dashboard_sections(figures, Cells(limit=5)) if s.id == "diversions")
    rows = dict(section.blocks[0].table.rows)
    assert rows["Hospital order (Mental Health Act section 37)"][0].text == "6"
    assert rows["Referral order (youth court)"][0].suppressed
    own = next(s for s in dashboard_sections(figures) if s.id == "diversions")
    assert dict(own.blocks[0].table.rows)["Referral order (youth court)"][0].text == "2"
    assert section.blocks[0].table.total[1][0].text == "9"
    assert section.blocks[0].chart is not None
