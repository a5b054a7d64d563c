"""Reading assessments, consent and reports: scoped through visible episodes and people."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias, TypedDict

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.reading import record_view
from healthjustice.audit.services import deny_as_not_found
from healthjustice.journeys.access import visible_episodes
from healthjustice.journeys.models import Episode
from healthjustice.people.access import visible_people
from healthjustice.people.models import Person

from .choices import SHARING_PURPOSE, ConsentPurpose, ConsentStatus
from .models import Assessment, Consent, ConsentEvent, Report

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class HistoryAnnotation(TypedDict):
        history: list[ConsentEvent]

    # A consent read through `consents_with_history`: it carries its events in order.
    ConsentWithHistory: TypeAlias = WithAnnotations[Consent, HistoryAnnotation]


def carer_key(name: str) -> str:
    return " ".join((name or "").lower().split())[:200]


def _denied(user: User, request: HttpRequest | None, object_type: str, public_id: Any) -> NoReturn:
    deny_as_not_found(actor=user, request=request, object_type=object_type, object_id=public_id)


def _viewed(
    user: User, request: HttpRequest, object_type: str, public_id: Any, episode: Episode
) -> None:
    record_view(
        request,
        actor=user,
        object_type=object_type,
        object_id=str(public_id),
        detail={"person": str(episode.person.public_id), "episode": str(episode.public_id)},
    )


# --- assessments ------------------------------------------------------------------------


def assessments_for_episode(episode: Episode) -> QuerySet[Assessment]:
    return Assessment.objects.filter(episode=episode).select_related("assessor", "updated_by")


def latest_assessment(episode: Episode) -> Assessment | None:
    return assessments_for_episode(episode).order_by("-assessed_at", "-pk").first()


def assessment_for_user(user: User, public_id: Any, *, request: HttpRequest) -> Assessment:
    assessment = (
        Assessment.objects.filter(episode__in=visible_episodes(user), public_id=public_id)
        .select_related("episode", "episode__person", "episode__team", "assessor", "updated_by")
        .first()
    )
    if assessment is None:
        _denied(user, request, "assessment", public_id)
    _viewed(user, request, "assessment", public_id, assessment.episode)
    return assessment


# --- consent ----------------------------------------------------------------------------


def purpose_for(recipient_or_purpose: str) -> str:
    """The consent purpose for a recipient ("police") or a purpose given as itself."""
    if recipient_or_purpose in SHARING_PURPOSE:
        return SHARING_PURPOSE[recipient_or_purpose]
    if recipient_or_purpose in ConsentPurpose.values:
        return recipient_or_purpose
    raise ValueError(f"Unknown recipient or purpose {recipient_or_purpose!r}")


def current_event(consent: Consent) -> ConsentEvent | None:
    """The newest decision; it alone says whether consent is in force."""
    prefetched = getattr(consent, "history", None)
    if prefetched is not None:
        return prefetched[-1] if prefetched else None
    return consent.events.select_related("recorded_by").order_by("-seq").first()


def event_in_force(event: ConsentEvent | None, on: date | None = None) -> bool:
    """Given, and not past its review date (consent past review must be confirmed again)."""
    if event is None or event.status != ConsentStatus.GIVEN:
        return False
    today = on or timezone.localdate()
    return event.review_on is None or event.review_on >= today


def consent_in_force(
    person: Person, recipient: str, *, carer_name: str = "", on: date | None = None
) -> Consent | None:
    """The person's consent to share with `recipient`, if its newest event says given.

    The returned consent carries the event in force as `in_force_event`.
    """
    purpose = purpose_for(recipient)
    if purpose == ConsentPurpose.SHARE_CARER:
        raise ValueError(
            "Consent to share with a carer is the carer's sharing agreement: "
            "use carer_agreements_in_force"
        )
    key = ""
    consent = Consent.objects.filter(person=person, purpose=purpose, carer_key=key).first()
    if consent is None:
        return None
    event = current_event(consent)
    if event is None or not event_in_force(event, on):
        return None
    consent.in_force_event = event
    return consent


def decisions_in_words(person: Person, recipients: Sequence[str]) -> list[str]:
    """For each recipient, the decision in force for sharing with them: "Consent given",
    "Best-interests decision", or "" when nothing is in force. From one read of the newest
    decision of each of the person's consents (the episode page lists every recipient)."""
    purposes = [purpose_for(r) for r in recipients]
    if ConsentPurpose.SHARE_CARER in purposes:
        raise ValueError(
            "Consent to share with a carer is the carer's sharing agreement: "
            "use carer_agreements_in_force"
        )
    newer = ConsentEvent.objects.filter(consent=OuterRef("consent"), seq__gt=OuterRef("seq"))
    newest = {
        event.consent.purpose: event
        for event in ConsentEvent.objects.filter(
            consent__person=person, consent__carer_key="", consent__purpose__in=set(purposes)
        )
        .exclude(Exists(newer))
        .select_related("consent")
    }
    return [_in_words(newest.get(purpose)) for purpose in purposes]


