import pytest

from healthjustice.carers import services
from healthjustice.carers.choices import ContactDirection, ContactMode, LawfulBasis, ShareCategory
from healthjustice.governance.subject_access import subject_access_document
from tests.carers.factories import Ward

pytestmark = pytest.mark.django_db


def test_subject_access_export_holds_stays_agreements_and_contacts_without_carer_confidences():
    ward = Ward()
    carer, rel = ward.carer()
    agreement = ward.agree(rel, [ShareCategory.WELLBEING])
    services.agreement_withdraw(actor=ward.key_worker, agreement=agreement, reason="Changed mind")
    services.contact_record(
        actor=ward.key_worker,
        carer=carer,
        relationship=rel,
        staff=ward.key_worker,
        occurred_at=agreement.recorded_at,
        mode=ContactMode.PHONE,
        direction=ContactDirection.FROM_CARER,
        summary="Carer said something in confidence about home",
        categories_shared=[ShareCategory.CARE_PLAN],
        lawful_basis=LawfulBasis.SERIOUS_RISK,
        lawful_basis_detail="Threats made",
    )
    document = subject_access_document(ward.patient)
    assert document["secure_service_stays"][0]["ward"] == "Cedar Ward"
    entry = document["carers"][0]
    assert entry["carer"]["name"] == carer.full_name
    assert entry["sharing_agreements"][0]["end_kind"]["code"] == "withdrawn"
    contact = entry["contacts"][0]
    assert contact["shared_without_consent"][0]["code"] == ShareCategory.CARE_PLAN
    assert "in confidence about home" not in str(document)
