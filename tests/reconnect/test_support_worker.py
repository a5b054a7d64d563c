"""The worker type on memberships, and allocation of a peer support or support, time and
recovery worker to a RECONNECT episode by a team leader."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from healthjustice.audit.models import AuditEvent
from healthjustice.core.append_only import AppendOnlyError
from healthjustice.organisations.choices import WorkerType
from healthjustice.organisations.roles import Role
from healthjustice.reconnect import selectors, services
from healthjustice.reconnect.models import SupportWorkerAllocation
from tests.conftest import MODEL_BACKEND
from tests.factories import staff
from tests.reconnect.factories import eligible, pre_release, referred


@pytest.fixture
def peers(rw):
    peer = staff(Role.PRACTITIONER, team=rw.team, worker_type=WorkerType.PEER_SUPPORT)
    str_worker = staff(
        Role.PRACTITIONER, team=rw.team, worker_type=WorkerType.SUPPORT_TIME_RECOVERY
    )
    return peer, str_worker


def test_the_teams_support_workers_are_members_with_a_worker_type(rw, peers):
    workers = [m.user for m in selectors.support_workers_of(rw.team)]
    assert sorted(u.pk for u in workers) == sorted(u.pk for u in peers)
    assert rw.worker not in workers


def test_a_team_leader_allocates_a_support_worker(rw, peers):
    peer, str_worker = peers
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    first = services.support_worker_allocate(actor=rw.leader, episode=episode, worker=peer)
    assert first.worker_type == WorkerType.PEER_SUPPORT and first.allocated_by == rw.leader
    with pytest.raises(ValidationError, match="already their support worker"):
        services.support_worker_allocate(actor=rw.leader, episode=episode, worker=peer)
    second = services.support_worker_allocate(actor=rw.leader, episode=episode, worker=str_worker)
    assert selectors.support_worker_of(episode) == second
    assert AuditEvent.objects.filter(object_type="reconnect_support_worker").count() == 2
    with pytest.raises(AppendOnlyError):
        first.save()


def test_allocation_is_refused_to_a_practitioner_a_non_worker_and_before_eligibility(rw, peers):
    peer, _ = peers
    episode = eligible(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(PermissionDenied, match="Only a team leader"):
        services.support_worker_allocate(actor=rw.worker, episode=episode, worker=peer)
    with pytest.raises(ValidationError, match="Choose a peer support worker"):
        services.support_worker_allocate(actor=rw.leader, episode=episode, worker=rw.worker)
    with pytest.raises(ValidationError, match="Choose a peer support worker"):
        services.support_worker_allocate(actor=rw.leader, episode=episode, worker=None)
    assert not SupportWorkerAllocation.objects.exists()


def test_allocation_before_eligibility_is_refused(rw, peers):
    peer, _ = peers
    episode = referred(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError, match="once they are found eligible"):
        services.support_worker_allocate(actor=rw.leader, episode=episode, worker=peer)


def test_the_support_worker_page(client, rw, peers):
    peer, _ = peers
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    kwargs = {"public_id": episode.public_id}
    url = reverse("reconnect:support_worker", kwargs=kwargs)
    client.force_login(rw.worker, backend=MODEL_BACKEND)
    response = client.post(url, {"worker": str(peer.public_id)})
    assert response.status_code == 200
    assert "Only a team leader" in response.content.decode()
    assert not SupportWorkerAllocation.objects.exists()
    client.force_login(rw.leader, backend=MODEL_BACKEND)
    page = client.get(reverse("journeys:detail", kwargs=kwargs)).content.decode()
    assert "Allocate a support worker" in page
    assert "Peer support worker" in client.get(url).content.decode()
    response = client.post(url, {})
    assert response.status_code == 200
    response = client.post(url, {"worker": str(peer.public_id)})
    assert response.status_code == 302
    page = client.get(reverse("journeys:detail", kwargs=kwargs)).content.decode()
    assert peer.display_name in page and "(peer support worker)" in page


def test_subject_access_export_holds_the_support_worker(rw, peers):
    from healthjustice.governance.subject_access import subject_access_document

    peer, _ = peers
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    services.support_worker_allocate(actor=rw.leader, episode=episode, worker=peer)
    [row] = subject_access_document(rw.person)["reconnect"]
    assert row["support_workers"][0]["worker_type"] == "Peer support worker"
