"""A synthetic TS021 file laid out as ONS publishes it (Nomis bulk CSV, one row per area)."""

from __future__ import annotations

import csv
import io

GROUPS = [
    (
        "Asian, Asian British or Asian Welsh",
        ["Bangladeshi", "Chinese", "Indian", "Pakistani", "Other Asian"],
    ),
    (
        "Black, Black British, Black Welsh, Caribbean or African",
        ["African", "Caribbean", "Other Black"],
    ),
    (
        "Mixed or Multiple ethnic groups",
        [
            "White and Asian",
            "White and Black African",
            "White and Black Caribbean",
            "Other Mixed or Multiple ethnic groups",
        ],
    ),
    (
        "White",
        [
            "English, Welsh, Scottish, Northern Irish or British",
            "Irish",
            "Gypsy or Irish Traveller",
            "Roma",
            "Other White",
        ],
    ),
    ("Other ethnic group", ["Arab", "Any other ethnic group"]),
]


def header(measures: bool = False) -> list[str]:
    suffix = "; measures: Value" if measures else ""
    names = ["date", "geography", "geography code", "Ethnic group: Total: All usual residents"]
    for group, parts in GROUPS:
        names.append(f"Ethnic group: {group}")
        names += [f"Ethnic group: {group}: {p}" for p in parts]
    return names[:3] + [n + suffix for n in names[3:]]


def row(name: str, code: str, detail: dict[str, int] | None = None, base: int = 100) -> list[str]:
    """An area's row; `detail` sets named sub-categories, others are `base`."""
    detail = detail or {}
    values: list[int] = []
    groups: list[tuple[int, list[int]]] = []
    for _group, parts in GROUPS:
        counts = [detail.get(p, base) for p in parts]
        groups.append((sum(counts), counts))
    total = sum(g for g, _ in groups)
    values.append(total)
    for g, counts in groups:
        values.append(g)
        values += counts
    return ["2021", name, code, *(str(v) for v in values)]


def text(rows: list[list[str]], measures: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header(measures))
    writer.writerows(rows)
    return out.getvalue()
