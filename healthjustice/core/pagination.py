"""Paging long lists, with the NHS.UK pagination component's parameters."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

PAGE_SIZE = 50


class CountedUpTo(Paginator[Any]):
    """Pages of a list counted up to `limit` items: a longer one is paged through its first
    `limit` and says there are more (`more`). Counting every row of a very long list (an
    account's whole audit trail) takes far longer than showing a page of it."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, limit: int) -> None:
        super().__init__(object_list, per_page)
        self.queryset = object_list
        self.limit = limit
        self.more = False

    @cached_property
    def count(self) -> int:
        found = self.queryset[: self.limit + 1].count()
        self.more = found > self.limit
        return min(found, self.limit)


def paginate(
    request: HttpRequest, items: Any, per_page: int = PAGE_SIZE, *, up_to: int | None = None
) -> Page[Any]:
    """The requested page of `items`; with `up_to`, of their first `up_to` only."""
    paginator = Paginator(items, per_page) if up_to is None else CountedUpTo(items, per_page, up_to)
    return paginator.get_page(request.GET.get("page"))


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
