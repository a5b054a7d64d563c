from healthjustice.matching.models import DuplicateScan, ProposedPair, ScanStatus
from tests.access.matrix import LEADERS, Case, allow
from tests.factories import PersonFactory

REVIEWERS = (*LEADERS, "ig_auditor")


def _pair(world):
    """The world's person and a second record of them in the care team, proposed as a pair."""

    def build(w):
        other = PersonFactory(
            team=w.team,
            given_name=w.person.given_name,
            family_name=w.person.family_name,
            date_of_birth=w.person.date_of_birth,
            nhs_number=None,
            nhs_number_missing_reason="not_traced",
        )
        first, second = sorted((w.person, other), key=lambda p: p.pk)
        return ProposedPair.objects.create(
            first=first,
            second=second,
            probability=0.97,
            comparison={"levels": {"given": 0, "family": 0, "dob": 0}},
        )

    return {"public_id": world.get("pair", build).public_id}


def _scan(world):
    return {
        "public_id": world.get(
            "scan",
            lambda w: DuplicateScan.objects.create(status=ScanStatus.RUNNING, total=10, done=3),
        ).public_id
    }


CASES = [
    Case("matching:queue", allow(REVIEWERS)),
    Case("matching:pair_detail", allow(REVIEWERS), kwargs=_pair),
    Case(
        "matching:pair_same",
        allow(LEADERS, 302),
        kwargs=_pair,
        method="POST",
        data=lambda w: {"same-keep": "first", "same-reason": "Registered twice at custody"},
    ),
    Case(
        "matching:pair_not_same",
        allow(REVIEWERS, 302),
        kwargs=_pair,
        method="POST",
        data=lambda w: {"not_same-reason": "Twins: different places of birth"},
    ),
    Case("matching:scan_start", allow(REVIEWERS, 302), method="POST"),
    Case("matching:scan_detail", allow(REVIEWERS), kwargs=_scan),
    Case("matching:scan_status", allow(REVIEWERS), kwargs=_scan),
]
