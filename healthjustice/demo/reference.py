"""Demo regions, trusts, teams, sites and the data-sharing agreement.

Sites, trusts and ODS codes are the real ones serving Staffordshire and Stoke-on-Trent and the
Black Country; the teams, their names and the agreement are made up for the demo. Prisons carry
their establishment codes; the prisons near the Black Country (Birmingham, Hewell) and the
nearest immigration removal centre are listed under the region whose RECONNECT team takes
their releases.
Everything here is created with get-or-create, so loading it again changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from healthjustice.organisations.choices import CareSetting, Pathway, SiteKind
from healthjustice.organisations.models import (
    DataSharingAgreement,
    OpeningHours,
    Organisation,
    Region,
    Site,
    Team,
)

STAFFS = "staffs"
BLACK_COUNTRY = "blackcountry"

REGIONS = {
    STAFFS: "Staffordshire and Stoke-on-Trent",
    BLACK_COUNTRY: "Black Country",
}

MPFT = "RRE"
NSCHT = "RLY"
ORGANISATIONS = {
    MPFT: "Midlands Partnership University NHS Foundation Trust",
    NSCHT: "North Staffordshire Combined Healthcare NHS Trust",
}


@dataclass(frozen=True)
class TeamSpec:
    key: str
    name: str
    region: str
    ods_code: str
    pathway: str
    settings_covered: tuple[str, ...]


TEAMS = [
    TeamSpec(
        "staffs.custody",
        "Staffordshire custody liaison and diversion",
        STAFFS,
        MPFT,
        Pathway.LIAISON_DIVERSION,
        (CareSetting.POLICE_CUSTODY,),
    ),
    TeamSpec(
        "staffs.court",
        "Staffordshire courts liaison and diversion",
        STAFFS,
        MPFT,
        Pathway.LIAISON_DIVERSION,
        (CareSetting.COURT,),
    ),
    TeamSpec(
        "staffs.mhtr",
        "Stoke-on-Trent and North Staffordshire MHTR",
        STAFFS,
        NSCHT,
        Pathway.MHTR,
        (CareSetting.COMMUNITY, CareSetting.PROBATION, CareSetting.COURT),
    ),
    TeamSpec(
        "staffs.reconnect",
        "Staffordshire RECONNECT",
        STAFFS,
        MPFT,
        Pathway.RECONNECT,
        (CareSetting.PRISON, CareSetting.COMMUNITY),
    ),
    TeamSpec(
        "staffs.carers",
        "Staffordshire forensic carers' support",
        STAFFS,
        MPFT,
        Pathway.CARERS,
        (CareSetting.COMMUNITY,),
    ),
    TeamSpec(
        "blackcountry.custody",
        "Black Country custody liaison and diversion",
        BLACK_COUNTRY,
        MPFT,
        Pathway.LIAISON_DIVERSION,
        (CareSetting.POLICE_CUSTODY,),
    ),
    TeamSpec(
        "blackcountry.court",
        "Black Country courts liaison and diversion",
        BLACK_COUNTRY,
        MPFT,
        Pathway.LIAISON_DIVERSION,
        (CareSetting.COURT,),
    ),
    TeamSpec(
        "blackcountry.mhtr",
        "Black Country MHTR",
        BLACK_COUNTRY,
        MPFT,
        Pathway.MHTR,
        (CareSetting.COMMUNITY, CareSetting.PROBATION, CareSetting.COURT),
    ),
    TeamSpec(
        "blackcountry.reconnect",
        "Black Country RECONNECT",
        BLACK_COUNTRY,
        MPFT,
        Pathway.RECONNECT,
        (CareSetting.PRISON, CareSetting.COMMUNITY),
    ),
]


@dataclass(frozen=True)
class SiteSpec:
    name: str
    kind: str
    region: str
    address: str
    team_keys: tuple[str, ...]
    code: str = ""


_FEATHERSTONE_TEAMS = ("staffs.reconnect", "blackcountry.reconnect")
_STAFFS_COMMUNITY_TEAMS = ("staffs.mhtr", "staffs.reconnect", "staffs.carers")
_BC_COMMUNITY_TEAMS = ("blackcountry.mhtr", "blackcountry.reconnect")

SITES = [
    # Staffordshire Police's two 24-hour custody suites.
    SiteSpec(
        "Northern Area Custody",
        SiteKind.CUSTODY_SUITE,
        STAFFS,
        "Off the A500, Stoke-on-Trent",
        ("staffs.custody",),
    ),
    SiteSpec(
        "Watling Street Custody",
        SiteKind.CUSTODY_SUITE,
        STAFFS,
        "A5 Watling Street, Gailey, near Cannock",
        ("staffs.custody",),
    ),
    SiteSpec(
        "North Staffordshire Justice Centre",
        SiteKind.COURT,
        STAFFS,
        "Newcastle-under-Lyme",
        ("staffs.court", "staffs.mhtr"),
    ),
    SiteSpec(
        "Cannock Magistrates' Court",
        SiteKind.COURT,
        STAFFS,
        "Cannock",
        ("staffs.court", "staffs.mhtr"),
    ),
    SiteSpec(
        "Stoke-on-Trent Combined Court Centre",
        SiteKind.COURT,
        STAFFS,
        "Bethesda Street, Hanley, Stoke-on-Trent",
        ("staffs.court",),
    ),
    SiteSpec(
        "HMP Stafford",
        SiteKind.PRISON,
        STAFFS,
        "54 Gaol Road, Stafford ST16 3AW",
        ("staffs.reconnect",),
        "SFI",
    ),
    SiteSpec(
        "HMP Featherstone",
        SiteKind.PRISON,
        STAFFS,
        "Featherstone, near Wolverhampton",
        _FEATHERSTONE_TEAMS,
        "FSI",
    ),
    SiteSpec(
        "HMP Oakwood",
        SiteKind.PRISON,
        STAFFS,
        "Featherstone, near Wolverhampton",
        _FEATHERSTONE_TEAMS,
        "OWI",
    ),
    SiteSpec(
        "HMYOI Brinsford",
        SiteKind.PRISON,
        STAFFS,
        "Featherstone, near Wolverhampton",
        _FEATHERSTONE_TEAMS,
        "BCI",
    ),
    SiteSpec(
        "HMP/YOI Drake Hall", SiteKind.PRISON, STAFFS, "Eccleshall", ("staffs.reconnect",), "DHI"
    ),
    SiteSpec(
        "HMP Dovegate",
        SiteKind.PRISON,
        STAFFS,
        "Marchington, near Uttoxeter",
        ("staffs.reconnect",),
        "DGI",
    ),
    SiteSpec(
        "HMP/YOI Swinfen Hall",
        SiteKind.PRISON,
        STAFFS,
        "Near Lichfield",
        ("staffs.reconnect",),
        "SHI",
    ),
    SiteSpec(
        "HMYOI Werrington",
        SiteKind.PRISON,
        STAFFS,
        "Werrington, Stoke-on-Trent",
        ("staffs.reconnect",),
        "WNI",
    ),
    # Near the Black Country: most of its prison leavers come home from these.
    SiteSpec(
        "HMP Birmingham",
        SiteKind.PRISON,
        BLACK_COUNTRY,
        "Winson Green Road, Birmingham",
        ("blackcountry.reconnect",),
        "BMI",
    ),
    SiteSpec(
        "HMP Hewell",
        SiteKind.PRISON,
        BLACK_COUNTRY,
        "Hewell Lane, Redditch",
        ("blackcountry.reconnect",),
        "HEI",
    ),
    # No immigration removal centre is in either region; Yarl's Wood is the nearest.
    SiteSpec(
        "Yarl's Wood Immigration Removal Centre",
        SiteKind.IMMIGRATION_REMOVAL_CENTRE,
        BLACK_COUNTRY,
        "Twinwoods Business Park, Clapham, Bedford",
        ("blackcountry.reconnect", "staffs.reconnect"),
    ),
    SiteSpec(
        "Hanley community base",
        SiteKind.COMMUNITY_BASE,
        STAFFS,
        "Hanley, Stoke-on-Trent",
        _STAFFS_COMMUNITY_TEAMS,
    ),
    SiteSpec(
        "Stafford community base",
        SiteKind.COMMUNITY_BASE,
        STAFFS,
        "Stafford",
        _STAFFS_COMMUNITY_TEAMS,
    ),
    SiteSpec(
        "Cannock community base",
        SiteKind.COMMUNITY_BASE,
        STAFFS,
        "Cannock",
        ("staffs.mhtr", "staffs.reconnect"),
    ),
    # West Midlands Police custody serving the Black Country.
    SiteSpec(
        "Oldbury custody suite",
        SiteKind.CUSTODY_SUITE,
        BLACK_COUNTRY,
        "Bromford Road, Oldbury",
        ("blackcountry.custody",),
    ),
    SiteSpec(
        "Wolverhampton custody",
        SiteKind.CUSTODY_SUITE,
        BLACK_COUNTRY,
        "Wolverhampton",
        ("blackcountry.custody",),
    ),
    SiteSpec(
        "Wolverhampton Magistrates' Court",
        SiteKind.COURT,
        BLACK_COUNTRY,
        "Wolverhampton",
        ("blackcountry.court", "blackcountry.mhtr"),
    ),
    SiteSpec(
        "Walsall Magistrates' Court",
        SiteKind.COURT,
        BLACK_COUNTRY,
        "Walsall",
        ("blackcountry.court", "blackcountry.mhtr"),
    ),
    SiteSpec(
        "Dudley Magistrates' Court",
        SiteKind.COURT,
        BLACK_COUNTRY,
        "Dudley",
        ("blackcountry.court", "blackcountry.mhtr"),
    ),
    SiteSpec(
        "Wolverhampton community base",
        SiteKind.COMMUNITY_BASE,
        BLACK_COUNTRY,
        "Wolverhampton",
        _BC_COMMUNITY_TEAMS,
    ),
    SiteSpec(
        "West Bromwich community base",
        SiteKind.COMMUNITY_BASE,
        BLACK_COUNTRY,
        "West Bromwich",
        _BC_COMMUNITY_TEAMS,
    ),
    SiteSpec(
        "Walsall community base",
        SiteKind.COMMUNITY_BASE,
        BLACK_COUNTRY,
        "Walsall",
        _BC_COMMUNITY_TEAMS,
    ),
]

ALL_DAY = (datetime.time(0, 0), datetime.time(23, 59))
OFFICE_HOURS = (datetime.time(9, 0), datetime.time(17, 0))
WEEKDAYS = range(5)
EVERY_DAY = range(7)


def opening_hours_for(kind: str) -> list[tuple[int, datetime.time, datetime.time]]:
    """Custody suites are staffed round the clock; courts, prisons and bases in office hours."""
    if kind == SiteKind.CUSTODY_SUITE:
        return [(day, *ALL_DAY) for day in EVERY_DAY]
    return [(day, *OFFICE_HOURS) for day in WEEKDAYS]


AGREEMENT_REFERENCE = "DSA-SSOT-HJ-2024"
AGREEMENT_TITLE = "Staffordshire and Stoke-on-Trent health and justice partnership agreement"
AGREEMENT_STARTS = datetime.date(2024, 4, 1)
AGREEMENT_PURPOSES = [Pathway.LIAISON_DIVERSION, Pathway.MHTR, Pathway.RECONNECT]


@dataclass
class ReferenceData:
    regions: dict[str, Region]
    organisations: dict[str, Organisation]
    teams: dict[str, Team]
    sites: dict[str, Site]
    agreement: DataSharingAgreement


def _site(spec: SiteSpec, region: Region, teams: dict[str, Team]) -> Site:
    site, created = Site.objects.get_or_create(
        region=region,
        name=spec.name,
        defaults={"kind": spec.kind, "address": spec.address, "code": spec.code},
    )
    if spec.code and not site.code:
        # Loaded before sites had codes.
        Site.objects.filter(pk=site.pk).update(code=spec.code)
        site.code = spec.code
    if created:
        OpeningHours.objects.bulk_create(
            OpeningHours(site=site, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in opening_hours_for(spec.kind)
        )
    site.teams.add(*(teams[key] for key in spec.team_keys))
    return site


@transaction.atomic
def seed_reference() -> ReferenceData:
    regions = {key: Region.objects.get_or_create(name=name)[0] for key, name in REGIONS.items()}
    organisations = {
        code: Organisation.objects.get_or_create(ods_code=code, defaults={"name": name})[0]
        for code, name in ORGANISATIONS.items()
    }
    teams = {
        spec.key: Team.objects.get_or_create(
            organisation=organisations[spec.ods_code],
            name=spec.name,
            defaults={
                "region": regions[spec.region],
                "pathway": spec.pathway,
                "settings_covered": [str(s) for s in spec.settings_covered],
                # Ofcom's range for drama (01632 960xxx) and a reserved domain: never real.
                "phone": f"01632 960{number:03d}",
                "email": f"{spec.key.replace('.', '-')}@example.org",
            },
        )[0]
        for number, spec in enumerate(TEAMS, start=100)
    }
    sites = {spec.name: _site(spec, regions[spec.region], teams) for spec in SITES}
    agreement, created = DataSharingAgreement.objects.get_or_create(
        reference=AGREEMENT_REFERENCE,
        defaults={
            "title": AGREEMENT_TITLE,
            "purposes": [str(p) for p in AGREEMENT_PURPOSES],
            "starts_on": AGREEMENT_STARTS,
        },
    )
    if created:
        agreement.organisations.set([organisations[MPFT], organisations[NSCHT]])
        agreement.regions.set([regions[STAFFS]])
    return ReferenceData(regions, organisations, teams, sites, agreement)
