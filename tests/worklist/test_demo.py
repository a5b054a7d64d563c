"""The demo MHTR teams' worklists show the MHTR deadlines, and the RECONNECT teams' their
release-day work first, in words."""

import pytest
from django.urls import reverse

from healthjustice.demo.loader import load_demo
from healthjustice.worklist.selectors import explain, worklist_queryset

pytestmark = pytest.mark.django_db


def test_demo_worklists_show_mhtr_deadlines_and_reconnect_release_day_work(signed_in):
    ctx, fresh = load_demo(people=120, seed=5, log=lambda _msg: None)
    assert fresh
    for region in ("staffs", "blackcountry"):
        manager = ctx.users[f"service_manager.{region}"]
        team = ctx.teams[f"{region}.mhtr"]
        rows = list(worklist_queryset(manager, team_id=team.id))
        words = [[r.text for r in explain(row)] for row in rows]
        flat = [w for row in words for w in row]
        assert any(w.startswith("PSR due tomorrow (") for w in flat), flat
        assert any(w.startswith("Compliance notice due") for w in flat), flat
        assert any(w.startswith("First appointment due by ") for w in flat), flat
        # The three deadlines come before the episodes with none.
        firsts = [row[0] for row in words[:3]]
        assert {w.split(" ")[0] for w in firsts} == {"PSR", "Compliance", "First"}, words
        # The person leaving tomorrow with no gate meet planned heads the RECONNECT team's list.
        rows = list(worklist_queryset(manager, team_id=ctx.teams[f"{region}.reconnect"].id))
        top = [r.text for r in explain(rows[0])]
        assert top[0].startswith("Release tomorrow (") and "no gate meet planned" in top[0], top

    html = (
        signed_in(ctx.users["service_manager.staffs"])
        .get(reverse("worklist:home"), {"team": str(ctx.teams["staffs.mhtr"].public_id)})
        .content.decode()
    )
    assert "PSR due tomorrow" in html and "First appointment due by" in html
