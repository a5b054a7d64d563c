from healthjustice.imports.choices import ListKind
from healthjustice.imports.services import list_import
from healthjustice.organisations.choices import SiteKind
from healthjustice.organisations.models import Site
from tests.access.matrix import CARE_TEAM, CLINICAL, Case, allow
from tests.imports.lists import CUSTODY_HEADER, csv_file, custody_row


def _list(world):
    def build(w):
        suite = Site.objects.create(
            name="Northern Area Custody",
            kind=SiteKind.CUSTODY_SUITE,
            region=w.team.region,
            code="NAC",
        )
        suite.teams.add(w.team)
        return list_import(
            actor=w.users["practitioner"],
            team=w.team,
            kind=ListKind.CUSTODY,
            file_name="custody.csv",
            data=csv_file(CUSTODY_HEADER, custody_row(name="Priya Sharma", pnc_id="")),
        ).imported_list

    return world.get("imports_list", build)


def _list_id(world):
    return {"public_id": _list(world).public_id}


def _row_id(world):
    return {"public_id": _list(world).rows.get().public_id}


# Every clinical role holds the permission; a list and its rows are their team's only.
CASES = [
    Case("imports:home", allow(CLINICAL)),
    Case("imports:upload", allow(CLINICAL)),
    Case("imports:upload", allow(CLINICAL), method="POST", data=lambda w: {}),
    Case("imports:list", allow(CARE_TEAM, practitioner_other_team=404), kwargs=_list_id),
    Case(
        "imports:take_on",
        allow(CARE_TEAM, 302, practitioner_other_team=404),
        kwargs=_row_id,
        method="POST",
    ),
]
