"""The carers' information pages that staff write and publish."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action
from healthjustice.organisations.roles import Permission

from ..models import CarerInformationPage
from ..text import clean_plain_text
from .common import audit, require, update_versioned

PAGE_FIELDS = ("title", "slug", "summary", "body", "is_published", "order")


@transaction.atomic
def information_page_save(
    *,
    actor: User,
    page: CarerInformationPage | None,
    data: dict[str, Any],
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> CarerInformationPage:
    require(actor, Permission.CARER_CONTENT_EDIT, "You may not edit carers' information pages.")
    data = {k: v for k, v in data.items() if k in PAGE_FIELDS}
    data["body"] = clean_plain_text(data.get("body", ""))
    slug_taken = CarerInformationPage.objects.filter(slug=data.get("slug"))
    if page is not None:
        slug_taken = slug_taken.exclude(pk=page.pk)
    if slug_taken.exists():
        raise ValidationError({"slug": "Another page already uses this web address"})
    if page is None:
        created = CarerInformationPage.objects.create(updated_by=actor, **data)
        audit(actor, request, Action.CREATE, "carer_information_page", created.public_id)
        return created
    current, changed = update_versioned(
        CarerInformationPage,
        page.pk,
        data,
        PAGE_FIELDS,
        expected_version or 0,
        {"updated_at": timezone.now(), "updated_by": actor},
    )
    if changed:
        audit(
            actor,
            request,
            Action.UPDATE,
            "carer_information_page",
            current.public_id,
            fields_changed=changed,
        )
    return current
