"""Horizontal bar charts as inline SVG, drawn on the server (no script, no style attributes).

Every dashboard's charts (the service's, MHTR's, the equity figures') are drawn here: each chart
is an image with a title (role="img", aria-labelledby) and is followed by the table holding its
numbers, so the chart never has to be read to get them. A value that is hidden or has no figure
is written in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 760
GAP = 10
BAR_HEIGHT = 22
ROW_HEIGHT = 32
TOP = 8
BAR_COLOUR = "#005eb8"  # NHS blue: 7:1 against white
TEXT_COLOUR = "#212b32"  # NHS black
MUTED_COLOUR = "#4c6272"  # NHS dark grey: 6:1 against white


def svg_open(chart_id: str, title: str, description: str, width: int, height: int) -> list[str]:
    """The opening of a line chart's <svg>: an image titled and described for screen readers,
    as wide as its container."""
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    return [
        f'<svg class="hj-chart" id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg" focusable="false" '
        f'font-family="Frutiger W01, Arial, sans-serif" font-size="13">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
    ]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: not drawn, `text` said instead
    text: str


def bar_chart(
    chart_id: str,
    title: str,
    bars: Sequence[Bar],
    *,
    label_width: int = 300,
    value_width: int = 180,
) -> Markup:
    """The bars' labels take `label_width` of the width and their values `value_width`."""
    top = max([b.value for b in bars if b.value is not None] or [0]) or 1
    bar_space = WIDTH - label_width - GAP - value_width
    height = TOP * 2 + ROW_HEIGHT * max(len(bars), 1)
    title_id = f"{chart_id}-title"
    parts = [
        f'<svg class="hj-chart" id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{escape(title_id)}" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="Frutiger W01, Arial, sans-serif" font-size="16">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
    ]
    for i, bar in enumerate(bars):
        y = TOP + i * ROW_HEIGHT
        mid = y + BAR_HEIGHT / 2 + 6
        parts.append(
            f'<text x="{label_width}" y="{mid}" text-anchor="end" '
            f'fill="{TEXT_COLOUR}">{escape(bar.label)}</text>'
        )
        x = label_width + GAP
        if bar.value is None or bar.value <= 0:
            words = bar.text if bar.value is None else "0"
            parts.append(f'<text x="{x}" y="{mid}" fill="{MUTED_COLOUR}">{escape(words)}</text>')
            continue
        length = max(1.0, bar_space * bar.value / top)
        parts.append(
            f'<rect x="{x}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{BAR_COLOUR}"></rect>'
        )
        parts.append(
            f'<text x="{x + length + 6:.1f}" y="{mid}" '
            f'fill="{TEXT_COLOUR}">{escape(bar.text)}</text>'
        )
    if not bars:
        parts.append(
            f'<text x="{label_width + GAP}" y="{TOP + 17}" fill="{MUTED_COLOUR}">No data</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated string is escaped above
