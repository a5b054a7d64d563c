"""Recording that a record was shown: the one way the fetchers that pages use write a view.

A page reaches a person-scoped record through a selector that takes the request (for example
`journeys.selectors.episode_for_user(user, public_id, request=request)`); the selector calls
`record_view`, never `audit_record`, for the view. The rule lives here, not in each page
(docs/adr/0005-audit-on-read.md):

- A GET shows the record, so it records the view. Any other method (a POST that changes the
  record, or re-shows a form with its errors) records nothing here: a write records its own
  event through its service.
- One request records each view once. The key is the person the event names (an event about
  a person's record names them as its object or as `detail["person"]`), so a page that
  reaches a person's session, then its episode, then the person, writes one event naming
  the person, from the first fetch. Events that name no person (a carer's record) are kept
  once per object. A read that is recorded on its own, apart from the record view (the
  criminal-justice details, Article 10 data), passes its own `once_per` key.

The memo lives on the request object, so it lasts exactly one request.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django.http import HttpRequest

from .models import Action
from .services import Actor, audit_record

RECORDED_ATTR = "_hj_views_recorded"
# The method of a request that shows a record to its user.
SHOWING_METHOD = "GET"


def shows_records(request: HttpRequest) -> bool:
    """True when this request displays what it reads (a GET), so its reads are views."""
    return request.method == SHOWING_METHOD


def _recorded(request: HttpRequest) -> set[Hashable]:
    seen: set[Hashable] | None = getattr(request, RECORDED_ATTR, None)
    if seen is None:
        seen = set()
        setattr(request, RECORDED_ATTR, seen)
    return seen


def record_view(
    request: HttpRequest,
    *,
    actor: Actor,
    object_type: str,
    object_id: str,
    detail: dict[str, Any] | None = None,
    action: Action = Action.VIEW,
    once_per: Hashable | None = None,
    access_basis: str | None = None,
) -> bool:
    """Record that `actor` was shown the object, once per request and only on a GET.

    Returns True when an event was written. `action` is VIEW unless the read hands the
    record over (EXPORT: a download). `access_basis`, when the caller has just decided it, saves
    the trail working it out again (`audit_record`)."""
    if not shows_records(request):
        return False
    detail = dict(detail or {})
    person = object_id if object_type == "person" else detail.get("person")
    key = (
        once_per
        if once_per is not None
        else (("person", person) if person else (object_type, object_id))
    )
    seen = _recorded(request)
    if key in seen:
        return False
    seen.add(key)
    audit_record(
        actor=actor,
        request=request,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        access_basis=access_basis,
    )
    return True


__all__ = ["record_view", "shows_records"]
