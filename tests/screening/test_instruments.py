"""Tests for the validated-instruments scorer (plain Python, no database)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthjustice.screening.instruments import (
    INSTRUMENTS,
    Band,
    Instrument,
    Item,
    Option,
    Score,
    external_outcome,
    get_instrument,
    score,
)

# The published bands, written out independently of the instrument data.
SPEC_BANDS: dict[str, list[tuple[str, int, int]]] = {
    "phq9": [
        ("minimal", 0, 4),
        ("mild", 5, 9),
        ("moderate", 10, 14),
        ("moderately severe", 15, 19),
        ("severe", 20, 27),
    ],
    "gad7": [("minimal", 0, 4), ("mild", 5, 9), ("moderate", 10, 14), ("severe", 15, 21)],
    "core10": [
        ("healthy", 0, 5),
        ("low", 6, 10),
        ("mild", 11, 14),
        ("moderate", 15, 19),
        ("moderate-to-severe", 20, 24),
        ("severe", 25, 40),
    ],
    "audit": [
        ("lower risk", 0, 7),
        ("increasing risk", 8, 15),
        ("higher risk", 16, 19),
        ("possible dependence", 20, 40),
    ],
    "auditc": [("negative", 0, 4), ("positive", 5, 12)],
    "dast10": [
        ("none", 0, 0),
        ("low", 1, 2),
        ("moderate", 3, 5),
        ("substantial", 6, 8),
        ("severe", 9, 10),
    ],
}
SPEC_ITEMS = {"phq9": 9, "gad7": 7, "core10": 10, "audit": 10, "auditc": 3, "dast10": 10}
SPEC_CUTOFFS = {"phq9": 10, "gad7": 10, "core10": 11, "auditc": 5, "audit": 8, "dast10": None}
CODES = sorted(SPEC_BANDS)
DASH = "\N{EN DASH}"


def exactly(message: str) -> str:
    return f"^{re.escape(message)}$"


# Every band's lowest and highest total: both sides of each boundary, plus 0 and the maximum.
BOUNDARY_CASES = [
    (code, total, name)
    for code, bands in SPEC_BANDS.items()
    for name, low, high in bands
    for total in sorted({low, high})
]


def answers_for_total(instrument: Instrument, total: int) -> list[int]:
    """Option indexes reaching ``total``, taking the highest-scoring fit item by item."""
    answers, remaining = [], total
    for item in instrument.items:
        fits = [i for i in range(len(item.options)) if item.option_score(i) <= remaining]
        best = max(fits, key=item.option_score)
        answers.append(best)
        remaining -= item.option_score(best)
    assert remaining == 0, f"cannot build {instrument.code} total {total}"
    return answers


def answers_strategy(code: str) -> st.SearchStrategy[list[int]]:
    items = get_instrument(code).items
    return st.tuples(*(st.integers(0, len(item.options) - 1) for item in items)).map(list)


# --- definitions --------------------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_instrument_definition_matches_published_bands(code: str) -> None:
    instrument = INSTRUMENTS[code]
    assert [(b.name, b.low, b.high) for b in instrument.bands] == SPEC_BANDS[code]
    assert len(instrument.items) == SPEC_ITEMS[code]
    assert instrument.max_total == SPEC_BANDS[code][-1][2]
    assert instrument.cutoff == SPEC_CUTOFFS[code]
    assert instrument.version and instrument.licence_note
    assert all(item.text for item in instrument.items)


def test_instruments_registry_has_exactly_six_codes() -> None:
    assert sorted(INSTRUMENTS) == CODES


def test_item_wording_risk_items_are_verbatim() -> None:
    assert INSTRUMENTS["phq9"].items[8].text == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert INSTRUMENTS["core10"].items[5].text == "I made plans to end my life"


def test_version_strings_name_the_instrument() -> None:
    assert INSTRUMENTS["phq9"].version == "PHQ-9 (2001)"
    for instrument in INSTRUMENTS.values():
        assert instrument.version.startswith(instrument.name)


def test_package_has_no_django_imports() -> None:
    package = Path(__file__).resolve().parents[2] / "healthjustice" / "screening" / "instruments"
    for path in package.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "import django" not in source and "from django" not in source, path


def test_instrument_with_band_gap_is_rejected() -> None:
    item = Item(1, "x", (Option("No", 0), Option("Yes", 1)))
    with pytest.raises(ValueError, match="gap or overlaps"):
        Instrument("x", "X", "X (1)", (item,), (Band("a", 0, 0), Band("b", 2, 2)), None, "", "", 1)


def test_instrument_with_wrong_max_total_is_rejected() -> None:
    item = Item(1, "x", (Option("No", 0), Option("Yes", 1)))
    with pytest.raises(ValueError, match="max_total"):
        Instrument("x", "X", "X (1)", (item,), (Band("a", 0, 2),), None, "", "", 2)


@pytest.mark.parametrize("threshold", [0, 2])
def test_instrument_with_reliable_change_out_of_range_is_rejected(threshold: int) -> None:
    item = Item(1, "x", (Option("No", 0), Option("Yes", 1)))
    with pytest.raises(ValueError, match="reliable change"):
        Instrument(
            "x",
            "X",
            "X (1)",
            (item,),
            (Band("a", 0, 1),),
            None,
            "",
            "",
            1,
            reliable_change=threshold,
        )


# --- bands and cut-offs ---------------------------------------------------------------


@pytest.mark.parametrize(("code", "total", "band"), BOUNDARY_CASES)
def test_band_boundary_scores_to_published_band(code: str, total: int, band: str) -> None:
    result = score(code, answers_for_total(INSTRUMENTS[code], total))
    assert (result.total, result.band) == (total, band)


@pytest.mark.parametrize(
    ("code", "total", "expected"),
    [
        ("phq9", 9, False),
        ("phq9", 10, True),
        ("gad7", 9, False),
        ("gad7", 10, True),
        ("core10", 10, False),
        ("core10", 11, True),
        ("auditc", 4, False),
        ("auditc", 5, True),
        ("audit", 7, False),
        ("audit", 8, True),
        ("dast10", 10, None),
    ],
)
def test_cutoff_boundary_sets_above_cutoff(code: str, total: int, expected: bool | None) -> None:
    assert score(code, answers_for_total(INSTRUMENTS[code], total)).above_cutoff is expected


# --- reverse scoring ------------------------------------------------------------------


def test_dast10_item3_no_scores_one() -> None:
    result = score("dast10", [0] * 10)
    assert result.item_scores == (0, 0, 1, 0, 0, 0, 0, 0, 0, 0)
    assert (result.total, result.band) == (1, "low")


def test_dast10_item3_yes_scores_zero() -> None:
    result = score("dast10", [0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
    assert (result.total, result.band) == (0, "none")


def test_dast10_all_yes_scores_nine() -> None:
    assert score("dast10", [1] * 10).total == 9


@pytest.mark.parametrize(("answer", "expected"), [(0, 4), (1, 3), (2, 2), (3, 1), (4, 0)])
def test_core10_items_2_and_3_reversed(answer: int, expected: int) -> None:
    answers = [0] * 10
    answers[1] = answers[2] = answer
    result = score("core10", answers)
    assert result.item_scores[1] == result.item_scores[2] == expected
    assert result.total == 2 * expected


def test_core10_other_items_not_reversed() -> None:
    result = score("core10", [4, 4, 4, 4, 4, 4, 4, 4, 4, 4])
    assert result.item_scores == (4, 0, 0, 4, 4, 4, 4, 4, 4, 4)
    assert result.total == 32


# --- risk flags -----------------------------------------------------------------------


def test_phq9_item9_raises_flag_with_total_one() -> None:
    result = score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert (result.total, result.band, result.above_cutoff) == (1, "minimal", False)
    assert result.risk_flag is True
    assert result.risk_items == (9,)


@pytest.mark.parametrize("answer", [1, 2, 3])
def test_phq9_item9_any_positive_answer_raises_flag(answer: int) -> None:
    assert score("phq9", [0] * 8 + [answer]).risk_flag is True


def test_phq9_item9_zero_no_flag_even_when_severe() -> None:
    result = score("phq9", [3] * 8 + [0])
    assert (result.total, result.band) == (24, "severe")
    assert (result.risk_flag, result.risk_items) == (False, ())


@pytest.mark.parametrize("answer", [1, 2, 3, 4])
def test_core10_item6_positive_raises_flag(answer: int) -> None:
    answers = [0, 4, 4, 0, 0, answer, 0, 0, 0, 0]
    result = score("core10", answers)
    assert (result.total, result.risk_flag, result.risk_items) == (answer, True, (6,))


def test_core10_item6_zero_no_flag() -> None:
    result = score("core10", [4, 0, 0, 4, 4, 0, 4, 4, 4, 4])
    assert (result.total, result.band, result.risk_flag) == (36, "severe", False)


@pytest.mark.parametrize("code", ["gad7", "auditc", "audit", "dast10"])
def test_instruments_without_risk_items_never_flag(code: str) -> None:
    answers = [len(item.options) - 1 for item in INSTRUMENTS[code].items]
    assert score(code, answers).risk_flag is False


# --- AUDIT scoring --------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "expected"), [(0, 0), (1, 2), (2, 4)])
def test_audit_items_9_and_10_scored_0_2_4(answer: int, expected: int) -> None:
    result = score("audit", [0] * 8 + [answer, answer])
    assert result.item_scores[8] == result.item_scores[9] == expected
    assert result.total == 2 * expected


def test_audit_item9_answer_3_out_of_range() -> None:
    with pytest.raises(
        ValueError, match=exactly(f"AUDIT item 9: answer 3 is out of range 0{DASH}2")
    ):
        score("audit", [0] * 8 + [3, 0])


def test_audit_items_1_to_8_scored_as_printed() -> None:
    result = score("audit", [0, 1, 2, 3, 4, 0, 1, 2, 0, 0])
    assert result.item_scores[:8] == (0, 1, 2, 3, 4, 0, 1, 2)


def test_auditc_maximum_is_positive() -> None:
    result = score("auditc", [4, 4, 4])
    assert (result.total, result.band, result.above_cutoff) == (12, "positive", True)


# --- validation -----------------------------------------------------------------------


def test_score_out_of_range_message_names_item() -> None:
    with pytest.raises(
        ValueError, match=exactly(f"PHQ-9 item 4: answer 7 is out of range 0{DASH}3")
    ):
        score("phq9", [0, 0, 0, 7, 0, 0, 0, 0, 0])


def test_score_wrong_length_message() -> None:
    with pytest.raises(ValueError, match=exactly("PHQ-9 needs 9 answers, got 8")):
        score("phq9", [0] * 8)


@pytest.mark.parametrize("length", [0, 6, 8])
def test_score_wrong_length_raises(length: int) -> None:
    with pytest.raises(ValueError, match=exactly(f"GAD-7 needs 7 answers, got {length}")):
        score("gad7", [0] * length)


def test_score_negative_answer_raises() -> None:
    with pytest.raises(
        ValueError, match=exactly(f"CORE-10 item 1: answer -1 is out of range 0{DASH}4")
    ):
        score("core10", [-1] + [0] * 9)


@pytest.mark.parametrize("bad", [True, False, 1.0, "1", None])
def test_score_non_int_answer_raises(bad: object) -> None:
    with pytest.raises(ValueError, match=r"^DAST-10 item 2: answer .* is not a whole number"):
        score("dast10", [0, bad] + [0] * 8)  # type: ignore[list-item]


@pytest.mark.parametrize("answers", ["000000000", None, {0: 0}])
def test_score_non_list_answers_raise(answers: object) -> None:
    with pytest.raises(ValueError, match="PHQ-9 answers must be a list"):
        score("phq9", answers)  # type: ignore[arg-type]


def test_score_accepts_tuple() -> None:
    assert score("auditc", (1, 1, 1)).total == 3  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["PHQ9", "phq-9", "ldsq", "", None])
def test_score_unknown_code_lists_known_codes(code: object) -> None:
    with pytest.raises(ValueError, match="known codes: audit, auditc, core10, dast10, gad7, phq9"):
        score(code, [0])  # type: ignore[arg-type]


def test_score_result_is_frozen() -> None:
    result = score("gad7", [0] * 7)
    assert isinstance(result, Score)
    with pytest.raises(AttributeError):
        result.total = 5  # type: ignore[misc]


# --- properties -----------------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_bands_cover_every_total_once(code: str) -> None:
    instrument = INSTRUMENTS[code]
    for total in range(instrument.max_total + 1):
        assert sum(band.contains(total) for band in instrument.bands) == 1, total
    outside = (-1, instrument.max_total + 1)
    assert not any(band.contains(total) for band in instrument.bands for total in outside)


@given(data=st.data(), code=st.sampled_from(CODES))
def test_property_total_within_range_and_in_one_band(data: st.DataObject, code: str) -> None:
    instrument = INSTRUMENTS[code]
    result = score(code, data.draw(answers_strategy(code)))
    assert 0 <= result.total <= instrument.max_total
    assert result.total == sum(result.item_scores)
    matching = [band.name for band in instrument.bands if band.contains(result.total)]
    assert matching == [result.band]
    if instrument.cutoff is not None:
        assert result.above_cutoff is (result.total >= instrument.cutoff)


@given(data=st.data(), code=st.sampled_from(CODES))
def test_property_out_of_range_answer_rejected(data: st.DataObject, code: str) -> None:
    answers = data.draw(answers_strategy(code))
    position = data.draw(st.integers(0, len(answers) - 1))
    size = len(INSTRUMENTS[code].items[position].options)
    answers[position] = data.draw(st.integers(max_value=-1) | st.integers(min_value=size))
    with pytest.raises(ValueError, match=f"item {position + 1}: answer"):
        score(code, answers)


# --- externally scored tools (LDSQ) ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "positive"), [(0, True), (46.5, True), (46.6, True), (46.61, False), (100, False)]
)
def test_external_outcome_ldsq_at_or_below_cutoff_is_positive(value: float, positive: bool) -> None:
    result, label = external_outcome("ldsq", value)
    assert result is positive
    assert label.startswith("screen positive" if positive else "screen negative")


@pytest.mark.parametrize("value", [-0.1, 100.1, math.nan, math.inf, True, "40"])
def test_external_outcome_invalid_value_raises(value: object) -> None:
    with pytest.raises(ValueError, match="LDSQ: value"):
        external_outcome("ldsq", value)  # type: ignore[arg-type]


def test_external_outcome_unknown_code_raises() -> None:
    with pytest.raises(ValueError, match="known codes: ldsq"):
        external_outcome("phq9", 10)
