"""The dashboards' bar charts (`core.charts`), drawn from the figures' cells: a suppressed or
empty value is written in words, not drawn."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from healthjustice.core import charts

from .stats import Cell


@dataclass(frozen=True)
class Bar:
    label: str
    cell: Cell


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar], *, unit: str = "") -> Markup:
    drawn = [
        charts.Bar(
            b.label,
            b.cell.shown,
            b.cell.text + (f" {unit}" if unit and b.cell.shown is not None else ""),
        )
        for b in bars
    ]
    return charts.bar_chart(chart_id, title, drawn, label_width=350, value_width=130)
