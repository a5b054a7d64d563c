from datetime import date

import pytest

from healthjustice.matching.cleaning import (
    RawRecord,
    clean_dob,
    clean_family_name,
    clean_given_name,
    clean_nhs_number,
    clean_postcode,
    clean_record,
    clean_records,
    day_month_swapped,
)
from healthjustice.people.identifiers import pnc_id_key
from healthjustice.people.names import (
    canonical_given_name,
    first_given_name,
    given_name_variants,
    name_parts,
    split_full_name,
)
from healthjustice.people.nicknames import CANONICAL_GIVEN_NAME

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("JOHN", "john"), ("  john  paul ", "john"), ("Zoë", "zoe"), ("", "")],
)
def test_given_name_is_the_first_name_in_lower_case(raw, clean):
    assert clean_given_name(raw) == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Smith-Jones", ("smith jones", ("smith", "jones"))),
        ("SMITH  JONES", ("smith jones", ("smith", "jones"))),
        ("O'Brien", ("obrien", ("obrien",))),
    ],
)
def test_family_name_keeps_the_parts_of_a_double_barrelled_name(raw, clean):
    assert clean_family_name(raw) == clean


@pytest.mark.parametrize(
    ("name", "formal"),
    [
        ("Jon", "john"),
        ("JOHNNY", "john"),
        ("Bill", "william"),
        ("Peggy", "margaret"),
        ("Jonathan", "john"),
        ("Quentin", "quentin"),
        ("", ""),
    ],
)
def test_nicknames_and_formal_forms_share_one_name(name, formal):
    assert canonical_given_name(name) == formal


def test_the_variants_of_a_formal_name_are_exactly_the_names_with_that_formal_form():
    assert {"dan", "danny", "daniel"} <= given_name_variants("daniel")
    assert given_name_variants("zebedee") == {"zebedee"}
    assert given_name_variants("") == set()
    names = set(CANONICAL_GIVEN_NAME) | set(CANONICAL_GIVEN_NAME.values()) | {"zebedee"}
    for formal in {canonical_given_name(name) for name in names}:
        assert given_name_variants(formal) == {
            name for name in names if canonical_given_name(name) == formal
        }


def test_the_first_given_name_is_the_first_normalised_word():
    assert first_given_name("  JOHN-Paul ") == "john"
    assert first_given_name("") == ""


def test_name_parts_and_a_name_written_in_one_field():
    assert name_parts("  Mary-Ann  O'Neil ") == ["mary", "ann", "oneil"]
    assert split_full_name("Smith, John") == ("john", "smith")
    assert split_full_name("John Smith") == ("john", "smith")


def test_dates_of_birth_and_placeholders():
    assert clean_dob("1985-02-01", today=TODAY) == (date(1985, 2, 1), 1985, False)
    assert clean_dob("01/02/1985", today=TODAY) == (date(1985, 2, 1), 1985, False)
    # 01/01/1900 means "not known"; 01/01/YYYY means only the year is known.
    assert clean_dob("01/01/1900", today=TODAY) == (None, None, False)
    assert clean_dob("1985-01-01", today=TODAY) == (date(1985, 1, 1), 1985, True)
    assert clean_dob("31/02/1985", today=TODAY) == (None, None, False)
    assert clean_dob("2030-01-02", today=TODAY) == (None, None, False)
    assert clean_dob("", today=TODAY) == (None, None, False)


def test_day_and_month_swapped():
    assert day_month_swapped(date(1985, 2, 1), date(1985, 1, 2))
    assert not day_month_swapped(date(1985, 2, 1), date(1986, 1, 2))
    assert not day_month_swapped(date(1985, 3, 3), date(1985, 3, 3))


def test_nhs_number_needs_its_check_digit():
    assert clean_nhs_number("943 476 5919") == "9434765919"
    assert clean_nhs_number("9434765918") == ""
    assert clean_nhs_number("12345") == ""


def test_pnc_id_short_and_long_forms_meet_and_the_check_letter_is_verified():
    # 2019/0123456: (19 * 10^7 + 123456) mod 23 picks the letter.
    assert pnc_id_key("2019/0123456E") == pnc_id_key("19/123456E") == "19/0123456E"
    assert pnc_id_key("2019/0123456A") is None  # the letter should be E
    assert pnc_id_key("not a pnc") is None


def test_postcode_format_and_no_fixed_abode():
    assert clean_postcode("st41nf") == ("ST4 1NF", False)
    assert clean_postcode("NFA") == ("", True)
    assert clean_postcode("N.F.A.") == ("", True)
    assert clean_postcode("nowhere") == ("", False)


def test_a_record_from_a_prison_list_with_the_name_in_one_field():
    record = clean_record(
        RawRecord("r1", "", "SMITH, Jon", "", "m", "", "19/123456E", "NFA", "Prison"),
        today=TODAY,
    )
    assert (record.given, record.given_canonical, record.family) == ("jon", "john", "smith")
    assert record.dob is None and record.sex == "M" and record.pnc == "19/0123456E"
    assert record.no_fixed_abode and record.postcode == "" and record.source == "prison"


def test_cleaning_a_list_gives_what_cleaning_each_record_gives():
    from healthjustice.demo.matching_records import make_labelled_set, raw_record

    raws = [raw_record(r) for r in make_labelled_set(1_000, seed=31)] + [
        RawRecord("a", "", "Smith, John", "01/02/1985", "m", "943 476 5919", "19/123456E", "nfa"),
        RawRecord("b", "", "Smith, John", "1900-01-01", "X", "9434765918", "2019/0123456B"),
        RawRecord("c", "", "", "2999-01-01", "", "", "", "st41nf", " Court "),
        RawRecord("d", "Peggy", "Hughes-Parry", "1980-01-01", "F", "", "", "ST4 1NF"),
    ]
    assert clean_records(raws) == [clean_record(r) for r in raws]
