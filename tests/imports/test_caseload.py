"""Importing a previous provider's caseload: the dry run, the real run, resuming, bad input."""

from datetime import date
from pathlib import Path

import nhs_number
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.imports import services
from healthjustice.imports.caseload import read_caseload
from healthjustice.imports.models import TransferredRow
from healthjustice.journeys.models import Episode
from healthjustice.organisations.choices import Pathway
from healthjustice.people.models import Person
from tests.factories import PersonFactory, TeamFactory
from tests.imports.lists import pnc, wrong_pnc

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "caseload.csv"
HEADER = (
    "reference,given_name,family_name,date_of_birth,sex,nhs_number,pnc_id,postcode,pathway,"
    "opened_on,stage,handover_note"
)


def nhs() -> str:
    return nhs_number.generate(for_region=nhs_number.REGION_SYNTHETIC)[0]


def row(
    ref,
    given="Kieran",
    family="Whitlock",
    dob="1991-07-22",
    nhs_no="",
    pnc_id="",
    postcode="WV1 4QT",
    pathway="liaison_diversion",
    opened="2026-10-03",
    stage="identified",
    note="Awaiting screening",
    sex="M",
) -> str:
    return ",".join(
        [ref, given, family, dob, sex, nhs_no, pnc_id, postcode, pathway, opened, stage, note]
    )


def people(n: int) -> list[str]:
    return [
        row(f"R{i}", given=f"Given{chr(65 + i % 26)}{i}", family=f"Family{i}", nhs_no=nhs())
        for i in range(n)
    ]


def write(tmp_path, *rows, header=HEADER, raw: bytes | None = None) -> str:
    path = tmp_path / "caseload.csv"
    path.write_bytes(raw if raw is not None else ("\n".join([header, *rows]) + "\n").encode())
    return str(path)


def run(lw, path, *extra, user=None):
    out = []

    class Out:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    call_command(
        "import_caseload",
        "--file",
        path,
        "--team",
        lw.team.name,
        "--user",
        (user or lw.leader).username,
        *extra,
        stdout=Out(),
    )
    return "".join(out)


def written() -> tuple[int, int, int]:
    return Person.objects.count(), Episode.objects.count(), TransferredRow.objects.count()


def test_the_example_file_reads_without_errors():
    read = read_caseload(EXAMPLE.read_bytes())
    assert not read.errors and len(read.rows) == 4
    assert read.rows[2].no_fixed_abode and "\n" in read.rows[2].handover_note


def test_a_dry_run_reports_created_matched_refused_and_writes_nothing(lw, tmp_path):
    known = PersonFactory(team=lw.team, date_of_birth=date(1980, 1, 2))
    twin_a = PersonFactory(given_name="Sam", family_name="Okafor", date_of_birth=date(1990, 5, 5))
    PersonFactory(given_name="Sam", family_name="Okafor", date_of_birth=date(1990, 5, 5))
    path = write(
        tmp_path,
        row("N1", nhs_no=nhs()),
        row("M1", given="X", family="Y", dob="1980-01-02", nhs_no=known.nhs_number),
        row("A1", given="Sam", family="Okafor", dob="1990-05-05"),
    )
    before = written(), AuditEvent.objects.count()
    out = run(lw, path, "--dry-run")
    assert (written(), AuditEvent.objects.count()) == before
    assert "would register 1 person, match 1 to existing records, open 2 episodes; 1 refused" in out
    assert f"matches person {known.public_id}" in out
    assert "Line 4 (A1): refused: it matches 2 records by name and date of birth" in out
    assert str(twin_a.public_id) in out
    # No names are printed.
    for name in ("Whitlock", "Okafor", known.family_name):
        assert name not in out


def test_a_real_run_creates_matches_and_audits(lw, tmp_path):
    known = PersonFactory(team=lw.team, pnc_id=pnc("19", "0123456"))
    path = write(
        tmp_path,
        row("N1", nhs_no=nhs(), pnc_id=pnc("21", "0456789")),
        row("M1", given="Other", family="Name", pnc_id="2019/0123456" + pnc()[-1]),
    )
    out = run(lw, path)
    assert "Registered 1 person, matched 1 to existing records, opened 2 episodes" in out
    created = Person.objects.get(family_name="Whitlock")
    assert created.pnc_id and created.sex == "1"
    episodes = Episode.objects.filter(team=lw.team).order_by("person__family_name")
    assert {e.person for e in episodes} == {created, known}
    assert all(e.pathway == Pathway.LIAISON_DIVERSION for e in episodes)
    assert "Handover note: Awaiting screening" in episodes[0].reason
    assert timezone.localtime(episodes[0].referred_at).date() == date(2026, 10, 3)
    audited = AuditEvent.objects.filter(actor_username=lw.leader.username)
    assert audited.filter(object_type="person", object_id=str(created.public_id)).exists()
    for episode in episodes:
        assert audited.filter(object_type="episode", object_id=str(episode.public_id)).exists()
    assert audited.filter(object_type="caseload_transfer").count() == 1
    assert TransferredRow.objects.filter(team=lw.team).count() == 2


def test_running_the_same_file_again_skips_what_was_imported(lw, tmp_path):
    path = write(tmp_path, *people(3))
    run(lw, path)
    before = written()
    out = run(lw, path)
    assert written() == before
    assert "3 already imported" in out and "Registered 0 people" in out


