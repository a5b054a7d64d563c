"""An attachment over the size limit is stopped while it is uploaded, not after."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.carers import portal_views
from healthjustice.carers.attachments import AttachmentSizeLimit
from healthjustice.carers.models import CarerContact, CarerMessage
from tests.carers.factories import Ward, carer_account
from tests.conftest import MODEL_BACKEND

pytestmark = pytest.mark.django_db

PNG_HEAD = b"\x89PNG\r\n\x1a\n"
LIMIT = 200 * 1024


def _png(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.png", PNG_HEAD + b"\x00" * (size - len(PNG_HEAD)))


@pytest.fixture
def limit(settings):
    settings.HJ_CARER_ATTACHMENT_MAX_BYTES = LIMIT
    return LIMIT


@pytest.fixture
def handlers(monkeypatch):
    """Every size limit the portal installs, so a test can see what it received."""
    made: list[AttachmentSizeLimit] = []

    class Watched(AttachmentSizeLimit):
        def __init__(self, request=None):
            super().__init__(request)
            made.append(self)

    monkeypatch.setattr(portal_views, "AttachmentSizeLimit", Watched)
    return made


@pytest.fixture
def carer_client(signed_in):
    ward = Ward()
    carer, _rel = ward.carer(named_contact=ward.key_worker)
    return carer, signed_in(carer_account(carer))


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _send(client, upload):
    return client.post(reverse("carers:portal_messages"), {"body": "A photo", "attachment": upload})


def test_file_one_byte_over_the_limit_is_stopped_by_the_handler(
    limit, handlers, carer_client, settings
):
    carer, client = carer_client
    response = _send(client, _png(limit + 1))
    assert response.status_code == 200
    [handler] = handlers
    assert handler.stopped is True
    assert handler.received == limit + 1
    page = response.content.decode()
    assert "The file must be smaller than 200 KB. Yours is bigger than that." in page
    assert not CarerMessage.objects.exists()
    assert not CarerContact.objects.exists()
    assert _stored_files(settings) == []
    denial = AuditEvent.objects.get(action=Action.DENIED, object_type="carer_message")
    assert denial.detail == {"carer": str(carer.public_id), "reasons": ["attachment"]}


def test_a_much_bigger_file_is_not_received_in_full(limit, handlers, carer_client):
    _carer, client = carer_client
    size = 2 * 1024 * 1024
    _send(client, _png(size))
    [handler] = handlers
    assert handler.stopped is True
    # Stopped within one chunk of passing the limit; the rest was never handed on.
    assert limit < handler.received <= limit + handler.chunk_size
    assert handler.received < size
    assert not CarerMessage.objects.exists()


def test_file_at_the_limit_is_accepted(limit, handlers, carer_client, settings):
    _carer, client = carer_client
    response = _send(client, _png(limit))
    assert response.status_code == 302
    [handler] = handlers
    assert handler.stopped is False
    assert handler.received == limit
    message = CarerMessage.objects.get()
    assert message.attachment_size == limit
    assert len(_stored_files(settings)) == 1


def test_the_limit_is_read_from_the_attachment_setting(settings):
    settings.HJ_CARER_ATTACHMENT_MAX_BYTES = 1234
    assert AttachmentSizeLimit().limit == 1234


def test_csrf_is_still_checked_with_the_size_limit_installed(limit, handlers, carer_client):
    carer, _client = carer_client
    client = Client(enforce_csrf_checks=True)
    client.force_login(carer.user, backend=MODEL_BACKEND)
    url = reverse("carers:portal_messages")
    assert client.post(url, {"body": "No token"}).status_code == 403
    page = client.get(url).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    too_big = client.post(
        url, {"csrfmiddlewaretoken": token, "body": "A photo", "attachment": _png(limit + 1)}
    )
    assert too_big.status_code == 200
    # The CSRF check read the body after the limit was installed, so the limit stopped the file.
    assert handlers[-1].stopped is True
    assert "The file must be smaller than 200 KB" in too_big.content.decode()
    sent = client.post(url, {"csrfmiddlewaretoken": token, "body": "Just words"})
    assert sent.status_code == 302
    assert CarerMessage.objects.get().body == "Just words"


def test_the_check_after_upload_still_names_the_size_when_it_is_known(limit):
    from django.core.exceptions import ValidationError

    from healthjustice.carers.attachments import check_attachment

    with pytest.raises(ValidationError) as exc:
        check_attachment(_png(limit + 100 * 1024))
    assert exc.value.messages == ["The file must be smaller than 200 KB. Yours is 300 KB."]
