"""Plausible synthetic people: the field values only, shared by the demo and the load data.

Names, streets and practices come from pools built once from Faker (en_GB), because a Faker call
per field is too slow for a hundred thousand people.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from healthjustice.people.choices import (
    AliasKind,
    CommunicationNeed,
    GenderIdentity,
    NhsNumberMissingReason,
    Religion,
    Sex,
    VeteranStatus,
)

from .ethnicity import EthnicityPicker
from .identifiers import pnc_id, prison_number
from .places import TOWNS, GpPractice, gp_practices, pick_area, random_postcode

NO_NHS_NUMBER_SHARE = 0.10
ALIAS_SHARE = 0.15
PNC_SHARE = 0.85
PRISON_NUMBER_SHARE = 0.25
NO_FIXED_ABODE_SHARE = 0.08
NO_GP_SHARE = 0.10

MISSING_REASONS = {
    NhsNumberMissingReason.NOT_YET_TRACED: 50,
    NhsNumberMissingReason.DECLINED: 20,
    NhsNumberMissingReason.UNABLE: 15,
    NhsNumberMissingReason.NOT_REGISTERED: 10,
    NhsNumberMissingReason.OTHER: 5,
}
SEXES = {Sex.MALE: 80, Sex.FEMALE: 19, Sex.NOT_KNOWN: 1}

# Each communication need is drawn on its own; these are demo rates, not prevalence figures.
COMMUNICATION_NEED_RATES = {
    CommunicationNeed.LEARNING_DISABILITY: 0.07,
    CommunicationNeed.AUTISM: 0.05,
    CommunicationNeed.ADHD: 0.10,
    CommunicationNeed.SLCN: 0.08,
    CommunicationNeed.HEARING: 0.03,
    CommunicationNeed.SIGHT: 0.02,
    CommunicationNeed.LITERACY: 0.12,
}
ADJUSTMENTS = [
    "Explain things slowly and check understanding",
    "Allow extra time and offer breaks",
    "Use a quiet room where possible",
    "Offer an appropriate adult",
    "Give written information in easy read",
    "Read documents aloud",
    "Face the person when speaking; they lip-read",
]
VETERAN = {
    VeteranStatus.NOT_VETERAN: 70,
    VeteranStatus.NOT_KNOWN: 18,
    VeteranStatus.VETERAN: 6,
    VeteranStatus.DECLINED: 4,
    "": 2,
}

_DEFAULT_RELIGION: dict[str, int] = {
    Religion.NO_RELIGION: 45,
    Religion.CHRISTIAN: 38,
    Religion.MUSLIM: 2,
    Religion.OTHER: 2,
    Religion.DECLINED: 6,
    Religion.NOT_KNOWN: 7,
}
RELIGION_BY_CODE: dict[str, dict[str, int]] = {
    "H": {Religion.SIKH: 45, Religion.HINDU: 40, Religion.MUSLIM: 5, Religion.NO_RELIGION: 10},
    "J": {Religion.MUSLIM: 90, Religion.NO_RELIGION: 4, Religion.DECLINED: 6},
    "K": {Religion.MUSLIM: 90, Religion.NO_RELIGION: 4, Religion.DECLINED: 6},
    "L": {
        Religion.MUSLIM: 35,
        Religion.HINDU: 20,
        Religion.CHRISTIAN: 15,
        Religion.BUDDHIST: 10,
        Religion.NO_RELIGION: 20,
    },
    "R": {Religion.NO_RELIGION: 55, Religion.BUDDHIST: 15, Religion.CHRISTIAN: 20, "": 10},
    "M": {Religion.CHRISTIAN: 60, Religion.NO_RELIGION: 30, Religion.MUSLIM: 5, "": 5},
    "N": {Religion.CHRISTIAN: 55, Religion.MUSLIM: 30, Religion.NO_RELIGION: 10, "": 5},
    "P": {Religion.CHRISTIAN: 55, Religion.MUSLIM: 15, Religion.NO_RELIGION: 25, "": 5},
}
# Code -> (share whose first language is not English, languages).
LANGUAGES_BY_CODE: dict[str, tuple[float, tuple[str, ...]]] = {
    "C": (0.35, ("Polish", "Romanian", "Lithuanian", "Latvian", "Slovak", "Czech", "Romany")),
    "H": (0.15, ("Punjabi", "Gujarati")),
    "J": (0.20, ("Urdu", "Punjabi", "Pahari-Pothwari")),
    "K": (0.25, ("Bengali", "Sylheti")),
    "L": (0.20, ("Tamil", "Pashto", "Dari", "Kurdish")),
    "R": (0.30, ("Cantonese", "Mandarin")),
    "N": (0.20, ("Somali", "Tigrinya", "Arabic", "French")),
    "S": (0.40, ("Arabic", "Kurdish", "Farsi")),
}


def _weighted(rng: random.Random, table: Mapping[Any, float]) -> Any:
    return rng.choices(list(table), list(table.values()))[0]


@dataclass
class Pools:
    male: list[str]
    female: list[str]
    family: list[str]
    streets: list[str]
    practices: dict[str, list[GpPractice]]

    @classmethod
    def build(cls, faker: Faker, rng: random.Random, size: int = 3000) -> Pools:
        return cls(
            male=[faker.first_name_male() for _ in range(size)],
            female=[faker.first_name_female() for _ in range(size)],
            family=[faker.last_name() for _ in range(size)],
            streets=[faker.street_address().replace("\n", ", ") for _ in range(size // 2)],
            practices=gp_practices(rng),
        )


@dataclass
class Draft:
    """A synthetic person before it is saved: field values and other names."""

    region: str
    area: str
    ethnic_code: str
    fields: dict[str, Any]
    aliases: list[tuple[str, str, str]] = field(default_factory=list)


class PersonGenerator:
    def __init__(
        self,
        rng: random.Random,
        pools: Pools,
        nhs_numbers: Iterator[str],
        today: datetime.date | None = None,
    ) -> None:
        self.rng = rng
        self.pools = pools
        self.nhs_numbers = nhs_numbers
        self.today = today or datetime.date.today()
        self.ethnicity = EthnicityPicker(rng)

    def _given(self, sex: str) -> str:
        pool = self.pools.female if sex == Sex.FEMALE else self.pools.male
        return self.rng.choice(pool)

    def _date_of_birth(self) -> datetime.date:
        age_days = int(self.rng.triangular(18, 75, 29) * 365.25)
        return self.today - datetime.timedelta(days=age_days)

    def _identity(self, sex: str) -> dict[str, Any]:
        given, family = self._given(sex), self.rng.choice(self.pools.family)
        dob = self._date_of_birth() if self.rng.random() > 0.01 else None
        gender = ""
        if self.rng.random() < 0.6:
            by_sex: dict[str, str] = {
                Sex.MALE: GenderIdentity.MALE,
                Sex.FEMALE: GenderIdentity.FEMALE,
            }
            gender = by_sex.get(sex, GenderIdentity.NOT_KNOWN)
            if self.rng.random() < 0.01:
                gender = GenderIdentity.NON_BINARY
        return {
            "given_name": given,
            "family_name": family,
            "preferred_name": self._given(sex) if self.rng.random() < 0.04 else "",
            "date_of_birth": dob,
            "date_of_birth_estimated": dob is not None and self.rng.random() < 0.04,
            "sex": sex,
            "gender_identity": gender,
        }

    def _identifiers(self, dob: datetime.date | None) -> dict[str, Any]:
        rng = self.rng
        values: dict[str, Any] = {"nhs_number": None, "nhs_number_missing_reason": ""}
        if rng.random() < NO_NHS_NUMBER_SHARE:
            values["nhs_number_missing_reason"] = _weighted(rng, MISSING_REASONS)
        else:
            values["nhs_number"] = next(self.nhs_numbers)
        values["pnc_id"] = ""
        if rng.random() < PNC_SHARE:
            earliest = max((dob.year + 16) if dob else 2000, 1995)
            values["pnc_id"] = pnc_id(
                rng, rng.randint(min(earliest, self.today.year), self.today.year)
            )
        values["prison_number"] = prison_number(rng) if rng.random() < PRISON_NUMBER_SHARE else ""
        return values

    def _needs(self, code: str) -> dict[str, Any]:
        rng = self.rng
        share, languages = LANGUAGES_BY_CODE.get(code, (0.0, ()))
        language = rng.choice(languages) if languages and rng.random() < share else "English"
        if rng.random() < 0.05:
            language = ""
        needs = [str(n) for n, rate in COMMUNICATION_NEED_RATES.items() if rng.random() < rate]
        adjustments = ""
        if needs:
            adjustments = "; ".join(rng.sample(ADJUSTMENTS, rng.randint(1, 2)))
        return {
            "religion": _weighted(rng, RELIGION_BY_CODE.get(code, _DEFAULT_RELIGION)),
            "first_language": language,
            "interpreter_needed": language not in ("", "English") and rng.random() < 0.5,
            "communication_needs": needs,
            "reasonable_adjustments": adjustments,
            "veteran_status": _weighted(rng, VETERAN),
        }

    def _address(self, area: str) -> dict[str, Any]:
        rng = self.rng
        town, districts = rng.choice(TOWNS[area])
        practice = rng.choice(self.pools.practices[town])
        values = {
            "address_line_1": "",
            "address_line_2": "",
            "town": "",
            "postcode": "",
            "no_fixed_abode": False,
            "gp_practice_code": "",
            "gp_practice_name": "",
        }
        if rng.random() >= NO_GP_SHARE:
            values["gp_practice_code"], values["gp_practice_name"] = practice.code, practice.name
        if rng.random() < NO_FIXED_ABODE_SHARE:
            values["no_fixed_abode"] = True
            return values
        values["address_line_1"] = rng.choice(self.pools.streets)[:120]
        values["town"] = town
        values["postcode"] = random_postcode(rng, rng.choice(districts))
        return values

    def _aliases(self, identity: dict[str, Any]) -> list[tuple[str, str, str]]:
        rng = self.rng
        if rng.random() >= ALIAS_SHARE:
            return []
        aliases = []
        for _ in range(rng.choices((1, 2), (80, 20))[0]):
            kind = rng.choices(
                (AliasKind.ALIAS, AliasKind.KNOWN_AS, AliasKind.PREVIOUS), (60, 25, 15)
            )[0]
            given, family = identity["given_name"], identity["family_name"]
            if kind == AliasKind.KNOWN_AS:
                given = self._given(identity["sex"])
            elif kind == AliasKind.PREVIOUS:
                family = rng.choice(self.pools.family)
            else:
                given = self._given(identity["sex"]) if rng.random() < 0.5 else given
                family = rng.choice(self.pools.family)
            aliases.append((given, family, str(kind)))
        return aliases

    def draft(self, region: str, area: str | None = None) -> Draft:
        area = area or pick_area(self.rng, region)
        code = self.ethnicity.pick(area)
        identity = self._identity(_weighted(self.rng, SEXES))
        fields = {
            **identity,
            **self._identifiers(identity["date_of_birth"]),
            **self._needs(code),
            **self._address(area),
            "ethnicity_self_reported": code != "99",
        }
        return Draft(region, area, code, fields, self._aliases(identity))
