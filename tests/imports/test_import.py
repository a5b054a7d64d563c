"""Reading and importing lists: every kind of bad input, and importing twice."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings

from healthjustice.audit.models import AuditEvent
from healthjustice.imports.choices import ListKind
from healthjustice.imports.models import ImportedList, ListRow
from healthjustice.imports.services import list_import
from tests.imports.lists import (
    COURT_HEADER,
    CUSTODY_HEADER,
    RELEASE_HEADER,
    csv_file,
    custody_row,
    hearing,
    pnc,
    release_on,
    wrong_pnc,
)

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def _import(lw, data: bytes, kind=ListKind.CUSTODY, actor=None, team=None):
    return list_import(
        actor=actor or lw.practitioner,
        team=team or lw.team,
        kind=kind,
        file_name="list.csv",
        data=data,
    )


def _file_error(lw, data: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as exc:
        _import(lw, data, **kwargs)
    assert not ImportedList.objects.exists()
    assert not ListRow.objects.exists()
    return " ".join(exc.value.message_dict["file"])


def test_a_good_custody_list_keeps_every_row(lw):
    result = _import(
        lw,
        csv_file(
            CUSTODY_HEADER,
            custody_row("NAC/1"),
            custody_row("NAC/2", name="Aisha Begum", dob="02/11/1996", pnc_id=""),
        ),
    )
    assert result.added == 2 and not result.errors
    rows = list(ListRow.objects.order_by("line"))
    assert [r.line for r in rows] == [2, 3]
    assert (rows[0].given_name, rows[0].family_name) == ("Daniel", "Fletcher")
    assert (rows[1].given_name, rows[1].family_name) == ("Aisha", "Begum")
    assert rows[0].pnc_id == pnc() and rows[0].site == lw.suite
    assert rows[0].offence_category == "violence"
    assert result.imported_list.rows_added == 2
    assert AuditEvent.objects.filter(object_type="imported_list", action="create").exists()


def test_the_site_is_found_by_its_code_too(lw):
    result = _import(lw, csv_file(CUSTODY_HEADER, custody_row(suite="nac")))
    assert result.added == 1
    assert ListRow.objects.get().site == lw.suite


def test_wrong_headers_refuse_the_file_and_name_the_columns(lw):
    message = _file_error(lw, csv_file("suite,record,arrival_time,name", custody_row()))
    assert "missing the columns custody_suite, custody_record_number" in message
    assert "has the columns suite, record that a custody list does not have" in message
    assert CUSTODY_HEADER.split(",")[0] in message


def test_a_missing_column_is_named(lw):
    header = CUSTODY_HEADER.replace(",pnc_id", "")
    message = _file_error(lw, csv_file(header, "Northern Area Custody,N1,2026-01-01 10:00,A B,,"))
    assert "missing the column pnc_id" in message


def test_a_court_list_uploaded_as_a_custody_list_is_refused(lw):
    message = _file_error(lw, csv_file(COURT_HEADER, "x,1,2026-01-01 10:00,A B,,,,"))
    assert "a custody list does not have" in message


def test_a_file_that_is_not_csv_is_refused(lw):
    zipped = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4
    assert "not a CSV file" in _file_error(lw, zipped)
    latin1 = CUSTODY_HEADER.encode() + "\nNorthern Area Custody,N1,,Zoë \xff".encode("latin-1")
    assert "UTF-8" in _file_error(lw, latin1)


def test_an_empty_file_and_a_header_alone_are_refused(lw):
    assert "empty" in _file_error(lw, b"")
    assert "no rows" in _file_error(lw, csv_file(CUSTODY_HEADER))


@override_settings(HJ_LIST_MAX_BYTES=200)
def test_a_file_too_big_is_refused(lw):
    rows = [custody_row(f"NAC/{n}") for n in range(10)]
    assert "smaller than" in _file_error(lw, csv_file(CUSTODY_HEADER, *rows))


def test_bad_rows_are_listed_with_line_and_reason_and_good_rows_kept(lw):
    data = csv_file(
        CUSTODY_HEADER,
        custody_row("NAC/1"),
        custody_row("NAC/2", dob="31/02/1990"),
        custody_row("NAC/3", pnc_id=wrong_pnc()),
        custody_row("NAC/4", pnc_id="2019-123"),
        custody_row("NAC/5", suite="Hanley custody"),
        custody_row("NAC/6", category="jaywalking"),
        custody_row("NAC/7", at="yesterday"),
        custody_row("NAC/8", name="Cher"),
        custody_row("NAC/1"),
    )
    result = _import(lw, data)
    assert result.added == 1
    messages = {e.line: e.message for e in result.errors}
    assert "date of birth '31/02/1990' is not a date" in messages[3]
    assert "wrong check letter" in messages[4]
    assert "not in the form year/number" in messages[5]
    assert "'Hanley custody' is not a known custody suite" in messages[6]
    assert "offence category 'jaywalking' is not one of" in messages[7]
    assert "arrival time 'yesterday' is not a date and time" in messages[8]
    assert "needs a first name and a last name" in messages[9]
    assert messages[10] == "Line 10 repeats line 2 of this file"
    assert all(m.startswith(f"Line {n}") for n, m in messages.items())
    imported = result.imported_list
    assert imported.rows_refused == 8
    assert imported.errors[0] == {"line": 3, "message": messages[3]}


def test_an_nhs_number_with_a_wrong_check_digit_is_refused(lw):
    header = CUSTODY_HEADER + ",nhs_number"
    result = _import(
        lw,
        csv_file(
            header, custody_row("NAC/1") + ",9354338941", custody_row("NAC/2") + ",9354338942"
        ),
    )
    assert result.added == 1
    assert "NHS number '9354338942'" in result.errors[0].message
    assert ListRow.objects.get().nhs_number == "9354338941"


def test_a_suite_the_team_does_not_work_at_is_refused(lw):
    result = _import(
        lw, csv_file(CUSTODY_HEADER, custody_row()), team=lw.other_team, actor=lw.other
    )
    assert result.added == 0
    assert "does not work at the custody suite" in result.errors[0].message


def test_a_list_for_a_team_the_user_is_not_in_is_refused(lw):
    with pytest.raises(PermissionDenied):
        _import(lw, csv_file(CUSTODY_HEADER, custody_row()), actor=lw.other)
    assert not ListRow.objects.exists()


def test_a_list_for_the_wrong_kind_of_team_is_refused(lw):
    with pytest.raises(ValidationError) as exc:
        _import(lw, csv_file(RELEASE_HEADER, "x"), kind=ListKind.RELEASE)
    assert "RECONNECT team" in exc.value.message_dict["team"][0]


def test_importing_the_same_file_again_changes_nothing(lw):
    data = csv_file(CUSTODY_HEADER, custody_row("NAC/1"), custody_row("NAC/2", pnc_id=""))
    first = _import(lw, data)
    again = _import(lw, data)
    assert again.same_file and again.imported_list == first.imported_list
    assert ImportedList.objects.count() == 1 and ListRow.objects.count() == 2


def test_rows_already_imported_from_another_file_are_not_added_twice(lw):
    _import(lw, csv_file(CUSTODY_HEADER, custody_row("NAC/1")))
    later = _import(lw, csv_file(CUSTODY_HEADER, custody_row("NAC/1"), custody_row("NAC/2")))
    assert (later.added, later.already) == (1, 1)
    assert ListRow.objects.count() == 2
    # Nothing new at all: no list is made.
    again = _import(lw, csv_file(CUSTODY_HEADER, custody_row("NAC/2"), ""))
    assert again.imported_list is None and again.already == 1
    assert ImportedList.objects.count() == 2


def test_a_court_list(lw):
    data = csv_file(
        COURT_HEADER,
        f'North Staffordshire Justice Centre,3,{hearing()},"Fletcher, Daniel",1988-03-14,'
        f"st41nf,Assault by beating,{pnc()}",
        f"North Staffordshire Justice Centre,3,{hearing()},Chloe Whitmore,1992-05-21,NFA,Theft,",
        f"North Staffordshire Justice Centre,3,{hearing()},Ann Lee,1992-05-21,XX,Theft,",
    )
    result = _import(lw, data, kind=ListKind.COURT)
    assert result.added == 2
    first, second = ListRow.objects.order_by("line")
    assert first.postcode == "ST4 1NF" and first.offence == "Assault by beating"
    assert second.no_fixed_abode and first.site == lw.court
    assert "postcode 'XX' is not a full UK postcode" in result.errors[0].message


def test_a_release_list(lw):
    data = csv_file(
        RELEASE_HEADER,
        f'HMP Stafford,a1234bc,"Hughes, Liam",1990-01-17,{release_on()},On licence',
        f"SFI,B5678DE,Mohammed Iqbal,1983-06-02,{release_on()},end_of_sentence",
        f"SFI,B56,Mohammed Iqbal,1983-06-02,{release_on()},",
    )
    result = list_import(
        actor=lw.rc_worker, team=lw.rc_team, kind=ListKind.RELEASE, file_name="r.csv", data=data
    )
    assert result.added == 2
    first, second = ListRow.objects.order_by("line")
    assert first.prison_number == "A1234BC" and first.release_type == "licence"
    assert second.site == lw.prison
    assert "prison number 'B56'" in result.errors[0].message


def _example_sites(lw):
    """The sites the documented example lists name, at the teams' own."""
    from healthjustice.organisations.choices import SiteKind
    from healthjustice.organisations.models import Site

    for name, kind, team in (
        ("Watling Street Custody", SiteKind.CUSTODY_SUITE, lw.team),
        ("Cannock Magistrates' Court", SiteKind.COURT, lw.team),
        ("HMP Featherstone", SiteKind.PRISON, lw.rc_team),
    ):
        Site.objects.create(name=name, kind=kind, region=lw.region).teams.add(team)


