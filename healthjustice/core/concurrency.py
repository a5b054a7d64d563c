"""Optimistic locking: refuse a save when someone else saved since the editor opened the form.

Every versioned record carries an integer `version`; a form posts the version it showed, and
the write locks the row and compares before changing anything. Allocation of an episode uses
the same exception for "someone else took it first".
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


class StaleEditError(Exception):
    """Someone else changed the record after this page was opened; nothing was saved."""


def stale_message(what: str = "this") -> str:
    """The words a person sees, e.g. stale_message("this referral")."""
    return (
        f"Someone else changed {what} while you were editing it. "
        f"Your changes have not been saved: check the page and make them again."
    )


def lock_at_version(
    queryset: QuerySet[M], pk: Any, expected_version: int | None, what: str = "this"
) -> M:
    """Lock the row and return it, or raise StaleEditError if its version moved on."""
    current = queryset.select_for_update().get(pk=pk)
    if current.version != expected_version:  # type: ignore[attr-defined]
        raise StaleEditError(stale_message(what))
    return current


__all__ = ["StaleEditError", "lock_at_version", "stale_message"]
