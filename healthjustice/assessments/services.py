"""Recording assessments and consent, and issuing reports to criminal-justice partners."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import lock_at_version
from healthjustice.core.dates import format_date
from healthjustice.core.meta import model_field
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.selectors import current_stage
from healthjustice.journeys.services import episode_move, is_team_worker
from healthjustice.journeys.stages import IllegalMove, is_ahead, skipped_stages
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people.models import Person

from .choices import (
    DECISION_BASES,
    JUSTIFICATION_MIN_LENGTH,
    REPORT_RECIPIENTS,
    WITHOUT_CONSENT,
    Article6Basis,
    Article9Condition,
    Article10Condition,
    AssessmentMode,
    CapacityOutcome,
    ConsentPurpose,
    ConsentStatus,
    LawfulBasis,
    Recipient,
    ReportType,
)
from .models import ASSESSMENT_TEXT_FIELDS, Assessment, Consent, ConsentEvent, Report
from .report_content import build_content, criminal_justice_context, criminal_justice_rows
from .report_sections import kind_for, sections_for
from .selectors import (
    carer_agreements_in_force,
    carer_key,
    consent_in_force,
    current_event,
    purpose_for,
)

REQUIRED_ASSESSMENT_FIELDS = {
    name for name in ASSESSMENT_TEXT_FIELDS if not model_field(Assessment, name).blank
}


def _context(episode: Episode) -> dict[str, str]:
    return {"person": str(episode.person.public_id), "episode": str(episode.public_id)}


# --- assessments ------------------------------------------------------------------------


def _clean_assessment(episode: Episode, data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {}
    for name in ASSESSMENT_TEXT_FIELDS:
        value = str(data.get(name) or "").strip()
        label = str(model_field(Assessment, name).verbose_name)
        if name in REQUIRED_ASSESSMENT_FIELDS and not value:
            errors[name] = f"Enter the {label.lower()} (write 'None identified' if there are none)"
        elif len(value) > 4000:
            errors[name] = f"{label} must be 4,000 characters or fewer"
        fields[name] = value
    mode = data.get("mode")
    if mode not in AssessmentMode.values:
        errors["mode"] = "Select how the assessment was done"
    assessed_at = data.get("assessed_at")
    if not isinstance(assessed_at, datetime):
        errors["assessed_at"] = "Enter the date and time of the assessment"
    elif assessed_at > timezone.now():
        errors["assessed_at"] = "The assessment date and time cannot be in the future"
    elif assessed_at < episode.referred_at:
        errors["assessed_at"] = (
            f"The assessment cannot be before the referral ({format_date(episode.referred_at)})"
        )
    assessor = data.get("assessor")
    if assessor is None or not is_team_worker(assessor, episode.team_id):
        errors["assessor"] = f"Choose a member of {episode.team.name}"
    if errors:
        raise ValidationError(errors)
    return {**fields, "mode": mode, "assessed_at": assessed_at, "assessor": assessor}


def no_assessment_consent_message(person: Person) -> str:
    return (
        f"Record {person.full_name}'s consent to the assessment before recording it, or, if "
        "they lack capacity to decide, the capacity assessment and the best-interests "
        "decision. The assessment has not been saved."
    )


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    episode: Episode,
    data: Mapping[str, Any],
    skip_reason: str = "",
    request: HttpRequest | None = None,
) -> Assessment:
    """Record an assessment; the episode moves to 'assessed' in the same step.

    From 'identified' the move skips screening, which the state machine allows only with a
    reason: `skip_reason` is passed to it, and without one nothing is saved.
    """
    if not has_permission(actor, Permission.EPISODE_MANAGE, episode.person):
        raise PermissionDenied("You may not record on this episode.")
    locked = Episode.objects.select_for_update().select_related("team", "person").get(pk=episode.pk)
    stage = current_stage(locked)
    if stage == Stage.CLOSED:
        raise ValidationError("This episode is closed: open a new episode to record anything more.")
    if consent_in_force(locked.person, ConsentPurpose.ASSESSMENT) is None:
        raise ValidationError(no_assessment_consent_message(locked.person), code="no_consent")
    fields = _clean_assessment(locked, data)
    assessment = Assessment.objects.create(
        episode=locked, created_by=actor, updated_by=actor, **fields
    )
    if is_ahead(stage, Stage.ASSESSED, locked.pathway):
        skips = skipped_stages(stage, Stage.ASSESSED, locked.pathway)
        try:
            episode_move(
                actor=actor,
                episode=locked,
                to_stage=Stage.ASSESSED,
                note="Assessment recorded",
                skip_reason=skip_reason if skips else "",
                request=request,
            )
        except IllegalMove as exc:
            field = (
                "skip_reason" if getattr(exc, "field", "") == "skip_reason" else NON_FIELD_ERRORS
            )
            raise ValidationError({field: str(exc)}) from exc
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="assessment",
        object_id=str(assessment.public_id),
        fields_changed=sorted(k for k, v in fields.items() if v not in ("", None)),
        detail=_context(locked),
    )
    return assessment


@transaction.atomic
def assessment_update(
    *,
    actor: User,
    assessment: Assessment,
    data: Mapping[str, Any],
    expected_version: int,
    request: HttpRequest | None = None,
) -> list[str]:
    """Save changes, refusing to overwrite an edit made since the form was opened."""
    if not has_permission(actor, Permission.EPISODE_MANAGE, assessment.episode.person):
        raise PermissionDenied("You may not change this assessment.")
    current = lock_at_version(
        Assessment.objects.select_related("episode", "episode__team", "episode__person"),
        assessment.pk,
        expected_version,
        "this assessment",
    )
    fields = _clean_assessment(current.episode, data)
    changed = [name for name, value in fields.items() if getattr(current, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(current, name, fields[name])
    current.version += 1
    current.updated_at = timezone.now()
    current.updated_by = actor
    current.save()
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="assessment",
        object_id=str(current.public_id),
        fields_changed=changed,
        detail=_context(current.episode),
    )
    assessment.refresh_from_db()
    return changed


# --- consent ----------------------------------------------------------------------------


def _lock_consent(person: Person, purpose: str, key: str) -> Consent | None:
    return (
        Consent.objects.select_for_update()
        .filter(person=person, purpose=purpose, carer_key=key)
        .first()
    )


def _append_event(
    *, actor: User, consent: Consent, request: HttpRequest | None, **fields: Any
) -> ConsentEvent:
    seq = (consent.events.aggregate(m=Max("seq"))["m"] or 0) + 1
    event = ConsentEvent.objects.create(consent=consent, seq=seq, recorded_by=actor, **fields)
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE,
        object_type="consent",
        object_id=str(consent.public_id),
        fields_changed=sorted(k for k, v in fields.items() if v not in ("", None, False)),
        detail={"person": str(consent.person.public_id), "event": str(event.public_id)},
    )
    return event


@transaction.atomic
def consent_record(
    *,
    actor: User,
    person: Person,
    purpose: str,
    status: str,
    carer_name: str = "",
    capacity_assessed: bool = False,
    capacity_outcome: str = "",
    best_interests_by: str = "",
    best_interests_reason: str = "",
    review_on: date | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> ConsentEvent:
    """Record a decision about one purpose; it takes effect at once, whatever came before.

    When the person lacks capacity the decision is a best-interests decision (Mental Capacity
    Act 2005, s.4), recorded with who made it and why; it is never recorded as their consent.
    """
    if not has_permission(actor, Permission.CONSENT_RECORD, person):
        raise PermissionDenied("You may not record consent for this person.")
    errors: dict[str, str] = {}
    if purpose not in ConsentPurpose.values:
        errors["purpose"] = "Select what the consent is for"
    carer_name = ""
    if purpose == ConsentPurpose.SHARE_CARER:
        errors["purpose"] = (
            "Record consent to share with a carer as the carer's sharing agreement, from "
            f"{person.full_name}'s Carers page: it holds what may be shared, their capacity, "
            "the review date and any withdrawal"
        )
    if status not in ConsentStatus.values:
        errors["status"] = "Select the decision"
    capacity_outcome = capacity_outcome if capacity_assessed else ""
    if capacity_assessed and capacity_outcome not in CapacityOutcome.values:
        errors["capacity_outcome"] = "Select the outcome of the capacity assessment"
    best_interests_by = (best_interests_by or "").strip()
    best_interests_reason = (best_interests_reason or "").strip()
    if capacity_outcome == CapacityOutcome.LACKS_CAPACITY:
        if not best_interests_by:
            errors["best_interests_by"] = (
                "Enter who made the best-interests decision, and their role"
            )
        if len(best_interests_reason) < 20:
            errors["best_interests_reason"] = (
                "Enter why the decision is in their best interests, including their wishes "
                "and the views of those consulted (at least 20 characters)"
            )
    else:
        best_interests_by = best_interests_reason = ""
    if review_on is not None and review_on < timezone.localdate():
        errors["review_on"] = "The review date must be today or later"
    if errors:
        raise ValidationError(errors)
    key = carer_key(carer_name)
    consent = _lock_consent(person, purpose, key)
    if status == ConsentStatus.WITHDRAWN:
        latest = current_event(consent) if consent else None
        if latest is None or latest.status != ConsentStatus.GIVEN:
            raise ValidationError({"status": "There is no consent given for this to withdraw"})
    if consent is None:
        consent = Consent.objects.create(
            person=person, purpose=purpose, carer_name=carer_name, carer_key=key, created_by=actor
        )
    return _append_event(
        actor=actor,
        consent=consent,
        request=request,
        status=status,
        capacity_assessed=bool(capacity_assessed),
        capacity_outcome=capacity_outcome,
        best_interests_by=best_interests_by[:200],
        best_interests_reason=best_interests_reason[:2000],
        review_on=review_on if status == ConsentStatus.GIVEN else None,
        note=(note or "").strip()[:2000],
    )


@transaction.atomic
def consent_withdraw(
    *, actor: User, consent: Consent, note: str = "", request: HttpRequest | None = None
) -> ConsentEvent:
    """Withdraw consent: from this moment nothing more may be shared on it."""
    if not has_permission(actor, Permission.CONSENT_RECORD, consent.person):
        raise PermissionDenied("You may not record consent for this person.")
    locked = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    latest = current_event(locked)
    if latest is None or latest.status != ConsentStatus.GIVEN:
        raise ValidationError("This consent is not in force, so there is nothing to withdraw.")
    if locked.purpose == ConsentPurpose.SHARE_CARER:
        _withdraw_carer_agreements(actor=actor, consent=locked, note=note, request=request)
    return _append_event(
        actor=actor,
        consent=locked,
        request=request,
        status=ConsentStatus.WITHDRAWN,
        note=(note or "").strip()[:2000],
    )


def _withdraw_carer_agreements(
    *, actor: User, consent: Consent, note: str, request: HttpRequest | None
) -> None:
    """A carer consent recorded here before agreements were the one record: withdrawing it
    withdraws the sharing agreement in force with that carer, so sharing stops."""
    from healthjustice.carers.services import agreement_withdraw

    for agreement in carer_agreements_in_force(consent.person, consent.carer_name):
        agreement_withdraw(
            actor=actor,
            agreement=agreement,
            reason=(note or "").strip() or "Withdrawn on the consent page",
            request=request,
        )


# --- reports ----------------------------------------------------------------------------


def _clean_sections(report_type: str, sections: Mapping[str, str]) -> list[dict[str, str]]:
    errors: dict[str, str] = {}
    cleaned = []
    for section in sections_for(report_type):
        text = str(sections.get(section.key) or "").strip()
        if section.required and not text:
            errors[f"section_{section.key}"] = f"Enter the {section.heading.lower()}"
        elif len(text) > 4000:
            errors[f"section_{section.key}"] = (
                f"{section.heading} must be 4,000 characters or fewer"
            )
        if text:
            cleaned.append({"key": section.key, "heading": section.heading, "text": text})
    if errors:
        raise ValidationError(errors)
    return cleaned


def _no_consent_message(person: Person, recipient: str) -> str:
    return (
        f"{person.full_name} has no consent in force to share with "
        f"{Recipient(recipient).label.lower()}: it was never given, was refused or withdrawn, "
        "or is past its review date. Record their consent, or choose a lawful basis for "
        "sharing without consent and justify it. The report has not been issued."
    )


def _decision_in_force(person: Person, recipient: str, lawful_basis: str) -> Consent:
    """The consent (or best-interests decision) a report rests on; ValidationError if none."""
    # Lock the consent so a withdrawal recorded at this moment is either seen or waits.
    _lock_consent(person, purpose_for(recipient), "")
    consent = consent_in_force(person, recipient)
    if consent is None:
        raise ValidationError({"lawful_basis": _no_consent_message(person, recipient)})
    event = consent.in_force_event
    if lawful_basis == LawfulBasis.CONSENT and event.is_best_interests:
        raise ValidationError(
            {
                "lawful_basis": (
                    f"The decision in force to share with {Recipient(recipient).label.lower()} "
                    f"is a best-interests decision made for {person.full_name}, who lacks "
                    "capacity to decide: it is not their consent. Choose 'Best-interests "
                    "decision' as the basis for sharing. The report has not been issued."
                )
            }
        )
    if lawful_basis == LawfulBasis.BEST_INTERESTS and not event.is_best_interests:
        raise ValidationError(
            {
                "lawful_basis": (
                    f"No best-interests decision is in force: {person.full_name} made this "
                    "decision themselves. Choose 'Consent' as the basis for sharing. "
                    "The report has not been issued."
                )
            }
        )
    return consent


def _clean_legal_bases(
    *, lawful_basis: str, article6: str, article9: str, article10: str, has_cj_data: bool
) -> None:
    """The UK GDPR and DPA 2018 bases must be chosen, and must fit together."""
    errors: dict[str, str] = {}
    if article6 not in Article6Basis.values:
        errors["article6_basis"] = "Select the UK GDPR Article 6 basis"
    if article9 not in Article9Condition.values:
        errors["article9_condition"] = "Select the UK GDPR Article 9 condition"
    elif article9 == Article9Condition.VITAL_INTERESTS and lawful_basis != (
        LawfulBasis.BEST_INTERESTS
    ):
        errors["article9_condition"] = (
            "Article 9(2)(c) applies only when the person cannot give consent: choose "
            "another condition, or record the best-interests decision"
        )
    if has_cj_data and article10 not in Article10Condition.values:
        errors["article10_condition"] = (
            "Select the Article 10 condition: the report includes criminal-offence data "
            "(offence, charge, court or sentence)"
        )
    elif not has_cj_data and article10:
        errors["article10_condition"] = (
            "Leave the Article 10 condition empty: the report includes no criminal-offence data"
        )
    elif article10 == Article10Condition.CONSENT and lawful_basis != LawfulBasis.CONSENT:
        errors["article10_condition"] = (
            "Schedule 1 paragraph 29 (consent) applies only when the person consented: "
            "choose another condition"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_issue(
    *,
    actor: User,
    episode: Episode,
    report_type: str,
    recipient: str,
    sections: Mapping[str, str],
    lawful_basis: str = LawfulBasis.CONSENT,
    justification: str = "",
    article6_basis: str = Article6Basis.PUBLIC_TASK,
    article9_condition: str = Article9Condition.HEALTH_CARE,
    article10_condition: str | None = None,
    courtroom: str = "",
    supersedes: Report | None = None,
    correction_reason: str = "",
    request: HttpRequest | None = None,
) -> Report:
    """Issue a report: only with consent (or a best-interests decision) in force for the
    recipient, or a justified basis for sharing without it, and its full lawful basis.

    `article10_condition` None means "the usual one" (Schedule 1 paragraph 2) when the report
    carries criminal-offence data, and none when it does not.
    The report is a disclosure record, frozen as issued; it is audited as an export.
    """
    person = episode.person
    if not has_permission(actor, Permission.REPORT_ISSUE, person):
        raise PermissionDenied("You may not issue reports about this person.")
    errors: dict[str, str] = {}
    kind = kind_for(report_type) if report_type in ReportType.values else None
    if kind is None:
        errors["report_type"] = "Select the kind of report"
    elif recipient not in kind.recipients:
        errors["recipient"] = (
            "Select who the report is for: "
            + " or ".join(Recipient(r).label for r in kind.recipients).lower()
            if len(kind.recipients) < len(REPORT_RECIPIENTS)
            else "Select who the report is for"
        )
    if lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = "Select the basis for sharing"
    if errors or kind is None:
        raise ValidationError(errors)
    if kind.pathways and episode.pathway not in kind.pathways:
        raise ValidationError(
            f"A {ReportType(report_type).label.lower()} is not written on this episode's pathway."
        )
    content_sections = _clean_sections(report_type, sections)
    justification = (justification or "").strip()
    correction_reason = (correction_reason or "").strip()

    if supersedes is None and not kind.on_closed_episode and current_stage(episode) == Stage.CLOSED:
        raise ValidationError(
            "This episode is closed: open a new episode to report on it. "
            "A report already issued can still be corrected."
        )
    if supersedes is None and kind.unavailable is not None:
        reason = kind.unavailable(episode)
        if reason:
            raise ValidationError(reason)
    if supersedes is not None:
        supersedes = Report.objects.select_for_update().get(pk=supersedes.pk)
        if supersedes.episode_id != episode.pk:
            raise ValidationError("A correction must be on the same episode as the report.")
        if Report.objects.filter(supersedes=supersedes).exists():
            raise ValidationError("This report has already been corrected: correct the newer one.")
        if recipient != supersedes.recipient or report_type != supersedes.report_type:
            raise ValidationError(
                "A correction goes to the same recipient as the report it corrects, "
                "and is the same kind of report."
            )
        if len(correction_reason) < 10:
            raise ValidationError(
                {"correction_reason": "Say what was wrong in the report (at least 10 characters)"}
            )

    consent = consent_event = None
    if lawful_basis in DECISION_BASES:
        consent = _decision_in_force(person, recipient, lawful_basis)
        consent_event = consent.in_force_event
        justification = ""
    elif lawful_basis in WITHOUT_CONSENT and len(justification) < JUSTIFICATION_MIN_LENGTH:
        raise ValidationError(
            {
                "justification": (
                    "Explain why sharing without consent is necessary and proportionate "
                    f"(at least {JUSTIFICATION_MIN_LENGTH} characters). "
                    "The report has not been issued."
                )
            }
        )

    issued_at = timezone.now()
    report = Report(
        episode=episode,
        report_type=report_type,
        recipient=recipient,
        lawful_basis=lawful_basis,
        justification=justification,
        consent=consent,
        consent_event=consent_event,
        author=actor,
        issued_at=issued_at,
        supersedes=supersedes,
        correction_reason=correction_reason if supersedes else "",
    )
    cj_context = criminal_justice_context(actor, episode, request)
    cj_rows = criminal_justice_rows(cj_context)
    if article10_condition is None:
        article10_condition = Article10Condition.HEALTH_CARE if cj_rows else ""
    _clean_legal_bases(
        lawful_basis=lawful_basis,
        article6=article6_basis,
        article9=article9_condition,
        article10=article10_condition,
        has_cj_data=bool(cj_rows),
    )
    report.article6_basis = article6_basis
    report.article9_condition = article9_condition
    report.article10_condition = article10_condition
    report.content = build_content(
        report=report,
        actor=actor,
        sections=content_sections,
        cj_rows=cj_rows,
        cj_context=cj_context,
        courtroom=(courtroom or "").strip()[:100],
    )
    report.content_sha256 = hashlib.sha256(
        json.dumps(report.content, sort_keys=True, cls=DjangoJSONEncoder).encode()
    ).hexdigest()
    report.save()
    audit_record(
        actor=actor,
        request=request,
        action=Action.EXPORT,
        object_type="report",
        object_id=str(report.public_id),
        fields_changed=[s["key"] for s in content_sections],
        detail={
            **_context(episode),
            "recipient": recipient,
            "lawful_basis": lawful_basis,
            "article6_basis": article6_basis,
            "article9_condition": article9_condition,
            "article10_condition": article10_condition,
            "consent_event": str(consent_event.public_id) if consent_event else "",
            "supersedes": str(supersedes.public_id) if supersedes else "",
            "sha256": report.content_sha256,
        },
    )
    if kind.after_issue is not None:
        kind.after_issue(actor, report, request)
    return report
