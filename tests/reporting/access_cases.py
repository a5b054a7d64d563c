from healthjustice.reporting.models import DataReturnExport
from healthjustice.reporting.periods import Month
from healthjustice.reporting.services import data_return_export_request
from tests.access.matrix import LEADERS, Case, allow


def _export(world) -> DataReturnExport:
    return world.get(
        "reporting_export",
        lambda w: data_return_export_request(
            actor=w.users["team_leader"], region=w.team.region, month=Month.current().previous()
        ),
    )


def _export_kwargs(world):
    return {"public_id": _export(world).public_id}


def _request_data(world):
    return {"region": str(world.team.region.public_id), "month": Month.current().previous().key}


CASES = [
    Case("reporting:dashboard", allow(LEADERS)),
    Case("reporting:export_request", allow(LEADERS, 302), method="POST", data=_request_data),
    Case("reporting:export_detail", allow(LEADERS), kwargs=_export_kwargs),
    Case("reporting:export_status", allow(LEADERS), kwargs=_export_kwargs),
    Case("reporting:export_download", allow(LEADERS), kwargs=_export_kwargs),
    Case("reporting:mhtr_dashboard", allow(LEADERS)),
    Case("reporting:mhtr_export_request", allow(LEADERS, 302), method="POST", data=_request_data),
    Case("reporting:reconnect_dashboard", allow(LEADERS)),
    Case(
        "reporting:reconnect_export_request",
        allow(LEADERS, 302),
        method="POST",
        data=_request_data,
    ),
]