def test_a_failure_midway_keeps_earlier_batches_and_a_rerun_completes(lw, tmp_path, monkeypatch):
    path = write(tmp_path, *people(5))
    real = services.episode_open
    calls = {"n": 0}

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(services, "episode_open", failing)
    with pytest.raises(CommandError) as exc:
        run(lw, path, "--batch", "2")
    message = str(exc.value)
    assert "Stopped at line 5" in message and "the database went away" in message
    # Batch 1 (rows R0, R1) stays; batch 2 (R2, R3) was rolled back entirely.
    assert sorted(TransferredRow.objects.values_list("reference", flat=True)) == ["R0", "R1"]
    assert written() == (2, 2, 2)
    monkeypatch.setattr(services, "episode_open", real)
    out = run(lw, path, "--batch", "2")
    assert "Registered 3 people" in out and "2 already imported" in out
    assert written() == (5, 5, 5)


def test_a_row_held_by_another_team_is_refused_not_duplicated(lw, tmp_path):
    elsewhere = PersonFactory(team=TeamFactory(name="Walsall L&D"))
    path = write(tmp_path, row("H1", nhs_no=elsewhere.nhs_number))
    out = run(lw, path, user=lw.practitioner)
    assert f"refused: it matches record {elsewhere.public_id} by identifier" in out
    assert Person.objects.count() == 1 and not Episode.objects.exists()


def test_an_open_episode_with_the_team_is_not_opened_twice(lw, tmp_path):
    path = write(tmp_path, row("E1", nhs_no=nhs()))
    run(lw, path)
    TransferredRow.objects.all().delete()
    out = run(lw, path)
    assert "already has an open episode" in out
    assert Episode.objects.count() == 1


@pytest.mark.parametrize(
    "rows, header, expected",
    [
        ([row("B1")], "reference,given,family_name", "missing the columns"),
        (
            [row("B1", dob="31/02/1990")],
            HEADER,
            "Line 2: the date of birth '31/02/1990' is not a date",
        ),
        (
            [row("B1", opened="yesterday")],
            HEADER,
            "the episode opened date 'yesterday' is not a date",
        ),
        ([row("B1", nhs_no="9288831135")], HEADER, "Line 2: the NHS number '9288831135'"),
        ([row("B1", pnc_id=wrong_pnc())], HEADER, "has the wrong check letter"),
        (
            [row("B1"), row("B1", given="Other")],
            HEADER,
            "Line 3 repeats the previous provider's reference of line 2",
        ),
        ([row("B1"), row("B2")], HEADER, "Line 3 repeats the name and date of birth of line 2"),
        ([row("B1", stage="assessed")], HEADER, "the stage 'assessed' cannot be set on import"),
        ([row("B1", pathway="mhtr")], HEADER, "the pathway 'mhtr' cannot be transferred"),
        ([row("B1", postcode="")], HEADER, "the postcode (or NFA) is missing"),
    ],
)
def test_bad_rows_stop_a_real_run_and_are_listed_by_a_dry_run(lw, tmp_path, rows, header, expected):
    good = row("G1", given="Leanne", family="Hickman", dob="2001-05-14", nhs_no=nhs())
    path = write(tmp_path, good, *rows, header=header)
    if header != HEADER:
        with pytest.raises(CommandError, match=expected):
            run(lw, path, "--dry-run")
        return
    expected = expected.replace("Line 2", "Line 3").replace("line 2", "line 3")
    expected = expected.replace("Line 3 repeats", "Line 4 repeats") if len(rows) == 2 else expected
    with pytest.raises(CommandError) as exc:
        run(lw, path)
    assert "nothing was imported" in str(exc.value)
    assert written() == (0, 0, 0)
    out = run(lw, path, "--dry-run")
    assert expected in out and "nothing was imported" in out
    assert written() == (0, 0, 0)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not a CSV file"),
        ("reference,given_name\nR1,Zo\xeb\n".encode("latin-1"), "not a CSV file in UTF-8"),
        (b"", "empty"),
        ((HEADER + "\n").encode(), "no rows"),
    ],
)
def test_a_file_that_is_not_a_caseload_is_refused(lw, tmp_path, raw, expected):
    with pytest.raises(CommandError, match=expected):
        run(lw, write(tmp_path, raw=raw))
    assert written() == (0, 0, 0)


def test_unknown_team_user_not_in_team_and_too_big_a_file(lw, tmp_path, settings):
    path = write(tmp_path, row("R1"))
    with pytest.raises(CommandError, match="No active team is called 'Nowhere'"):
        call_command(
            "import_caseload", "--file", path, "--team", "Nowhere", "--user", lw.leader.username
        )
    with pytest.raises(CommandError, match="does not work in"):
        run(lw, path, user=lw.other)
    settings.HJ_LIST_MAX_BYTES = 10
    with pytest.raises(CommandError, match="must be smaller than"):
        run(lw, path)
    assert written() == (0, 0, 0)


def test_the_transfer_is_in_the_subject_access_export(lw, tmp_path):
    import json

    from healthjustice.governance.subject_access import subject_access_document

    run(lw, write(tmp_path, row("S1", nhs_no=nhs())))
    person = Person.objects.get()
    document = json.loads(json.dumps(subject_access_document(person), default=str))
    (entry,) = document["caseload_transfers"]
    assert entry["previous_provider_reference"] == "S1" and entry["record_created_by_the_import"]


def test_identifiers_pointing_at_two_records_are_refused(lw, tmp_path):
    by_nhs = PersonFactory(team=lw.team)
    by_pnc = PersonFactory(team=lw.team, pnc_id=pnc("19", "0123456"))
    path = write(tmp_path, row("C1", nhs_no=by_nhs.nhs_number, pnc_id=pnc("19", "0123456")))
    out = run(lw, path)
    assert "refused: its NHS number and PNC ID match different records" in out
    assert str(by_nhs.public_id) in out and str(by_pnc.public_id) in out
    assert not Episode.objects.exists()
