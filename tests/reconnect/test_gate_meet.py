"""Release day: the gate meet, recorded once the release is, once."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from healthjustice.audit.models import AuditEvent
from healthjustice.core.append_only import AppendOnlyError
from healthjustice.reconnect import services
from healthjustice.reconnect.models import GateMeet
from tests.conftest import MODEL_BACKEND
from tests.reconnect.factories import pre_release, released


def _record(rw, episode, **changes):
    data = {"met": True, "met_by": "Peer support worker", "place": "HMP Stafford gate"}
    data.update(changes)
    return services.gate_meet_record(actor=rw.worker, episode=episode, **data)


def test_a_gate_meet_is_recorded_once_and_audited(rw):
    episode = released(team=rw.team, person=rw.person, actor=rw.worker)
    meet = _record(rw, episode)
    assert AuditEvent.objects.filter(
        object_type="reconnect_gate_meet", object_id=str(meet.public_id)
    ).exists()
    with pytest.raises(AppendOnlyError):
        meet.save()
    with pytest.raises(ValidationError, match="already recorded"):
        _record(rw, episode)


def test_a_gate_meet_for_someone_not_yet_released_is_refused(rw):
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError, match="once the release is recorded"):
        _record(rw, episode)
    assert not GateMeet.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"met": False}, "Enter what happened when they were not met"),
        ({"met_by": " "}, "Enter who met them"),
        ({"place": ""}, "Enter where they were met"),
    ],
)
def test_bad_gate_meets_are_refused_and_nothing_is_stored(rw, changes, message):
    episode = released(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError) as exc:
        _record(rw, episode, **changes)
    assert message in str(exc.value)
    assert not GateMeet.objects.exists()


def test_the_gate_meet_page(client, rw):
    episode = released(team=rw.team, person=rw.person, actor=rw.worker)
    client.force_login(rw.worker, backend=MODEL_BACKEND)
    url = reverse("reconnect:gate_meet", kwargs={"public_id": episode.public_id})
    assert "Save the gate meet" in client.get(url).content.decode()
    data = {"met": "no", "met_by": "Support worker", "place": "Stafford station"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Enter what happened when they were not met" in response.content.decode()
    assert not GateMeet.objects.exists()
    response = client.post(url, {**data, "not_met_reason": "Released early; met at probation"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Released early; met at probation" in page


def test_subject_access_export_holds_the_gate_meet(rw):
    from healthjustice.governance.subject_access import subject_access_document

    episode = released(team=rw.team, person=rw.person, actor=rw.worker)
    _record(rw, episode)
    [row] = subject_access_document(rw.person)["reconnect"]
    assert row["gate_meet"]["met"] is True
