"""Subject access requests: one JSON file with everything held about a person, audited."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.audit.services import audit_record
from healthjustice.governance import subject_access
from healthjustice.governance.reviews import break_glass_review
from healthjustice.people import subject_access as sections
from healthjustice.people.models import PersonAlias, PersonChange, RecordRestriction
from tests.audit.factories import BreakGlassFactory, audited_team, ig_auditor
from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    team = TeamFactory(name="Stoke custody L&D", organisation=audited_team().organisation)
    person = PersonFactory(team=team, sex="2", religion="sikh", communication_needs=["autism"])
    PersonAlias.objects.create(person=person, given_name="Jo", family_name="Bloggs")
    PersonChange.objects.create(person=person, summary="Details updated", fields=["postcode"])
    RecordRestriction.objects.create(person=person, reason="staff", note="Works on ward 3")
    return person


def _export(client, person):
    url = reverse("audit:subject_access_export", kwargs={"public_id": person.public_id})
    return client.post(url)


def test_subject_access_export_downloads_one_json_file(signed_in, person):
    response = _export(signed_in(ig_auditor()), person)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    disposition = response["Content-Disposition"]
    today = timezone.localdate().isoformat()
    assert disposition == f'attachment; filename="subject-access-{person.public_id}-{today}.json"'
    assert response["Cache-Control"] == "no-store"


def test_subject_access_export_contains_the_persons_data(signed_in, person):
    grant = BreakGlassFactory(person=person, reason="Court asked for urgent advice today")
    break_glass_review(actor=ig_auditor(), grant=grant, outcome="appropriate", note="Fine")
    document = json.loads(_export(signed_in(ig_auditor()), person).content)
    record = document["person"]
    assert record["public_id"] == str(person.public_id)
    assert record["family_name"] == person.family_name
    assert record["nhs_number"] == person.nhs_number
    assert record["date_of_birth"] == person.date_of_birth.isoformat()
    assert record["sex"] == {"code": "2", "label": "Female"}
    assert record["religion"] == {"code": "sikh", "label": "Sikh"}
    assert record["communication_needs"] == [{"code": "autism", "label": "Autism"}]
    assert "id" not in record
    assert document["aliases"][0]["family_name"] == "Bloggs"
    assert document["care_relationships"][0]["team"] == "Stoke custody L&D"
    assert document["record_changes"][0]["fields_changed"] == ["postcode"]
    assert document["restriction"]["reason"] == {"code": "staff", "label": "Member of staff"}
    assert "Works on ward 3" not in json.dumps(document)
    assert document["break_glass"][0]["reason"] == "Court asked for urgent advice today"
    assert document["break_glass"][0]["review"]["outcome"]["code"] == "appropriate"
    meta = document["subject_access_request"]
    assert meta["person_public_id"] == str(person.public_id)
    assert "audit_events" in meta["sections"]


def test_subject_access_export_lists_who_accessed_the_record(signed_in, person):
    practitioner = staff(user__username="pshah", user__first_name="Priya", user__last_name="Shah")
    audit_record(
        actor=practitioner, action=Action.VIEW, object_type="person", object_id=person.public_id
    )
    audit_record(
        actor=practitioner, action=Action.VIEW, object_type="person", object_id="someone-else"
    )
    document = json.loads(_export(signed_in(ig_auditor()), person).content)
    views = [e for e in document["audit_events"] if e["action"]["code"] == "view"]
    assert len(views) == 1
    assert views[0]["by"] == {"name": "Priya Shah", "username": "pshah"}
    assert re.match(r"\d{4}-\d{2}-\d{2}T", views[0]["at"])


def test_subject_access_export_is_audited_before_the_file_is_returned(signed_in, person):
    auditor = ig_auditor()
    response = _export(signed_in(auditor), person)
    event = AuditEvent.objects.filter(action=Action.EXPORT).get()
    assert (event.object_type, event.object_id, event.actor_id) == (
        "person",
        str(person.public_id),
        str(auditor.public_id),
    )
    assert event.detail["purpose"] == "subject_access_request"
    document = json.loads(response.content)
    assert document["audit_events"][-1]["seq"] == event.seq
    assert document["audit_events"][-1]["action"]["code"] == "export"
    assert document["subject_access_request"]["exported_by"]["username"] == auditor.username


def test_subject_access_export_needs_the_permission(person):
    with pytest.raises(PermissionDenied):
        subject_access.subject_access_export(actor=staff(), person=person)
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_subject_access_sections_can_be_added_by_other_apps(person, monkeypatch):
    monkeypatch.setattr(
        sections, "subject_access_registry", sections.subject_access_registry.copy()
    )
    sections.register_subject_access_section(
        "episodes", lambda p: [{"pathway": "ld", "person": str(p.public_id)}]
    )
    document = subject_access.subject_access_document(person)
    assert document["episodes"] == [{"pathway": "ld", "person": str(person.public_id)}]
    assert "episodes" in document["subject_access_request"]["sections"]


def test_subject_access_section_names_are_unique(monkeypatch):
    monkeypatch.setattr(
        sections, "subject_access_registry", sections.subject_access_registry.copy()
    )
    with pytest.raises(ValueError, match="already exists"):
        sections.register_subject_access_section("person", lambda p: {})


def test_subject_access_export_button_is_on_the_persons_page(signed_in, person):
    url = reverse("audit:person_events", kwargs={"public_id": person.public_id})
    html = signed_in(ig_auditor()).get(url).content.decode()
    assert "Export everything held (subject access request)" in html
    assert reverse("audit:subject_access_export", kwargs={"public_id": person.public_id}) in html


def _export_pdf(client, person):
    url = reverse("audit:subject_access_export", kwargs={"public_id": person.public_id})
    return client.post(url, {"format": "pdf"})


def test_subject_access_export_as_pdf_is_a_readable_document(signed_in, person, monkeypatch):
    from healthjustice.governance import subject_access_pdf

    captured = {}
    real = subject_access_pdf.subject_access_pdf

    def uncompressed(document, compress=True):
        captured["pdf"] = real(document, compress=False)
        return captured["pdf"]

    monkeypatch.setattr(subject_access_pdf, "subject_access_pdf", uncompressed)
    audit_record(
        actor=staff(user__username="pshah", user__first_name="Priya", user__last_name="Shah"),
        action=Action.VIEW,
        object_type="cj_context",
        detail={"person": str(person.public_id)},
    )
    response = _export_pdf(signed_in(ig_auditor()), person)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-{person.public_id}-{today}.pdf"'
    )
    data = captured["pdf"]
    assert response.content == data and data.startswith(b"%PDF")
    assert f"Everything we hold about {person.given_name}".encode() in data
    assert b"Criminal-justice details viewed, by Priya Shah" in data
    assert b"Other names" in data and b"Bloggs" in data
    assert b"Subject access export \\(PDF\\)" in data


def test_subject_access_pdf_export_is_audited_with_its_format(signed_in, person):
    auditor = ig_auditor()
    _export_pdf(signed_in(auditor), person)
    event = AuditEvent.objects.filter(action=Action.EXPORT).get()
    assert event.detail["purpose"] == "subject_access_request"
    assert event.detail["format"] == "pdf"
    assert event.actor_id == str(auditor.public_id)


def test_subject_access_pdf_export_is_refused_without_permission(signed_in, person):
    response = _export_pdf(signed_in(staff()), person)
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
