"""The MHTR dashboard's figures on the hand-worked world of tests/reporting/mhtr_known.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from healthjustice.journeys.choices import Stage
from healthjustice.reporting import mhtr_dashboard, mhtr_facts
from healthjustice.reporting.mhtr_dashboard import FIGURES, RateFigure, mhtr_sections
from healthjustice.reporting.selectors import mhtr_dashboard_facts
from tests.reporting.mhtr_known import _Builder, at, build_mhtr_known, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    return build_mhtr_known()


def tables(known, *, team_ids=None, first=None, last=None):
    """{figure id: {row label: [cell texts]}} with the table's column names under "columns"."""
    first, last = first or known.a, last or known.b
    facts = mhtr_dashboard_facts(team_ids or (known.team.id,), first, last)
    found = {}
    for section in mhtr_sections(facts, first, last):
        (block,) = section.blocks
        t = block.table
        rows = {label: [c.text for c in cells] for label, cells in [*t.rows, t.total]}
        found[section.id] = {"columns": t.columns, **rows}
        assert block.chart is not None and f'id="chart-{section.id}"' in block.chart
    return found


def test_mhtr_figures_are_one_declared_entry_each():
    assert [f.id for f in FIGURES] == [
        "referrals",
        "suitability",
        "court",
        "conversion",
        "first-appointment",
        "attendance",
        "completion",
        "reliable-improvement",
        "recovery",
    ]


def test_mhtr_referrals_by_source_and_month(known):
    t = tables(known)["referrals"]
    assert t["columns"] == [
        "Month referred",
        "Liaison and Diversion episode",
        "Probation",
        "The court",
        "Defence solicitor",
        "Self-referral",
        "Other source",
        "All",
    ]
    assert t[known.a.label] == ["2", "1", "0", "0", "1", "0", "4"]
    assert t[known.b.label] == ["0", "1", "1", "1", "1", "1", "5"]
    assert t["All months"] == ["2", "2", "1", "1", "2", "1", "9"]


def test_mhtr_suitability_counts_each_episodes_newest_assessment(known):
    t = tables(known)["suitability"]
    assert t["columns"] == ["Month assessed", "Suitable", "Not suitable", "All"]
    assert t[known.a.label] == ["3", "1", "4"]
    assert t[known.b.label] == ["3", "1", "4"]


def test_mhtr_proposals_orders_and_conversion(known):
    found = tables(known)
    court = found["court"]
    assert court["columns"] == ["Month", "Proposals to court", "Orders made", "No order made"]
    assert court[known.a.label] == ["3", "3", "0"]
    assert court[known.b.label] == ["2", "2", "1"]
    conversion = found["conversion"]
    assert conversion["columns"] == ["Month proposed", "Led to an order", "Proposals (n)", "Rate"]
    assert conversion[known.a.label] == ["3", "3", "100%"]
    assert conversion[known.b.label] == ["1", "2", "50%"]
    assert conversion["All months"] == ["4", "5", "80%"]


def test_mhtr_days_from_sentence_to_first_attended_session(known):
    t = tables(known)["first-appointment"]
    assert t[known.a.label] == ["3", "2.0", "10.0"]
    assert t[known.b.label] == ["1", "4.0", "4.0"]
    assert t["All months"] == ["4", "3.0", "10.0"]


def test_mhtr_attendance_rate_counts_only_attended_dna_and_unacceptable(known):
    t = tables(known)["attendance"]
    assert t["columns"] == [
        "Month of session",
        "Did not attend",
        "Cancelled, no acceptable reason",
        "Attended",
        "Sessions counted (n)",
        "Rate",
    ]
    assert t[known.a.label] == ["2", "0", "3", "5", "60%"]
    assert t[known.b.label] == ["0", "1", "3", "4", "75%"]
    assert t["All months"] == ["2", "1", "6", "9", "67%"]


