"""The RECONNECT demo, dated from today: each team has someone leaving tomorrow with no gate meet
planned, someone met at the gate today, a handover awaiting its 4-week check, an extension and
a recall, and the support plan's and appointments' later changes."""

import pytest
from django.utils import timezone

from healthjustice.demo.seeders.reconnect import seed_reconnect_demo
from healthjustice.journeys.models import CriminalJusticeContext
from healthjustice.reconnect import selectors
from healthjustice.reconnect.models import (
    FirstWeekAppointment,
    GateMeet,
    GatePlan,
    Handover,
    Recall,
    ReleaseDetails,
    SupportExtension,
    SupportPlanNeedUpdate,
)
from tests.demo.support import base_demo_context

pytestmark = pytest.mark.django_db

D = timezone.timedelta(days=1)


def test_each_reconnect_team_has_people_at_every_stage_of_release_dated_from_today():
    ctx = base_demo_context(people=120, seed=5)
    seed_reconnect_demo(ctx)
    today = timezone.localdate()
    for key in ("staffs.reconnect", "blackcountry.reconnect"):
        team = ctx.teams[key]
        # Release tomorrow, with no gate meet planned yet (for the worklist to find).
        tomorrow = CriminalJusticeContext.objects.filter(
            episode__team=team, prison_release_on=today + D
        )
        assert tomorrow.exists()
        assert not GatePlan.objects.filter(episode__in=tomorrow.values("episode")).exists()
        # A gate meet done today, for someone released today.
        met_today = GateMeet.objects.filter(episode__team=team, recorded_at__date=today, met=True)
        assert ReleaseDetails.objects.filter(
            episode__in=met_today.values("episode"), released_on=today
        ).exists()
        # A handover engaged at its first appointment, its 4-week check still to come.
        waiting = [
            h
            for h in Handover.objects.filter(episode__team=team)
            if {c.kind for c in h.checks.all()} == {"first_appointment"}
        ]
        assert waiting
        # An extension beyond 6 months, and a recall that closed its episode.
        extension = SupportExtension.objects.get(episode__team=team)
        assert extension.extended_to > selectors.months_after(
            ReleaseDetails.objects.get(episode=extension.episode).released_on, 6
        )
        recall = Recall.objects.get(episode__team=team)
        assert recall.recalled_on == today - 4 * D
        # The plan's later word: an action changed, a need met today; an appointment moved.
        updates = SupportPlanNeedUpdate.objects.filter(need__episode__team=team)
        assert updates.filter(met_on=today).count() == 1
        assert updates.filter(met_on=None).count() == 1
        moved = FirstWeekAppointment.objects.get(episode__team=team, previous_on__isnull=False)
        assert moved.previous_on == today + 4 * D and moved.appointment_on == today + 6 * D
        assert moved.version == 2
