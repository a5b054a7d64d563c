"""Reading proposed pairs and scans, scoped to what the reviewer may see."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from healthjustice.accounts.models import User
from healthjustice.audit.reading import record_view
from healthjustice.audit.services import deny_as_not_found
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.access import governed_people, visible_people
from healthjustice.people.duplicates import Agreement
from healthjustice.people.models import Person

from .models import DuplicateScan, PairStatus, ProposedPair, ScanStatus


def reviewable_people(user: User) -> QuerySet[Person]:
    """Records the reviewer may see in a pair: those their teams may see; for information
    governance, the people of their own organisations (as for auditing). Never a merged one."""
    if not has_permission(user, Permission.MATCHING_REVIEW):
        return Person.objects.none()
    if has_permission(user, Permission.AUDIT_READ):
        return governed_people(user).filter(merged_into__isnull=True)
    return visible_people(user)


def pairs_for_user(user: User) -> QuerySet[ProposedPair]:
    """Proposed pairs whose two records the user may both see, most likely first."""
    people = reviewable_people(user).values("pk")
    return (
        ProposedPair.objects.filter(status=PairStatus.PROPOSED, first__in=people, second__in=people)
        .select_related("first", "second")
        .order_by("-probability", "created_at", "pk")
    )


def pair_for_user(user: User, public_id: Any, *, request: HttpRequest) -> ProposedPair:
    """A pair the user may see both records of (decided ones too, so a stale decision can say
    who decided it); a 404, audited as a denial, otherwise. A view is recorded for each
    person."""
    people = reviewable_people(user).values("pk")
    # A decided pair's merged-away record is reached through the record it was merged into.
    decided = ~Q(status=PairStatus.PROPOSED)
    pair = (
        ProposedPair.objects.filter(public_id=public_id)
        .filter(Q(first__in=people) | decided & Q(first__merged_into__in=people))
        .filter(Q(second__in=people) | decided & Q(second__merged_into__in=people))
        .select_related("first", "second", "decided_by")
        .first()
    )
    if pair is None:
        deny_as_not_found(
            actor=user,
            request=request,
            object_type="proposed_pair",
            object_id=public_id,
            message="No such pair",
        )
    for person in (pair.first, pair.second):
        record_view(
            request,
            actor=user,
            object_type="proposed_pair",
            object_id=str(pair.public_id),
            detail={"person": str(person.public_id)},
        )
    return pair


def scan_for_user(user: User, public_id: Any, *, request: HttpRequest) -> DuplicateScan:
    """A scan (counts only, nothing about anyone) for anyone who may review pairs."""
    scan = (
        DuplicateScan.objects.select_related("started_by").filter(public_id=public_id).first()
        if has_permission(user, Permission.MATCHING_REVIEW)
        else None
    )
    if scan is None:
        deny_as_not_found(
            actor=user,
            request=request,
            object_type="duplicate_scan",
            object_id=public_id,
            message="No such search for duplicates",
        )
    return scan


def latest_scan() -> DuplicateScan | None:
    return DuplicateScan.objects.select_related("started_by").first()


def running_scan() -> DuplicateScan | None:
    return DuplicateScan.objects.filter(status__in=[ScanStatus.QUEUED, ScanStatus.RUNNING]).first()


# Words -----------------------------------------------------------------------------------


def probability_in_words(probability: float) -> str:
    """'very likely the same person (97%)': the percentage rounded down, never 100% unless
    certain, so 99.6% does not read as certainty."""
    percent = 100 if probability >= 1 else min(99, int(probability * 100))
    if probability >= 0.99:
        words = "almost certainly the same person"
    elif probability >= 0.9:
        words = "very likely the same person"
    elif probability >= 0.75:
        words = "likely the same person"
    elif probability >= 0.5:
        words = "possibly the same person"
    else:
        words = "unlikely to be the same person"
    return f"{words} ({percent}%)"


FIELD_LABELS = {
    "given": "Given name",
    "family": "Family name",
    "dob": "Date of birth",
    "nhs_number": "NHS number",
    "pnc": "PNC ID",
    "postcode": "Postcode",
    "sex": "Sex",
}
# What each comparison level means, field by field (0 is full agreement; the last, different).
LEVEL_WORDS: dict[str, list[str]] = {
    "given": [
        "The same",
        "The same name in another form (for example Jon and John)",
        "Spelt nearly the same",
        "Only the first letter is the same",
        "Different",
    ],
    "family": [
        "The same",
        "Spelt nearly the same, or one part of a double-barrelled name",
        "Different",
    ],
    "dob": [
        "The same",
        "Day and month swapped, or only the year is known on one record",
        "Two of day, month and year are the same, the third one apart or one digit different",
        "Different, within five years",
        "More than five years apart",
    ],
    "nhs_number": ["The same", "Different"],
    "pnc": ["The same", "Different"],
    "postcode": ["The same", "The same district (first half)", "Different"],
    "sex": ["The same", "Different"],
}


# How one detail of two records compares, as the review queue and registration show it.
FieldComparison = Agreement


def field_comparisons(pair: ProposedPair) -> list[FieldComparison]:
    return comparisons_of((pair.comparison or {}).get("levels", {}))


def comparisons_of(
    levels: Mapping[str, int | None], labels: Mapping[str, str] = FIELD_LABELS
) -> list[FieldComparison]:
    """Each field's comparison level (`scoring.FIELDS`; None where missing) in words."""
    rows = []
    for name, label in labels.items():
        level = levels.get(name)
        words = LEVEL_WORDS[name]
        if level is None:
            rows.append(FieldComparison(label, "Missing on one or both records", "missing"))
            continue
        level = max(0, min(int(level), len(words) - 1))
        verdict = "agrees" if level == 0 else "disagrees" if level == len(words) - 1 else "partly"
        rows.append(FieldComparison(label, words[level], verdict))
    return rows
