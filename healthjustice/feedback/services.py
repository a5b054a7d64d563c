"""Writes for feedback and you said, we did: each in a transaction, each audited."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.client_address import client_address
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import lock_at_version
from healthjustice.core.text import clean_plain_text, clean_single_line
from healthjustice.organisations.models import Team
from healthjustice.people.models import EthnicCategory

from .models import (
    TEXT_LIMIT,
    ActionStatus,
    Feedback,
    ImprovementAction,
    ReplyContact,
    Source,
    Submission,
    Theme,
)

# Something that looks like a web page's code: a tag (<b>, </a>, <!--) or a forum link ([url=).
_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|\[/?(?:url|img|link)\b", re.IGNORECASE)

FEEDBACK_TEXT = {
    "what_was_good": "What was good",
    "could_be_better": "What could be better",
}


def rate_limit() -> tuple[int, timedelta]:
    """How many feedback forms one address may send, and in what time."""
    count = int(getattr(settings, "HJ_FEEDBACK_LIMIT", 5))
    minutes = int(getattr(settings, "HJ_FEEDBACK_WINDOW_MINUTES", 60))
    return count, timedelta(minutes=minutes)


def rate_limit_message() -> str:
    count, window = rate_limit()
    minutes = int(window.total_seconds() // 60)
    period = "an hour" if minutes == 60 else f"{minutes} minutes"
    return (
        f"You have sent feedback {count} times in the last {period} from this device or "
        f"network. Try again later, or contact us another way"
    )


def markup_message(label: str) -> str:
    return f"{label} must be written in plain words, without web page code such as <b> or <a>"


def clean_free_text(value: str, label: str, limit: int = TEXT_LIMIT) -> str:
    """Plain text of at most `limit` characters; web page code is refused, not stored."""
    text = clean_plain_text(value or "")
    if len(text) > limit:
        raise ValidationError(f"{label} must be {limit:,} characters or fewer")
    if _MARKUP.search(text):
        raise ValidationError(markup_message(label))
    return text


def _address_hash(request: HttpRequest | None) -> str:
    address = client_address(request) or "unknown"
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"feedback:{address}".encode(), hashlib.sha256).hexdigest()


def over_rate_limit(request: HttpRequest | None) -> bool:
    """Whether this client address has sent as many forms as the window allows."""
    count, window = rate_limit()
    since = timezone.now() - window
    Submission.objects.filter(at__lt=since).delete()
    return Submission.objects.filter(
        address_hash=_address_hash(request), at__gte=since
    ).count() >= (count)


@transaction.atomic
def give_feedback(
    *,
    team: Team | None,
    answers: Mapping[str, Any],
    contact: Mapping[str, str] | None,
    source: str = Source.PUBLIC,
    request: HttpRequest | None = None,
) -> Feedback:
    """Store one piece of feedback, and its reply contact when a reply was asked for.

    `answers` holds experience, what_was_good, could_be_better, treated_fairly and optionally
    ethnic_category, age_group and relationship. Refuses the lot if any part is wrong."""
    errors: dict[str, str] = {}
    if team is None or not team.is_active:
        errors["team"] = "Select the team your feedback is about"
    texts: dict[str, str] = {}
    for name, label in FEEDBACK_TEXT.items():
        try:
            texts[name] = clean_free_text(str(answers.get(name) or ""), label)
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    if not answers.get("experience"):
        errors["experience"] = "Select how your experience of our service was overall"
    if not answers.get("treated_fairly"):
        errors["treated_fairly"] = "Select whether you felt you were treated fairly"
    wants_reply = contact is not None
    contact_text = ""
    name = ""
    if contact is not None:
        contact_text = clean_single_line(contact.get("contact", ""))[:200]
        name = clean_single_line(contact.get("name", ""))[:100]
        if not contact_text:
            errors["contact"] = "Enter an email address or phone number so we can reply"
        elif _MARKUP.search(contact_text) or _MARKUP.search(name):
            errors["contact"] = markup_message("Your contact details")
    # Only forms sent over the web are limited; a command or the demo has no client address.
    if not errors and request is not None and over_rate_limit(request):
        errors["__all__"] = rate_limit_message()
    if errors:
        raise ValidationError(errors)
    assert team is not None
    ethnic = answers.get("ethnic_category")
    feedback = Feedback.objects.create(
        team=team,
        source=source,
        experience=answers["experience"],
        treated_fairly=answers["treated_fairly"],
        what_was_good=texts["what_was_good"],
        could_be_better=texts["could_be_better"],
        ethnic_category=ethnic if isinstance(ethnic, EthnicCategory) else None,
        age_group=answers.get("age_group") or "",
        relationship=answers.get("relationship") or "",
        wants_reply=wants_reply,
    )
    if wants_reply:
        ReplyContact.objects.create(feedback=feedback, name=name, contact=contact_text)
    if request is not None:
        Submission.objects.create(address_hash=_address_hash(request))
    audit_record(
        actor=request.user if request is not None else None,
        request=request,
        action=Action.CREATE,
        object_type="feedback",
        object_id=str(feedback.public_id),
        detail={"team": str(team.public_id), "source": source, "wants_reply": wants_reply},
    )
    return feedback


def _locked_feedback(feedback: Feedback, expected_version: int | None) -> Feedback:
    """The feedback's row, locked; refused (StaleEditError) when the version shown moved on."""
    rows = Feedback.objects.all()
    if expected_version is None:
        return rows.select_for_update().get(pk=feedback.pk)
    return lock_at_version(rows, feedback.pk, expected_version, "this feedback")


