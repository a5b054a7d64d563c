"""Summary lists as the design system's macro writes them, without running it for every list.

The NHS.UK summary list macro builds each row through the row macro and the attributes macro:
the person page's 14 rows took more time to render than any of the page's queries. The
macro places each row's key and value, when they are text or HTML, in text that depends only
on the list's other parameters and the kind of each key and value (text, HTML or nothing, and
its classes or width): trimmed, with every line after the first indented. So for each
distinct list of that shape the macro renders the same list with markers for the contents,
once per process; `KeptSummaryList` cuts it at the markers and puts each list's contents
in the gaps, as the macro would.

The macro stays the source of the HTML. Rows with anything else (actions, their own classes
or attributes, a key or value given as something other than text, HTML or a mapping of
them) are rendered by the macro itself. With `HJ_CHECK_KEPT_SUMMARY_LISTS` on (the test
settings), every list is rendered both ways and must match byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .tables import EMPTY, HTML, KeptPieces, as_placed, cell_kind, params_key

_ROW_KEYS = frozenset({"key", "value"})


def _marker(slot: int, part: str) -> str:
    return f"\x00{slot}{part}\x00"


@dataclass(frozen=True)
class _Pieces:
    gaps: tuple[str, ...]  # the text before each filled slot, and after the last
    indents: tuple[str, ...]  # each filled slot's indent for its later lines


Slot = tuple[str, str, dict[str, Any]]  # kind, content as placed, the other parameters


def _slots(rows: list[Any]) -> list[Slot] | None:
    """Each row's key then value; None when a row has anything the pieces do not model."""
    slots: list[Slot] = []
    for row in rows:
        if not isinstance(row, dict) or not set(row) <= _ROW_KEYS:
            return None
        for part in ("key", "value"):
            value = row.get(part)
            if value is not None and not isinstance(value, str | dict):
                return None
            kind = cell_kind(value)
            if kind is None:
                return None
            extra = (
                {k: v for k, v in value.items() if k not in ("text", "html")}
                if isinstance(value, dict)
                else {}
            )
            slots.append((kind[0], kind[1], extra))
    return slots


def _probe(shape: dict[str, Any], slots: list[Slot]) -> dict[str, Any]:
    """The list with a two-line marker in place of each key's and value's content."""
    parts: list[dict[str, Any]] = []
    for n, (kind, _content, extra) in enumerate(slots):
        cell = dict(extra)
        marker = f"{_marker(n, 'a')}\n{_marker(n, 'b')}"
        if kind == HTML:
            cell["html"] = Markup(marker)  # noqa: S704 - a marker
        elif kind != EMPTY:
            cell["text"] = marker
        parts.append(cell)
    rows = [{"key": parts[i], "value": parts[i + 1]} for i in range(0, len(parts), 2)]
    return {**shape, "rows": rows}


def _cut(html: str, slots: list[Slot]) -> _Pieces | None:
    """The marker list cut at its markers; None when it is not shaped as expected."""
    gaps: list[str] = []
    indents: list[str] = []
    at = 0
    for n, (kind, _content, _extra) in enumerate(slots):
        if kind == EMPTY:
            continue
        a, b = _marker(n, "a"), _marker(n, "b")
        found = re.compile(f"{re.escape(a)}\n( *){re.escape(b)}").search(html, at)
        if found is None or html.count(a) != 1 or html.count(b) != 1:
            return None
        gaps.append(html[at : found.start()])
        indents.append(found.group(1))
        at = found.end()
    gaps.append(html[at:])
    if any("\x00" in gap for gap in gaps):
        return None
    return _Pieces(tuple(gaps), tuple(indents))


class KeptSummaryList(KeptPieces[_Pieces]):
    """Summary lists from the pieces of each distinct shape of list."""

    component = "summary list"

    def _fast(self, params: dict[str, Any]) -> str | None:
        if not isinstance(params, dict):
            return None
        rows = params.get("rows")
        if not isinstance(rows, list) or not rows:
            return None
        slots = _slots(rows)
        if slots is None:
            return None
        shape = {k: v for k, v in params.items() if k != "rows"}
        key = params_key([shape, [(kind, extra) for kind, _, extra in slots]])
        if key not in self.kept:
            if len(self.kept) >= self.size:
                self.kept.clear()
            self.kept[key] = _cut(str(self.macro(_probe(shape, slots))), slots)
        pieces = self.kept[key]
        if pieces is None:
            return None
        filled = [content for kind, content, _ in slots if kind != EMPTY]
        out = [pieces.gaps[0]]
        for content, indent, gap in zip(filled, pieces.indents, pieces.gaps[1:], strict=True):
            out.append(as_placed(content, indent))
            out.append(gap)
        return "".join(out)
