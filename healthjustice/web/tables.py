"""Tables as the design system's table macro writes them, without running it for every row.

The NHS.UK table macro builds each cell through several nested macros (attributes, the
responsive heading, the value), which costs about half a millisecond a cell: a page of 25
results took longer to render than to find. Its HTML for a body cell depends only on the
table's parameters, the cell's column, its classes or format, and whether it is HTML, text
or empty; the cell's content is placed in it, trimmed and indented. So for each distinct set
of table parameters (head, caption, classes ...) and of cell classes in a row, the macro
renders one small table of marker cells, once per process, and `KeptTable` cuts it into the
text around the rows, each column's cell for each kind, and the text between cells and rows.
A table is then those pieces with each cell's content put in, as the macro would: escaped
when text, trimmed, and every line after the first indented as the macro indents it.

The macro stays the source of the HTML: a design-system upgrade changes the markers' table
and so every piece. Anything this module does not model (a cell given as a mapping with a
link, attributes or hidden text, an empty table, a marker table it cannot cut up) is rendered
by the macro itself. With `HJ_CHECK_KEPT_TABLES` on (the test settings), every table is
rendered both ways and must match byte for byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from markupsafe import Markup, escape

HTML, TEXT, EMPTY = "h", "t", "e"
_KINDS = (HTML, TEXT, EMPTY)
_CELL = re.compile(r"<(td|th)\b.*?</\1>", re.DOTALL)


def _marker(kind: str, column: int, part: str) -> str:
    return f"\x00{kind}{column}{part}\x00"


# Keys of a cell given as a mapping that only change the cell's opening tag.
_SHAPE_KEYS = frozenset({"classes", "format", "align", "width", "colspan", "rowspan"})


def cell_kind(value: Any) -> tuple[str, str, str] | None:
    """The cell's kind, its content as the macro would place it (before trimming) and the
    rest of its parameters as a key; None for a cell this module does not model."""
    if isinstance(value, dict):
        extra = {k: v for k, v in value.items() if k not in ("text", "html")}
        if not set(extra) <= _SHAPE_KEYS:
            return None
        key = json.dumps(extra, sort_keys=True, default=repr) if extra else ""
        if value.get("html"):
            return HTML, str(value["html"]), key
        if value.get("text"):
            return TEXT, str(escape(value["text"])), key
        return EMPTY, "", key
    if not value:
        return EMPTY, "", ""
    if hasattr(value, "__html__"):
        return HTML, str(value), ""
    return TEXT, str(escape(value)), ""


def as_placed(content: str, indent: str) -> str:
    """`content` as a design-system macro places it with `trim | indent(n)`: trimmed, and
    every line after the first indented unless it is empty."""
    lines = content.strip().splitlines()
    if not lines:
        return ""
    return lines[0] + "".join("\n" + (indent + line if line else line) for line in lines[1:])


@dataclass(frozen=True)
class _Cell:
    before: str
    after: str
    indent: str

    def fill(self, content: str) -> str:
        return self.before + as_placed(content, self.indent) + self.after


@dataclass(frozen=True)
class _Pieces:
    prefix: str
    suffix: str
    between_cells: str
    between_rows: str
    cells: tuple[dict[str, _Cell], ...]  # per column: kind -> cell

    def joins_as(self, other: _Pieces) -> bool:
        """Whether rows cut from `other` sit in this table's text as its own rows do."""
        return (self.prefix, self.suffix, self.between_cells, self.between_rows) == (
            other.prefix,
            other.suffix,
            other.between_cells,
            other.between_rows,
        )


def _probe_rows(extras: tuple[str, ...]) -> list[list[Any]]:
    """Three rows of marker cells (HTML, text, empty), each column with its extra parameters."""
    two_lines = "{}\n{}"
    columns = range(len(extras))
    shapes = [json.loads(e) if e else {} for e in extras]
    html: list[dict[str, Any]] = [
        {"html": Markup(two_lines.format(_marker(HTML, j, "a"), _marker(HTML, j, "b")))}  # noqa: S704 - markers
        for j in columns
    ]
    text: list[dict[str, Any]] = [
        {"text": two_lines.format(_marker(TEXT, j, "a"), _marker(TEXT, j, "b"))} for j in columns
    ]
    empty: list[dict[str, Any]] = [{} for _ in columns]
    return [[{**cell, **shapes[j]} for j, cell in enumerate(row)] for row in (html, text, empty)]


