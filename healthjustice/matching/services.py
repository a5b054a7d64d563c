"""Finding likely duplicates across the whole register, and deciding proposed pairs.

A scan scores the register (`register.py`) and stores each pair of people at or above
`HJ_MATCH_REVIEW_THRESHOLD` as a proposal, unless the pair is already proposed or was decided.
A reviewer then decides: the same person (the people app's merge, so it can be undone from the
merged records) or not the same person (remembered, never proposed again).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.merging import person_merge
from healthjustice.people.models import Person

from .models import DuplicateScan, NotSamePerson, PairStatus, ProposedPair, ScanStatus
from .register import clean_all, comparison_json, default_model, person_raw_records, score_register
from .scoring import Model

logger = logging.getLogger(__name__)

REASON_MAX = 1000
OPEN_SCAN = (ScanStatus.QUEUED, ScanStatus.RUNNING)
# A search still open this long after it was asked for is taken to have died with its worker,
# so it no longer stops a new one.
SCAN_ABANDONED_AFTER = timedelta(hours=6)


class ScanAlreadyRunning(Exception):
    def __init__(self, scan: DuplicateScan) -> None:
        super().__init__("A search for duplicates is already running")
        self.scan = scan


class StaleDecision(Exception):
    """The pair is no longer waiting for a decision (decided by someone else, or superseded)."""


def canonical(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


# Scans ---------------------------------------------------------------------------------------


def duplicate_scan_start(*, actor: User, request: HttpRequest | None = None) -> DuplicateScan:
    """Queue a scan of the whole register; a worker runs it (at once in tests). Refused while
    another is queued or running."""
    from .tasks import run_duplicate_scan

    if not has_permission(actor, Permission.MATCHING_REVIEW):
        raise PermissionDenied("You may not look for duplicate records.")
    with transaction.atomic():
        DuplicateScan.objects.filter(
            status__in=OPEN_SCAN, requested_at__lt=timezone.now() - SCAN_ABANDONED_AFTER
        ).update(status=ScanStatus.FAILED, finished_at=timezone.now())
        running = DuplicateScan.objects.select_for_update().filter(status__in=OPEN_SCAN).first()
        if running is not None:
            raise ScanAlreadyRunning(running)
        scan = DuplicateScan.objects.create(started_by=actor)
        audit_record(
            actor=actor,
            request=request,
            action=Action.CREATE,
            object_type="duplicate_scan",
            object_id=str(scan.public_id),
        )
    result = run_duplicate_scan.enqueue(str(scan.public_id))
    DuplicateScan.objects.filter(pk=scan.pk).update(task_id=str(result.id)[:64])
    scan.refresh_from_db()
    return scan


def _save_progress(scan_id: int, done: int, total: int) -> None:
    DuplicateScan.objects.filter(pk=scan_id).update(done=done, total=total)


def supersede_merged() -> int:
    """Proposals one of whose records has since been merged into another are no longer to be
    decided."""
    merged = Q(first__merged_into__isnull=False) | Q(second__merged_into__isnull=False)
    return ProposedPair.objects.filter(merged, status=PairStatus.PROPOSED).update(
        status=PairStatus.SUPERSEDED, decided_at=timezone.now()
    )


def _decided_pairs() -> set[tuple[int, int]]:
    """Pairs never to propose again: open or merged proposals and "not the same" decisions."""
    done = set(
        ProposedPair.objects.filter(
            status__in=[PairStatus.PROPOSED, PairStatus.MERGED, PairStatus.NOT_SAME]
        ).values_list("first_id", "second_id")
    )
    done |= set(NotSamePerson.objects.values_list("first_id", "second_id"))
    return done


def find_duplicates(
    *,
    scan: DuplicateScan | None = None,
    model: Model | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Score the register and store new proposals. Returns the counts and each phase's time."""
    review = float(settings.HJ_MATCH_REVIEW_THRESHOLD)
    auto = float(settings.HJ_MATCH_AUTO_THRESHOLD)
    times: dict[str, float] = {}
    started = time.perf_counter()
    raws, owners = person_raw_records()
    times["load"] = time.perf_counter() - started

    started = time.perf_counter()
    records = clean_all(raws)
    times["clean"] = time.perf_counter() - started

    started = time.perf_counter()
    scored = score_register(
        records, owners, model or default_model(), threshold=review, progress=progress
    )
    times["block and score"] = time.perf_counter() - started

    started = time.perf_counter()
    superseded = supersede_merged()
    decided = _decided_pairs()
    new = [
        ProposedPair(
            first_id=a,
            second_id=b,
            probability=p,
            comparison=comparison_json(levels, swapped),
            scan=scan,
        )
        for (a, b), (p, levels, swapped) in sorted(scored.pairs.items())
        if (a, b) not in decided
    ]
    with transaction.atomic():
        ProposedPair.objects.bulk_create(new, batch_size=500)
    auto_merged = 0
    if settings.HJ_MATCH_AUTO_MERGE and scan is not None and scan.started_by is not None:
        auto_merged = _auto_merge(scan.started_by, [p for p in new if p.probability >= auto])
    times["store"] = time.perf_counter() - started
    counts = {
        "people": len(set(owners)),
        "records": scored.records,
        "pairs scored": scored.candidates,
        "pairs at or above the review threshold": len(scored.pairs),
        "already proposed or decided": len(scored.pairs) - len(new),
        "proposed": len(new) - auto_merged,
        "merged automatically": auto_merged,
        "superseded by a merge": superseded,
    }
    return {"counts": counts, "phase_seconds": {k: round(v, 3) for k, v in times.items()}}


