"""Pages of apps above equity that use its figures, linked from the equity page.

An app higher in the layers (docs/adr/0003-layers.md) adds its page here from its
`AppConfig.ready()`; the equity page shows the link to those who hold the page's permission,
without equity importing that app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from healthjustice.core.registry import Registry
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission


@dataclass(frozen=True)
class RelatedPage:
    text: str
    url_name: str
    permission: Permission
    description: str = ""


related_pages: Registry[RelatedPage] = Registry("pages related to the equity figures")


def pages_for(user: Any) -> list[RelatedPage]:
    return [page for page in related_pages if has_permission(user, page.permission)]
