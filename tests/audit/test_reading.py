"""audit.reading.record_view: a GET records one view per request and person; nothing else does."""

import uuid

import pytest
from django.test import RequestFactory

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.audit.reading import record_view
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _views() -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.order_by("seq").values_list("action", "object_type", "object_id")
    )


def test_a_get_records_one_view_naming_the_person_whatever_is_fetched():
    user, person, episode = UserFactory(), str(uuid.uuid4()), str(uuid.uuid4())
    request = RequestFactory().get("/")
    assert record_view(
        request, actor=user, object_type="episode", object_id=episode, detail={"person": person}
    )
    assert not record_view(request, actor=user, object_type="person", object_id=person)
    assert not record_view(
        request, actor=user, object_type="episode", object_id=episode, detail={"person": person}
    )
    assert _views() == [(Action.VIEW, "episode", episode)]


def test_another_person_or_a_separate_read_is_recorded_on_its_own():
    user, one, two = UserFactory(), str(uuid.uuid4()), str(uuid.uuid4())
    request = RequestFactory().get("/")
    record_view(request, actor=user, object_type="person", object_id=one)
    record_view(request, actor=user, object_type="person", object_id=two)
    record_view(
        request,
        actor=user,
        object_type="cj_context",
        object_id="e",
        detail={"person": one},
        once_per=("cj_context", 1),
    )
    assert [row[1:] for row in _views()] == [("person", one), ("person", two), ("cj_context", "e")]


def test_each_request_records_its_own_view():
    user, person = UserFactory(), str(uuid.uuid4())
    for _ in range(2):
        record_view(RequestFactory().get("/"), actor=user, object_type="person", object_id=person)
    assert len(_views()) == 2


@pytest.mark.parametrize("method", ["post", "put", "delete", "head"])
def test_only_a_get_shows_a_record(method):
    request = getattr(RequestFactory(), method)("/")
    assert not record_view(
        request, actor=UserFactory(), object_type="person", object_id=str(uuid.uuid4())
    )
    assert not AuditEvent.objects.exists()


def test_a_download_is_recorded_as_an_export():
    request = RequestFactory().get("/")
    record_view(
        request,
        actor=UserFactory(),
        object_type="carer_message",
        object_id="m",
        action=Action.EXPORT,
    )
    assert _views() == [(Action.EXPORT, "carer_message", "m")]
