"""Information-governance pages: the IG auditor only; everyone else is refused."""

from datetime import timedelta

from django.utils import timezone

from healthjustice.people.models import BreakGlassAccess
from tests.access.matrix import Case, allow

IG = ["ig_auditor"]


def _person(world):
    return {"public_id": world.person.public_id}


def _user(world):
    return {"public_id": world.users["practitioner"].public_id}


def _grant(world) -> BreakGlassAccess:
    def build(w):
        now = timezone.now()
        return BreakGlassAccess.objects.create(
            person=w.person,
            user=w.users["practitioner_other_team"],
            reason="Custody sergeant reports a self-harm risk tonight",
            started_at=now,
            expires_at=now + timedelta(hours=1),
        )

    return world.get("break_glass_grant", build)


CASES = [
    Case("audit:home", allow(IG)),
    Case("audit:person", allow(IG)),
    Case(
        "audit:person",
        allow(IG),
        method="POST",
        data=lambda w: {"identifier": w.person.nhs_number},
    ),
    Case("audit:person_events", allow(IG), kwargs=_person),
    Case("audit:subject_access_export", allow(IG), kwargs=_person, method="POST"),
    Case("audit:user_events", allow(IG)),
    Case(
        "audit:user_events",
        allow(IG),
        data=lambda w: {"q": "practitioner"},
        id_suffix="-search",
    ),
    Case("audit:user_detail", allow(IG), kwargs=_user),
    Case("audit:break_glass", allow(IG)),
    Case(
        "audit:break_glass_review",
        allow(IG),
        kwargs=lambda w: {"public_id": _grant(w).public_id},
    ),
    Case(
        "audit:break_glass_review",
        allow(IG, 302),
        kwargs=lambda w: {"public_id": _grant(w).public_id},
        method="POST",
        data=lambda w: {"outcome": BreakGlassAccess.Outcome.APPROPRIATE, "note": ""},
    ),
]
