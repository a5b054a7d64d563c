"""The portal shows a carer exactly what was agreed, about their own patient, and nothing else."""

import pytest
from django.urls import reverse
from markupsafe import escape

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.carers import services
from healthjustice.carers.choices import ShareCategory
from tests.carers.factories import (
    CarerFactory,
    PageFactory,
    RelationshipFactory,
    Ward,
    carer_account,
)
from tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(signed_in):
    """A carer with an agreement for wellbeing and meetings, and items in three categories."""
    ward = Ward()
    carer, rel = ward.carer()
    user = carer_account(carer)
    ward.agree(rel, [ShareCategory.WELLBEING, ShareCategory.MEDICATION])
    ward.write(rel, ShareCategory.WELLBEING, "A settled week")
    ward.write(rel, ShareCategory.MEDICATION, "Medication changes")
    ward.agree(rel, [ShareCategory.WELLBEING])  # medication no longer agreed
    client = signed_in(user)
    return ward, carer, rel, client


def _person_page(client, rel):
    return client.get(reverse("carers:portal_person", kwargs={"public_id": rel.public_id}))


def test_portal_shows_only_categories_in_the_agreement_in_force(shared):
    ward, _carer, rel, client = shared
    page = _person_page(client, rel).content.decode()
    assert "A settled week" in page
    assert "Medication changes" not in page
    assert ">Medication<" not in page
    assert f"Information about {ward.patient.given_name}" in page


def test_portal_never_shows_fields_outside_the_agreement(shared):
    ward, _carer, rel, client = shared
    page = _person_page(client, rel).content.decode()
    patient = ward.patient
    for hidden in (
        patient.family_name,
        patient.nhs_number,
        ward.stay.ward,
        ward.stay.hospital_or_team,
    ):
        assert hidden not in page


def test_withdrawal_hides_everything_on_the_next_request(shared):
    ward, _carer, rel, client = shared
    assert "A settled week" in _person_page(client, rel).content.decode()
    agreement = rel.agreements.get(ended_at__isnull=True)
    services.agreement_withdraw(actor=ward.key_worker, agreement=agreement, reason="Changed mind")
    page = _person_page(client, rel).content.decode()
    assert "A settled week" not in page
    assert ward.patient.given_name not in page
    assert "no information about the person you care for" in page
    home = client.get(reverse("carers:portal")).content.decode()
    assert ward.patient.given_name not in home


def test_retracted_item_disappears_from_the_portal(shared):
    ward, _carer, rel, client = shared
    item = rel.shared_items.get(title="A settled week")
    services.shared_item_retract(actor=ward.key_worker, item=item, reason="Written in error")
    assert "A settled week" not in _person_page(client, rel).content.decode()


def test_carer_cannot_open_another_carers_patient(shared):
    ward, _carer, _rel, client = shared
    _other_carer, other_rel = ward.carer()
    ward.agree(other_rel, [ShareCategory.WELLBEING])
    ward.write(other_rel, ShareCategory.WELLBEING, "For the other carer only")
    stranger = RelationshipFactory()
    for target in (other_rel, stranger):
        response = _person_page(client, target)
        assert response.status_code == 404
        assert "For the other carer only" not in response.content.decode()
    denials = AuditEvent.objects.filter(action=Action.DENIED, object_type="carer_portal")
    assert {e.object_id for e in denials} == {str(other_rel.public_id), str(stranger.public_id)}


def test_portal_home_lists_only_the_carers_own_people(shared):
    _ward, _carer, rel, client = shared
    other = Ward()
    _, other_rel = other.carer()
    other.agree(other_rel, [ShareCategory.WELLBEING])
    home = client.get(reverse("carers:portal")).content.decode()
    assert str(rel.public_id) in home
    assert str(other_rel.public_id) not in home
    assert other.patient.given_name not in home


def test_every_portal_view_is_audited(shared):
    ward, _carer, rel, client = shared
    client.get(reverse("carers:portal"))
    _person_page(client, rel)
    events = AuditEvent.objects.filter(object_type="carer_portal", action=Action.VIEW)
    pages = [e.detail["page"] for e in events]
    assert pages == ["home", "person"]
    person_view = events.last()
    assert person_view.detail["person"] == str(ward.patient.public_id)
    assert person_view.detail["categories"] == [ShareCategory.WELLBEING]


