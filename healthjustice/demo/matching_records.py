"""A labelled synthetic set for the identity matcher: people, and records of them as custody,
court, prison and community services write them, with documented corruption.

Seeded and reproducible. Every record carries the id of the person it describes (the label)
and the list of corruptions applied to it, so a benchmark can report recall by kind of error.

People. Names from Faker en_GB; 1 in 20 family names is double-barrelled; dates of birth
1950-2007; synthetic NHS numbers (the never-issued range, valid check digit); 70% have a PNC ID.
Hard negatives, added on purpose: `TWIN_SHARE` of people have a twin (same family name, date of
birth and postcode, another given name, their own identifiers) and `NAMESAKE_SHARE` a father or
son of the same given and family name at the same address, 18-40 years apart.

Records. Each person has 1 to 3 records (mean about 1.9), each from a source whose style it
follows: custody writes names in capitals with the date of birth; court has the long-form PNC ID
and a postcode; prison often writes "Smith, John" in one field and has no date of birth.
`CORRUPTION_RATES` is the chance each corruption is applied to a record where it can apply
(the test of the generator checks the measured shares against it).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

from healthjustice.matching.cleaning import RawRecord
from healthjustice.matching.records_file import COLUMNS
from healthjustice.people.nicknames import NAME_GROUPS

from .identifiers import pnc_id, sequential_nhs_numbers

SOURCES = ("custody", "court", "prison", "community")
TWIN_SHARE = 0.02
NAMESAKE_SHARE = 0.02
DOUBLE_BARRELLED_SHARE = 0.05
PNC_SHARE = 0.7

# The chance of each corruption on a record where it can apply.
CORRUPTION_RATES: dict[str, float] = {
    "nickname": 0.12,  # given name written in another form of the table (John -> Jon)
    "given_typo": 0.06,  # one letter changed, dropped, added or two swapped
    "family_typo": 0.06,
    "names_swapped": 0.04,  # given name in the family field and the other way round
    "one_field_name": 0.5,  # prison records only: "Smith, John" in the family field
    "double_barrel_part": 0.3,  # double-barrelled only: one part of the family name
    "dob_missing": 0.06,  # prison records: 0.6, see SOURCE_DOB_MISSING
    "dob_day_month_swapped": 0.03,  # only where the day is 12 or less and not the month
    "dob_typo": 0.03,  # one of day, month, year off by a little
    "dob_placeholder": 0.02,  # 01/01/1900
    "nhs_missing": 0.45,
    "nhs_mistyped": 0.02,  # one digit changed (usually fails the check digit)
    "pnc_missing": 0.3,
    "pnc_short_form": 0.5,  # 19/0123456A rather than 2019/0123456A
    "pnc_bad_check_letter": 0.01,
    "postcode_moved": 0.15,
    "postcode_nfa": 0.06,
    "postcode_missing": 0.15,
    "sex_missing": 0.05,
}
SOURCE_DOB_MISSING = {"prison": 0.6}


@dataclass
class Person:
    person_id: int
    given: str
    family: str
    sex: str
    dob: date
    nhs_number: str
    pnc_id: str
    postcode: str


@dataclass
class LabelledRecord:
    record_id: str
    person_id: int
    given_name: str
    family_name: str
    dob: str
    sex: str
    nhs_number: str
    pnc_id: str
    postcode: str
    source: str
    corruptions: list[str] = field(default_factory=list)


_NICKNAMES = {group[0]: group[1:] for group in NAME_GROUPS}
for _group in NAME_GROUPS:
    for _name in _group[1:]:
        _NICKNAMES.setdefault(_name, (_group[0],))


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word + rng.choice("aeiou")
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    letters = "abcdefghijklmnopqrstuvwxyz"
    if kind == 0:
        return word[:i] + rng.choice(letters) + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + rng.choice(letters) + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _nhs_mistype(rng: random.Random, number: str) -> str:
    i = rng.randrange(10)
    return number[:i] + str((int(number[i]) + rng.randint(1, 9)) % 10) + number[i + 1 :]


def make_people(count: int, seed: int) -> list[Person]:
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    nhs = sequential_nhs_numbers(rng)
    people: list[Person] = []
    postcodes = [fake.postcode() for _ in range(max(count // 3, 10))]

    def new(given: str, family: str, sex: str, dob: date, postcode: str) -> Person:
        year = rng.randint(max(dob.year + 12, 1990), 2025)
        pnc = pnc_id(rng, year) if rng.random() < PNC_SHARE else ""
        return Person(len(people), given, family, sex, dob, next(nhs), pnc, postcode)

    while len(people) < count:
        sex = rng.choice("MF")
        given = fake.first_name_male() if sex == "M" else fake.first_name_female()
        family = fake.last_name()
        if rng.random() < DOUBLE_BARRELLED_SHARE:
            family = f"{family}-{fake.last_name()}"
        dob = date(1950, 1, 1) + timedelta(days=rng.randrange(57 * 365))
        postcode = rng.choice(postcodes)
        people.append(new(given, family, sex, dob, postcode))
        roll = rng.random()
        if roll < TWIN_SHARE and len(people) < count:
            twin_sex = rng.choice("MF")
            twin_given = given
            while twin_given == given:
                twin_given = fake.first_name_male() if twin_sex == "M" else fake.first_name_female()
            people.append(new(twin_given, family, twin_sex, dob, postcode))
        elif roll < TWIN_SHARE + NAMESAKE_SHARE and len(people) < count and sex == "M":
            gap = timedelta(days=rng.randint(18 * 365, 40 * 365))
            other = dob - gap if dob.year > 1975 else dob + gap
            if other < date(2008, 1, 1):
                people.append(new(given, family, "M", other, postcode))
    return people


def _records_for(
    rng: random.Random, person: Person, postcodes: Sequence[str]
) -> Iterator[LabelledRecord]:
    howmany = rng.choices((1, 2, 3), weights=(0.35, 0.4, 0.25))[0]
    for n in range(howmany):
        source = rng.choice(SOURCES)
        applied: list[str] = []

        def hit(kind: str, rate: float | None = None) -> bool:
            if rng.random() < (CORRUPTION_RATES[kind] if rate is None else rate):
                applied.append(kind)  # noqa: B023
                return True
            return False

        given, family = person.given, person.family
        if given.lower() in _NICKNAMES and hit("nickname"):
            given = rng.choice(_NICKNAMES[given.lower()]).title()
        if hit("given_typo"):
            given = _typo(rng, given)
        if "-" in family and hit("double_barrel_part"):
            family = rng.choice(family.split("-"))
        if hit("family_typo"):
            family = _typo(rng, family)
        if hit("names_swapped"):
            given, family = family, given
        if source == "custody":
            given, family = given.upper(), family.upper()
        if source == "prison" and hit("one_field_name"):
            given, family = "", f"{family}, {given}"

        dob_text = person.dob.isoformat()
        if hit("dob_missing", SOURCE_DOB_MISSING.get(source)):
            dob_text = ""
        elif hit("dob_placeholder"):
            dob_text = "1900-01-01"
        elif (
            person.dob.day <= 12
            and person.dob.day != person.dob.month
            and hit("dob_day_month_swapped")
        ):
            dob_text = date(person.dob.year, person.dob.day, person.dob.month).isoformat()
        elif hit("dob_typo"):
            part = rng.randrange(3)
            y, m, d = person.dob.year, person.dob.month, person.dob.day
            if part == 0:
                y += rng.choice((-1, 1))
            elif part == 1:
                m = m % 12 + 1
            else:
                d = d % 28 + 1
            dob_text = date(y, m, min(d, 28)).isoformat()

        nhs = person.nhs_number
        if hit("nhs_missing"):
            nhs = ""
        elif hit("nhs_mistyped"):
            nhs = _nhs_mistype(rng, nhs)

        pnc = person.pnc_id
        if pnc:
            if hit("pnc_missing"):
                pnc = ""
            else:
                if hit("pnc_short_form"):
                    pnc = pnc[2:]
                if hit("pnc_bad_check_letter"):
                    letters = "ABCDEFGHJKLMNPQRTUVWXYZ".replace(pnc[-1], "")
                    pnc = pnc[:-1] + rng.choice(letters)

        postcode = person.postcode
        if hit("postcode_moved"):
            postcode = rng.choice(postcodes)
        elif hit("postcode_nfa"):
            postcode = "NFA"
        elif hit("postcode_missing"):
            postcode = ""
        sex = "" if hit("sex_missing") else person.sex
        yield LabelledRecord(
            f"{person.person_id}-{n}",
            person.person_id,
            given,
            family,
            dob_text,
            sex,
            nhs,
            pnc,
            postcode,
            source,
            applied,
        )


def make_records(people: Sequence[Person], seed: int) -> list[LabelledRecord]:
    rng = random.Random(seed + 1)
    postcodes = sorted({p.postcode for p in people})
    records: list[LabelledRecord] = []
    for person in people:
        records.extend(_records_for(rng, person, postcodes))
    return records


def make_labelled_set(people: int, seed: int = 1) -> list[LabelledRecord]:
    return make_records(make_people(people, seed), seed)


CSV_COLUMNS = COLUMNS


def raw_record(r: LabelledRecord) -> RawRecord:
    """A labelled record as the matcher reads it from a file."""
    return RawRecord(*(getattr(r, c) for c in COLUMNS))


def write_csv(records: Sequence[LabelledRecord], path: Path, *, labels: Path | None = None) -> None:
    """The records in the link_records input format; with `labels`, a second file of
    record_id,person_id,corruptions."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for r in records:
            writer.writerow([getattr(r, c) for c in CSV_COLUMNS])
    if labels is not None:
        with labels.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(("record_id", "person_id", "corruptions"))
            for r in records:
                writer.writerow((r.record_id, r.person_id, " ".join(r.corruptions)))
