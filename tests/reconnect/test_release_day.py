"""Release day planning: the gate meet planned before release (where, when, who), and the
first-week appointments with whether they attended."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.core.append_only import AppendOnlyError
from healthjustice.reconnect import selectors, services
from healthjustice.reconnect.models import FirstWeekAppointment, GatePlan
from tests.conftest import MODEL_BACKEND
from tests.reconnect.factories import D, eligible, pre_release, referred, released

NINE = datetime.time(9, 0)


def _plan(rw, episode, **changes):
    data = {
        "meet_on": timezone.localdate() + 30 * D,
        "meet_at": NINE,
        "place": "HMP Stafford gate",
        "who": "Peer support worker",
    }
    data.update(changes)
    return services.gate_plan_record(actor=rw.worker, episode=episode, **data)


def test_the_gate_meet_is_planned_before_release_and_the_newest_plan_counts(rw):
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    first = _plan(rw, episode)
    second = _plan(rw, episode, who="Support, time and recovery worker")
    assert selectors.gate_plan_of(episode) == second
    assert AuditEvent.objects.filter(object_type="reconnect_gate_plan").count() == 2
    with pytest.raises(AppendOnlyError):
        first.save()


def test_a_gate_meet_plan_after_release_or_before_eligibility_is_refused(rw):
    episode = released(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError, match="planned before release"):
        _plan(rw, episode)
    assert not GatePlan.objects.exists()


def test_a_gate_meet_plan_before_eligibility_is_refused(rw):
    episode = referred(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError, match="once they are found eligible"):
        _plan(rw, episode)
    assert not GatePlan.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"meet_on": None}, "Enter the date of the meet"),
        ({"meet_at": None}, "Enter the time of the meet"),
        ({"place": " "}, "Enter where they will be met"),
        ({"who": ""}, "Enter who will meet them"),
    ],
)
def test_bad_gate_meet_plans_are_refused_and_nothing_is_stored(rw, changes, message):
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError) as exc:
        _plan(rw, episode, **changes)
    assert message in str(exc.value)
    assert not GatePlan.objects.exists()


def test_a_gate_meet_for_someone_not_yet_released_is_still_refused(rw):
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    _plan(rw, episode)
    with pytest.raises(ValidationError, match="once the release is recorded"):
        services.gate_meet_record(
            actor=rw.worker, episode=episode, met=True, met_by="Peer", place="Gate"
        )


def _book(rw, episode, **changes):
    data = {"kind": "gp", "appointment_on": timezone.localdate() + 32 * D, "where": "Hanley"}
    data.update(changes)
    return services.appointment_book(actor=rw.worker, episode=episode, **data)


def test_first_week_appointments_are_booked_within_a_week_of_release(rw):
    # The factory's expected release is in 30 days.
    release_on = timezone.localdate() + 30 * D
    episode = eligible(team=rw.team, person=rw.person, actor=rw.worker)
    gp = _book(rw, episode)
    _book(rw, episode, kind="jobcentre", appointment_on=release_on + 7 * D)
    with pytest.raises(ValidationError, match="already booked"):
        _book(rw, episode)
    with pytest.raises(ValidationError, match="between the release on"):
        _book(rw, episode, kind="housing", appointment_on=release_on + 8 * D)
    with pytest.raises(ValidationError, match="between the release on"):
        _book(rw, episode, kind="housing", appointment_on=release_on - D)
    with pytest.raises(ValidationError, match="Select the kind"):
        _book(rw, episode, kind="dentist")
    assert FirstWeekAppointment.objects.count() == 2
    assert AuditEvent.objects.filter(
        object_type="reconnect_appointment", object_id=str(gp.public_id)
    ).exists()


def test_attendance_is_recorded_once_on_or_after_the_day_after_release(rw):
    today = timezone.localdate()
    episode = released(team=rw.team, person=rw.person, actor=rw.worker)
    today_gp = _book(rw, episode, appointment_on=today)
    later = _book(rw, episode, kind="housing", appointment_on=today + 3 * D)
    with pytest.raises(ValidationError, match="on or after that day"):
        services.appointment_attendance(actor=rw.worker, appointment=later, attended=True)
    done = services.appointment_attendance(actor=rw.worker, appointment=today_gp, attended=False)
    assert done.attended is False and done.attendance_by == rw.worker
    with pytest.raises(ValidationError, match="already recorded"):
        services.appointment_attendance(actor=rw.worker, appointment=today_gp, attended=True)


def test_attendance_before_release_is_refused(rw):
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    appointment = _book(rw, episode)
    with pytest.raises(ValidationError, match="after the release"):
        services.appointment_attendance(actor=rw.worker, appointment=appointment, attended=True)
    appointment.refresh_from_db()
    assert appointment.attended is None


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_the_release_day_pages(client, rw):
    today = timezone.localdate()
    release_on = today + 30 * D
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    kwargs = {"public_id": episode.public_id}
    client.force_login(rw.worker, backend=MODEL_BACKEND)
    page = client.get(reverse("journeys:detail", kwargs=kwargs)).content.decode()
    assert "Plan the gate meet" in page and "Book a first-week appointment" in page
    url = reverse("reconnect:gate_plan", kwargs=kwargs)
    data = {**_date("meet_on", release_on), "meet_at": "8:30am", "place": "", "who": "Peer"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert not GatePlan.objects.exists()
    response = client.post(url, {**data, "place": "HMP Stafford gate"})
    assert response.status_code == 302
    assert GatePlan.objects.get().meet_at == datetime.time(8, 30)
    url = reverse("reconnect:appointment", kwargs=kwargs)
    response = client.post(url, {"kind": "gp", **_date("appointment_on", release_on + 9 * D)})
    assert "between the release on" in response.content.decode()
    response = client.post(url, {"kind": "gp", **_date("appointment_on", release_on + 1 * D)})
    assert response.status_code == 302
    page = client.get(reverse("journeys:detail", kwargs=kwargs)).content.decode()
    assert "Gate meet planned for" in page and "Attendance not recorded yet" in page


def test_the_attendance_page(client, rw):
    today = timezone.localdate()
    episode = released(team=rw.team, person=rw.person, actor=rw.worker)
    appointment = _book(rw, episode, appointment_on=today)
    client.force_login(rw.worker, backend=MODEL_BACKEND)
    url = reverse("reconnect:attendance", kwargs={"public_id": appointment.public_id})
    assert "Save attendance" in client.get(url).content.decode()
    response = client.post(url, {})
    assert response.status_code == 200
    response = client.post(url, {"attended": "yes"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.attended is True


def test_subject_access_export_holds_the_plan_and_appointments(rw):
    from healthjustice.governance.subject_access import subject_access_document

    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    _plan(rw, episode)
    _book(rw, episode)
    [row] = subject_access_document(rw.person)["reconnect"]
    assert row["gate_plans"][0]["who"] == "Peer support worker"
    assert row["first_week_appointments"][0]["kind"]["code"] == "gp"
