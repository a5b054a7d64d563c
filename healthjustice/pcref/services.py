"""Writes for the PCREF plan and the involvement register: each in a transaction, each audited,
each refusing the whole change when any part is wrong."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import StaleEditError, lock_at_version, stale_message
from healthjustice.core.text import clean_single_line
from healthjustice.feedback.services import clean_free_text
from healthjustice.organisations.models import Organisation
from healthjustice.people.models import EthnicCategory

from .models import (
    PERSON_KINDS,
    TEXT_LIMIT,
    ActionStatus,
    BoardReport,
    Competency,
    Involvement,
    InvolvementKind,
    PlanAction,
    Recognition,
)
from .quarters import Quarter

NARRATIVE_LIMIT = 5000
NARRATIVE_FIELDS = (
    ("summary", "Summary"),
    ("heard", "What we heard from patients and carers"),
    ("changed", "What we changed"),
)

PAID = frozenset({Recognition.VOUCHER, Recognition.PAYMENT, Recognition.EXPENSES})


def _line(
    value: str, label: str, limit: int, errors: dict[str, str], name: str, missing: str
) -> str:
    """A required single line of plain words; an error is added under `name` otherwise."""
    try:
        text = clean_free_text(clean_single_line(value or ""), label, limit)
    except ValidationError as exc:
        errors[name] = exc.messages[0]
        return ""
    if not text:
        errors[name] = missing
    return text


def _text(value: str, label: str, errors: dict[str, str], name: str, required: bool) -> str:
    try:
        text = clean_free_text(value or "", label, TEXT_LIMIT)
    except ValidationError as exc:
        errors[name] = exc.messages[0]
        return ""
    if required and not text:
        errors[name] = f"Enter {label.lower()}"
    return text


@transaction.atomic
def save_action(
    *,
    actor: User,
    organisation: Organisation | None,
    competency: str,
    action_text: str,
    owner: str,
    due_on: date | None,
    status: str,
    evidence: str = "",
    action: PlanAction | None = None,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> PlanAction:
    """Add or change an action of the PCREF plan. A due date in the past is allowed (a plan
    written late records what was due); a missing one is not. With `expected_version`, a change
    someone else saved since is not overwritten (StaleEditError; nothing saved)."""
    errors: dict[str, str] = {}
    if organisation is None:
        errors["organisation"] = "Select the trust this action belongs to"
    if competency not in Competency.values:
        errors["competency"] = "Select the competency this action comes under"
    text = _text(action_text, "What we will do", errors, "action", required=True)
    owner_text = _line(
        owner,
        "Who is responsible",
        120,
        errors,
        "owner",
        "Enter who is responsible for this action",
    )
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due"
    if status not in ActionStatus.values:
        errors["status"] = "Select the status of this action"
    evidence_text = _text(evidence, "What shows progress", errors, "evidence", required=False)
    if status == ActionStatus.DONE and "evidence" not in errors and not evidence_text:
        errors["evidence"] = "Enter what shows the action is done"
    if errors:
        raise ValidationError(errors)
    assert organisation is not None and due_on is not None
    created = action is None
    if action is None:
        action = PlanAction(organisation=organisation, created_by=actor)
    else:
        action = lock_at_version(
            PlanAction.objects.all(), action.pk, expected_version, "this action"
        )
        action.version += 1
    before = {
        f: getattr(action, f)
        for f in ("competency", "action", "owner", "due_on", "status", "evidence")
    }
    action.competency = competency
    action.action = text
    action.owner = owner_text
    action.due_on = due_on
    action.status = status
    action.evidence = evidence_text
    action.updated_at = timezone.now()
    if status != ActionStatus.DONE:
        action.completed_at = None
    elif before["status"] != ActionStatus.DONE or action.completed_at is None:
        action.completed_at = action.updated_at
    action.save()
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE if created else Action.UPDATE,
        object_type="pcref_action",
        object_id=str(action.public_id),
        fields_changed=[] if created else [f for f, v in before.items() if getattr(action, f) != v],
        detail={"organisation": str(action.organisation.public_id), "status": status},
    )
    return action


@transaction.atomic
def save_involvement(
    *,
    actor: User,
    organisation: Organisation | None,
    answers: dict[str, Any],
    involvement: Involvement | None = None,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Involvement:
    """Add or change an involvement record.

    `answers` holds kind, name, activity, took_part_on, role, recognition, amount,
    consent_to_contact, contact and ethnic_category. A contact detail is kept only with consent
    (withdrawing consent deletes it); an amount only with a voucher, payment or expenses; an
    ethnic category only for a person, not an organisation."""
    errors: dict[str, str] = {}
    if organisation is None:
        errors["organisation"] = "Select the trust this record belongs to"
    kind = str(answers.get("kind") or "")
    if kind not in InvolvementKind.values:
        errors["kind"] = "Select who took part"
    name = _line(
        str(answers.get("name") or ""),
        "Name",
        120,
        errors,
        "name",
        "Enter the name of the person or organisation",
    )
    activity = _line(
        str(answers.get("activity") or ""),
        "Activity",
        200,
        errors,
        "activity",
        "Enter the activity they took part in",
    )
    role = _line(
        str(answers.get("role") or ""), "Their role", 120, errors, "role", "Enter their role"
    )
    took_part_on: date | None = answers.get("took_part_on")
    if took_part_on is None:
        errors["took_part_on"] = "Enter the date they took part"
    elif took_part_on > timezone.localdate():
        errors["took_part_on"] = "The date they took part must be today or in the past"
    recognition = str(answers.get("recognition") or "")
    if recognition not in Recognition.values:
        errors["recognition"] = "Select how they were thanked or paid"
    amount: Decimal | None = answers.get("amount")
    if amount is not None:
        if recognition not in PAID:
            errors["amount"] = (
                "Leave the amount empty when there was no voucher, payment or expenses"
            )
        elif amount <= 0:
            errors["amount"] = "The amount must be more than £0"
    consent = bool(answers.get("consent_to_contact"))
    contact = clean_single_line(str(answers.get("contact") or ""))
    if consent and not contact:
        errors["contact"] = "Enter a contact detail, or untick 'agrees to be contacted again'"
    elif contact:
        try:
            contact = clean_free_text(contact, "The contact detail", 200)
        except ValidationError as exc:
            errors["contact"] = exc.messages[0]
    ethnic: EthnicCategory | None = answers.get("ethnic_category")
    if ethnic is not None and kind and kind not in PERSON_KINDS:
        errors["ethnic_category"] = (
            "An ethnic category is recorded only for a person, not for an organisation"
        )
    if errors:
        raise ValidationError(errors)
    assert organisation is not None and took_part_on is not None
    created = involvement is None
    if involvement is None:
        involvement = Involvement(organisation=organisation, created_by=actor)
    else:
        involvement = lock_at_version(
            Involvement.objects.all(), involvement.pk, expected_version, "this record"
        )
        involvement.version += 1
    contact_deleted = bool(involvement.contact) and not consent
    fields = ("kind", "name", "activity", "took_part_on", "role", "recognition", "amount")
    before = {f: getattr(involvement, f) for f in (*fields, "consent_to_contact", "contact")}
    involvement.kind = kind
    involvement.name = name
    involvement.activity = activity
    involvement.took_part_on = took_part_on
    involvement.role = role
    involvement.recognition = recognition
    involvement.amount = amount
    involvement.consent_to_contact = consent
    involvement.contact = contact if consent else ""
    involvement.ethnic_category = ethnic
    involvement.save()
    changed = [f for f, v in before.items() if getattr(involvement, f) != v]
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE if created else Action.UPDATE,
        object_type="pcref_involvement",
        object_id=str(involvement.public_id),
        fields_changed=[] if created else changed,
        detail={
            "organisation": str(involvement.organisation.public_id),
            "contact_deleted": contact_deleted,
        },
    )
    return involvement


@transaction.atomic
def save_board_report(
    *,
    actor: User,
    organisation: Organisation,
    quarter: Quarter,
    answers: dict[str, str],
    expected_version: int | None,
    request: HttpRequest | None = None,
) -> BoardReport:
    """Write the narrative of one trust's board report for a quarter (summary, what we heard,
    what we changed). The form posts the version it showed (0 when there was no narrative yet):
    if someone else saved since, nothing is saved (StaleEditError). Markup is refused, as
    everywhere in the plan."""
    errors: dict[str, str] = {}
    texts = {}
    for name, label in NARRATIVE_FIELDS:
        try:
            texts[name] = clean_free_text(answers.get(name) or "", label, NARRATIVE_LIMIT)
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    if not errors and not any(texts.values()):
        errors["summary"] = "Enter a summary, what we heard or what we changed"
    if errors:
        raise ValidationError(errors)
    what = f"the board report for {quarter.financial_year} Q{quarter.number}"
    existing = (
        BoardReport.objects.select_for_update()
        .filter(organisation=organisation, year=quarter.year, quarter=quarter.number)
        .order_by("pk")
        .first()
    )
    now = timezone.now()
    if existing is None:
        if expected_version:
            # It was shown saved, and is gone: refuse rather than guess.
            raise StaleEditError(stale_message(what))
        report = BoardReport(
            organisation=organisation,
            year=quarter.year,
            quarter=quarter.number,
            created_by=actor,
            updated_by=actor,
            created_at=now,
        )
        before: dict[str, str] = {}
    else:
        report = lock_at_version(BoardReport.objects.all(), existing.pk, expected_version, what)
        before = {name: getattr(report, name) for name, _ in NARRATIVE_FIELDS}
        report.version += 1
    for name, value in texts.items():
        setattr(report, name, value)
    report.updated_at = now
    report.updated_by = actor
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Someone else wrote the quarter's first words a moment before: theirs are kept.
        raise StaleEditError(stale_message(what)) from None
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE if before else Action.CREATE,
        object_type="pcref_board_report",
        object_id=str(report.public_id),
        fields_changed=[n for n, v in before.items() if getattr(report, n) != v],
        detail={"organisation": str(organisation.public_id), "quarter": quarter.key},
    )
    return report
