"""Demo risk alert raised by hand: a practitioner's concern on an open Staffordshire custody
episode, left unacknowledged so the team's worklist shows it.

Runs after the journeys seeder and uses the episodes it opened. Importing the journeys demo
module here registers its seeder first, so it runs first whatever imports this module. The
journeys reset removes demo episodes with their alerts.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from healthjustice.demo.registry import DemoContext, register_demo_seeder
from healthjustice.demo.seeders import journeys as journeys_demo
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.selectors import with_current_stage
from healthjustice.screening.models import RiskAlert
from healthjustice.screening.services import risk_alert_raise

TEAM_KEY = "staffs.custody"
RAISED_BY = "practitioner.staffs"
CONCERN = "Disclosed thoughts of self-harm during interview"
DETAILS = (
    "Said in the police interview that they had thought about cutting themselves again "
    "tonight. Told the custody sergeant, who has increased observations. Needs a mental health "
    "review before release."
)
RAISED_AGO = datetime.timedelta(minutes=40)


def _episode_for_alert(ctx: DemoContext) -> Episode | None:
    """The team's first open screened demo episode without an alert, else its first open one."""
    team = ctx.teams[TEAM_KEY]
    episodes = ctx.extra.get(journeys_demo.EPISODES_KEY, [])
    order = [e.pk for e in episodes if e.team_id == team.pk]
    stages = dict(
        with_current_stage(Episode.objects.filter(pk__in=order, risk_alerts=None))
        .exclude(current_stage=Stage.CLOSED)
        .values_list("pk", "current_stage")
    )
    candidates = [pk for pk in order if pk in stages]
    screened = [pk for pk in candidates if stages[pk] == Stage.SCREENED]
    chosen = (screened or candidates or [None])[0]
    return Episode.objects.select_related("person").get(pk=chosen) if chosen else None


@register_demo_seeder
def seed_screening_demo(ctx: DemoContext) -> None:
    episode = _episode_for_alert(ctx)
    if episode is None:
        return
    alert = risk_alert_raise(
        actor=ctx.users[RAISED_BY], episode=episode, concern=CONCERN, details=DETAILS
    )
    # Demo only: raised during the interview a little earlier, not at load time.
    raised_at = max(timezone.now() - RAISED_AGO, episode.referred_at)
    RiskAlert.objects.filter(pk=alert.pk).update(raised_at=raised_at)
    ctx.extra["screening.risk_alert"] = alert
    ctx.log(f"Raised a risk alert by hand on an open episode in {ctx.teams[TEAM_KEY].name}.")
