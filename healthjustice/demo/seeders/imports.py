"""Last night's custody list at Northern Area Custody, uploaded by the Staffordshire custody
team: people the team knows, one another team holds, and people new to the service, with one
row that has a mistake, so the list page shows each state (docs/imports.md)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from django.utils import timezone

from healthjustice.demo.reference import BLACK_COUNTRY, STAFFS
from healthjustice.demo.registry import DemoContext, register_demo_reset, register_demo_seeder
from healthjustice.imports.choices import ListKind
from healthjustice.imports.formats import COLUMNS
from healthjustice.imports.models import ImportedList
from healthjustice.imports.services import list_import
from healthjustice.journeys.choices import OffenceCategory

SUITE = "Northern Area Custody"


@register_demo_seeder
def seed_custody_list(ctx: DemoContext) -> None:
    team = ctx.teams[f"{STAFFS}.custody"]
    known = ctx.people_by_team.get(f"{STAFFS}.custody", [])[:2]
    elsewhere = ctx.people_by_team.get(f"{BLACK_COUNTRY}.custody", [])[:1]
    named: list[tuple[str, str, date | None]] = [
        (p.family_name, p.given_name, p.date_of_birth) for p in [*known, *elsewhere]
    ]
    for _ in range(3):
        born = ctx.faker.date_of_birth(minimum_age=18, maximum_age=70)
        named.append((ctx.faker.last_name(), ctx.faker.first_name(), born))
    now = timezone.localtime()
    categories = [c.value for c in OffenceCategory]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.name for c in COLUMNS[ListKind.CUSTODY] if not c.optional_column])
    for n, (family, given, dob) in enumerate(named, start=1):
        arrived = now - timedelta(hours=2 + 3 * n)
        writer.writerow(
            [
                SUITE,
                f"NAC/{now:%y}/{4500 + n:06d}",
                f"{arrived:%Y-%m-%d %H:%M}",
                f"{family}, {given}",
                f"{dob:%Y-%m-%d}" if dob else "",
                "",
                ctx.rng.choice(categories),
            ]
        )
    # A mistake the page lists with its line: a date of birth that is not a date.
    writer.writerow(
        [SUITE, f"NAC/{now:%y}/004599", f"{now:%Y-%m-%d} 01:10", "Doe, Sam", "31/02/1990", "", ""]
    )
    list_import(
        actor=ctx.users[f"practitioner.{STAFFS}"],
        team=team,
        kind=ListKind.CUSTODY,
        file_name=f"custody-list-{now:%Y-%m-%d}.csv",
        data=out.getvalue().encode(),
    )
    ctx.log("Custody list: 1 uploaded to the Staffordshire custody team")


@register_demo_reset
def reset_imports_demo() -> None:
    """Remove the lists the demo's accounts uploaded: they hold the accounts and the teams."""
    ImportedList.objects.filter(uploaded_by__is_demo=True).delete()
