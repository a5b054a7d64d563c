"""The RECONNECT dashboard's figures on the hand-worked world of reconnect_known.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from healthjustice.journeys.choices import Stage
from healthjustice.reporting.reconnect_dashboard import FIGURES, reconnect_sections
from healthjustice.reporting.selectors import reconnect_dashboard_facts
from tests.reporting.reconnect_known import D, _Builder, build_reconnect_known, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    return build_reconnect_known()


def tables(known, *, team_ids=None, first=None, last=None):
    """{figure id: {row label: [cell texts]}} with the table's column names under "columns"."""
    first, last = first or known.a, last or known.b
    facts = reconnect_dashboard_facts(team_ids or (known.team.id,), first, last)
    found = {}
    for section in reconnect_sections(facts, first, last):
        (block,) = section.blocks
        t = block.table
        rows = {label: [c.text for c in cells] for label, cells in [*t.rows, t.total]}
        found[section.id] = {"columns": t.columns, **rows}
        assert block.chart is not None and f'id="chart-{section.id}"' in block.chart
    return found


def test_reconnect_figures_are_one_declared_entry_each():
    assert [f.id for f in FIGURES] == [
        "referrals",
        "engaged-before-release",
        "gate-meets",
        "gp-registration",
        "handover-engagement",
        "recalls",
        "days-supported",
    ]


def test_referrals_received_and_in_the_window(known):
    t = tables(known)["referrals"]
    assert t["columns"] == [
        "Month referred",
        "Outside the window, by exception",
        "Window not recorded",
        "In the window",
        "Referrals received (n)",
        "Rate",
    ]
    assert t[known.a.label] == ["1", "0", "3", "4", "75%"]
    assert t[known.b.label] == ["0", "1", "2", "3", "67%"]
    assert t["All months"] == ["1", "1", "5", "7", "71%"]


def test_engaged_before_release_by_month_released(known):
    t = tables(known)["engaged-before-release"]
    assert t["columns"][1:3] == ["Referred after release", "No contact before release"]
    assert t[known.a.label] == ["1", "1", "1", "3", "33%"]
    assert t[known.b.label] == ["0", "0", "2", "2", "100%"]
    assert t["All months"] == ["1", "1", "3", "5", "60%"]


def test_gate_meets_achieved(known):
    t = tables(known)["gate-meets"]
    assert t[known.a.label] == ["1", "1", "1", "3", "33%"]
    assert t[known.b.label] == ["0", "1", "1", "2", "50%"]
    assert t["All months"] == ["1", "2", "2", "5", "40%"]


def test_gp_registration_counts_day_28_after_release_but_not_day_29(known):
    t = tables(known)["gp-registration"]
    assert t["columns"] == [
        "Month released",
        "Registered with a GP",
        "Released (n)",
        "Rate",
    ]
    assert t[known.a.label] == ["2", "3", "67%"]  # r1 on day 28 and r3's GP handover; not r2
    assert t[known.b.label] == ["1", "2", "50%"]
    assert t["All months"] == ["3", "5", "60%"]


def test_gp_registration_is_not_a_support_plan_need_or_a_missed_appointment(known):
    from healthjustice.reconnect.choices import NeedArea
    from healthjustice.reconnect.models import FirstWeekAppointment, SupportPlanNeed

    r5 = known.episodes["r5"]
    SupportPlanNeed.objects.create(
        episode=r5,
        area=NeedArea.GP_REGISTRATION,
        goal="Register",
        action="Book",
        recorded_by=known.leader,
    )
    x = _Builder(known.leader, None)
    x.gp(r5, on(known.b, 4), attended=False)
    assert tables(known)["gp-registration"][known.b.label] == ["1", "2", "50%"]
    FirstWeekAppointment.objects.filter(episode=r5).update(attended=True)
    assert tables(known)["gp-registration"][known.b.label] == ["2", "2", "100%"]


def test_engagement_confirmed_at_4_weeks_needs_the_full_4_weeks(known):
    t = tables(known)["handover-engagement"]
    assert t["columns"][1:3] == ["Not engaged at 4 weeks", "Not yet confirmed"]
    # r1's check 28 days after the first counts; r2's after 27 days does not; r3 has one check.
    assert t[known.a.label] == ["0", "2", "1", "3", "33%"]
    assert t[known.b.label] == ["1", "0", "0", "1", "0%"]
    assert t["All months"] == ["1", "2", "1", "4", "25%"]


def test_recalls_by_month(known):
    t = tables(known)["recalls"]
    assert t["columns"] == ["Month of the recall", "Recalled to custody"]
    assert t[known.a.label] == ["1"]
    assert t[known.b.label] == ["1"]
    assert t["All months"] == ["2"]


def test_median_days_supported_after_release(known):
    t = tables(known)["days-supported"]
    assert t[known.a.label] == ["2", "11.5", "16.0"]
    assert t[known.b.label] == ["1", "12.0", "12.0"]
    assert t["All months"] == ["3", "12.0", "16.0"]


def test_a_region_counts_its_teams_and_no_other_region(known):
    t = tables(known, team_ids=(known.team.id, known.team_2.id))["referrals"]
    assert t[known.b.label] == ["0", "1", "3", "4", "75%"]  # r8 of team T2 added; not r9


def test_an_empty_month_shows_none_for_rates(known):
    later = known.b.next()
    t = tables(known, first=later, last=later)
    assert t["gate-meets"]["All months"] == ["0", "0", "0", "0", "none"]
    assert t["days-supported"]["All months"] == ["0", "none", "none"]


def test_reconnect_figures_take_the_same_queries_however_many_episodes(known):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            tables(known)
        return len(ctx.captured_queries)

    before = queries()
    x = _Builder(known.leader, known.episodes["r1"].reconnect_release.establishment)
    for day in (3, 4, 5):
        extra = x.episode(known.team, on(known.b, day), released=on(known.b, day + 2))
        x.history(extra, (Stage.RELEASED, on(known.b, day + 2)))
        x.contact(extra, on(known.b, day + 1))
        x.gate(extra, on(known.b, day + 2), met=True)
        x.gp(extra, on(known.b, day + 3))
        x.handover(
            extra,
            on(known.b, day + 4),
            (on(known.b, day + 5), True),
            (on(known.b, day + 5) + 28 * D, True),
        )
    assert queries() == before
