"""`manage.py link_records --in RECORDS.csv --out CLUSTERS.csv`, run as a user runs it."""

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from healthjustice.demo.matching_records import make_labelled_set, write_csv
from healthjustice.matching.model_store import DEFAULT_MODEL

HEADER = "record_id,given_name,family_name,dob,sex,nhs_number,pnc_id,postcode,source\n"


def run(source: Path, target: Path, *extra: str) -> str:
    out = StringIO()
    call_command("link_records", "--in", str(source), "--out", str(target), *extra, stdout=out)
    return out.getvalue()


def clusters(path: Path) -> dict[str, str]:
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["record_id", "cluster_id"]
    return dict(rows[1:])


def link_rows(tmp_path: Path, *rows: str) -> tuple[str, dict[str, str]]:
    """What the command prints for a file of these rows, and the clusters it writes."""
    source, target = tmp_path / "records.csv", tmp_path / "clusters.csv"
    source.write_text(HEADER + "".join(row + "\n" for row in rows))
    return run(source, target), clusters(target)


def test_the_same_person_from_three_sources_is_one_cluster_and_twins_are_two(tmp_path):
    printed, found = link_rows(
        tmp_path,
        "c1,JOHN,SMITH,1985-02-01,M,,2019/0123456E,ST4 1NF,custody",
        "k1,Jon,Smith,1985-02-01,M,,19/0123456E,ST4 1NF,court",
        'p1,,"Smith, John",,M,,19/0123456E,,prison',
        "t1,Mary,Quayle,1990-06-07,F,,,WV1 1AA,community",
        "t2,Margaret,Quayle,1990-06-07,F,,,WV1 1AA,community",
    )
    assert set(found) == {"c1", "k1", "p1", "t1", "t2"}
    assert found["c1"] == found["k1"] == found["p1"]
    assert found["t1"] != found["t2"]
    assert "records 5;" in printed and "clusters 3" in printed
    for phase in ("read", "clean", "block", "score", "cluster", "write"):
        assert phase in printed


def test_a_father_and_son_stay_apart_when_an_undated_record_of_their_name_links_to_both(
    tmp_path,
):
    printed, found = link_rows(
        tmp_path,
        "f1,John,Powell,1962-09-03,M,,,E3 6YA,court",
        "s1,John,Powell,1999-09-25,M,,,E3 6YA,court",
        "u1,JOHN,POWELL,,M,,,E3 6YA,custody",
    )
    assert "links 2;" in printed
    assert found["f1"] != found["s1"]
    assert found["u1"] in (found["f1"], found["s1"])


def test_every_record_is_written_and_the_labelled_set_is_linked_well(tmp_path):
    labelled = make_labelled_set(600, seed=7)
    source, target = tmp_path / "records.csv", tmp_path / "clusters.csv"
    write_csv(labelled, source)
    run(source, target)
    found = clusters(target)
    assert set(found) == {r.record_id for r in labelled}
    person = {r.record_id: r.person_id for r in labelled}
    members: dict[str, set[int]] = {}
    for record_id, cluster in found.items():
        members.setdefault(cluster, set()).add(person[record_id])
    mixed = sum(len(people) > 1 for people in members.values())
    assert mixed <= len(members) * 0.03


def test_values_not_in_their_documented_form_are_missing_counted_and_named_by_line(tmp_path):
    source = tmp_path / "records.csv"
    source.write_text(
        HEADER
        + "a,Ann,Lee,1980-13-01,F,9434765918,2019/0123456B,ST4 1NF,custody\n"
        + "b,Ann,Lee,01/02/1980,X,,,NOT A CODE,jail\n"
        + "c,Ann,Lee,1980-02-01,F,,,NFA,court\n"
    )
    printed = run(source, tmp_path / "out.csv")
    assert "dob: 2 not in the documented form (lines 2, 3)" in printed
    assert "sex: 1 not in the documented form (lines 3)" in printed
    assert "nhs_number: 1 not in the documented form (lines 2)" in printed
    assert "pnc_id: 1 not in the documented form (lines 2)" in printed
    assert "postcode: 1 not in the documented form (lines 3)" in printed
    assert "source: 1 not in the documented form (lines 3)" in printed
    assert "records 3;" in printed


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "The file is empty"),
        ("record_id,given_name\n1,Ann\n", "missing family_name, dob, sex"),
        (HEADER.replace("source", "origin"), "missing source; not known 'origin'"),
        (HEADER + "a,Ann,Lee,,,,,,\n" + "b,Ann\n", "Line 3 has 2 fields; the header has 9"),
        (HEADER + ",Ann,Lee,,,,,,\n", "Line 2 has no record_id"),
        (HEADER + "a,Ann,Lee,,,,,,\n" * 2, "Line 3 repeats record_id 'a', first on line 2"),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused_by_line_and_nothing_is_written(
    tmp_path, content, message
):
    source, target = tmp_path / "records.csv", tmp_path / "clusters.csv"
    source.write_text(content)
    target.write_text("an earlier run's output\n")
    with pytest.raises(CommandError, match=message) as refused:
        run(source, target)
    assert "Nothing was written" in str(refused.value)
    assert target.read_text() == "an earlier run's output\n"
    assert not list(tmp_path.glob("*.partial"))


def test_a_file_that_is_not_text_is_refused(tmp_path):
    source = tmp_path / "records.csv"
    source.write_bytes(HEADER.encode() + b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    with pytest.raises(CommandError, match="not UTF-8 text"):
        run(source, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


def test_bad_arguments_are_refused(tmp_path):
    source = tmp_path / "records.csv"
    source.write_text(HEADER)
    with pytest.raises(CommandError, match="is not a file"):
        run(tmp_path / "absent.csv", tmp_path / "out.csv")
    with pytest.raises(CommandError, match="must not be the --in file"):
        run(source, source)
    with pytest.raises(CommandError, match="threshold"):
        run(source, tmp_path / "out.csv", "--threshold", "1.5")
    broken = tmp_path / "model.json"
    broken.write_text(json.dumps({"m": {}, "u": {}, "pairs_per_record": 1}))
    with pytest.raises(CommandError, match="not a matcher model"):
        run(source, tmp_path / "out.csv", "--model", str(broken))


def test_an_empty_file_with_a_header_writes_an_empty_result(tmp_path):
    source, target = tmp_path / "records.csv", tmp_path / "clusters.csv"
    source.write_text(HEADER)
    assert "records 0;" in run(source, target)
    assert clusters(target) == {}


def test_the_stored_model_is_the_one_the_estimate_command_writes(tmp_path):
    written = tmp_path / "model.json"
    call_command(
        "estimate_match_model", "--people", "20000", "--seed", "1001", "--out", str(written),
        stdout=StringIO(),
    )  # fmt: skip
    assert json.loads(written.read_text()) == json.loads(DEFAULT_MODEL.read_text())
