"""CSV files that a spreadsheet opens as data, never as formulas ("CSV injection").

A spreadsheet treats a cell beginning with =, +, -, @, a tab or a carriage return as a
formula, so a team name or free text typed as `=HYPERLINK(...)` would run when the file is
opened. Every CSV the service writes goes through this module: such a text cell gets a leading
single quote, which spreadsheets show as text. Numbers (int, float, Decimal) are written as
they are, so a negative count stays a number.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose text cells cannot start a formula."""

    def __init__(self, out: IO[str], **kwargs: Any) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


# Generic for the type checker only: csv.DictWriter cannot be subscripted at runtime on 3.11.
if TYPE_CHECKING:
    _DictWriter = csv.DictWriter[str]
else:
    _DictWriter = csv.DictWriter


class SafeDictWriter(_DictWriter):
    """csv.DictWriter whose text cells (header included) cannot start a formula."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({k: safe_cell(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)
