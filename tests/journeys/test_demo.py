"""The demo data gives every demo L&D team a worklist with work in every stage."""

import pytest
from django.db.models import Count

from healthjustice.demo.loader import load_demo, reset_demo
from healthjustice.journeys.models import CustodyEvent, Episode
from healthjustice.journeys.selectors import with_current_stage
from healthjustice.journeys.stages import LIAISON_AND_DIVERSION
from healthjustice.screening.models import RiskAlert
from healthjustice.worklist.selectors import explain, worklist_queryset

pytestmark = pytest.mark.django_db


def test_demo_fills_worklists_in_every_stage_and_reset_removes_them():
    ctx, fresh = load_demo(people=120, seed=5, log=lambda _msg: None)
    assert fresh
    custody = ctx.teams["staffs.custody"]
    stages = set(
        with_current_stage(Episode.objects.filter(team=custody)).values_list(
            "current_stage", flat=True
        )
    )
    assert stages == set(LIAISON_AND_DIVERSION.stages)
    practitioner = ctx.users["practitioner.staffs"]
    rows = list(worklist_queryset(practitioner, team_id=custody.id))
    words = [r.text for row in rows for r in explain(row)]
    assert any("of 24 in custody" in w for w in words)
    assert "27 hours of 36 in custody (extended)" in words
    assert CustodyEvent.objects.filter(episode__team=custody, kind="left").exists()
    assert any(w.startswith("Risk alert: PHQ-9") for w in words)
    assert any(w.startswith("Follow-up overdue since") for w in words)
    court_rows = worklist_queryset(
        ctx.users["practitioner2.staffs"], team_id=ctx.teams["staffs.court"].id
    )
    assert any(w.text.startswith("Court hearing in") for r in court_rows for w in explain(r))
    assert list(worklist_queryset(practitioner, mine=True))
    per_team = Episode.objects.values("team").annotate(n=Count("pk"))
    assert all(row["n"] >= 1 for row in per_team)

    reset_demo()
    assert not Episode.objects.exists()
    assert not RiskAlert.objects.exists()
