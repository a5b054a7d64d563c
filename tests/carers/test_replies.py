"""Staff replies to carers' messages: checked like the contact log, read in the carer's portal."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.carers import services
from healthjustice.carers.choices import ContactDirection, ContactMode, ShareCategory
from healthjustice.carers.models import CarerContact, CarerMessage, CarerMessageReply
from tests.carers.factories import RelationshipFactory, Ward, carer_account
from tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat():
    """A carer with a portal account who has sent one message to their named contact."""
    ward = Ward()
    carer, rel = ward.carer(named_contact=ward.key_worker)
    carer_account(carer)
    message = services.message_send(actor=carer.user, carer=carer, body="Can I visit on Saturday?")
    return ward, carer, rel, message


def _reply(ward, message, rel, categories=(), body="Yes, come at 2pm.", actor=None):
    return services.message_reply(
        actor=actor or ward.key_worker,
        message=message,
        relationship=rel,
        body=body,
        categories_shared=list(categories),
    )


def _reply_contacts():
    return CarerContact.objects.filter(direction=ContactDirection.TO_CARER)


# The service ----------------------------------------------------------------------------------


def test_reply_is_stored_logged_as_a_portal_contact_and_audited(chat):
    ward, carer, rel, message = chat
    ward.agree(rel, [ShareCategory.WELLBEING])
    reply = _reply(ward, message, rel, [ShareCategory.WELLBEING], body="He had a good week.")
    assert reply.message == message
    assert reply.author == ward.key_worker
    assert reply.body == "He had a good week."
    contact = reply.contact
    assert contact.carer == carer
    assert contact.relationship == rel
    assert contact.staff == ward.key_worker
    assert contact.mode == ContactMode.PORTAL_MESSAGE
    assert contact.direction == ContactDirection.TO_CARER
    assert contact.categories_shared == [ShareCategory.WELLBEING]
    assert contact.flagged_for_review is False
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="carer_message_reply")
    assert event.object_id == str(reply.public_id)
    assert event.actor_username == ward.key_worker.username
    assert event.detail["person"] == str(ward.patient.public_id)
    assert event.detail["message"] == str(message.public_id)
    assert event.detail["contact"] == str(contact.public_id)
    assert "He had a good week." not in str(event.detail)


def test_reply_sharing_a_category_outside_the_agreement_is_refused_and_nothing_is_stored(chat):
    ward, _carer, rel, message = chat
    ward.agree(rel, [ShareCategory.WELLBEING])
    with pytest.raises(services.ShareNotAllowed) as exc:
        _reply(ward, message, rel, [ShareCategory.WELLBEING, ShareCategory.MEDICATION])
    reason = exc.value.message_dict["categories_shared"][0]
    assert f"{ward.patient.given_name} has not agreed to share Medication" in reason
    assert "does not include it" in reason
    assert not CarerMessageReply.objects.exists()
    assert not _reply_contacts().exists()
    assert not AuditEvent.objects.filter(object_type="carer_message_reply").exists()
    denial = AuditEvent.objects.get(action=Action.DENIED, object_type="carer_contact")
    assert denial.detail["reason"] == "share_outside_agreement"
    assert denial.detail["message"] == str(message.public_id)
    assert denial.detail["person"] == str(ward.patient.public_id)


def test_reply_has_no_lawful_basis_route_around_the_agreement(chat):
    ward, _carer, rel, message = chat
    with pytest.raises(services.ShareNotAllowed) as exc:
        _reply(ward, message, rel, [ShareCategory.CARE_PLAN])
    reason = exc.value.message_dict["categories_shared"][0]
    assert reason.startswith("Not sent:")
    assert "no information-sharing agreement in force" in reason
    assert "contact the carer another way and log the contact" in reason
    assert not CarerContact.objects.filter(flagged_for_review=True).exists()


def test_after_withdrawal_a_reply_may_share_nothing_about_the_patient(chat):
    ward, _carer, rel, message = chat
    agreement = ward.agree(rel, [ShareCategory.WELLBEING])
    services.agreement_withdraw(actor=ward.key_worker, agreement=agreement, reason="Changed mind")
    with pytest.raises(services.ShareNotAllowed) as exc:
        _reply(ward, message, rel, [ShareCategory.WELLBEING])
    assert (
        "no information-sharing agreement in force"
        in exc.value.message_dict["categories_shared"][0]
    )
    assert not CarerMessageReply.objects.exists()
    general = _reply(ward, message, rel, [], body="Visiting is 2pm to 4pm at weekends.")
    assert general.contact.categories_shared == []


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("   ", "Enter your reply"),
        ("a" * 2001, "Your reply must be 2,000 characters or fewer"),
        ("See <b>this</b>", "Write your reply as plain text"),
    ],
)
def test_reply_has_the_same_text_checks_as_a_carers_message(chat, body, error):
    ward, _carer, rel, message = chat
    with pytest.raises(ValidationError) as exc:
        _reply(ward, message, rel, body=body)
    assert exc.value.message_dict["body"][0].startswith(error)
    assert not CarerMessageReply.objects.exists()
    assert not _reply_contacts().exists()


def test_reply_is_refused_to_staff_who_cannot_see_the_carer(chat):
    ward, _carer, rel, message = chat
    with pytest.raises(PermissionDenied):
        _reply(ward, message, rel, actor=staff())
    assert not CarerMessageReply.objects.exists()


def test_reply_about_another_carers_patient_is_refused(chat):
    ward, _carer, _rel, message = chat
    _other, other_rel = ward.carer()
    with pytest.raises(PermissionDenied):
        _reply(ward, message, other_rel)
    assert not CarerMessageReply.objects.exists()


def test_reply_to_a_carer_who_can_no_longer_sign_in_is_refused(chat):
    ward, carer, rel, message = chat
    carer.user.is_active = False
    carer.user.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as exc:
        _reply(ward, message, rel)
    assert "can no longer sign in to the carers' portal" in exc.value.messages[0]
    assert not CarerMessageReply.objects.exists()


# Staff pages ----------------------------------------------------------------------------------


def _detail(message):
    return reverse("carers:message_detail", kwargs={"public_id": message.public_id})


def _reply_url(message):
    return reverse("carers:message_reply", kwargs={"public_id": message.public_id})


def test_message_page_has_a_reply_form_with_what_staff_may_always_say(chat, signed_in):
    ward, _carer, rel, message = chat
    ward.agree(rel, [ShareCategory.WELLBEING])
    page = signed_in(ward.key_worker).get(_detail(message)).content.decode()
    assert f'action="{_reply_url(message)}"' in page
    assert "You can always, without the patient's consent" in page
    assert "give general information about mental health" in page
    assert "a reply here can share only what they have agreed" in page
    assert f"{escape(ward.patient.full_name)} agrees to share: <strong>General wellbeing" in page
    assert f'value="{rel.public_id}" checked' in page


def test_staff_reply_is_sent_and_shown_on_the_message_page(chat, signed_in):
    ward, _carer, rel, message = chat
    client = signed_in(ward.ward_manager)
    response = client.post(
        _reply_url(message),
        {"body": "Yes, Saturday at 2pm is fine.", "relationship": str(rel.public_id)},
    )
    assert response.status_code == 302
    assert response["Location"] == _detail(message)
    reply = CarerMessageReply.objects.get()
    assert reply.author == ward.ward_manager
    page = client.get(_detail(message)).content.decode()
    assert "Your reply has been sent." in page
    assert "Yes, Saturday at 2pm is fine." in page
    assert escape(ward.ward_manager.display_name) in page


def test_staff_reply_outside_the_agreement_shows_the_reason_and_sends_nothing(chat, signed_in):
    ward, _carer, rel, message = chat
    ward.agree(rel, [ShareCategory.WELLBEING])
    response = signed_in(ward.key_worker).post(
        _reply_url(message),
        {
            "body": "His new tablets suit him.",
            "relationship": str(rel.public_id),
            "categories_shared": [ShareCategory.MEDICATION],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page
    assert "has not agreed to share Medication" in page
    assert "His new tablets suit him." in page
    assert not CarerMessageReply.objects.exists()
    assert not _reply_contacts().exists()


def test_staff_reply_without_text_or_patient_is_refused(chat, signed_in):
    ward, _carer, _rel, message = chat
    response = signed_in(ward.key_worker).post(_reply_url(message), {"body": ""})
    page = response.content.decode()
    assert "Enter your reply" in page
    assert "Select who your reply is about" in page
    assert not CarerMessageReply.objects.exists()


def test_staff_outside_the_team_cannot_reply(chat, signed_in):
    _ward, _carer, rel, message = chat
    response = signed_in(staff()).post(
        _reply_url(message), {"body": "Hello", "relationship": str(rel.public_id)}
    )
    assert response.status_code == 404
    assert not CarerMessageReply.objects.exists()


def test_reply_form_is_posted_only(chat, signed_in):
    ward, _carer, _rel, message = chat
    assert signed_in(ward.key_worker).get(_reply_url(message)).status_code == 405


def test_reply_appears_in_the_contact_log_with_a_link_to_it(chat, signed_in):
    ward, _carer, rel, message = chat
    _reply(ward, message, rel)
    page = (
        signed_in(ward.key_worker)
        .get(reverse("carers:relationship", kwargs={"public_id": rel.public_id}))
        .content.decode()
    )
    assert "Message in the carers&#39; portal, to the carer" in page
    assert f'href="{_detail(message)}">Read the reply' in page


def test_no_reply_form_for_a_carer_who_can_no_longer_sign_in(chat, signed_in):
    ward, carer, _rel, message = chat
    carer.user.is_active = False
    carer.user.save(update_fields=["is_active"])
    page = signed_in(ward.key_worker).get(_detail(message)).content.decode()
    assert _reply_url(message) not in page
    assert "can no longer sign in to the carers' portal" in page


# The carer's portal ---------------------------------------------------------------------------


def _portal_page(signed_in, carer):
    return signed_in(carer.user).get(reverse("carers:portal_messages")).content.decode()


def test_carer_sees_their_messages_and_replies_newest_first(chat, signed_in):
    ward, carer, rel, message = chat
    CarerMessage.objects.filter(pk=message.pk).update(
        sent_at=timezone.now() - datetime.timedelta(hours=2)
    )
    _reply(ward, message, rel, body="Yes, come at 2pm.")
    CarerMessageReply.objects.update(sent_at=timezone.now() - datetime.timedelta(hours=1))
    services.message_send(actor=carer.user, carer=carer, body="Thank you, see you then.")
    page = _portal_page(signed_in, carer)
    newest = page.index("Thank you, see you then.")
    reply = page.index("Yes, come at 2pm.")
    oldest = page.index("Can I visit on Saturday?")
    assert newest < reply < oldest
    assert f"Reply from {escape(ward.key_worker.display_name)}" in page


def test_another_carer_never_sees_the_reply(chat, signed_in):
    ward, _carer, rel, message = chat
    _reply(ward, message, rel, body="Yes, come at 2pm.")
    other, _other_rel = ward.carer()
    carer_account(other)
    services.message_send(actor=other.user, carer=other, body="When is visiting?")
    page = _portal_page(signed_in, other)
    assert "When is visiting?" in page
    assert "Yes, come at 2pm." not in page
    assert "Can I visit on Saturday?" not in page
    assert "Reply from" not in page


def test_reply_that_shared_something_is_withheld_once_the_agreement_no_longer_allows_it(
    chat, signed_in
):
    ward, carer, rel, message = chat
    agreement = ward.agree(rel, [ShareCategory.WELLBEING])
    _reply(ward, message, rel, [ShareCategory.WELLBEING], body="He enjoyed the music group.")
    _reply(ward, message, rel, [], body="Visiting is 2pm to 4pm.")
    assert "He enjoyed the music group." in _portal_page(signed_in, carer)
    services.agreement_withdraw(actor=ward.key_worker, agreement=agreement, reason="Changed mind")
    page = _portal_page(signed_in, carer)
    assert "He enjoyed the music group." not in page
    assert "This reply is no longer shown" in page
    assert "Visiting is 2pm to 4pm." in page


def test_message_page_leaves_out_replies_about_a_patient_the_reader_may_not_see(chat, signed_in):
    ward, carer, rel, message = chat
    # The same carer also cares for a patient of another ward, whose staff reply about them.
    other_ward = Ward()
    other_rel = RelationshipFactory(carer=carer, patient=other_ward.patient)
    _reply(ward, message, rel, body="Visiting is 2pm to 4pm.")
    _reply(other_ward, message, other_rel, body="Your son is settling in well on Birch ward.")
    own = signed_in(ward.key_worker).get(_detail(message)).content.decode()
    assert "Visiting is 2pm to 4pm." in own
    assert "Your son is settling in well on Birch ward." not in own
    assert str(escape(other_ward.patient.full_name)) not in own
    theirs = signed_in(other_ward.key_worker).get(_detail(message)).content.decode()
    assert "Your son is settling in well on Birch ward." in theirs
    assert "Visiting is 2pm to 4pm." not in theirs