def _auto_merge(actor: User, pairs: list[ProposedPair]) -> int:
    """Where policy allows: merge pairs above the automatic threshold whose names do not
    conflict, keeping the older record, as the person who started the scan. A pair the merge
    refuses stays proposed."""
    merged = 0
    for pair in pairs:
        if pair.comparison.get("names_conflict"):
            continue
        try:
            pair_same_person(
                actor=actor,
                pair=ProposedPair.objects.get(pk=pair.pk),
                keep_first=True,
                reason=f"Merged automatically: match probability {pair.probability:.3f}",
            )
        except (PermissionDenied, ValidationError, Http404):
            continue
        merged += 1
    return merged


def duplicate_scan_run(*, public_id: str) -> DuplicateScan:
    """Run a queued scan, keeping its progress up to date for the page."""
    scan = DuplicateScan.objects.get(public_id=public_id)
    claimed = DuplicateScan.objects.filter(pk=scan.pk, status=ScanStatus.QUEUED).update(
        status=ScanStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        scan.refresh_from_db()
        logger.warning("Duplicate scan %s is %s, not queued: not run again", public_id, scan.status)
        return scan
    scan.refresh_from_db()
    try:
        outcome = find_duplicates(
            scan=scan, progress=lambda done, total: _save_progress(scan.pk, done, total)
        )
    except Exception:
        DuplicateScan.objects.filter(pk=scan.pk).update(
            status=ScanStatus.FAILED, finished_at=timezone.now()
        )
        raise
    DuplicateScan.objects.filter(pk=scan.pk).update(
        status=ScanStatus.DONE,
        finished_at=timezone.now(),
        counts=outcome["counts"],
        phase_seconds=outcome["phase_seconds"],
    )
    audit_record(
        actor=None,
        action=Action.UPDATE,
        object_type="duplicate_scan",
        object_id=str(scan.public_id),
        fields_changed=["status", "counts"],
        detail={"counts": outcome["counts"]},
    )
    scan.refresh_from_db()
    return scan


# Decisions -----------------------------------------------------------------------------------


def _clean_reason(reason: str, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [missing]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [f"The reason must be {REASON_MAX} characters or fewer"]})
    return reason


