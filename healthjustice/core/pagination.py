"""Paging long lists, with the NHS.UK pagination component's parameters."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


def paginate(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _href(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"


def pagination_params(request: HttpRequest, page: Page[Any]) -> dict[str, Any] | None:
    """Parameters for the `pagination` macro, keeping the filters; None for a single page."""
    if page.paginator.num_pages <= 1:
        return None
    items: list[dict[str, Any]] = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if not isinstance(number, int):  # Paginator.ELLIPSIS
            items.append({"ellipsis": True})
        else:
            items.append(
                {"number": number, "href": _href(request, number), "current": number == page.number}
            )
    params: dict[str, Any] = {"items": items}
    if page.has_previous():
        params["previous"] = {"href": _href(request, page.previous_page_number())}
    if page.has_next():
        params["next"] = {"href": _href(request, page.next_page_number())}
    return params