def _cut(html: str, columns: int) -> _Pieces | None:
    """The marker table cut into its pieces; None when it is not shaped as expected."""
    body = html.find("<tbody")
    if body < 0:
        return None
    found = list(_CELL.finditer(html, body))
    if len(found) != 3 * columns:
        return None
    gaps = [html[found[i].end() : found[i + 1].start()] for i in range(len(found) - 1)]
    in_rows = {g for i, g in enumerate(gaps) if (i + 1) % columns}
    across = {g for i, g in enumerate(gaps) if not (i + 1) % columns}
    if len(in_rows) > 1 or len(across) != 1:
        return None
    cells: list[dict[str, _Cell]] = []
    for j in range(columns):
        by_kind: dict[str, _Cell] = {}
        for row, kind in enumerate(_KINDS):
            text = found[row * columns + j].group(0)
            if kind == EMPTY:
                if "\x00" in text:
                    return None
                by_kind[kind] = _Cell(text, "", "")
                continue
            a, b = _marker(kind, j, "a"), _marker(kind, j, "b")
            shape = re.fullmatch(
                f"(.*){re.escape(a)}\n( *){re.escape(b)}(.*)", text, flags=re.DOTALL
            )
            if shape is None or "\x00" in shape.group(1) + shape.group(3):
                return None
            by_kind[kind] = _Cell(shape.group(1), shape.group(3), shape.group(2))
        cells.append(by_kind)
    return _Pieces(
        prefix=html[: found[0].start()],
        suffix=html[found[-1].end() :],
        between_cells=in_rows.pop() if in_rows else "",
        between_rows=across.pop(),
        cells=tuple(cells),
    )


_CAPTION = "\x00caption\x00"


def _caption_apart(shape: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The table's parameters with a one-line caption's text left as a marker (a caption
    often names the person), and that text as the HTML puts it; the caption as it is when it
    is not such a text."""
    caption = shape.get("caption")
    if not isinstance(caption, dict):
        return shape, None
    text = caption.get("text")
    if not isinstance(text, str) or not text or text != text.strip() or "\n" in text:
        return shape, None
    marker = Markup(_CAPTION) if hasattr(text, "__html__") else _CAPTION  # noqa: S704 - marker
    return {**shape, "caption": {**caption, "text": marker}}, str(escape(text))


def _plain(value: Any) -> Any:
    """`value` for a key, HTML told apart from text that reads the same."""
    if hasattr(value, "__html__"):
        return {"__html__": str(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def params_key(value: Any) -> str:
    """A macro's parameters as a key for what it rendered from them."""
    return json.dumps(_plain(value), sort_keys=True, default=repr)


Kept = TypeVar("Kept")


class KeptPieces(Generic[Kept]):
    """Renders a component through its `macro`, keeping the pieces `_fast` cuts from what the
    macro rendered for each distinct shape of parameters (at most `size`; when full, all are
    forgotten and kept again as they are asked for); `_fast` gives None for parameters the
    pieces do not model, which the macro renders. With `check`, the macro renders them too
    and the two must be the same."""

    component = "component"

    def __init__(self, macro: Callable[[dict[str, Any]], Any], size: int = 256) -> None:
        self.macro, self.size = macro, size
        self.kept: dict[str, Kept | None] = {}

    def __call__(self, params: dict[str, Any], *, check: bool = False) -> Markup:
        fast = self._fast(params)
        if fast is None:
            return Markup(self.macro(params))  # noqa: S704 - the macro's output, escaped by it
        if check:
            slow = str(self.macro(params))
            if slow != fast:
                raise AssertionError(
                    f"Kept {self.component} differs from the macro's:\n{fast}\n---\n{slow}"
                )
        return Markup(fast)  # noqa: S704 - the macro's own pieces, content escaped as it does

    def _fast(self, params: dict[str, Any]) -> str | None:
        raise NotImplementedError


class KeptTable(KeptPieces[_Pieces]):
    """Tables from the pieces of each distinct set of table parameters."""

    component = "table"

    def _fast(self, params: dict[str, Any]) -> str | None:
        rows = params.get("rows") or []
        if not rows:
            return None
        columns = len(rows[0])
        placed: list[list[tuple[str, str, str]]] = []
        for row in rows:
            if len(row) != columns:
                return None
            kinds = [cell_kind(value) for value in row]
            if any(k is None for k in kinds):
                return None
            placed.append([k for k in kinds if k is not None])
        shape, caption = _caption_apart({k: v for k, v in params.items() if k != "rows"})
        table_key = params_key(shape)
        first: _Pieces | None = None
        body: list[str] = []
        for row in placed:
            pieces = self._pieces(table_key, shape, tuple(extra for _, _, extra in row))
            if pieces is None:
                return None
            if first is None:
                first = pieces
            elif not first.joins_as(pieces):
                return None
            body.append(
                pieces.between_cells.join(
                    pieces.cells[j][kind].fill(content) for j, (kind, content, _) in enumerate(row)
                )
            )
        if first is None:
            return None
        prefix = first.prefix
        if caption is not None:
            if prefix.count(_CAPTION) != 1:
                return None
            prefix = prefix.replace(_CAPTION, caption)
        return prefix + first.between_rows.join(body) + first.suffix

    def _pieces(
        self, table_key: str, shape: dict[str, Any], extras: tuple[str, ...]
    ) -> _Pieces | None:
        key = json.dumps([table_key, extras])
        if key not in self.kept:
            if len(self.kept) >= self.size:
                self.kept.clear()
            probe = str(self.macro({**shape, "rows": _probe_rows(extras)}))
            self.kept[key] = _cut(probe, len(extras)) if extras else None
        return self.kept[key]