def test_mhtr_completion_rate_leaves_out_transfers(known):
    t = tables(known)["completion"]
    assert t["columns"] == [
        "Month ended",
        "Revoked",
        "Breached",
        "Other endings",
        "Completed",
        "Orders ended (n)",
        "Rate",
    ]
    assert t[known.a.label] == ["0", "0", "0", "0", "0", "none"]
    assert t[known.b.label] == ["1", "0", "0", "1", "2", "50%"]


def test_mhtr_figures_of_one_month_count_only_its_events(known):
    t = tables(known, first=known.b, last=known.b)
    assert t["referrals"]["All months"][-1] == "5"
    assert t["conversion"]["All months"] == ["1", "2", "50%"]
    assert t["attendance"]["All months"] == ["0", "1", "3", "4", "75%"]
    assert known.a.label not in t["attendance"]


def test_mhtr_empty_months_give_zeros_and_no_rates_without_dividing_by_zero(known):
    later = known.b.next()
    t = tables(known, first=later, last=later)
    assert t["referrals"][later.label][-1] == "0"
    assert t["conversion"][later.label] == ["0", "0", "none"]
    assert t["first-appointment"][later.label] == ["0", "none", "none"]
    assert t["attendance"][later.label] == ["0", "0", "0", "0", "none"]
    assert t["completion"][later.label][-1] == "none"


def test_mhtr_figures_of_a_region_add_its_teams_and_leave_out_others(known):
    both = tables(known, team_ids=(known.team.id, known.team_2.id))
    assert both["referrals"][known.b.label][-1] == "6"
    assert both["referrals"][known.b.label][1] == "1"  # e10, from Liaison and Diversion
    other = tables(known, team_ids=(known.team_3.id,))
    assert other["referrals"]["All months"][-1] == "1"
    assert other["court"]["All months"] == ["0", "0", "0"]


def test_mhtr_facts_take_a_fixed_number_of_queries(known):
    with CaptureQueriesContext(connection) as few:
        mhtr_dashboard_facts((known.team.id,), known.a, known.b)
    x = _Builder(known.leader)
    for day in (3, 4, 5):
        more_episode = x.episode(known.team, at(known.b, day), "probation")
        x.history(more_episode, (Stage.SUITABILITY_ASSESSED, at(known.b, day + 1)))
        x.suitability(more_episode, on(known.b, day + 1), "suitable")
    with CaptureQueriesContext(connection) as more:
        mhtr_dashboard_facts((known.team.id,), known.a, known.b)
    assert len(few) == len(more) <= 8


def test_mhtr_a_new_figure_is_one_more_entry(known, monkeypatch):
    """How a later figure (an outcome rate, say) is added: a loader and an entry."""

    def loader(facts):
        for f in facts:
            f.extra["improved"] = f.order_ended is not None and f.public_id.int % 2 == 0

    monkeypatch.setattr(mhtr_dashboard, "FIGURES", [])
    monkeypatch.setattr(mhtr_facts, "FACT_LOADERS", [loader])
    figure = RateFigure(
        id="example",
        heading="Example",
        intro="",
        month_label="Month ended",
        caption="Example",
        chart_title="Example",
        hit_label="Improved",
        n_label="Orders ended",
        events=lambda f: (
            [mhtr_dashboard.Event(f.order_ended[0], hit=f.extra["improved"])]
            if f.order_ended
            else []
        ),
    )
    facts = mhtr_dashboard_facts((known.team.id,), known.a, known.b)
    (section,) = mhtr_sections(facts, known.a, known.b, figures=[figure])
    total = section.blocks[0].table.total
    assert total is not None and total[1][1].text == "2"


def test_mhtr_an_episode_without_status_rows_is_still_counted(known):
    x = _Builder(known.leader)
    x.episode(known.team, at(known.b, 20), "self")
    t = tables(known, first=known.b, last=known.b)
    assert t["referrals"]["All months"][-1] == "6"
