"""Plain text written by staff or carers, and the small, safe way it is shown as HTML.

Nothing typed in is ever treated as HTML. Information pages may use three plain-text habits:
a blank line starts a new paragraph, a line starting "## " is a heading, and lines starting
"- " make a bulleted list. Web addresses starting https:// become links.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from healthjustice.core.text import clean_plain_text

__all__ = ["clean_plain_text", "contains_markup", "render_plain_text"]

# Something that looks like an HTML tag, comment or entity: "<b>", "</p>", "<!--", "&lt;", "&#x3c;".
_MARKUP = re.compile(r"</?[a-zA-Z!?][^>]*>|&[a-zA-Z]+;|&#\d+;|&#[xX][0-9a-fA-F]+;|<!--")
_URL = re.compile(r"https://[^\s<>\"']+[^\s<>\"'.,;:!?)]")


def contains_markup(value: str) -> bool:
    return bool(_MARKUP.search(value))


def _inline(text: str) -> Markup:
    """Escape a line of text, turning https addresses into links."""
    out = Markup("")
    last = 0
    for match in _URL.finditer(text):
        out += escape(text[last : match.start()])
        href = match.group(0)
        out += Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(href)
        last = match.end()
    return out + escape(text[last:])


def _bullets(items: list[str]) -> Markup:
    inner = Markup("").join(Markup("<li>{}</li>").format(_inline(b)) for b in items)
    return Markup('<ul class="nhsuk-list nhsuk-list--bullet">{}</ul>').format(inner)


def _paragraph(lines: list[str]) -> Markup:
    return Markup("<p>{}</p>").format(Markup("<br>").join(_inline(p) for p in lines))


def _render_block(lines: list[str], heading_level: int) -> list[Markup]:
    heading_class = "nhsuk-heading-m" if heading_level == 2 else "nhsuk-heading-s"
    parts: list[Markup] = []
    run: list[str] = []
    run_kind = ""

    def flush(kind: str) -> None:
        if run:
            parts.append(_bullets(run) if kind == "bullets" else _paragraph(run))

    for line in lines:
        if line.startswith("## "):
            flush(run_kind)
            run, run_kind = [], ""
            parts.append(
                Markup('<h{0} class="{1}">{2}</h{0}>').format(
                    heading_level, heading_class, line[3:].strip()
                )
            )
            continue
        kind = "bullets" if line.startswith(("- ", "* ")) else "paragraph"
        if kind != run_kind:
            flush(run_kind)
            run, run_kind = [], kind
        run.append(line[2:].strip() if kind == "bullets" else line)
    flush(run_kind)
    return parts


def render_plain_text(value: str | None, *, heading_level: int = 2) -> Markup:
    """Paragraphs, headings and bullet lists from plain text, everything else escaped."""
    if not value:
        return Markup("")
    parts: list[Markup] = []
    for block in re.split(r"\n\s*\n", clean_plain_text(value)):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        parts.extend(_render_block(lines, heading_level))
    return Markup("\n").join(parts)
