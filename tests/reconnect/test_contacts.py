"""RECONNECT contacts before and after release: the service's rules and the page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.core.append_only import AppendOnlyError
from healthjustice.journeys.models import Episode
from healthjustice.reconnect import services
from healthjustice.reconnect.choices import ContactMode
from healthjustice.reconnect.models import SupportContact
from tests.conftest import MODEL_BACKEND
from tests.reconnect.factories import eligible, pre_release, released

D = datetime.timedelta(days=1)


def _input(**changes) -> services.ContactInput:
    data = {
        "contact_on": timezone.localdate(),
        "mode": ContactMode.IN_PERSON,
        "notes": "Talked through GP registration on release",
        "with_whom": "The person and the prison nurse",
    }
    data.update(changes)
    return services.ContactInput(**data)


def test_a_contact_before_release_is_recorded_and_audited(rw):
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    contact = services.contact_record(actor=rw.worker, episode=episode, data=_input())
    assert contact.after_release is False
    assert AuditEvent.objects.filter(
        object_type="reconnect_contact", object_id=str(contact.public_id)
    ).exists()
    with pytest.raises(AppendOnlyError):
        contact.save()


def test_a_contact_after_release_must_be_on_or_after_the_release(rw):
    today = timezone.localdate()
    episode = released(team=rw.team, person=rw.person, actor=rw.worker, released_on=today - 2 * D)
    Episode.objects.filter(pk=episode.pk).update(referred_at=timezone.now() - 10 * D)
    episode.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.contact_record(
            actor=rw.worker, episode=episode, data=_input(contact_on=today - 3 * D)
        )
    assert "a contact after release must be on or after that date" in str(exc.value)
    assert not SupportContact.objects.exists()
    contact = services.contact_record(actor=rw.worker, episode=episode, data=_input())
    assert contact.after_release is True


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"contact_on": "tomorrow"}, "must be today or in the past"),
        ({"contact_on": "before referral"}, "on or after the referral"),
        ({"mode": "carrier pigeon"}, "Select how the contact took place"),
        ({"notes": "  "}, "Enter notes on the contact"),
    ],
)
def test_bad_contacts_are_refused_and_nothing_is_stored(rw, changes, message):
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    if changes.get("contact_on") == "tomorrow":
        changes["contact_on"] = timezone.localdate() + D
    elif changes.get("contact_on") == "before referral":
        changes["contact_on"] = timezone.localdate() - 3 * D
    with pytest.raises(ValidationError) as exc:
        services.contact_record(actor=rw.worker, episode=episode, data=_input(**changes))
    assert message in str(exc.value)
    assert not SupportContact.objects.exists()


def test_no_contact_before_pre_release_support_starts(rw):
    episode = eligible(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError, match="once pre-release support has started"):
        services.contact_record(actor=rw.worker, episode=episode, data=_input())


def test_the_contact_page_shows_errors_and_stores_a_good_contact(client, rw):
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    client.force_login(rw.worker, backend=MODEL_BACKEND)
    url = reverse("reconnect:contact", kwargs={"public_id": episode.public_id})
    assert "Save the contact" in client.get(url).content.decode()
    day = timezone.localdate()
    good = {
        "contact_on_0": str(day.day),
        "contact_on_1": str(day.month),
        "contact_on_2": str(day.year),
        "mode": ContactMode.TELEPHONE,
        "notes": "Agreed to meet at the gate",
    }
    future = day + D
    bad = {
        **good,
        "contact_on_0": str(future.day),
        "contact_on_1": str(future.month),
        "contact_on_2": str(future.year),
    }
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "must be today or in the past" in response.content.decode()
    assert not SupportContact.objects.exists()
    response = client.post(url, good)
    assert response.status_code == 302
    assert SupportContact.objects.get().mode == ContactMode.TELEPHONE
    page = client.get(response["Location"]).content.decode()
    assert "Agreed to meet at the gate" in page
    assert "Record a contact" in page


def test_subject_access_export_holds_the_contacts(rw):
    from healthjustice.governance.subject_access import subject_access_document

    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    services.contact_record(actor=rw.worker, episode=episode, data=_input())
    [row] = subject_access_document(rw.person)["reconnect"]
    assert [c["mode"]["code"] for c in row["contacts"]] == [ContactMode.IN_PERSON]
