"""Sections other apps add to the episode page (screenings, assessments, reports, referrals).

Register a function taking the request and the episode and returning `(title, html)` or None
(None: nothing to show, for example when the user lacks a permission)::

    from markupsafe import Markup
    from django.template.loader import render_to_string
    from healthjustice.journeys.sections import register_episode_section

    @register_episode_section(order=10)
    def screenings_section(request, episode):
        html = render_to_string("screening/_episode_section.html", {...}, request=request)
        return "Screening", Markup(html)

The episode page renders each section in `order` (then registration order) as a
`<section>` with an `<h2>` of the title; use `<h3>` and below inside `html`. `episode` has been
checked for visibility (and its view audited) before any section is called, and carries the
`current_stage` annotation. Register from the app's `AppConfig.ready()` (import the module that
holds the decorated functions), so the sections exist whenever the site runs
(`healthjustice.core.registry`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from markupsafe import Markup, escape

from healthjustice.core.registry import Registry

EpisodeSection = Callable[[HttpRequest, Any], tuple[str, Markup] | None]


episode_section_registry: Registry[EpisodeSection] = Registry("episode page sections")


def register_episode_section(fn: EpisodeSection | None = None, *, order: int = 100) -> Any:
    """Add a section to the episode page; usable as `@register_episode_section` or with
    `(order=...)`. Registering the same function twice keeps the first registration."""
    return episode_section_registry.register(fn, order=order)


def unregister_episode_section(fn: EpisodeSection) -> None:
    episode_section_registry.remove(fn)


@dataclass(frozen=True)
class RenderedSection:
    title: str
    html: Markup
    slug: str


def _slug(title: str, taken: set[str]) -> str:
    base = "section-" + "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def episode_sections(request: HttpRequest, episode: Any) -> list[RenderedSection]:
    rendered: list[RenderedSection] = []
    taken: set[str] = set()
    for section in episode_section_registry:
        result = section(request, episode)
        if result is None:
            continue
        title, html = result
        # Only Markup is trusted as HTML; a plain string is shown as text.
        safe = html if isinstance(html, Markup) else escape(html)
        rendered.append(RenderedSection(str(title), safe, _slug(str(title), taken)))
    return rendered