@transaction.atomic
def record_response(
    *,
    feedback: Feedback,
    actor: User,
    themes: Iterable[Theme],
    response: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Feedback:
    """Tag the feedback's themes and record the team's response to it.

    With `expected_version` (the version the form showed), a change someone else saved since
    is not overwritten: StaleEditError, and nothing is saved."""
    try:
        text = clean_free_text(response, "Our response")
    except ValidationError as exc:
        raise ValidationError({"response": exc.messages}) from exc
    locked = _locked_feedback(feedback, expected_version)
    if not text and locked.reply_sent_at is not None:
        raise ValidationError(
            {"response": "Enter the team's response: the reply has already been sent"}
        )
    chosen = list(themes)
    changed = []
    if {t.pk for t in chosen} != set(locked.themes.values_list("pk", flat=True)):
        locked.themes.set(chosen)
        changed.append("themes")
    if text != locked.response:
        locked.response = text
        locked.responded_at = timezone.now() if text else None
        locked.responded_by = actor if text else None
        changed.append("response")
    if changed:
        locked.version += 1
        locked.save(update_fields=["response", "responded_at", "responded_by", "version"])
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="feedback",
        object_id=str(locked.public_id),
        fields_changed=changed,
        detail={"themes": [t.name for t in chosen]},
    )
    return locked


@transaction.atomic
def record_reply_sent(
    *,
    feedback: Feedback,
    actor: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Feedback:
    """Record that the person was replied to, and delete how to reach them."""
    locked = _locked_feedback(feedback, expected_version)
    if not locked.wants_reply or locked.reply_sent_at is not None:
        raise ValidationError("A reply has already been recorded, or none was asked for")
    if not locked.response:
        raise ValidationError("Record the team's response before recording that you replied")
    ReplyContact.objects.filter(feedback=locked).delete()
    locked.reply_sent_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["reply_sent_at", "version"])
    audit_record(
        actor=actor,
        request=request,
        action=Action.DELETE,
        object_type="feedback_reply_contact",
        object_id=str(locked.public_id),
        detail={"reason": "reply_sent"},
    )
    return locked


ACTION_TEXT = {"you_said": "What people told us", "we_did": "What we did, or will do"}


@transaction.atomic
def save_action(
    *,
    actor: User,
    team: Team,
    theme: Theme | None,
    you_said: str,
    we_did: str,
    owner: str,
    status: str,
    done_on: date | None,
    is_published: bool,
    feedback: Iterable[Feedback] = (),
    action: ImprovementAction | None = None,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> ImprovementAction:
    """Create or change a you said, we did action. Every part but the date is required.

    A published action is not changed: it can be withdrawn from the public page (saved with
    `is_published=False` and nothing else changed), changed as a draft, and published again.
    With `expected_version`, a change someone else saved since is not overwritten."""
    errors: dict[str, str] = {}
    texts: dict[str, str] = {}
    for name, label in ACTION_TEXT.items():
        value = you_said if name == "you_said" else we_did
        try:
            texts[name] = clean_free_text(value, label)
        except ValidationError as exc:
            errors[name] = exc.messages[0]
        else:
            if not texts[name]:
                errors[name] = f"Enter {label.lower()}"
    owner_text = clean_single_line(owner or "")
    if not owner_text:
        errors["owner"] = "Enter who is responsible for this action"
    elif len(owner_text) > 120:
        errors["owner"] = "Who is responsible must be 120 characters or fewer"
    elif _MARKUP.search(owner_text):
        errors["owner"] = markup_message("Who is responsible")
    if theme is None:
        errors["theme"] = "Select the theme of this action"
    if status not in ActionStatus.values:
        errors["status"] = "Select the status of this action"
    elif status == ActionStatus.DONE and done_on is None:
        errors["done_on"] = "Enter the date the action was done"
    if errors:
        raise ValidationError(errors)
    assert theme is not None
    created = action is None
    if action is None:
        action = ImprovementAction(team=team, created_by=actor)
    else:
        rows = ImprovementAction.objects.all()
        if expected_version is None:
            action = rows.select_for_update().get(pk=action.pk)
        else:
            action = lock_at_version(rows, action.pk, expected_version, "this action")
        content = (theme.pk, texts["you_said"], texts["we_did"], owner_text, status, done_on)
        stored = (
            action.theme_id,
            action.you_said,
            action.we_did,
            action.owner,
            action.status,
            action.done_on,
        )
        if action.is_published and content != stored:
            raise ValidationError(
                "This action is on the public page. Withdraw it from the public page before "
                "changing it"
            )
        action.version += 1
    action.theme = theme
    action.you_said = texts["you_said"]
    action.we_did = texts["we_did"]
    action.owner = owner_text
    action.status = status
    action.done_on = done_on
    action.is_published = is_published
    action.save()
    linked = [f for f in feedback if f.team_id == action.team_id]
    if linked:
        action.feedback.add(*linked)
    audit_record(
        actor=actor,
        request=request,
        action=Action.CREATE if created else Action.UPDATE,
        object_type="feedback_action",
        object_id=str(action.public_id),
        detail={"team": str(team.public_id), "published": is_published, "status": status},
    )
    return action
