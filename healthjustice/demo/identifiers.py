"""Synthetic identifiers: NHS numbers from the range never issued, PNC IDs, prison numbers."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator

import nhs_number

from healthjustice.people.identifiers import pnc_check_letter

# 900 000 000 0 to 999 999 999 9: the range the NHS never issues, kept for synthetic and test
# records (nhs-number's REGION_SYNTHETIC). The stems are those numbers without the check digit.
_SYNTHETIC_STEMS = range(
    nhs_number.REGION_SYNTHETIC.ranges[0].start // 10,
    nhs_number.REGION_SYNTHETIC.ranges[0].end // 10 + 1,
)
PRISON_NUMBER_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def demo_nhs_numbers(count: int, taken: Iterable[str | None] = ()) -> list[str]:
    """`count` distinct synthetic NHS numbers from the nhs-number package, avoiding `taken`."""
    seen = set(taken)
    found: list[str] = []
    while len(found) < count:
        for number in nhs_number.generate(
            for_region=nhs_number.REGION_SYNTHETIC, quantity=count - len(found)
        ):
            if number not in seen:
                seen.add(number)
                found.append(number)
    return found


def sequential_nhs_numbers(rng: random.Random, taken: Iterable[str | None] = ()) -> Iterator[str]:
    """Valid synthetic NHS numbers in sequence from a random start, skipping `taken`.

    Fast enough for hundreds of thousands: each stem needs one checksum, and stems whose
    Modulus 11 check digit would be 10 are skipped as the NHS does.
    """
    seen = set(taken)
    first, last = _SYNTHETIC_STEMS.start, _SYNTHETIC_STEMS.stop - 1
    start = rng.randint(first, last)
    stem = start
    while True:
        digits = str(stem)
        check = nhs_number.calculate_checksum(digits)
        if check is not None and check < 10:
            number = f"{digits}{check}"
            if number not in seen:
                yield number
        stem = first if stem == last else stem + 1
        if stem == start:
            raise RuntimeError("The synthetic NHS number range is used up")


def pnc_id(rng: random.Random, year: int) -> str:
    serial = rng.randint(1, 999_999)
    letter = pnc_check_letter(str(year), str(serial))
    return f"{year}/{serial:07d}{letter}"


def prison_number(rng: random.Random) -> str:
    letters = "".join(rng.choice(PRISON_NUMBER_LETTERS) for _ in range(2))
    return f"A{rng.randint(1000, 9999)}{letters}"
