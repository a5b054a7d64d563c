"""Server-drawn bar charts as inline SVG: no script, no inline styles, always with a table.

Only SVG presentation attributes (fill, width, font-size) are used, which the
Content-Security-Policy allows. Each chart has a <title> and <desc> for screen readers, and the
page shows the same numbers in a table straight after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

# NHS identity colours; each has at least 3:1 contrast with white, as WCAG asks for graphics.
SERIES_COLOURS = ("#005eb8", "#ae2573", "#006747")
TEXT_COLOUR = "#212b32"
LABEL_WIDTH = 230
BAR_AREA = 380
VALUE_GAP = 8
BAR_HEIGHT = 22
BAR_GAP = 4
GROUP_GAP = 14
WIDTH = LABEL_WIDTH + BAR_AREA + 70


@dataclass
class Series:
    name: str
    values: list[float]
    # How each value is written on the chart and in the table, e.g. "75% (3 of 4)".
    labels: list[str] = field(default_factory=list)


@dataclass
class BarChart:
    key: str
    title: str
    description: str
    groups: list[str]
    series: list[Series]
    maximum: float | None = None
    unit: str = ""

    def label(self, series_index: int, group_index: int) -> str:
        s = self.series[series_index]
        if s.labels:
            return s.labels[group_index]
        value = s.values[group_index]
        return f"{value:g}{self.unit}"


def _shorten(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_bar_chart(chart: BarChart) -> Markup:
    """A horizontal bar chart, one group of bars per row."""
    n_series = len(chart.series)
    group_height = n_series * BAR_HEIGHT + (n_series - 1) * BAR_GAP
    legend_height = 28 if n_series > 1 else 0
    height = legend_height + len(chart.groups) * (group_height + GROUP_GAP) + GROUP_GAP
    top = max((v for s in chart.series for v in s.values), default=0)
    scale_max = chart.maximum if chart.maximum is not None else (top or 1)
    title_id, desc_id = f"chart-{chart.key}-title", f"chart-{chart.key}-desc"
    parts: list[Markup] = [
        Markup(
            '<svg class="hj-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
            'viewBox="0 0 {w} {h}" aria-labelledby="{t} {d}" focusable="false">'
        ).format(w=WIDTH, h=height, t=title_id, d=desc_id),
        Markup('<title id="{}">{}</title>').format(title_id, chart.title),
        Markup('<desc id="{}">{}</desc>').format(desc_id, chart.description),
    ]
    if n_series > 1:
        x = LABEL_WIDTH
        for i, s in enumerate(chart.series):
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            parts.append(
                Markup('<rect x="{}" y="6" width="14" height="14" fill="{}"></rect>').format(
                    x, colour
                )
            )
            parts.append(
                Markup('<text x="{}" y="18" font-size="14" fill="{}">{}</text>').format(
                    x + 20, TEXT_COLOUR, s.name
                )
            )
            x += 30 + 8 * len(s.name)
    y = legend_height + GROUP_GAP
    for g, group in enumerate(chart.groups):
        label_y = y + group_height / 2 + 5
        parts.append(
            Markup('<text x="0" y="{:.0f}" font-size="14" fill="{}">{}</text>').format(
                label_y, TEXT_COLOUR, _shorten(group)
            )
        )
        for i, s in enumerate(chart.series):
            value = s.values[g]
            width = 0 if scale_max <= 0 else max(0.0, min(1.0, value / scale_max)) * BAR_AREA
            bar_y = y + i * (BAR_HEIGHT + BAR_GAP)
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            parts.append(
                Markup('<rect x="{}" y="{}" width="{:.1f}" height="{}" fill="{}"></rect>').format(
                    LABEL_WIDTH, bar_y, width, BAR_HEIGHT, colour
                )
            )
            parts.append(
                Markup('<text x="{:.1f}" y="{}" font-size="13" fill="{}">{}</text>').format(
                    LABEL_WIDTH + width + VALUE_GAP,
                    bar_y + BAR_HEIGHT - 6,
                    TEXT_COLOUR,
                    chart.label(i, g),
                )
            )
        y += group_height + GROUP_GAP
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
