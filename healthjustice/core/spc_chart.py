"""An XmR chart as inline SVG drawn on the server, like the bar charts: no script, no style
attributes, a <title> and <desc> for screen readers, and the page shows the numbers in a table
straight after it. Special-cause points are drawn as larger squares as well as in another
colour, so the chart does not rely on colour alone."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from .charts import svg_open
from .spc import XmR

WIDTH = 720
HEIGHT = 280
LEFT = 48
RIGHT = 120  # room for the lines' labels
TOP = 16
BOTTOM = 40
LINE_COLOUR = "#005eb8"  # NHS blue: 7:1 against white
SPECIAL_COLOUR = "#ae2573"  # NHS pink: 6:1 against white
TEXT_COLOUR = "#212b32"  # NHS black
LIMIT_COLOUR = "#4c6272"  # NHS dark grey: 6:1 against white


def xmr_chart(
    chart_id: str, title: str, description: str, chart: XmR, labels: Sequence[str]
) -> Markup:
    """The points in order, equally spaced, with the mean (solid) and the process limits
    (dashed); `labels` name the points along the bottom."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    values = chart.values
    low = min(0.0, chart.lower, *values)
    high = max(chart.upper, *values) or 1.0
    span = (high - low) or 1.0

    def y_of(value: float) -> float:
        return TOP + plot_h - plot_h * (value - low) / span

    def x_of(index: int) -> float:
        return LEFT + (plot_w / 2 if len(values) == 1 else plot_w * index / (len(values) - 1))

    parts = svg_open(chart_id, title, description, WIDTH, HEIGHT)
    for name, value, dash in (
        ("upper limit", chart.upper, ' stroke-dasharray="6 4"'),
        ("mean", chart.mean, ""),
        ("lower limit", chart.lower, ' stroke-dasharray="6 4"'),
    ):
        if value < low:
            continue
        y = y_of(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{LIMIT_COLOUR}" stroke-width="1.5"{dash}></line>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT + 8}" y="{y + 4:.1f}" '
            f'fill="{TEXT_COLOUR}">{escape(name)} {value:,.1f}</text>'
        )
    coords = [(x_of(i), y_of(v)) for i, v in enumerate(values)]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{LINE_COLOUR}" '
            f'stroke-width="2"></polyline>'
        )
    special = chart.special
    for i, (x, y) in enumerate(coords):
        if i in special:
            parts.append(
                f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" '
                f'fill="{SPECIAL_COLOUR}"></rect>'
            )
        else:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{LINE_COLOUR}"></circle>')
        if i < len(labels) and (len(values) <= 8 or i % 3 == 0 or i == len(values) - 1):
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 22}" text-anchor="middle" '
                f'fill="{TEXT_COLOUR}">{escape(labels[i])}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated string is escaped above