def decided_message(pair: ProposedPair) -> str:
    if pair.status == PairStatus.SUPERSEDED:
        return (
            "One of these records has been merged since this pair was proposed, so there is "
            "nothing left to decide"
        )
    who = pair.decided_by.display_name if pair.decided_by else "someone else"
    when = ""
    if pair.decided_at:
        when = " on " + timezone.localtime(pair.decided_at).strftime("%-d %B %Y at %H:%M")
    return (
        f"This pair has already been decided by {who}{when} "
        f"({pair.get_status_display().lower()}). Nothing has been changed"
    )


def _lock_open_pair(pair: ProposedPair) -> ProposedPair:
    """The pair, locked; refused when it is no longer waiting for a decision."""
    locked = (
        ProposedPair.objects.select_for_update(of=("self",))
        .select_related("decided_by")
        .get(pk=pair.pk)
    )
    if locked.status == PairStatus.PROPOSED and (
        Person.objects.filter(
            pk__in=[locked.first_id, locked.second_id], merged_into__isnull=False
        ).exists()
    ):
        locked.status = PairStatus.SUPERSEDED  # saved by the next scan; this one is refused
    if locked.status != PairStatus.PROPOSED:
        raise StaleDecision(decided_message(locked))
    return locked


def pair_same_person(
    *,
    actor: User,
    pair: ProposedPair,
    keep_first: bool,
    reason: str,
    request: HttpRequest | None = None,
) -> ProposedPair:
    """Merge the two records with the people app's merge (so it can be undone from the merged
    records), and mark the pair merged. Other proposals about the merged-away record are
    superseded."""
    if not has_permission(actor, Permission.PERSON_MERGE):
        raise PermissionDenied("You may not merge records.")
    reason = _clean_reason(reason, "Enter why these records are the same person")
    with transaction.atomic():
        locked = _lock_open_pair(pair)
        keep, duplicate = (
            (locked.first, locked.second) if keep_first else (locked.second, locked.first)
        )
        merge = person_merge(
            actor=actor, keep=keep, duplicate=duplicate, reason=reason, request=request
        )
        now = timezone.now()
        locked.status, locked.decided_by, locked.decided_at, locked.merge = (
            PairStatus.MERGED,
            actor,
            now,
            merge,
        )
        locked.save(update_fields=["status", "decided_by", "decided_at", "merge"])
        ProposedPair.objects.filter(
            Q(first=duplicate) | Q(second=duplicate), status=PairStatus.PROPOSED
        ).update(status=PairStatus.SUPERSEDED, decided_at=now)
        audit_record(
            actor=actor,
            request=request,
            action=Action.UPDATE,
            object_type="proposed_pair",
            object_id=str(locked.public_id),
            fields_changed=["status"],
            detail={
                "decision": "same_person",
                "merge": str(merge.public_id),
                "kept": str(keep.public_id),
                "merged_away": str(duplicate.public_id),
                "probability": round(locked.probability, 4),
            },
        )
    return locked


def pair_not_same_person(
    *, actor: User, pair: ProposedPair, reason: str, request: HttpRequest | None = None
) -> ProposedPair:
    """Record that the two records are different people: the pair is closed and never proposed
    again."""
    if not has_permission(actor, Permission.MATCHING_REVIEW):
        raise PermissionDenied("You may not decide proposed pairs.")
    reason = _clean_reason(reason, "Enter why these records are not the same person")
    with transaction.atomic():
        locked = _lock_open_pair(pair)
        now = timezone.now()
        NotSamePerson.objects.get_or_create(
            first_id=locked.first_id,
            second_id=locked.second_id,
            defaults={"reason": reason, "decided_by": actor, "decided_at": now},
        )
        locked.status, locked.decided_by, locked.decided_at = PairStatus.NOT_SAME, actor, now
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            request=request,
            action=Action.UPDATE,
            object_type="proposed_pair",
            object_id=str(locked.public_id),
            fields_changed=["status"],
            detail={
                "decision": "not_same_person",
                "first": str(locked.first.public_id),
                "second": str(locked.second.public_id),
                "probability": round(locked.probability, 4),
            },
        )
    return locked