def test_staff_are_refused_every_portal_page(signed_in):
    ward = Ward()
    client = signed_in(ward.ward_manager)
    for name in ("carers:portal", "carers:portal_pages", "carers:portal_messages"):
        assert client.get(reverse(name)).status_code == 403


def test_carer_is_refused_staff_pages(shared):
    ward, carer, _rel, client = shared
    for url in (
        reverse("carers:home"),
        reverse("carers:carer_detail", kwargs={"public_id": carer.public_id}),
        reverse("carers:patient", kwargs={"public_id": ward.patient.public_id}),
        reverse("people:detail", kwargs={"public_id": ward.patient.public_id}),
    ):
        assert client.get(url).status_code == 403


def test_named_contact_falls_back_to_the_key_worker_and_switchboard(signed_in, settings):
    settings.HJ_SWITCHBOARD = "0300 790 7000"
    ward = Ward()
    carer, _rel = ward.carer()
    client = signed_in(carer_account(carer))
    page = client.get(reverse("carers:portal")).content.decode()
    assert "You do not have a named contact yet" in page
    assert escape(ward.key_worker.display_name) in page
    assert "0300 790 7000" in page


def test_named_contact_is_shown_when_one_is_named(signed_in):
    ward = Ward()
    contact = staff(team=ward.team, user__first_name="Priya", user__last_name="Shah")
    carer, _rel = ward.carer(named_contact=contact)
    page = signed_in(carer_account(carer)).get(reverse("carers:portal")).content.decode()
    assert "Your named contact is <strong>Priya Shah</strong>" in page


def test_unpublished_information_pages_are_not_shown(signed_in):
    carer = CarerFactory()
    PageFactory(title="Visiting times", slug="visiting", is_published=True)
    PageFactory(title="Draft about leave", slug="draft-leave", is_published=False)
    client = signed_in(carer_account(carer))
    listing = client.get(reverse("carers:portal_pages")).content.decode()
    assert "Visiting times" in listing
    assert "Draft about leave" not in listing
    draft = reverse("carers:portal_page", kwargs={"slug": "draft-leave"})
    assert client.get(draft).status_code == 404


def test_information_page_text_is_escaped(signed_in):
    carer = CarerFactory()
    PageFactory(slug="visiting", body="<script>alert(1)</script>\n\n- bring ID")
    page = (
        signed_in(carer_account(carer))
        .get(reverse("carers:portal_page", kwargs={"slug": "visiting"}))
        .content.decode()
    )
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page
    assert "<li>bring ID</li>" in page


def test_carer_updates_own_contact_preferences(signed_in):
    carer = CarerFactory()
    client = signed_in(carer_account(carer))
    response = client.post(
        reverse("carers:portal_preferences"),
        {
            "preferred_contact_method": "email",
            "preferred_contact_time": "evening",
            "email": "new@example.org",
            "phone": "",
            "language": "Polish",
            "communication_needs": "Large print please",
            "version": carer.version,
        },
    )
    assert response.status_code == 302
    carer.refresh_from_db()
    assert (carer.email, carer.language, carer.preferred_contact_time) == (
        "new@example.org",
        "Polish",
        "evening",
    )
    assert carer.version == 2


def test_preferences_saved_over_a_newer_change_are_refused(signed_in):
    carer = CarerFactory()
    client = signed_in(carer_account(carer))
    data = {
        "preferred_contact_method": "phone",
        "preferred_contact_time": "any",
        "phone": "07700 900999",
        "language": "English",
        "version": carer.version - 1,
    }
    response = client.post(reverse("carers:portal_preferences"), data)
    assert "Someone else changed this" in response.content.decode()
    carer.refresh_from_db()
    assert carer.phone != "07700 900999"


def test_carer_account_without_a_carer_record_is_refused(signed_in):
    from tests.factories import UserFactory

    lone = UserFactory(kind="carer")
    assert signed_in(lone).get(reverse("carers:portal")).status_code == 403
