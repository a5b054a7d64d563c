import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.carers import selectors, services
from healthjustice.carers.choices import AgreementEnd, Capacity, ShareCategory
from healthjustice.carers.models import SharingAgreement
from tests.carers.factories import AgreementFactory, Ward
from tests.factories import staff

pytestmark = pytest.mark.django_db


def test_agreement_change_keeps_the_old_version_as_replaced():
    ward = Ward()
    _, rel = ward.carer()
    first = ward.agree(rel, [ShareCategory.WELLBEING])
    second = ward.agree(rel, [ShareCategory.WELLBEING, ShareCategory.MEDICATION])
    first.refresh_from_db()
    assert first.end_kind == AgreementEnd.REPLACED
    assert first.ended_by == ward.key_worker
    assert first.categories == [ShareCategory.WELLBEING]
    assert second.replaces == first
    assert selectors.agreement_in_force(rel) == second
    assert SharingAgreement.objects.filter(relationship=rel).count() == 2


def test_agreement_categories_are_kept_in_a_fixed_order_without_duplicates():
    ward = Ward()
    _, rel = ward.carer()
    agreement = ward.agree(
        rel, [ShareCategory.MEDICATION, ShareCategory.WELLBEING, ShareCategory.MEDICATION]
    )
    assert agreement.categories == [ShareCategory.WELLBEING, ShareCategory.MEDICATION]


def test_agreement_with_unknown_category_is_refused():
    ward = Ward()
    _, rel = ward.carer()
    with pytest.raises(ValidationError):
        ward.agree(rel, ["criminal_record"])
    assert not SharingAgreement.objects.exists()


def test_agreement_review_date_in_the_past_is_refused():
    ward = Ward()
    _, rel = ward.carer()
    with pytest.raises(ValidationError) as exc:
        services.agreement_record(
            actor=ward.key_worker,
            relationship=rel,
            categories=[],
            capacity=Capacity.HAS_CAPACITY,
            review_on=timezone.localdate(),
        )
    assert "review_on" in exc.value.message_dict


def test_agreement_by_staff_who_cannot_see_the_patient_is_refused():
    ward = Ward()
    _, rel = ward.carer()
    outsider = staff()
    with pytest.raises(PermissionDenied):
        services.agreement_record(
            actor=outsider,
            relationship=rel,
            categories=[ShareCategory.WELLBEING],
            capacity=Capacity.HAS_CAPACITY,
            review_on=timezone.localdate() + datetime.timedelta(days=30),
        )


def test_withdrawal_ends_the_agreement_and_records_who_and_why():
    ward = Ward()
    _, rel = ward.carer()
    agreement = ward.agree(rel, [ShareCategory.WELLBEING])
    services.agreement_withdraw(
        actor=ward.ward_manager, agreement=agreement, reason="Does not want anything shared"
    )
    agreement.refresh_from_db()
    assert agreement.end_kind == AgreementEnd.WITHDRAWN
    assert agreement.ended_by == ward.ward_manager
    assert agreement.withdrawal_reason == "Does not want anything shared"
    assert selectors.agreement_in_force(rel) is None
    event = AuditEvent.objects.filter(object_type="sharing_agreement").last()
    assert event.action == Action.UPDATE
    assert event.detail["person"] == str(ward.patient.public_id)
    assert "Does not want" not in str(event.detail)


def test_withdrawing_twice_is_refused():
    ward = Ward()
    _, rel = ward.carer()
    agreement = ward.agree(rel, [ShareCategory.WELLBEING])
    services.agreement_withdraw(actor=ward.key_worker, agreement=agreement, reason="No more")
    with pytest.raises(ValidationError):
        services.agreement_withdraw(actor=ward.key_worker, agreement=agreement, reason="Again")


def test_withdrawal_needs_a_reason():
    ward = Ward()
    _, rel = ward.carer()
    agreement = ward.agree(rel, [ShareCategory.WELLBEING])
    with pytest.raises(ValidationError):
        services.agreement_withdraw(actor=ward.key_worker, agreement=agreement, reason="  ")
    assert selectors.agreement_in_force(rel) == agreement


def test_database_allows_only_one_agreement_in_force_per_carer_and_patient():
    ward = Ward()
    _, rel = ward.carer()
    AgreementFactory(relationship=rel)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(relationship=rel)


def test_agreement_in_force_at_a_past_moment_is_found():
    ward = Ward()
    _, rel = ward.carer()
    old = ward.agree(rel, [ShareCategory.MEDICATION])
    SharingAgreement.objects.filter(pk=old.pk).update(
        recorded_at=timezone.now() - datetime.timedelta(days=20)
    )
    new = ward.agree(rel, [ShareCategory.WELLBEING])
    SharingAgreement.objects.filter(pk=old.pk).update(
        ended_at=timezone.now() - datetime.timedelta(days=5)
    )
    SharingAgreement.objects.filter(pk=new.pk).update(
        recorded_at=timezone.now() - datetime.timedelta(days=5)
    )
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    assert selectors.agreement_at(rel, ten_days_ago).pk == old.pk
    assert selectors.agreement_at(rel, timezone.now()).pk == new.pk
    assert selectors.agreement_at(rel, timezone.now() - datetime.timedelta(days=30)) is None


def test_agreements_due_for_review_are_listed_for_the_care_team_only():
    ward = Ward()
    _, rel = ward.carer()
    agreement = ward.agree(rel, [ShareCategory.WELLBEING])
    SharingAgreement.objects.filter(pk=agreement.pk).update(
        review_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert [a.pk for a in selectors.work_list(ward.key_worker).reviews_due] == [agreement.pk]
    assert selectors.work_list(staff()).reviews_due == []