def test_the_example_files_in_the_docs_are_valid(lw):
    """The documented examples read without errors once their sites exist."""
    from healthjustice.imports.formats import read_list

    _example_sites(lw)
    for file, kind, team in (
        ("custody-list.csv", ListKind.CUSTODY, lw.team),
        ("court-list.csv", ListKind.COURT, lw.team),
        ("release-list.csv", ListKind.RELEASE, lw.rc_team),
    ):
        read = read_list(kind, team, (EXAMPLES / file).read_bytes())
        assert not read.errors, (file, read.errors)
        assert len(read.rows) == 3


def test_every_example_row_is_written_as_it_was_read(lw):
    # Rows are written in one go (COPY on PostgreSQL): each keeps every value read, and its own
    # identity, list, team, kind, match and time.
    from healthjustice.imports.formats import read_list
    from healthjustice.imports.services import _ROW_FIELDS

    _example_sites(lw)
    for file, kind, team, actor in (
        ("custody-list.csv", ListKind.CUSTODY, lw.team, lw.practitioner),
        ("court-list.csv", ListKind.COURT, lw.team, lw.practitioner),
        ("release-list.csv", ListKind.RELEASE, lw.rc_team, lw.rc_worker),
    ):
        data = (EXAMPLES / file).read_bytes()
        read = read_list(kind, team, data)
        result = list_import(actor=actor, team=team, kind=kind, file_name=file, data=data)
        written = list(result.imported_list.rows.order_by("line"))
        assert [r.line for r in written] == [r.line for r in read.rows]
        for row, parsed in zip(written, read.rows, strict=True):
            assert {f: getattr(row, f) for f in _ROW_FIELDS} == {
                f: getattr(parsed, f) for f in _ROW_FIELDS
            }
            assert (row.team, row.kind, row.match_state) == (team, kind, "new")
            assert row.created_at is not None and row.person is None and row.episode is None
        assert len({r.public_id for r in written}) == len(written)


