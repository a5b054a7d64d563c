"""A questionnaire's scores over time as a line chart drawn as inline SVG on the server, as the
bar charts of reporting and carers are: no script, no style attributes (only SVG presentation
attributes, which the Content-Security-Policy allows), a <title> and <desc> for screen readers,
and the page shows the same numbers in a table straight after it."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from healthjustice.core.charts import svg_open

from .outcomes import Point

WIDTH = 680
HEIGHT = 260
LEFT = 44  # room for the score axis
RIGHT = 96  # room for the cut-off's label
TOP = 16
BOTTOM = 40  # room for the dates
LINE_COLOUR = "#005eb8"  # NHS blue: 7:1 against white
CUTOFF_COLOUR = "#ae2573"  # NHS pink: 6:1 against white
TEXT_COLOUR = "#212b32"  # NHS black
GRID_COLOUR = "#768692"  # NHS mid grey: 3.5:1 against white


def trajectory_chart(
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[Point],
    *,
    maximum: int,
    cutoff: int | None = None,
    date_labels: Sequence[str] = (),
) -> Markup:
    """Scores from 0 to `maximum`, one point per measure in the order given, equally spaced;
    the clinical cut-off as a dashed line. `date_labels` label the points along the bottom."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_of(score: float) -> float:
        return TOP + plot_h - plot_h * score / (maximum or 1)

    def x_of(index: int) -> float:
        return LEFT + (plot_w / 2 if len(points) == 1 else plot_w * index / (len(points) - 1))

    parts = svg_open(chart_id, title, description, WIDTH, HEIGHT)
    for tick in sorted({0, maximum // 2, maximum}):
        y = y_of(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"></line>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" '
            f'fill="{TEXT_COLOUR}">{tick}</text>'
        )
    if cutoff is not None:
        y = y_of(cutoff)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{CUTOFF_COLOUR}" stroke-width="2" stroke-dasharray="6 4"></line>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT + 8}" y="{y + 4:.1f}" '
            f'fill="{CUTOFF_COLOUR}">cut-off {cutoff}</text>'
        )
    coords = [(x_of(i), y_of(p.total)) for i, p in enumerate(points)]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{LINE_COLOUR}" '
            f'stroke-width="3"></polyline>'
        )
    labels = list(date_labels)
    for i, ((x, y), point) in enumerate(zip(coords, points, strict=True)):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{LINE_COLOUR}"></circle>')
        parts.append(
            f'<text x="{x:.1f}" y="{y - 10:.1f}" text-anchor="middle" '
            f'fill="{TEXT_COLOUR}" font-weight="bold">{point.total}</text>'
        )
        if i < len(labels) and (len(points) <= 8 or i in (0, len(points) - 1) or i % 2 == 0):
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 22}" text-anchor="middle" '
                f'fill="{TEXT_COLOUR}">{escape(labels[i])}</text>'
            )
    if not points:
        parts.append(
            f'<text x="{LEFT + 8}" y="{TOP + 20}" fill="{TEXT_COLOUR}">Not measured yet</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated string is escaped above
