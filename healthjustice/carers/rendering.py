"""Small helpers the carers' views share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render as django_render

from .choices import SHORT_CATEGORY_LABELS, ShareCategory, category_labels
from .selectors import switchboard
from .text import render_plain_text


def render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render with the helpers every carers' template may use."""
    context = {
        "text": render_plain_text,
        "category_labels": category_labels,
        "short_category_labels": SHORT_CATEGORY_LABELS,
        "share_categories": ShareCategory,
        "switchboard": switchboard(),
        **context,
    }
    return django_render(request, template, context, status=status)
