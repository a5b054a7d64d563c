"""A row is known only on real evidence; weaker likenesses are possible matches that still
offer to register the person; and a whole list matched together agrees with each row matched
on its own."""

import random
from datetime import date

import pytest

from healthjustice.imports.choices import MatchState
from healthjustice.imports.models import ListRow
from healthjustice.imports.selectors import match_rows, row_match, rows_shown
from healthjustice.imports.services import row_take_on
from healthjustice.matching.lookup import ONE_STATEMENT_UP_TO
from healthjustice.people.models import Person
from healthjustice.people.services import person_update
from tests.factories import PersonFactory
from tests.imports.lists import custody_row, pnc
from tests.imports.test_rows import DOB, _custody

pytestmark = pytest.mark.django_db


def _daniel(lw, **fields):
    values = {"given_name": "Daniel", "family_name": "Fletcher", "date_of_birth": DOB}
    return PersonFactory(team=lw.team, **(values | fields))


def test_a_namesake_without_a_date_of_birth_is_only_possible_and_can_be_registered(lw):
    person = _daniel(lw)
    undated = _daniel(lw, date_of_birth=None)
    (row,) = _custody(lw, custody_row(dob="", pnc_id=""))
    match = row_match(lw.practitioner, row)
    assert match.state == MatchState.POSSIBLE
    assert set(match.people) == {person, undated}
    assert row.match_state == MatchState.POSSIBLE
    taken = row_take_on(actor=lw.practitioner, row=row)
    assert taken.person not in (person, undated) and Person.objects.count() == 3


def test_a_dated_row_is_not_known_by_a_namesake_whose_date_is_not_recorded(lw):
    undated = _daniel(lw, date_of_birth=None)
    (row,) = _custody(lw, custody_row(pnc_id=""))
    match = row_match(lw.practitioner, row)
    assert (match.state, match.people) == (MatchState.POSSIBLE, [undated])


def test_the_same_name_born_on_another_day_is_not_known(lw):
    _daniel(lw, date_of_birth=date(1960, 3, 14))  # the father
    _daniel(lw, date_of_birth=date(1988, 9, 30))  # another Daniel Fletcher, months apart
    (row,) = _custody(lw, custody_row(pnc_id=""))
    assert row_match(lw.practitioner, row).state == MatchState.NEW


def test_a_twin_of_a_close_given_name_is_not_known(lw):
    sister = _daniel(lw, given_name="Danielle")
    _daniel(lw, given_name="Thomas")
    (row,) = _custody(lw, custody_row(pnc_id=""))
    match = row_match(lw.practitioner, row)
    assert match.state == MatchState.POSSIBLE and match.people == [sister]


def test_a_nickname_with_day_and_month_swapped_is_known(lw):
    person = _daniel(lw, date_of_birth=date(1988, 3, 4))
    (row,) = _custody(lw, custody_row(name="FLETCHER, DAN", dob="1988-04-03", pnc_id=""))
    match = row_match(lw.practitioner, row)
    assert (match.state, match.people, match.by) == (
        MatchState.KNOWN,
        [person],
        "name and date of birth",
    )


@pytest.mark.parametrize(
    "name",
    [
        "GLETCHER, DANIEL",  # the family name mistyped at its first letter
        "Gletcher, Dan",  # and a nickname for the given name
        "Fletcher, Yaniel",  # the given name mistyped at its first letter
        "Daniel, Gletcher",  # written given first, the family mistyped at its first letter
    ],
)
def test_a_name_mistyped_at_its_first_letter_is_found_by_the_date_of_birth(lw, name):
    person = _daniel(lw)
    _daniel(lw, given_name="Thomas", family_name="Fletcher", date_of_birth=date(1988, 3, 15))
    (row,) = _custody(lw, custody_row(name=name, pnc_id=""))
    match = row_match(lw.practitioner, row)
    assert match.state in (MatchState.KNOWN, MatchState.POSSIBLE)
    assert match.people == [person]


def test_a_name_mistyped_at_its_first_letter_with_day_and_month_swapped_is_found(lw):
    person = _daniel(lw, date_of_birth=date(1988, 3, 4))
    (row,) = _custody(lw, custody_row(name="Gletcher, Daniel", dob="1988-04-03", pnc_id=""))
    assert row_match(lw.practitioner, row).people == [person]


def test_a_date_of_birth_edited_on_the_record_is_the_one_rows_are_matched_on(lw):
    person = _daniel(lw, date_of_birth=date(1970, 1, 5))
    person_update(
        actor=lw.leader,
        person=person,
        data={"date_of_birth": DOB},
        expected_version=person.version,
    )
    (row,) = _custody(lw, custody_row(name="Gletcher, Daniel", pnc_id=""))
    assert row_match(lw.practitioner, row).people == [person]


def test_an_identifier_that_agrees_is_known_unless_the_date_of_birth_says_otherwise(lw):
    person = _daniel(lw, given_name="Dan", pnc_id="2019/0123456E")
    (row,) = _custody(lw, custody_row(name="Danny Fletcher", pnc_id=pnc()))
    match = row_match(lw.practitioner, row)
    assert (match.state, match.people, match.by) == (MatchState.KNOWN, [person], "identifier")
    person.date_of_birth = date(1961, 7, 20)
    person.save()
    match = row_match(lw.practitioner, row)
    assert (match.state, match.people) == (MatchState.POSSIBLE, [person])


def test_an_nhs_number_that_agrees_is_known(lw):
    person = _daniel(lw, family_name="Fletcher-Hughes", nhs_number="9434765919")
    row = ListRow(
        given_name="Daniel", family_name="Hughes", date_of_birth=None, nhs_number="9434765919"
    )
    match = row_match(lw.practitioner, row)
    assert (match.state, match.people, match.by) == (MatchState.KNOWN, [person], "identifier")


def test_a_whole_list_matched_together_agrees_with_each_row_on_its_own(lw):
    rng = random.Random(12)
    given = ["Daniel", "Danielle", "Dan", "John", "Jon", "Sarah", "Amy"]
    family = ["Fletcher", "Smith", "Smyth", "Patel"]
    days = [DOB, date(1988, 4, 3), date(1990, 1, 2), None]
    for _ in range(12):
        PersonFactory(
            team=rng.choice([lw.team, lw.other_team]),
            given_name=rng.choice(given),
            family_name=rng.choice(family),
            date_of_birth=rng.choice(days),
            pnc_id=rng.choice(["", "2019/0123456E"]),
        )
    rows = []
    # More rows than are looked up in one statement (`lookup.ONE_STATEMENT_UP_TO`), so the
    # list's way (a query a kind of key) is held to a row's way on PostgreSQL.
    for n in range(ONE_STATEMENT_UP_TO + 10):
        day = rng.choice(days)
        rows.append(
            custody_row(
                number=f"NAC/26/{n:06d}",
                name=f"{rng.choice(family)}, {rng.choice(given)}",
                dob=day.isoformat() if day else "",
                pnc_id=rng.choice(["", pnc()]),
            )
        )
    listed = _custody(lw, *rows)
    together = match_rows(lw.practitioner, listed)
    alone = [row_match(lw.practitioner, row) for row in listed]
    summary = [(m.state, m.person_ids, m.hidden, m.by) for m in together]
    assert summary == [(m.state, m.person_ids, m.hidden, m.by) for m in alone]
    assert [r.match_state for r in listed] == [m.state for m in together]
    assert {m.state for m in together} >= {MatchState.KNOWN, MatchState.POSSIBLE}
    assert [s.match.person_ids for s in rows_shown(lw.practitioner, listed)] == [
        m.person_ids for m in together
    ]
