"""Who looked at this person: the IG lookup and the person's audit events."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.audit.services import audit_record
from healthjustice.audit.verification import verify_trail
from healthjustice.governance.selectors import events_about_person
from healthjustice.people.models import RecordRestriction
from tests.audit.factories import audited_team, event_at, ig_auditor
from tests.factories import PersonFactory, staff

pytestmark = pytest.mark.django_db

LOOKUP = reverse("audit:person")


def _events_url(person) -> str:
    return reverse("audit:person_events", kwargs={"public_id": person.public_id})


@pytest.fixture
def person():
    return PersonFactory(
        team=audited_team(),
        date_of_birth=date(1984, 3, 15),
        pnc_id="2019/0654321A",
        prison_number="B9876XY",
        postcode="ST4 1NF",
        religion="buddhist",
        reasonable_adjustments="Explain things slowly",
    )


def _dob(value: date) -> dict[str, str]:
    return {
        "date_of_birth_0": str(value.day),
        "date_of_birth_1": str(value.month),
        "date_of_birth_2": str(value.year),
    }


@pytest.mark.parametrize(
    "identifier", ["nhs", "2019/0654321A", "2019/654321a", "B9876XY", "b9876xy"]
)
def test_person_lookup_finds_by_identifier_without_a_care_relationship(
    signed_in, person, identifier
):
    value = person.nhs_number_display if identifier == "nhs" else identifier
    response = signed_in(ig_auditor()).post(LOOKUP, {"identifier": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert str(escape(person.full_name)) in html
    assert _events_url(person) in html


def test_person_lookup_finds_by_name_and_date_of_birth(signed_in, person):
    other = PersonFactory(family_name=person.family_name, date_of_birth=date(1990, 1, 1))
    response = signed_in(ig_auditor()).post(
        LOOKUP, {"name": f"{person.given_name} {person.family_name}", **_dob(date(1984, 3, 15))}
    )
    html = response.content.decode()
    assert _events_url(person) in html
    assert _events_url(other) not in html


def test_person_lookup_shows_no_clinical_detail(signed_in, person):
    html = signed_in(ig_auditor()).post(LOOKUP, {"identifier": person.nhs_number}).content.decode()
    assert person.nhs_number_display in html
    assert "15 March 1984" in html
    for secret in ("ST4 1NF", "Buddhist", "Explain things slowly", "B9876XY", "0654321A"):
        assert secret not in html


def test_person_lookup_finds_restricted_records(signed_in, person):
    RecordRestriction.objects.create(person=person, reason="staff")
    html = signed_in(ig_auditor()).post(LOOKUP, {"identifier": person.nhs_number}).content.decode()
    assert _events_url(person) in html


def test_person_lookup_is_audited_with_its_purpose_but_not_the_identifier(signed_in, person):
    auditor = ig_auditor()
    signed_in(auditor).post(LOOKUP, {"identifier": person.nhs_number})
    event = AuditEvent.objects.filter(action=Action.SEARCH).latest("seq")
    assert event.actor_id == str(auditor.public_id)
    assert event.detail["purpose"] == "information_governance"
    assert event.detail["results"] == 1
    assert person.nhs_number not in str(event.detail)


def test_person_lookup_name_without_date_of_birth_is_refused(signed_in, person):
    response = signed_in(ig_auditor()).post(LOOKUP, {"name": person.family_name})
    html = response.content.decode()
    assert "Enter their date of birth as well as their name" in html
    assert _events_url(person) not in html
    assert not AuditEvent.objects.filter(action=Action.SEARCH).exists()


def test_person_lookup_empty_form_is_refused(signed_in):
    html = signed_in(ig_auditor()).post(LOOKUP, {}).content.decode()
    assert "Enter an NHS number, PNC ID or prison number, or a name and date of birth" in html


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("123", "NHS number must be 10 digits"),
        ("9991234567", "Enter a valid NHS number"),
        ("not-an-id", "Enter an NHS number (10 digits), a PNC ID"),
    ],
)
def test_person_lookup_bad_identifier_gets_a_clear_message(signed_in, value, message):
    html = signed_in(ig_auditor()).post(LOOKUP, {"identifier": value}).content.decode()
    assert message in html
    assert "There is a problem" in html


def test_person_lookup_is_a_post_form(signed_in):
    html = signed_in(ig_auditor()).get(LOOKUP).content.decode()
    assert 'method="post"' in html


def test_person_events_lists_who_looked(signed_in, person, client):
    practitioner = staff(user__first_name="Priya", user__last_name="Shah")
    audit_record(
        actor=practitioner,
        action=Action.VIEW,
        object_type="person",
        object_id=str(person.public_id),
    )
    audit_record(
        actor=practitioner,
        action=Action.UPDATE,
        object_type="person",
        object_id=str(person.public_id),
        fields_changed=["postcode", "town"],
    )
    unrelated = PersonFactory()
    audit_record(
        actor=practitioner, action=Action.VIEW, object_type="person", object_id=unrelated.public_id
    )
    response = signed_in(ig_auditor()).get(_events_url(person))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Priya Shah" in html
    assert "Person record viewed" in html
    assert "Changed: postcode, town" in html
    assert reverse("audit:user_detail", kwargs={"public_id": practitioner.public_id}) in html
    assert "Showing 1 to 2 of 2 events" in html
    assert response["Cache-Control"] == "no-store"


def test_person_events_includes_events_naming_the_person_in_detail(person):
    audit_record(
        actor=None,
        action=Action.VIEW,
        object_type="episode",
        object_id="e1",
        detail={"person": str(person.public_id)},
    )
    assert [e.object_type for e in events_about_person(person.public_id)] == ["episode"]


def test_person_events_view_is_audited(signed_in, person):
    auditor = ig_auditor()
    signed_in(auditor).get(_events_url(person))
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.object_type, event.object_id) == (
        Action.VIEW,
        "audit_person_events",
        str(person.public_id),
    )
    assert event.actor_id == str(auditor.public_id)


def test_person_events_filters_by_date(signed_in, person):
    tz = timezone.get_current_timezone()
    for day in (1, 10, 20):
        event_at(
            datetime(2026, 11, day, 12, 0, tzinfo=tz),
            object_id=str(person.public_id),
            detail={"marker": f"day-{day}"},
        )
    response = signed_in(ig_auditor()).get(
        _events_url(person),
        {
            "date_from_0": "10",
            "date_from_1": "11",
            "date_from_2": "2026",
            "date_to_0": "10",
            "date_to_1": "11",
            "date_to_2": "2026",
        },
    )
    html = response.content.decode()
    assert "day-10" in html
    assert "day-1<" not in html and "day-20" not in html


def test_person_events_date_to_before_date_from_is_refused(signed_in, person):
    response = signed_in(ig_auditor()).get(
        _events_url(person),
        {
            "date_from_0": "10",
            "date_from_1": "11",
            "date_from_2": "2026",
            "date_to_0": "1",
            "date_to_1": "11",
            "date_to_2": "2026",
        },
    )
    html = response.content.decode()
    assert "must be the same as or after" in html
    assert "Correct the dates to see the events" in html


def test_person_events_paginates_and_keeps_the_filter(signed_in, person):
    start = timezone.now() - timedelta(hours=2)
    for i in range(55):
        event_at(start + timedelta(seconds=i), object_id=str(person.public_id))
    client = signed_in(ig_auditor())
    today = timezone.localdate()
    filters = {"date_from_0": "1", "date_from_1": "1", "date_from_2": str(today.year - 1)}
    first = client.get(_events_url(person), filters).content.decode()
    assert "Showing 1 to 50 of 55 events" in first
    assert "page=2" in first and "date_from_2=" in first
    second = client.get(_events_url(person), {**filters, "page": 2}).content.decode()
    # The first page's own viewing is now one of the person's events too.
    assert "Showing 51 to 56 of 56 events" in second


def test_person_events_unknown_person_is_404(signed_in):
    import uuid

    url = reverse("audit:person_events", kwargs={"public_id": uuid.uuid4()})
    assert signed_in(ig_auditor()).get(url).status_code == 404


def test_ig_activity_keeps_the_chain_intact(signed_in, person):
    client = signed_in(ig_auditor())
    client.post(LOOKUP, {"identifier": person.nhs_number})
    client.get(_events_url(person))
    assert verify_trail().intact


def _events_on_each_basis(person, actor=None) -> None:
    for basis in ("own_team", "agreement", "break_glass"):
        audit_record(
            actor=actor,
            action=Action.VIEW,
            object_type="person",
            object_id=str(person.public_id),
            detail={"marker": f"seen-{basis.replace('_', '')}"},
            access_basis=basis,
        )


def test_person_events_filter_by_basis_of_access(signed_in, person):
    _events_on_each_basis(person)
    client = signed_in(ig_auditor())
    html = client.get(_events_url(person), {"access_basis": "agreement"}).content.decode()
    assert "seen-agreement" in html
    assert "seen-ownteam" not in html and "seen-breakglass" not in html
    assert "Basis of access: Data-sharing agreement" in html
    every = client.get(_events_url(person)).content.decode()
    assert all(f"seen-{b}" in every for b in ("ownteam", "agreement", "breakglass"))
    assert 'name="access_basis"' in every


def test_user_events_filter_by_basis_of_access(signed_in, person):
    viewer = staff()
    _events_on_each_basis(person, actor=viewer)
    url = reverse("audit:user_detail", kwargs={"public_id": viewer.public_id})
    html = signed_in(ig_auditor()).get(url, {"access_basis": "break_glass"}).content.decode()
    assert "seen-breakglass" in html
    assert "seen-ownteam" not in html and "seen-agreement" not in html


def test_person_events_unknown_basis_of_access_is_refused(signed_in, person):
    _events_on_each_basis(person)
    html = signed_in(ig_auditor()).get(_events_url(person), {"access_basis": "x"}).content.decode()
    assert "Select basis of access from the list" in html
    assert "seen-ownteam" not in html
