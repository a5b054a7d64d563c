"""Building list files for tests, with dates relative to today."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from healthjustice.people.identifiers import pnc_check_letter

CUSTODY_HEADER = (
    "custody_suite,custody_record_number,arrival_time,name,date_of_birth,pnc_id,offence_category"
)
COURT_HEADER = "court,courtroom,hearing_time,name,date_of_birth,postcode,offence,pnc_id"
RELEASE_HEADER = "establishment,prison_number,name,date_of_birth,expected_release_date,release_type"


def pnc(year: str = "19", serial: str = "0123456") -> str:
    return f"{year}/{serial}{pnc_check_letter(year, serial)}"


def wrong_pnc(year: str = "19", serial: str = "0123456") -> str:
    right = pnc_check_letter(year, serial)
    wrong = "A" if right != "A" else "B"
    return f"{year}/{serial}{wrong}"


def arrived(hours: int = 3) -> str:
    return f"{timezone.localtime() - timedelta(hours=hours):%Y-%m-%d %H:%M}"


def hearing(days: int = 1) -> str:
    return f"{timezone.localtime() + timedelta(days=days):%Y-%m-%d} 10:00"


def release_on(days: int = 30) -> str:
    return f"{timezone.localdate() + timedelta(days=days):%Y-%m-%d}"


def csv_file(header: str, *rows: str) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def custody_row(
    number: str = "NAC/26/000001",
    name: str = "Fletcher, Daniel",
    dob: str = "1988-03-14",
    pnc_id: str | None = None,
    suite: str = "Northern Area Custody",
    category: str = "violence",
    at: str | None = None,
) -> str:
    return ",".join(
        [
            suite,
            number,
            at or arrived(),
            f'"{name}"',
            dob,
            pnc() if pnc_id is None else pnc_id,
            category,
        ]
    )