def test_the_command_imports_through_the_same_service(lw, tmp_path, capsys):
    path = tmp_path / "custody.csv"
    path.write_bytes(csv_file(CUSTODY_HEADER, custody_row("NAC/1"), custody_row("NAC/2", dob="x")))
    args = ["--kind", "custody", "--team", lw.team.name, "--file", str(path)]
    call_command("import_list", *args)
    out = capsys.readouterr().out
    assert "Line 3: the date of birth 'x' is not a date" in out
    assert "1 row added, 1 refused." in out
    call_command("import_list", *args)
    assert "nothing changed" in capsys.readouterr().out
    assert ListRow.objects.count() == 1


def test_the_command_refuses_a_file_too_big_before_reading_it(lw, tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 300)
    with override_settings(HJ_LIST_MAX_BYTES=200), pytest.raises(CommandError, match="smaller"):
        call_command("import_list", "--kind", "custody", "--team", lw.team.name, "--file", path)


def test_the_command_names_a_team_that_does_not_exist(lw, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(csv_file(CUSTODY_HEADER, custody_row()))
    with pytest.raises(CommandError, match="No active team"):
        call_command("import_list", "--kind", "custody", "--team", "Nowhere", "--file", path)
    with pytest.raises(CommandError, match="team you work in"):
        call_command(
            "import_list",
            *("--kind", "custody", "--team", lw.team.name, "--file", path),
            *("--user", lw.other.username),
        )
