"""Consent: per purpose and recipient, derived from the newest event, withdrawn at once."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.assessments.models import Consent, ConsentEvent
from healthjustice.assessments.selectors import consent_in_force, consents_for_person
from healthjustice.assessments.services import consent_record, consent_withdraw
from healthjustice.audit.models import AuditEvent
from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def user(team):
    return staff(team=team)


@pytest.fixture
def person(team):
    return PersonFactory(team=team)


def _record(user, person, **kwargs):
    kwargs.setdefault("purpose", "share_police")
    kwargs.setdefault("status", "given")
    return consent_record(actor=user, person=person, **kwargs)


def test_consent_in_force_follows_the_newest_event(user, person):
    assert consent_in_force(person, "police") is None
    _record(user, person)
    consent = consent_in_force(person, "police")
    assert consent is not None
    assert consent.in_force_event.status == "given"
    _record(user, person, status="refused")
    assert consent_in_force(person, "police") is None
    _record(user, person, status="given")
    assert consent_in_force(person, "police") is not None


def test_consent_is_per_recipient(user, person):
    _record(user, person, purpose="share_court")
    assert consent_in_force(person, "court") is not None
    assert consent_in_force(person, "police") is None
    assert consent_in_force(person, "probation") is None


def test_withdrawal_takes_effect_at_once(user, person):
    _record(user, person)
    consent = Consent.objects.get()
    consent_withdraw(actor=user, consent=consent, note="Changed his mind after legal advice")
    assert consent_in_force(person, "police") is None
    assert [e.status for e in consent.events.order_by("seq")] == ["given", "withdrawn"]


def test_history_is_kept_in_order(user, person):
    _record(user, person)
    _record(user, person, status="refused")
    _record(user, person)
    (row,) = consents_for_person(person)
    assert [e.seq for e in row.history] == [1, 2, 3]
    assert [e.status for e in row.history] == ["given", "refused", "given"]
    assert row.current.seq == 3
    assert row.in_force


def test_consent_events_are_append_only(user, person):
    event = _record(user, person)
    event.status = "refused"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        ConsentEvent.objects.filter(pk=event.pk).update(status="refused")
    with pytest.raises(PermissionError):
        event.delete()


def test_withdraw_without_consent_given_refused(user, person):
    _record(user, person, status="refused")
    with pytest.raises(ValidationError):
        consent_withdraw(actor=user, consent=Consent.objects.get())
    with pytest.raises(ValidationError):
        _record(user, person, purpose="share_cps", status="withdrawn")
    assert ConsentEvent.objects.count() == 1


def test_consent_past_review_date_is_not_in_force(user, person):
    event = _record(user, person, review_on=timezone.localdate())
    assert consent_in_force(person, "police") is not None
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert consent_in_force(person, "police", on=tomorrow) is None
    assert event.review_on == timezone.localdate()


def test_review_date_in_the_past_refused(user, person):
    with pytest.raises(ValidationError) as exc:
        _record(user, person, review_on=timezone.localdate() - timedelta(days=1))
    assert "review_on" in exc.value.message_dict


def test_lacking_capacity_needs_best_interests_decision_maker(user, person):
    with pytest.raises(ValidationError) as exc:
        _record(user, person, capacity_assessed=True, capacity_outcome="lacks_capacity")
    assert "best_interests_by" in exc.value.message_dict
    event = _record(
        user,
        person,
        capacity_assessed=True,
        capacity_outcome="lacks_capacity",
        best_interests_by="Dr A. Patel, forensic medical examiner",
        best_interests_reason="Acutely unwell; the police can arrange an appropriate adult.",
    )
    assert event.status_label == "Share: best-interests decision"
    assert consent_in_force(person, "police") is not None


def test_capacity_assessed_needs_an_outcome(user, person):
    with pytest.raises(ValidationError) as exc:
        _record(user, person, capacity_assessed=True)
    assert "capacity_outcome" in exc.value.message_dict


def test_carer_consent_is_recorded_as_the_carers_agreement_not_here(user, person):
    with pytest.raises(ValidationError) as exc:
        _record(user, person, purpose="share_carer", carer_name="Maria Lopez")
    assert "sharing agreement" in exc.value.message_dict["purpose"][0]


def test_consent_audited_without_values(user, person):
    event = _record(user, person, note="Happy for the custody sergeant to know")
    audit = AuditEvent.objects.get(object_type="consent")
    assert audit.object_id == str(event.consent.public_id)
    assert audit.detail["event"] == str(event.public_id)
    assert "custody sergeant" not in str(audit.detail)


def test_consent_recording_refused_for_other_team(person):
    with pytest.raises(PermissionDenied):
        _record(staff(team=TeamFactory()), person)


def test_consent_page_lists_current_and_history(user, person, signed_in):
    _record(user, person, purpose="share_court")
    _record(user, person, purpose="share_court", status="refused")
    text = (
        signed_in(user)
        .get(reverse("assessments:consent", kwargs={"person_id": person.public_id}))
        .content.decode()
    )
    assert "Sharing with the court" in text
    assert text.count("Refused") >= 2
    assert "Given" in text


def test_withdraw_page_withdraws(user, person, signed_in):
    event = _record(user, person)
    url = reverse(
        "assessments:consent_withdraw",
        kwargs={"person_id": person.public_id, "consent_id": event.consent.public_id},
    )
    response = signed_in(user).post(url, {"note": "Asked us to stop sharing"})
    assert response.status_code == 302
    assert consent_in_force(person, "police") is None


def test_withdraw_page_for_another_persons_consent_not_found(user, person, team, signed_in):
    event = _record(user, person)
    other = PersonFactory(team=team)
    url = reverse(
        "assessments:consent_withdraw",
        kwargs={"person_id": other.public_id, "consent_id": event.consent.public_id},
    )
    assert signed_in(user).post(url, {}).status_code == 404
    assert consent_in_force(person, "police") is not None


def test_consent_shows_on_person_page_and_timeline(user, person, signed_in):
    _record(user, person, purpose="share_probation")
    text = (
        signed_in(user)
        .get(reverse("people:detail", kwargs={"public_id": person.public_id}))
        .content.decode()
    )
    assert "Consent in force now" in text
    assert "Consent given: Sharing with probation" in text


def test_decisions_in_words_are_each_recipients_decision_in_force(user, person):
    from healthjustice.assessments.choices import REPORT_RECIPIENTS
    from healthjustice.assessments.selectors import decisions_in_words

    recipients = [str(r) for r in REPORT_RECIPIENTS]
    assert {"police", "court", "probation"} <= set(recipients)
    assert decisions_in_words(person, recipients) == [""] * len(recipients)
    _record(user, person, purpose="share_police")
    _record(user, person, purpose="share_court")
    _record(user, person, purpose="share_court", status="refused")  # the newest is in force
    _record(
        user,
        person,
        purpose="share_probation",
        capacity_assessed=True,
        capacity_outcome="lacks_capacity",
        best_interests_by="Dr Amina Khan, consultant psychiatrist",
        best_interests_reason="Sharing lets probation arrange the treatment they need",
    )
    words = dict(zip(recipients, decisions_in_words(person, recipients), strict=True))
    # The same as each recipient's consent in force, read one at a time
    for recipient in recipients:
        consent = consent_in_force(person, recipient)
        kind = consent and consent.in_force_event.is_best_interests
        one = {None: "", False: "Consent given", True: "Best-interests decision"}[kind]
        assert words[recipient] == one
    assert words["police"] == "Consent given"
    assert words["court"] == ""
    assert words["probation"] == "Best-interests decision"
    assert set(words.values()) == {"Consent given", "Best-interests decision", ""}
