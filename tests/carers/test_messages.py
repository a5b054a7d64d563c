"""Carers' messages: plain text, a length limit, safe attachments, and the staff work list."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from markupsafe import escape

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.carers.choices import ContactMode
from healthjustice.carers.models import CarerContact, CarerMessage
from tests.carers.factories import Ward, carer_account
from tests.factories import staff

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def portal(signed_in):
    ward = Ward()
    carer, _rel = ward.carer(named_contact=ward.key_worker)
    client = signed_in(carer_account(carer))
    return ward, carer, client


def _send(client, body, attachment=None):
    data = {"body": body}
    if attachment is not None:
        data["attachment"] = attachment
    return client.post(reverse("carers:portal_messages"), data)


def test_message_goes_to_the_named_contact_and_the_contact_log(portal):
    ward, _carer, client = portal
    response = _send(client, "Can I visit on Saturday?")
    assert response.status_code == 302
    message = CarerMessage.objects.get()
    assert message.recipient == ward.key_worker
    contact = CarerContact.objects.get()
    assert contact.message == message
    assert contact.mode == ContactMode.PORTAL_MESSAGE
    assert contact.staff == ward.key_worker


def test_message_appears_in_the_named_contacts_work_list_until_read(portal, signed_in):
    ward, carer, client = portal
    _send(client, "Can I visit on Saturday?")
    message = CarerMessage.objects.get()
    staff_client = signed_in(ward.key_worker)
    home = staff_client.get(reverse("carers:home")).content.decode()
    assert escape(carer.full_name) in home
    assert str(message.public_id) in home
    detail = staff_client.get(
        reverse("carers:message_detail", kwargs={"public_id": message.public_id})
    )
    assert "Can I visit on Saturday?" in detail.content.decode()
    assert "Mark as read" in detail.content.decode()
    message.refresh_from_db()
    assert message.read_at is None, "opening the page (or a link preview of it) is not reading"
    staff_client.post(reverse("carers:message_mark_read", kwargs={"public_id": message.public_id}))
    message.refresh_from_db()
    assert message.read_by == ward.key_worker
    assert str(message.public_id) not in staff_client.get(reverse("carers:home")).content.decode()


def test_message_read_by_someone_else_stays_unread_for_the_named_contact(portal, signed_in):
    ward, _carer, client = portal
    _send(client, "Hello")
    message = CarerMessage.objects.get()
    manager = signed_in(ward.ward_manager)
    page = manager.get(reverse("carers:message_detail", kwargs={"public_id": message.public_id}))
    assert "Mark as read" not in page.content.decode()
    manager.post(reverse("carers:message_mark_read", kwargs={"public_id": message.public_id}))
    message.refresh_from_db()
    assert message.read_at is None


def test_message_without_named_contact_goes_to_the_key_worker(signed_in):
    ward = Ward()
    carer, _rel = ward.carer()
    _send(signed_in(carer_account(carer)), "Hello")
    assert CarerMessage.objects.get().recipient == ward.key_worker


def test_message_with_markup_is_refused_and_audited(portal):
    _ward, carer, client = portal
    response = _send(client, "Hello <script>alert('x')</script>")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Write your message as plain text" in page
    assert "<script>alert('x')</script>" not in page
    assert not CarerMessage.objects.exists()
    denial = AuditEvent.objects.get(action=Action.DENIED, object_type="carer_message")
    assert denial.detail == {"carer": str(carer.public_id), "reasons": ["body"]}


def test_message_text_with_angle_brackets_that_is_not_markup_is_kept_escaped(portal, signed_in):
    ward, _carer, client = portal
    _send(client, "I <3 my son & I worry when he is > 2 days without a call")
    message = CarerMessage.objects.get()
    page = signed_in(ward.key_worker).get(
        reverse("carers:message_detail", kwargs={"public_id": message.public_id})
    )
    assert "I &lt;3 my son &amp; I worry when he is &gt; 2 days" in page.content.decode()


def test_message_over_the_length_limit_is_refused(portal):
    _ward, _carer, client = portal
    response = _send(client, "a" * 2001)
    assert "2,000 characters or fewer" in response.content.decode()
    assert not CarerMessage.objects.exists()


def test_empty_message_is_refused(portal):
    _ward, _carer, client = portal
    response = _send(client, "   ")
    assert "Enter your message" in response.content.decode()
    assert not CarerMessage.objects.exists()


def test_png_attachment_is_stored_under_a_random_name(portal, signed_in):
    ward, _carer, client = portal
    response = _send(client, "A photo", SimpleUploadedFile("../../etc/passwd.png", PNG))
    assert response.status_code == 302
    message = CarerMessage.objects.get()
    assert message.attachment_type == "image/png"
    assert message.attachment_name == "passwd.png"
    assert message.attachment.name.startswith("carers/messages/")
    assert "passwd" not in message.attachment.name
    assert default_storage.exists(message.attachment.name)
    download = signed_in(ward.key_worker).get(
        reverse("carers:message_attachment", kwargs={"public_id": message.public_id})
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PNG


def test_attachment_type_is_judged_by_content_not_name(portal):
    _ward, _carer, client = portal
    response = _send(client, "A file", SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf"))
    assert "must be a PDF, a JPEG photo or a PNG picture" in response.content.decode()
    assert not CarerMessage.objects.exists()


def test_pdf_named_as_text_is_accepted_as_pdf(portal):
    _ward, _carer, client = portal
    _send(client, "Letter", SimpleUploadedFile("letter.txt", PDF))
    message = CarerMessage.objects.get()
    assert (message.attachment_type, message.attachment_name) == ("application/pdf", "letter.pdf")


def test_attachment_over_the_size_limit_is_refused_and_nothing_is_stored(portal, settings):
    settings.HJ_CARER_ATTACHMENT_MAX_BYTES = 1024
    _ward, _carer, client = portal
    response = _send(client, "Big file", SimpleUploadedFile("big.png", PNG + b"\x00" * 2048))
    assert "must be smaller than 1 KB" in response.content.decode()
    assert not CarerMessage.objects.exists()
    assert not CarerContact.objects.exists()
    denial = AuditEvent.objects.get(action=Action.DENIED, object_type="carer_message")
    assert denial.detail["reasons"] == ["attachment"]


def test_attachment_cannot_be_downloaded_by_staff_outside_the_team(portal, signed_in):
    _ward, _carer, client = portal
    _send(client, "A photo", SimpleUploadedFile("photo.png", PNG))
    message = CarerMessage.objects.get()
    outsider = signed_in(staff())
    url = reverse("carers:message_attachment", kwargs={"public_id": message.public_id})
    assert outsider.get(url).status_code == 404
