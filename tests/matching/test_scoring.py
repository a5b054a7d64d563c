from collections import defaultdict

import pytest

from healthjustice.demo.matching_records import make_labelled_set
from healthjustice.matching.cleaning import RawRecord, clean_record
from healthjustice.matching.scoring import (
    candidate_pairs,
    connected_components,
    estimate_model,
    link,
    names_conflict,
)


def clean(labelled):
    return [
        clean_record(
            RawRecord(
                r.record_id,
                r.given_name,
                r.family_name,
                r.dob,
                r.sex,
                r.nhs_number,
                r.pnc_id,
                r.postcode,
                r.source,
            )
        )
        for r in labelled
    ]


def true_pairs(labelled):
    by_person = defaultdict(list)
    for i, r in enumerate(labelled):
        by_person[r.person_id].append(i)
    return [(a, b) for m in by_person.values() for x, a in enumerate(m) for b in m[x + 1 :]]


@pytest.fixture(scope="module")
def model():
    labelled = make_labelled_set(3000, seed=11)
    return estimate_model(clean(labelled), true_pairs(labelled), random_pair_count=50_000)


@pytest.fixture(scope="module")
def register():
    """Other people, so that the prior and the name frequencies are those of a real list."""
    return clean(make_labelled_set(2000, seed=12))


def decide(model, register, first, second):
    records = [clean_record(first), clean_record(second), *register]
    linkage = link(records, model)
    return linkage.clusters[0] == linkage.clusters[1]


def raw(record_id, given, family, dob="", sex="M", nhs="", pnc="", postcode="", source="court"):
    return RawRecord(record_id, given, family, dob, sex, nhs, pnc, postcode, source)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # Custody's capitals and court's nickname with the long-form PNC ID.
        (
            raw("a", "JOHN", "SMITH", "1985-02-01", pnc="19/123456E", source="custody"),
            raw("b", "Jon", "Smith", "1985-02-01", pnc="2019/0123456E"),
        ),
        # Given and family swapped, day and month swapped, same postcode.
        (
            raw("a", "Margaret", "Quayle", "1972-03-04", sex="F", postcode="ST4 1NF"),
            raw("b", "Quayle", "Peggy", "1972-04-03", sex="F", postcode="st41nf"),
        ),
        # "Smith, John" in one field without a date of birth, but the NHS number.
        (
            raw("a", "John", "Smithson", "1985-02-01", nhs="9434765919"),
            raw("b", "", "SMITHSON, John", nhs="943 476 5919", source="prison"),
        ),
        # One part of a double-barrelled name and a typo in the given name.
        (
            raw("a", "William", "Hughes-Parry", "1990-06-07", postcode="B17 5ZH"),
            raw("b", "Wiliam", "Parry", "1990-06-07", postcode="B17 5ZH"),
        ),
    ],
)
def test_the_same_person_written_differently_is_linked(model, register, first, second):
    assert decide(model, register, first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # Twins: same family name, date of birth and address, their own NHS numbers.
        (
            raw(
                "a", "Jessica", "Lawson", "1992-03-18", sex="F", nhs="9434765919", postcode="M1 9FS"
            ),
            raw("b", "Janet", "Lawson", "1992-03-18", sex="F", postcode="M1 9FS"),
        ),
        (
            raw("a", "Heather", "Turner", "1972-08-26", sex="F", postcode="G7 0SE"),
            raw("b", "Turner", "Jasmine", "1972-08-26", sex="F", postcode="G7 0SE"),
        ),
        # A father and son of the same name at the same address.
        (
            raw("a", "John", "Powell", "1962-09-03", postcode="E3 6YA"),
            raw("b", "John", "Powell", "1999-09-25", postcode="E3 6YA"),
        ),
        # Same name and date of birth but different NHS numbers and PNC IDs.
        (
            raw("a", "David", "Jones", "1980-05-05", nhs="9434765919", pnc="19/123456E"),
            raw("b", "David", "Jones", "1980-05-05", nhs="9434765870", pnc="2018/0000001Z"),
        ),
    ],
)
def test_different_people_stay_apart(model, register, first, second):
    assert not decide(model, register, first, second)


def test_names_conflict_unless_an_identifier_agrees():
    assert names_conflict((4, 0, 0, -1, -1, 0, 0))
    assert names_conflict((0, 2, 0, -1, -1, 0, 0))
    assert not names_conflict((4, 0, 0, 0, -1, 0, 0))
    assert not names_conflict((1, 1, 0, -1, -1, 0, 0))


def test_blocking_keeps_nearly_every_true_pair():
    labelled = make_labelled_set(3000, seed=13)
    records = clean(labelled)
    pairs = candidate_pairs(records)
    truth = true_pairs(labelled)
    recall = sum(p in pairs for p in truth) / len(truth)
    assert recall > 0.98
    # ...while comparing a tiny share of all pairs.
    assert len(pairs) < len(records) * 10


def test_a_name_sound_and_two_letters_pair_records_only_where_a_date_of_birth_is_missing():
    # "Jonathan" and "Joe" share only their first two letters, so with their family name these
    # records meet only under the "sound and two letters" key.
    def record(record_id, dob):
        return clean_record(RawRecord(record_id, "Jonathan", "Smith", dob))

    def other(record_id, dob):
        return clean_record(RawRecord(record_id, "Joe", "Smith", dob))

    undated = [record("a", ""), other("b", "")]
    assert candidate_pairs(undated) == {(0, 1)}
    one_dated = [record("a", "1980-01-02"), other("b", "")]
    assert candidate_pairs(one_dated) == {(0, 1)}
    both_dated = [record("a", "1980-01-02"), other("b", "1991-07-08")]
    assert candidate_pairs(both_dated) == set()


def test_connected_components():
    assert connected_components(5, [(0, 1), (3, 4), (1, 4)]) == [0, 0, 2, 0, 0]


def test_agreeing_on_a_rare_whole_name_weighs_more_than_on_a_common_one(monkeypatch):
    # "John" and "Smith" are common here and so is "John Smith"; "John Tully" is rare as a
    # whole name though both its parts are common.
    monkeypatch.setattr("healthjustice.matching.scoring.MIN_RECORDS_FOR_FREQUENCIES", 0)
    names = [("John", "Smith")] * 20 + [("John", "Tully")] * 2 + [("Ryan", "Tully")] * 18
    records = [clean_record(RawRecord(str(i), g, f)) for i, (g, f) in enumerate(names)]
    training = clean(make_labelled_set(300, seed=5))
    model = estimate_model(training, [], seed=5).for_records(records)
    common = model.match_weight(records[0], records[1])
    rare = model.match_weight(records[20], records[21])
    assert rare > common + 3
    assert model.full_name_frequency[("john", "tully")] == 2 / 40
