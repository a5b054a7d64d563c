"""What did this user look at: finding an account and listing what it did."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.audit.services import audit_record
from tests.audit.factories import event_at, events_by, ig_auditor
from tests.factories import PersonFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


def _detail_url(user) -> str:
    return reverse("audit:user_detail", kwargs={"public_id": user.public_id})


def test_user_lookup_finds_by_name_or_username(signed_in):
    wanted = staff(user__username="pshah", user__first_name="Priya", user__last_name="Shah")
    other = staff(user__username="jbloggs", user__first_name="Joe", user__last_name="Bloggs")
    client = signed_in(ig_auditor())
    for query in ("Shah", "pshah", "priya sha"):
        html = client.get(reverse("audit:user_events"), {"q": query}).content.decode()
        assert _detail_url(wanted) in html
        assert _detail_url(other) not in html


def test_user_lookup_is_audited(signed_in):
    staff(user__last_name="Shah")
    auditor = ig_auditor()
    signed_in(auditor).get(reverse("audit:user_events"), {"q": "Shah"})
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.object_type) == (Action.SEARCH, "user")
    assert event.detail == {"purpose": "information_governance", "results": 1}


def test_user_lookup_too_short_gets_a_message(signed_in):
    html = signed_in(ig_auditor()).get(reverse("audit:user_events"), {"q": "a"}).content.decode()
    assert "Enter at least 2 characters" in html


def test_user_detail_lists_what_they_looked_at_with_person_names(signed_in):
    practitioner = staff()
    person = PersonFactory()
    audit_record(
        actor=practitioner,
        action=Action.VIEW,
        object_type="person",
        object_id=str(person.public_id),
        detail={"break_glass": "some-grant"},
    )
    audit_record(
        actor=practitioner, action=Action.DENIED, object_type="page", detail={"path": "/audit/"}
    )
    audit_record(actor=staff(), action=Action.VIEW, object_type="person", object_id="elsewhere")
    response = signed_in(ig_auditor()).get(_detail_url(practitioner))
    assert response.status_code == 200
    html = response.content.decode()
    assert str(escape(person.full_name)) in html
    assert reverse("audit:person_events", kwargs={"public_id": person.public_id}) in html
    assert "Person record viewed (break-glass)" in html
    assert "Access refused: page" in html
    assert "Path: /audit/" in html
    assert "Showing 1 to 2 of 2 events" in html


def test_a_long_trail_is_counted_up_to_a_limit_and_earlier_events_are_reached_by_dates(
    signed_in, monkeypatch
):
    monkeypatch.setattr("healthjustice.governance.views.EVENTS_LISTED", 3)
    practitioner = staff()
    event_at(
        datetime(2025, 3, 1, 12, 0, tzinfo=timezone.get_current_timezone()),
        actor=practitioner,
        object_id="p-old",
        detail={"marker": "the-earliest"},
    )
    events_by(practitioner, 4)
    client = signed_in(ig_auditor())
    html = client.get(_detail_url(practitioner)).content.decode()
    assert "Showing 1 to 3 of the latest 3 events, newest first." in html
    assert "There are more: choose dates to see earlier ones." in html
    assert "the-earliest" not in html
    march = {"date_from_0": "1", "date_from_1": "3", "date_from_2": "2025"}
    march |= {"date_to_0": "31", "date_to_1": "3", "date_to_2": "2025"}
    html = client.get(_detail_url(practitioner), march).content.decode()
    assert "Showing 1 to 1 of 1 events, newest first." in html
    assert "There are more" not in html
    assert "Marker: the-earliest" in html


def test_user_detail_view_is_audited(signed_in):
    practitioner = staff()
    signed_in(ig_auditor()).get(_detail_url(practitioner))
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.object_type, event.object_id) == (
        Action.VIEW,
        "audit_user_events",
        str(practitioner.public_id),
    )


def test_user_detail_shows_failed_sign_ins_of_carers_too(signed_in):
    carer = UserFactory(kind="carer")
    audit_record(actor=carer, action=Action.SIGN_IN, object_type="user", object_id=carer.public_id)
    html = signed_in(ig_auditor()).get(_detail_url(carer)).content.decode()
    assert "Signed in" in html
    assert "Carer" in html


def test_sign_in_and_failed_sign_in_are_in_the_trail(client):
    user = staff(user__username="signer")
    client.post(reverse("accounts:login"), {"username": "signer", "password": "wrong-password"})
    client.post(
        reverse("accounts:login"), {"username": "signer", "password": "correct-horse-battery"}
    )
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", "actor_id"))
    assert (Action.SIGN_IN_FAILED, "") in actions
    assert (Action.SIGN_IN, str(user.public_id)) in actions


def test_permission_denial_is_in_the_trail(signed_in):
    practitioner = staff()
    assert signed_in(practitioner).get(reverse("audit:home")).status_code == 403
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.actor_id) == (Action.DENIED, str(practitioner.public_id))
    assert event.detail["permission"] == "audit.read"
