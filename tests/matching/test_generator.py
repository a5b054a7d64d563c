from collections import defaultdict

import nhs_number
import pytest

from healthjustice.demo.matching_records import (
    CORRUPTION_RATES,
    SOURCE_DOB_MISSING,
    make_labelled_set,
    make_people,
)
from healthjustice.people.identifiers import pnc_id_key

PEOPLE = 4000


@pytest.fixture(scope="module")
def records():
    return make_labelled_set(PEOPLE, seed=5)


def share(records, kind, where=lambda r: True):
    chosen = [r for r in records if where(r)]
    return sum(kind in r.corruptions for r in chosen) / len(chosen)


@pytest.mark.parametrize(
    "kind",
    ["given_typo", "family_typo", "names_swapped", "nhs_missing", "postcode_moved", "sex_missing"],
)
def test_corruptions_that_apply_to_every_record_come_at_their_documented_rate(records, kind):
    assert share(records, kind) == pytest.approx(CORRUPTION_RATES[kind], abs=0.015)


def test_rates_that_depend_on_the_source(records):
    assert share(records, "dob_missing", lambda r: r.source != "prison") == pytest.approx(
        CORRUPTION_RATES["dob_missing"], abs=0.015
    )
    assert share(records, "dob_missing", lambda r: r.source == "prison") == pytest.approx(
        SOURCE_DOB_MISSING["prison"], abs=0.04
    )
    prison_with_dob = lambda r: r.source == "prison" and "dob_missing" not in r.corruptions  # noqa: E731
    assert share(records, "one_field_name", prison_with_dob) == pytest.approx(
        CORRUPTION_RATES["one_field_name"], abs=0.06
    )


def test_records_per_person_and_the_source_styles(records):
    per_person = defaultdict(int)
    for r in records:
        per_person[r.person_id] += 1
    assert 1.8 < len(records) / len(per_person) < 2.0
    custody = [r for r in records if r.source == "custody" and r.given_name]
    assert all(r.given_name == r.given_name.upper() for r in custody)
    one_field = [r for r in records if "one_field_name" in r.corruptions]
    assert one_field and all(", " in r.family_name and not r.given_name for r in one_field)


def test_identifiers_are_valid_unless_corrupted(records):
    for r in records:
        if r.nhs_number and "nhs_mistyped" not in r.corruptions:
            assert nhs_number.is_valid(r.nhs_number)
        if r.pnc_id:
            assert (pnc_id_key(r.pnc_id) is None) == ("pnc_bad_check_letter" in r.corruptions)


def test_twins_and_namesakes_are_different_people():
    people = make_people(PEOPLE, seed=5)
    by_family_dob = defaultdict(list)
    by_name_address = defaultdict(list)
    for p in people:
        by_family_dob[(p.family, p.dob, p.postcode)].append(p)
        by_name_address[(p.given, p.family, p.postcode)].append(p)
    twins = [g for g in by_family_dob.values() if len(g) == 2]
    namesakes = [g for g in by_name_address.values() if len(g) == 2 and g[0].dob != g[1].dob]
    assert len(twins) > PEOPLE * 0.01 and len(namesakes) > PEOPLE * 0.005
    for group in twins + namesakes:
        assert group[0].nhs_number != group[1].nhs_number


def test_the_same_seed_gives_the_same_set():
    assert make_labelled_set(50, seed=3) == make_labelled_set(50, seed=3)
