import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from healthjustice.audit.models import AuditEvent
from healthjustice.interventions.selectors import follow_ups_due
from healthjustice.journeys.choices import Stage
from healthjustice.organisations.roles import Role
from tests.factories import TeamFactory, staff
from tests.interventions.factories import OnwardReferralFactory, make_episode

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def team():
    return TeamFactory()


def test_follow_ups_due_lists_overdue_and_today_but_not_future_done_or_closed(team):
    me = staff(Role.PRACTITIONER, team=team)
    episode = make_episode(team=team, stage=Stage.INTERVENTION, allocated_worker=me)
    overdue = OnwardReferralFactory(
        episode=episode, created_by=me, first_appointment_on=TODAY - 3 * DAY, service_name="A"
    )
    today = OnwardReferralFactory(
        episode=episode, created_by=me, first_appointment_on=TODAY, service_name="B"
    )
    OnwardReferralFactory(episode=episode, created_by=me, first_appointment_on=TODAY + DAY)
    OnwardReferralFactory(episode=episode, created_by=me, first_appointment_on=None)
    OnwardReferralFactory(
        episode=episode,
        created_by=me,
        first_appointment_on=TODAY - DAY,
        follow_up_done_at=timezone.now(),
    )
    closed = make_episode(team=team, stage=Stage.CLOSED, allocated_worker=me)
    OnwardReferralFactory(episode=closed, created_by=me, first_appointment_on=TODAY - DAY)

    assert list(follow_ups_due(me)) == [overdue, today]


def test_follow_ups_due_mine_and_team_scopes(team):
    me = staff(Role.PRACTITIONER, team=team)
    colleague = staff(Role.PRACTITIONER, team=team)
    mine = make_episode(team=team, stage=Stage.INTERVENTION, allocated_worker=me)
    theirs = make_episode(team=team, stage=Stage.INTERVENTION, allocated_worker=colleague)
    unallocated = make_episode(team=team, stage=Stage.INTERVENTION)
    a = OnwardReferralFactory(episode=mine, created_by=colleague, first_appointment_on=TODAY)
    b = OnwardReferralFactory(episode=theirs, created_by=me, first_appointment_on=TODAY)
    c = OnwardReferralFactory(episode=unallocated, created_by=me, first_appointment_on=TODAY)

    assert set(follow_ups_due(me, scope="mine")) == {a, c}
    assert set(follow_ups_due(me, scope="team")) == {a, b, c}
    assert set(follow_ups_due(staff(Role.PRACTITIONER), scope="team")) == set()


def test_follow_ups_page_lists_overdue_and_marks_done(team, signed_in):
    me = staff(Role.PRACTITIONER, team=team)
    episode = make_episode(team=team, stage=Stage.INTERVENTION, allocated_worker=me)
    referral = OnwardReferralFactory(
        episode=episode,
        created_by=me,
        first_appointment_on=TODAY - 2 * DAY,
        service_name="Stoke Recovery Service",
    )
    client = signed_in(me)
    page = client.get(reverse("interventions:follow_ups")).content.decode()
    assert "Stoke Recovery Service" in page
    assert "2 days overdue" in page
    assert escape(episode.person.full_name) in page

    url = reverse("interventions:follow_up_done", kwargs={"public_id": referral.public_id})
    response = client.post(url, {"next": "/referrals/follow-ups/?scope=team"})
    assert response.status_code == 302
    assert response["Location"] == "/referrals/follow-ups/?scope=team"
    referral.refresh_from_db()
    assert referral.follow_up_done_by == me
    after = client.get(reverse("interventions:follow_ups")).content.decode()
    assert "is marked as done" in after
    assert "No follow-ups are due" in after


def test_follow_up_done_ignores_an_outside_next_address(team, signed_in):
    me = staff(Role.PRACTITIONER, team=team)
    episode = make_episode(team=team, stage=Stage.INTERVENTION)
    referral = OnwardReferralFactory(episode=episode, created_by=me, first_appointment_on=TODAY)
    url = reverse("interventions:follow_up_done", kwargs={"public_id": referral.public_id})
    response = signed_in(me).post(url, {"next": "https://example.com/"})
    assert response["Location"] == reverse("interventions:follow_ups")


def test_follow_ups_page_audit_names_the_episodes_and_people_shown(team, signed_in):
    me = staff(Role.PRACTITIONER, team=team)
    episode = make_episode(team=team, stage=Stage.INTERVENTION, allocated_worker=me)
    OnwardReferralFactory(episode=episode, created_by=me, first_appointment_on=TODAY - DAY)
    assert signed_in(me).get(reverse("interventions:follow_ups")).status_code == 200
    event = AuditEvent.objects.get(object_type="follow_up_list", actor_username=me.username)
    assert event.detail["episodes"] == [str(episode.public_id)]
    assert event.detail["people"] == [str(episode.person.public_id)]
    assert episode.person.full_name not in str(event.detail)
