"""The Liaison and Diversion monthly data return: one row per episode referred in the month.

It is a data return, not a list of people: no names, NHS numbers, dates of birth or
addresses, only an opaque episode reference and coded facts. The columns are documented in
docs/ld-monthly-return.md; change both together.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone

from healthjustice.core.csv_cells import SafeDictWriter
from healthjustice.interventions.choices import ServiceType
from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode, EpisodeStatus
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.models import Region
from healthjustice.screening.choices import Vulnerability
from healthjustice.screening.models import Screening

from .periods import Month

COLUMNS: tuple[str, ...] = (
    "episode_ref",
    "region",
    "team",
    "site",
    "setting",
    "referral_source",
    "referred_at",
    "identified_at",
    "screened_at",
    "assessed_at",
    "intervention_at",
    "closed_at",
    "closure_reason",
    "age_group",
    "sex",
    "ethnic_category_code",
    "ethnic_code_list",
    "vulnerabilities",
    "reports_issued_count",
    "reports_issued_types",
    "onward_referrals_count",
    "onward_referral_service_types",
    "onward_referrals_supported",
    "onward_referrals_attended",
    "onward_referrals_not_attended",
    "onward_referral_outcomes",
)

# (upper age limit exclusive, label); the last group has no upper limit.
AGE_GROUPS: tuple[tuple[int | None, str], ...] = (
    (18, "under 18"),
    (25, "18-24"),
    (35, "25-34"),
    (45, "35-44"),
    (55, "45-54"),
    (65, "55-64"),
    (None, "65+"),
)
AGE_NOT_KNOWN = "not known"
STAGE_COLUMNS: dict[str, str] = {
    Stage.IDENTIFIED: "identified_at",
    Stage.SCREENED: "screened_at",
    Stage.ASSESSED: "assessed_at",
    Stage.INTERVENTION: "intervention_at",
    Stage.CLOSED: "closed_at",
}
VULNERABILITY_ORDER = {v: i for i, v in enumerate(Vulnerability.values)}
SERVICE_ORDER = {s: i for i, s in enumerate(ServiceType.values)}
PROGRESS_STEPS = 20

Progress = Callable[[int, int], None]


class DataReturnError(Exception):
    """Bad input for the return (month, region or output path), in words for the user."""


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_group(born: date | None, on: date) -> str:
    if born is None:
        return AGE_NOT_KNOWN
    age = age_on(born, on)
    for limit, label in AGE_GROUPS:
        if limit is None or age < limit:
            return label
    return AGE_NOT_KNOWN


def timestamp(value: datetime | None) -> str:
    """ISO 8601 in UK local time with its offset, to the second; empty when absent."""
    if value is None:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def find_region(name: str) -> Region:
    region = Region.objects.filter(name__iexact=name.strip()).first()
    if region is None:
        known = ", ".join(Region.objects.values_list("name", flat=True)) or "none"
        raise DataReturnError(f"There is no region called '{name}'. Regions: {known}")
    return region


def episodes_for_return(region: Region, month: Month) -> QuerySet[Episode]:
    return (
        Episode.objects.filter(
            pathway=Pathway.LIAISON_DIVERSION,
            team__region=region,
            referred_at__gte=month.starts_at,
            referred_at__lt=month.next().starts_at,
        )
        .select_related("team", "site", "person", "person__ethnic_category__code_list")
        .only(
            "public_id",
            "setting",
            "referral_source",
            "referred_at",
            "team__name",
            "site__name",
            "person__date_of_birth",
            "person__sex",
            "person__ethnic_category__code",
            "person__ethnic_category__code_list__version",
        )
        .order_by("referred_at", "pk")
    )


def _report_model() -> Any | None:
    """Issued reports to criminal-justice partners, when the assessments app defines them."""
    try:
        model = apps.get_model("assessments", "Report")
    except LookupError:
        return None
    names = {f.name for f in model._meta.get_fields()}
    return model if {"episode", "report_type"} <= names else None


@dataclass
class _Related:
    history: dict[int, list[tuple[str, datetime, str]]]
    vulnerabilities: dict[int, set[str]]
    first_screening: dict[int, datetime]
    referrals: dict[int, list[tuple[str, bool | None, bool | None, str]]]
    reports: dict[int, list[str]] | None


def _related(ids: QuerySet) -> _Related:
    history: dict[int, list[tuple[str, datetime, str]]] = defaultdict(list)
    for episode_id, stage, at, reason in (
        EpisodeStatus.objects.filter(episode_id__in=ids)
        .order_by("episode_id", "seq")
        .values_list("episode_id", "stage", "at", "closure_reason")
    ):
        history[episode_id].append((stage, at, reason))
    vulnerabilities: dict[int, set[str]] = defaultdict(set)
    first_screening: dict[int, datetime] = {}
    for episode_id, found, screened_at in (
        Screening.objects.filter(episode_id__in=ids)
        .order_by("screened_at", "pk")
        .values_list("episode_id", "vulnerabilities", "screened_at")
    ):
        vulnerabilities[episode_id].update(v for v in found or [] if v in VULNERABILITY_ORDER)
        first_screening.setdefault(episode_id, screened_at)
    referrals: dict[int, list[tuple[str, bool | None, bool | None, str]]] = defaultdict(list)
    for episode_id, *rest in (
        OnwardReferral.objects.filter(episode_id__in=ids)
        .order_by("referred_on", "pk")
        .values_list(
            "episode_id", "service_type", "supported_to_first_appointment", "attended", "outcome"
        )
    ):
        referrals[episode_id].append(tuple(rest))  # type: ignore[arg-type]
    reports: dict[int, list[str]] | None = None
    model = _report_model()
    if model is not None:
        reports = defaultdict(list)
        issued = model._default_manager.filter(episode_id__in=ids)
        if "superseded_by" in {f.name for f in model._meta.get_fields()}:
            # A corrected report counts once: as its latest correction.
            issued = issued.filter(superseded_by__isnull=True)
        for episode_id, report_type in issued.order_by("pk").values_list(
            "episode_id", "report_type"
        ):
            reports[episode_id].append(report_type)
    return _Related(history, vulnerabilities, first_screening, referrals, reports)


def _row(episode: Episode, region: Region, related: _Related) -> dict[str, str]:
    person = episode.person
    referred_on = timezone.localtime(episode.referred_at).date()
    row: dict[str, str] = dict.fromkeys(COLUMNS, "")
    row.update(
        episode_ref=str(episode.public_id),
        region=region.name,
        team=episode.team.name,
        site=episode.site.name if episode.site else "",
        setting=episode.setting,
        referral_source=episode.referral_source,
        referred_at=timestamp(episode.referred_at),
        age_group=age_group(person.date_of_birth, referred_on),
        sex=person.sex,
        ethnic_category_code=person.ethnic_category.code if person.ethnic_category else "",
        ethnic_code_list=(
            person.ethnic_category.code_list.version if person.ethnic_category else ""
        ),
    )
    for stage, at, reason in related.history.get(episode.pk, []):
        column = STAGE_COLUMNS.get(stage)
        if column and not row[column]:
            row[column] = timestamp(at)
        if stage == Stage.CLOSED:
            row["closure_reason"] = reason
    # Only a recorded screening counts, not a move to "screened" by hand with a reason.
    row["screened_at"] = timestamp(related.first_screening.get(episode.pk))
    row["vulnerabilities"] = ";".join(
        sorted(related.vulnerabilities.get(episode.pk, ()), key=VULNERABILITY_ORDER.__getitem__)
    )
    if related.reports is not None:
        issued = related.reports.get(episode.pk, [])
        row["reports_issued_count"] = str(len(issued))
        row["reports_issued_types"] = ";".join(sorted(set(issued)))
    referrals = related.referrals.get(episode.pk, [])
    row["onward_referrals_count"] = str(len(referrals))
    row["onward_referral_service_types"] = ";".join(
        sorted({r[0] for r in referrals}, key=lambda s: SERVICE_ORDER.get(s, 99))
    )
    row["onward_referrals_supported"] = str(sum(r[1] is True for r in referrals))
    row["onward_referrals_attended"] = str(sum(r[2] is True for r in referrals))
    row["onward_referrals_not_attended"] = str(sum(r[2] is False for r in referrals))
    row["onward_referral_outcomes"] = ";".join(r[3] for r in referrals)
    return row


def data_return_rows(
    region: Region, month: Month, *, progress: Progress | None = None
) -> Iterator[dict[str, str]]:
    episodes = episodes_for_return(region, month)
    total = episodes.count()
    related = _related(episodes.values("id"))
    step = max(1, total // PROGRESS_STEPS)
    if progress:
        progress(0, total)
    for done, episode in enumerate(episodes.iterator(chunk_size=2000), start=1):
        yield _row(episode, region, related)
        if progress and (done % step == 0 or done == total):
            progress(done, total)


def write_data_return(
    out: IO[str], region: Region, month: Month, *, progress: Progress | None = None
) -> int:
    """Write the CSV (header and rows) to `out`; returns the number of rows."""
    writer = SafeDictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    rows = 0
    for row in data_return_rows(region, month, progress=progress):
        writer.writerow(row)
        rows += 1
    return rows


def check_output_path(path: Path) -> None:
    """Refuse a path that cannot be written before any work is done."""
    folder = path.parent
    if path.is_dir():
        raise DataReturnError(
            f"{path} is a folder: give a file name, for example {path}/return.csv"
        )
    if not folder.is_dir():
        raise DataReturnError(f"The folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise DataReturnError(f"The folder {folder} cannot be written to")


def write_file_atomically(path: Path, write: Callable[[IO[str]], int]) -> int:
    """Call `write` on a temporary file beside `path`, then rename it to `path`: never a
    partial file at `path`. Returns what `write` returns (the number of rows)."""
    check_output_path(path)
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed or removed below
            "w",
            dir=path.parent,
            prefix=f".{path.name}.",
            suffix=".part",
            delete=False,
            newline="",
            encoding="utf-8",
        )
    except OSError as exc:
        raise DataReturnError(f"Cannot write to {path.parent}: {exc.strerror}") from exc
    temp = Path(handle.name)
    try:
        with handle:
            rows = write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return rows


def write_data_return_file(
    path: Path, region: Region, month: Month, *, progress: Progress | None = None
) -> int:
    """Write the return to `path` (see `write_file_atomically`)."""
    return write_file_atomically(
        path, lambda handle: write_data_return(handle, region, month, progress=progress)
    )