def _in_words(event: ConsentEvent | None) -> str:
    if event is None or not event_in_force(event):
        return ""
    return "Best-interests decision" if event.is_best_interests else "Consent given"


@dataclass(frozen=True)
class ConsentRow:
    consent: Consent
    current: ConsentEvent | None
    in_force: bool
    review_due: bool
    history: list[ConsentEvent]


def consents_with_history(person: Person) -> QuerySet[ConsentWithHistory]:
    """The person's consents by purpose, each with its `history`: its events in order, with who
    recorded them."""
    return (
        Consent.objects.filter(person=person)
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ConsentEvent.objects.select_related("recorded_by").order_by("seq"),
                to_attr="history",
            )
        )
        .order_by("purpose", "carer_key")
    )


def consents_for_person(
    person: Person, consents: Iterable[ConsentWithHistory] | None = None
) -> list[ConsentRow]:
    """Every purpose the person has been asked about, each with its full history (from
    `consents`, as `consents_with_history` reads them, when already read)."""
    today = timezone.localdate()
    if consents is None:
        consents = consents_with_history(person)
    rows = []
    for consent in consents:
        event = current_event(consent)
        legacy_carer = consent.purpose == ConsentPurpose.SHARE_CARER
        rows.append(
            ConsentRow(
                consent=consent,
                current=event,
                # A carer consent from before agreements: history; the agreement is in force.
                in_force=event_in_force(event, today) and not legacy_carer,
                review_due=bool(
                    event
                    and event.status == ConsentStatus.GIVEN
                    and event.review_on
                    and event.review_on < today
                ),
                history=list(consent.history),
            )
        )
    return rows


def consent_for_user(user: User, public_id: Any, *, request: HttpRequest) -> Consent:
    consent = (
        Consent.objects.filter(person__in=visible_people(user), public_id=public_id)
        .select_related("person")
        .first()
    )
    if consent is None:
        _denied(user, request, "consent", public_id)
    return consent


# --- sharing with carers: the carers' sharing agreement is the one record -------------------


def carer_agreements_in_force(person: Person, carer_name: str = "") -> list[Any]:
    """Sharing agreements in force with the person's carers (one carer's, given a name)."""
    from healthjustice.carers.models import SharingAgreement

    agreements = (
        SharingAgreement.objects.in_force()
        .filter(relationship__patient=person)
        .select_related("relationship__carer")
    )
    if not carer_name:
        return list(agreements)
    key = carer_key(carer_name)
    return [a for a in agreements if carer_key(a.relationship.carer.full_name) == key]


def carer_sharing_for_person(person: Person) -> list[Any]:
    """Each of the person's carers with the agreement in force (None if none), for the consent
    page; the caller has reached the person through the chokepoint."""
    from healthjustice.carers.selectors import agreement_in_force, carers_of_patient

    return [(rel, agreement_in_force(rel)) for rel in carers_of_patient(person)]


# --- reports ----------------------------------------------------------------------------


def reports_for_episode(episode: Episode) -> QuerySet[Report]:
    return Report.objects.filter(episode=episode).select_related(
        "author", "superseded_by", "supersedes"
    )


def report_for_user(
    user: User,
    public_id: Any,
    *,
    request: HttpRequest,
    purpose: str = "",
) -> Report:
    report = (
        Report.objects.filter(episode__in=visible_episodes(user), public_id=public_id)
        .select_related(
            "episode",
            "episode__person",
            "episode__team",
            "author",
            "consent",
            "consent_event",
            "supersedes",
        )
        .first()
    )
    if report is None:
        _denied(user, request, "report", public_id)
    record_view(
        request,
        actor=user,
        object_type="report",
        object_id=str(public_id),
        detail={
            "person": str(report.episode.person.public_id),
            "episode": str(report.episode.public_id),
            **({"purpose": purpose} if purpose else {}),
        },
    )
    return report


def superseding_report(report: Report) -> Report | None:
    return Report.objects.filter(supersedes=report).select_related("author").first()
