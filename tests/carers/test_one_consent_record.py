"""Consent to share with a carer is one record, the carer's sharing agreement: withdrawing it
from either the consent page or the carer's page stops sharing."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from healthjustice.assessments.models import Consent, ConsentEvent
from healthjustice.assessments.selectors import carer_agreements_in_force
from healthjustice.assessments.services import consent_withdraw
from healthjustice.carers import selectors, services
from healthjustice.carers.choices import ShareCategory
from healthjustice.carers.models import SharingAgreement
from tests.carers.factories import Ward

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "healthjustice.carers.migrations.0004_carer_consent_into_agreements"
)


def _legacy_consent(person, user, carer_name, status="given"):
    """A carer consent recorded on the consent page before agreements were the one record."""
    consent = Consent.objects.create(
        person=person,
        purpose="share_carer",
        carer_name=carer_name,
        carer_key=" ".join(carer_name.lower().split()),
        created_by=user,
    )
    ConsentEvent.objects.create(consent=consent, seq=1, status="given", recorded_by=user)
    if status != "given":
        ConsentEvent.objects.create(consent=consent, seq=2, status=status, recorded_by=user)
    return consent


def test_withdrawing_on_the_carers_page_stops_sharing_everywhere(signed_in):
    ward = Ward()
    carer, rel = ward.carer()
    agreement = ward.agree(rel, [ShareCategory.WELLBEING])
    assert carer_agreements_in_force(ward.patient, carer.full_name) == [agreement]
    services.agreement_withdraw(actor=ward.key_worker, agreement=agreement, reason="Said no")
    assert carer_agreements_in_force(ward.patient, carer.full_name) == []
    share = selectors.portal_share(rel)
    assert share.agreement is None and share.sections == []
    page = signed_in(ward.key_worker).get(
        reverse("assessments:consent", kwargs={"person_id": ward.patient.public_id})
    )
    assert "No agreement in force" in page.content.decode()


def test_consent_page_shows_the_carers_agreement(signed_in):
    ward = Ward()
    carer, rel = ward.carer()
    ward.agree(rel, [ShareCategory.WELLBEING, ShareCategory.MEETINGS])
    html = (
        signed_in(ward.key_worker)
        .get(reverse("assessments:consent", kwargs={"person_id": ward.patient.public_id}))
        .content.decode()
    )
    assert "Agreement in force" in html
    assert carer.full_name in html
    assert "General wellbeing" in html
    assert reverse("carers:relationship", kwargs={"public_id": rel.public_id}) in html


def test_withdrawing_an_earlier_carer_consent_on_the_consent_page_ends_the_agreement():
    ward = Ward()
    carer, rel = ward.carer()
    ward.agree(rel, [ShareCategory.WELLBEING])
    consent = _legacy_consent(ward.patient, ward.key_worker, carer.full_name.upper())
    consent_withdraw(actor=ward.key_worker, consent=consent, note="Told me on the phone")
    assert selectors.agreement_in_force(rel) is None
    ended = SharingAgreement.objects.get(relationship=rel)
    assert ended.withdrawn and ended.withdrawal_reason == "Told me on the phone"


def test_migration_carries_a_given_carer_consent_over_as_an_agreement_sharing_nothing():
    ward = Ward()
    carer, rel = ward.carer()
    _legacy_consent(ward.patient, ward.key_worker, carer.full_name)
    migration.forwards(apps, None)
    agreement = selectors.agreement_in_force(rel)
    assert agreement is not None
    assert agreement.categories == []
    assert agreement.review_on == timezone.localdate()
    assert "review it with the patient" in agreement.capacity_note


def test_migration_withdraws_an_agreement_when_the_consent_was_withdrawn_later():
    ward = Ward()
    carer, rel = ward.carer()
    agreement = ward.agree(rel, [ShareCategory.WELLBEING])
    SharingAgreement.objects.filter(pk=agreement.pk).update(
        recorded_at=timezone.now() - timezone.timedelta(days=2)
    )
    _legacy_consent(ward.patient, ward.key_worker, carer.full_name, status="withdrawn")
    migration.forwards(apps, None)
    assert selectors.agreement_in_force(rel) is None
    assert SharingAgreement.objects.get(pk=agreement.pk).withdrawn


def test_migration_leaves_a_consent_naming_no_known_carer_as_history():
    ward = Ward()
    _legacy_consent(ward.patient, ward.key_worker, "Somebody Unknown")
    migration.forwards(apps, None)
    assert not SharingAgreement.objects.exists()
