"""The demo gives every team feedback in each state, so the staff pages are never empty."""

from io import StringIO

import pytest
from django.core.management import call_command

from healthjustice.feedback.models import Feedback, FeedbackStatus, ImprovementAction
from healthjustice.organisations.models import Membership
from healthjustice.organisations.roles import Permission, roles_with

pytestmark = pytest.mark.django_db


def test_every_demo_team_has_new_responded_and_closed_feedback_and_an_action():
    call_command("seed_demo", people=10, stdout=StringIO())
    teams = {m.team for m in Membership.objects.filter(user__is_demo=True).select_related("team")}
    assert len(teams) >= 8
    for team in teams:
        statuses = {f.status for f in Feedback.objects.filter(team=team)}
        assert statuses == set(FeedbackStatus), (team.name, statuses)
        assert ImprovementAction.objects.filter(team=team).exists(), team.name
    # Each team has a demo account that may handle its feedback.
    leaders = Membership.objects.filter(
        user__is_demo=True, role__in=roles_with(Permission.FEEDBACK_RESPOND)
    ).values_list("team", flat=True)
    assert {t.pk for t in teams} <= set(leaders)
