"""Break-glass reviews: the list, recording an outcome once, and refusals."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.governance.reviews import break_glass_review
from healthjustice.people.models import BreakGlassAccess
from healthjustice.people.services import break_glass_open
from tests.audit.factories import BreakGlassFactory, audited_team, ig_auditor
from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db

Outcome = BreakGlassAccess.Outcome
LIST = reverse("audit:break_glass")


def _review_url(grant) -> str:
    return reverse("audit:break_glass_review", kwargs={"public_id": grant.public_id})


def test_break_glass_list_shows_awaiting_first_then_reviewed(signed_in):
    now = timezone.now()
    reviewed = BreakGlassFactory(
        started_at=now,
        reviewed_at=now,
        reviewed_by=ig_auditor(),
        review_outcome=Outcome.APPROPRIATE,
        reason="Reviewed one: urgent safeguarding concern",
    )
    awaiting = BreakGlassFactory(
        started_at=now - timedelta(days=3), reason="Awaiting one: court asked for advice"
    )
    html = signed_in(ig_auditor()).get(LIST).content.decode()
    assert html.index("Awaiting one") < html.index("Reviewed one")
    assert _review_url(awaiting) in html and _review_url(reviewed) in html
    assert "1 is awaiting review" in html
    assert reverse("audit:person_events", kwargs={"public_id": awaiting.person.public_id}) in html


def test_break_glass_list_filters_by_status_and_date(signed_in):
    now = timezone.now()
    old = BreakGlassFactory(started_at=now - timedelta(days=40), reason="Old one from last month")
    BreakGlassFactory(
        started_at=now,
        reviewed_at=now,
        review_outcome=Outcome.APPROPRIATE,
        reason="Reviewed one from today",
    )
    client = signed_in(ig_auditor())
    html = client.get(LIST, {"status": "awaiting"}).content.decode()
    assert "Old one" in html and "Reviewed one" not in html
    today = timezone.localdate() - timedelta(days=1)
    html = client.get(
        LIST,
        {"date_from_0": today.day, "date_from_1": today.month, "date_from_2": today.year},
    ).content.decode()
    assert "Reviewed one" in html and "Old one" not in html
    assert old.reason not in html


def test_break_glass_opened_by_a_practitioner_reaches_the_review_list(signed_in):
    practitioner = staff(team=TeamFactory())
    person = PersonFactory(team=audited_team())
    grant = break_glass_open(
        actor=practitioner,
        person_public_id=person.public_id,
        reason="Self-harm risk reported by the custody sergeant",
    )
    html = signed_in(ig_auditor()).get(LIST, {"status": "awaiting"}).content.decode()
    assert _review_url(grant) in html
    assert "Self-harm risk reported by the custody sergeant" in html


def test_break_glass_review_records_the_outcome_and_audits_it(signed_in):
    grant = BreakGlassFactory()
    auditor = ig_auditor()
    response = signed_in(auditor).post(
        _review_url(grant),
        {"outcome": Outcome.INAPPROPRIATE, "note": "No emergency; escalated to line manager"},
    )
    assert response.status_code == 302
    assert response["Location"] == LIST
    grant.refresh_from_db()
    assert grant.review_outcome == Outcome.INAPPROPRIATE
    assert grant.reviewed_by == auditor
    assert grant.reviewed_at is not None
    assert grant.review_note == "No emergency; escalated to line manager"
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.object_type, event.object_id) == (
        Action.REVIEW,
        "break_glass",
        str(grant.public_id),
    )
    assert event.detail == {"person": str(grant.person.public_id), "outcome": "inappropriate"}
    assert "escalated" not in str(event.detail)


def test_break_glass_second_review_is_refused_with_a_message(signed_in):
    first = ig_auditor()
    grant = BreakGlassFactory()
    break_glass_review(actor=first, grant=grant, outcome=Outcome.APPROPRIATE, note="")
    response = signed_in(ig_auditor()).post(
        _review_url(grant), {"outcome": Outcome.INAPPROPRIATE, "note": "I disagree"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "already been reviewed by" in html
    assert "A review cannot be changed" in html
    grant.refresh_from_db()
    assert grant.review_outcome == Outcome.APPROPRIATE
    assert grant.reviewed_by == first
    assert AuditEvent.objects.filter(action=Action.REVIEW).count() == 1


def test_break_glass_review_service_refuses_a_second_review():
    grant = BreakGlassFactory()
    break_glass_review(actor=ig_auditor(), grant=grant, outcome=Outcome.APPROPRIATE, note="")
    stale = BreakGlassAccess.objects.get(pk=grant.pk)
    stale.reviewed_at = None  # as if loaded before the first review was saved
    with pytest.raises(ValidationError, match="already been reviewed"):
        break_glass_review(actor=ig_auditor(), grant=stale, outcome=Outcome.APPROPRIATE, note="")


def test_break_glass_inappropriate_needs_a_note(signed_in):
    grant = BreakGlassFactory()
    html = (
        signed_in(ig_auditor())
        .post(_review_url(grant), {"outcome": Outcome.INAPPROPRIATE, "note": "  "})
        .content.decode()
    )
    assert "Say why the access was inappropriate" in html
    grant.refresh_from_db()
    assert grant.reviewed_at is None


def test_break_glass_review_without_an_outcome_is_refused(signed_in):
    grant = BreakGlassFactory()
    html = signed_in(ig_auditor()).post(_review_url(grant), {}).content.decode()
    assert "Select whether the access was appropriate" in html


def test_break_glass_own_access_cannot_be_reviewed():
    auditor = ig_auditor()
    grant = BreakGlassFactory(user=auditor)
    with pytest.raises(ValidationError, match="your own break-glass"):
        break_glass_review(actor=auditor, grant=grant, outcome=Outcome.APPROPRIATE, note="")


def test_break_glass_review_needs_the_permission():
    with pytest.raises(PermissionDenied):
        break_glass_review(
            actor=staff(), grant=BreakGlassFactory(), outcome=Outcome.APPROPRIATE, note=""
        )


def test_break_glass_review_page_shows_the_grant_and_is_audited(signed_in):
    grant = BreakGlassFactory()
    html = signed_in(ig_auditor()).get(_review_url(grant)).content.decode()
    assert grant.reason in html
    assert "Record your review" in html
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.object_type) == (Action.VIEW, "break_glass")
    assert event.detail["person"] == str(grant.person.public_id)


def test_break_glass_review_appears_in_the_persons_events(signed_in):
    grant = BreakGlassFactory()
    client = signed_in(ig_auditor())
    client.post(_review_url(grant), {"outcome": Outcome.APPROPRIATE, "note": ""})
    url = reverse("audit:person_events", kwargs={"public_id": grant.person.public_id})
    html = client.get(url).content.decode()
    assert "Break-glass access reviewed" in html
