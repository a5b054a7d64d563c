"""Changes after the first record: the team chosen for a referral by someone in two RECONNECT
teams, a need in the support plan changed or marked met (an update row; the need is kept as
agreed), and a first-week appointment rebooked or moved (optimistic locking on both)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.core.append_only import AppendOnlyError
from healthjustice.core.concurrency import StaleEditError
from healthjustice.journeys.models import Episode
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.permissions import clear_permission_cache
from healthjustice.organisations.roles import Role
from healthjustice.reconnect import selectors, services
from healthjustice.reconnect.models import FirstWeekAppointment, SupportPlanNeedUpdate
from tests.conftest import MODEL_BACKEND
from tests.factories import MembershipFactory, TeamFactory
from tests.reconnect.factories import D, eligible, pre_release, released

TODAY = timezone.localdate


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def _page(client, user, url):
    client.force_login(user, backend=MODEL_BACKEND)
    return client.get(url).content.decode()


# --- the team of a referral ---------------------------------------------------------------------


def _second_team(rw):
    other = TeamFactory(
        name="Black Country RECONNECT",
        organisation=rw.team.organisation,
        region=rw.team.region,
        pathway=Pathway.RECONNECT,
    )
    MembershipFactory(user=rw.leader, team=other, role=Role.TEAM_LEADER)
    clear_permission_cache(rw.leader)
    rw.site.teams.add(other)
    return other


def _referral(rw, **more) -> dict[str, str]:
    return {
        "referrer": "prison_healthcare",
        "health_need": "No GP; on a methadone script",
        "establishment": str(rw.site.public_id),
        **_date("expected_release_on", TODAY() + 20 * D),
        **more,
    }


def test_someone_in_two_reconnect_teams_chooses_the_team_of_the_referral(client, rw):
    other = _second_team(rw)
    url = reverse("reconnect:refer", kwargs={"person_id": rw.person.public_id})
    page = _page(client, rw.leader, url)
    assert "Which RECONNECT team is taking the referral?" in page
    assert rw.team.name in page and other.name in page
    person_page = _page(
        client, rw.leader, reverse("people:detail", kwargs={"public_id": rw.person.public_id})
    )
    assert f"{other.name} or {rw.team.name}" in person_page
    response = client.post(url, _referral(rw))
    assert "Select" in response.content.decode() and response.status_code == 200
    assert not Episode.objects.filter(person=rw.person).exists()
    response = client.post(url, _referral(rw, team="not-a-team"))
    assert response.status_code == 200
    assert not Episode.objects.filter(person=rw.person).exists()
    response = client.post(url, _referral(rw, team=str(rw.team.public_id)))
    assert response.status_code == 302
    episode = Episode.objects.get(person=rw.person)
    assert episode.team == rw.team  # the one chosen, not the first by name


def test_someone_in_one_reconnect_team_is_not_asked_which(client, rw):
    url = reverse("reconnect:refer", kwargs={"person_id": rw.person.public_id})
    page = _page(client, rw.worker, url)
    assert "Which RECONNECT team" not in page and f"with {rw.team.name}" in page
    assert client.post(url, _referral(rw)).status_code == 302
    assert Episode.objects.get(person=rw.person).team == rw.team


# --- a need in the support plan -----------------------------------------------------------------


def _need(rw, episode=None):
    episode = episode or pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    return services.plan_need_add(
        actor=rw.worker,
        episode=episode,
        area="gp",
        goal="Registered with a GP near home",
        action="Book a registration appointment",
    )


def _update(rw, need, **changes):
    data = {"seen_updates": need.updates.count(), "action": "", "met": False, "met_on": None}
    data.update(changes)
    return services.plan_need_update(actor=rw.worker, need=need, **data)


def test_the_action_changes_then_the_need_is_marked_met_and_the_need_is_kept(rw):
    need = _need(rw)
    first = _update(rw, need, action="Take them to the surgery on release day")
    _update(rw, need, met=True, met_on=TODAY(), note="Registered at Hanley surgery")
    [row] = selectors.plan_need_rows(need.episode)
    assert row["action"] == "Take them to the surgery on release day"
    assert row["met_on"] == TODAY()
    need.refresh_from_db()
    assert need.action == "Book a registration appointment"  # as first agreed
    assert (
        AuditEvent.objects.filter(
            object_type="reconnect_plan_need", object_id=str(need.public_id), action="update"
        ).count()
        == 2
    )
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(ValidationError, match="kept as met"):
        _update(rw, need, action="Something else")
    assert SupportPlanNeedUpdate.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "Enter the new action agreed, or say the need is met"),
        ({"action": "Book a registration appointment"}, "The action agreed is unchanged"),
        ({"met": True}, "Enter the date the need was met"),
        ({"met": True, "met_on": TODAY() + D}, "must be today or in the past"),
        ({"met": True, "met_on": TODAY() - 400 * D}, "must be on or after that"),
    ],
)
def test_bad_updates_are_refused_and_nothing_is_stored(rw, changes, message):
    need = _need(rw)
    with pytest.raises(ValidationError) as exc:
        _update(rw, need, **changes)
    assert message in str(exc.value)
    assert not SupportPlanNeedUpdate.objects.exists()


def test_an_update_made_by_someone_else_meanwhile_is_not_overwritten(rw):
    need = _need(rw)
    _update(rw, need, action="Take them to the surgery")
    with pytest.raises(StaleEditError):
        _update(rw, need, seen_updates=0, action="Phone the surgery")
    assert SupportPlanNeedUpdate.objects.count() == 1


def test_the_update_page_shows_errors_and_the_plan_shows_the_change(client, rw):
    need = _need(rw)
    episode_url = reverse("journeys:detail", kwargs={"public_id": need.episode.public_id})
    url = reverse("reconnect:plan_need_update", kwargs={"public_id": need.public_id})
    assert url in _page(client, rw.worker, episode_url)
    assert "Is the need met?" in _page(client, rw.worker, url)
    response = client.post(url, {"seen_updates": "0", "met": "yes"})
    assert "Enter the date the need was met" in response.content.decode()
    assert not SupportPlanNeedUpdate.objects.exists()
    response = client.post(url, {"seen_updates": "0", "met": "no", "action": "Phone the surgery"})
    assert response.status_code == 302
    response = client.post(url, {"seen_updates": "0", "met": "no", "action": "Write to them"})
    assert "Someone else changed this need" in response.content.decode()
    page = _page(client, rw.worker, episode_url)
    assert "Action agreed: Phone the surgery" in page and "1 update" in page


# --- a first-week appointment -------------------------------------------------------------------


def _book(rw, episode, **changes):
    data = {"kind": "gp", "appointment_on": TODAY(), "where": "Hanley surgery"}
    data.update(changes)
    return services.appointment_book(actor=rw.worker, episode=episode, **data)


def _change(rw, appointment, **changes):
    appointment.refresh_from_db()
    data = {
        "expected_version": appointment.version,
        "appointment_on": TODAY() + 2 * D,
        "where": "Hanley surgery",
        "reason": "The surgery moved it",
    }
    data.update(changes)
    return services.appointment_change(actor=rw.worker, appointment=appointment, **data)


def test_a_missed_appointment_is_rebooked_and_the_old_date_is_kept(rw):
    episode = released(team=rw.team, person=rw.person, actor=rw.worker)
    gp = _book(rw, episode)
    services.appointment_attendance(actor=rw.worker, appointment=gp, attended=False)
    done = _change(rw, gp, reason="Missed it; rebooked with the duty doctor")
    assert done.appointment_on == TODAY() + 2 * D
    assert done.previous_on == TODAY() and done.attended is None and done.version == 2
    event = AuditEvent.objects.filter(
        object_type="reconnect_appointment", object_id=str(gp.public_id), action="update"
    ).latest("pk")
    assert event.detail["previous_attended"] is False
    assert event.detail["previous_on"] == TODAY().isoformat()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"appointment_on": None}, "Enter the new date of the appointment"),
        ({"appointment_on": TODAY() + 8 * D}, "between the release on"),
        ({"appointment_on": TODAY() - D}, "between the release on"),
        ({"appointment_on": TODAY()}, "enter the new date or place"),
        ({"reason": " "}, "Say why the appointment is changed or rebooked"),
    ],
)
def test_bad_changes_are_refused_and_nothing_is_changed(rw, changes, message):
    episode = released(team=rw.team, person=rw.person, actor=rw.worker)
    gp = _book(rw, episode)
    with pytest.raises(ValidationError) as exc:
        _change(rw, gp, **changes)
    assert message in str(exc.value)
    gp.refresh_from_db()
    assert gp.appointment_on == TODAY() and gp.version == 1 and gp.previous_on is None


def test_an_attended_appointment_is_not_rebooked_and_a_stale_one_is_not_overwritten(rw):
    episode = released(team=rw.team, person=rw.person, actor=rw.worker)
    gp = _book(rw, episode)
    housing = _book(rw, episode, kind="housing", appointment_on=TODAY() + D)
    services.appointment_attendance(actor=rw.worker, appointment=gp, attended=True)
    with pytest.raises(ValidationError, match="kept as attended"):
        _change(rw, gp)
    with pytest.raises(StaleEditError):
        _change(rw, housing, expected_version=0)
    housing.refresh_from_db()
    assert housing.appointment_on == TODAY() + D and housing.version == 1


def test_before_release_the_date_moves_within_the_expected_first_week(rw):
    episode = eligible(team=rw.team, person=rw.person, actor=rw.worker)
    release_on = TODAY() + 30 * D  # the factory's expected release
    gp = _book(rw, episode, appointment_on=release_on)
    assert _change(rw, gp, appointment_on=release_on + 3 * D).appointment_on == release_on + 3 * D


def test_the_change_page_shows_errors_and_the_plan_shows_the_move(client, rw):
    episode = released(team=rw.team, person=rw.person, actor=rw.worker)
    gp = _book(rw, episode)
    episode_url = reverse("journeys:detail", kwargs={"public_id": episode.public_id})
    url = reverse("reconnect:appointment_change", kwargs={"public_id": gp.public_id})
    assert url in _page(client, rw.worker, episode_url)
    assert "New date of the appointment" in _page(client, rw.worker, url)
    data = {"version": "1", **_date("appointment_on", TODAY() + 3 * D), "where": "", "reason": ""}
    response = client.post(url, data)
    assert "Say why the appointment is changed or rebooked" in response.content.decode()
    assert FirstWeekAppointment.objects.get().version == 1
    response = client.post(url, {**data, "reason": "The surgery moved it"})
    assert response.status_code == 302
    response = client.post(url, {**data, "reason": "Again"})
    assert "Someone else changed this appointment" in response.content.decode()
    page = _page(client, rw.worker, episode_url)
    assert "Moved from" in page and "The surgery moved it" in page


def test_subject_access_export_holds_the_updates_and_the_moved_date(rw):
    from healthjustice.governance.subject_access import subject_access_document

    episode = released(team=rw.team, person=rw.person, actor=rw.worker)
    need = _need(rw, episode)
    _update(rw, need, met=True, met_on=TODAY(), note="Registered")
    _change(rw, _book(rw, episode))
    [row] = subject_access_document(rw.person)["reconnect"]
    assert row["support_plan"][0]["updates"][0]["met_on"] == TODAY()
    assert row["first_week_appointments"][0]["moved_from"] == TODAY()
