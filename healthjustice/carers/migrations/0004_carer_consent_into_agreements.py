"""Consent to share with a carer recorded on the consent page joins the carer's agreement.

The carer's sharing agreement is the one record of consent to share with a carer. For each
consent recorded on the consent page for a named carer who matches one of the patient's carers:
- given and no agreement in force: an agreement is recorded that shares nothing until it is
  reviewed with the patient (the consent page never said what could be shared), due for review;
- withdrawn or refused after the agreement in force was recorded: that agreement is withdrawn.
Consents naming no known carer stay as history on the consent page.
"""

from django.db import migrations
from django.utils import timezone


def _key(name):
    return " ".join((name or "").lower().split())


def forwards(apps, schema_editor):
    Consent = apps.get_model("assessments", "Consent")
    CarerRelationship = apps.get_model("carers", "CarerRelationship")
    SharingAgreement = apps.get_model("carers", "SharingAgreement")
    today = timezone.localdate()
    for consent in Consent.objects.filter(purpose="share_carer"):
        latest = consent.events.order_by("-seq").first()
        if latest is None:
            continue
        relationships = [
            r
            for r in CarerRelationship.objects.filter(patient_id=consent.person_id)
            if _key(f"{r.carer.given_name} {r.carer.family_name}") == consent.carer_key
        ]
        for rel in relationships:
            in_force = SharingAgreement.objects.filter(relationship=rel, ended_at__isnull=True)
            current = in_force.first()
            when = timezone.localtime(latest.recorded_at).strftime("%d/%m/%Y")
            if latest.status == "given" and current is None and rel.ended_on is None:
                lacks = latest.capacity_outcome == "lacks_capacity"
                SharingAgreement.objects.create(
                    relationship=rel,
                    categories=[],
                    capacity="lacks_capacity"
                    if lacks
                    else ("has_capacity" if latest.capacity_assessed else "not_assessed"),
                    capacity_note=(
                        f"Carried over from consent recorded on the consent page on {when}. "
                        "What may be shared was not recorded: review it with the patient."
                    )[:1000],
                    recorded_by_id=latest.recorded_by_id,
                    recorded_at=latest.recorded_at,
                    review_on=today,
                )
            elif (
                latest.status in ("withdrawn", "refused")
                and current is not None
                and latest.recorded_at > current.recorded_at
            ):
                current.ended_at = latest.recorded_at
                current.ended_by_id = latest.recorded_by_id
                current.end_kind = "withdrawn"
                current.withdrawal_reason = (
                    f"Consent {latest.status} on the consent page on {when}."
                )
                current.save(update_fields=["ended_at", "ended_by", "end_kind", "withdrawal_reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("carers", "0003_invitation_account"),
        ("assessments", "0002_best_interests_and_full_lawful_basis"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
