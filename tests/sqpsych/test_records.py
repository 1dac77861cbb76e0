"""Client records: each row validated on its own, messages name row, column and allowed values."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from onprem.cli import cli
from onprem.errors import UserError
from onprem.papers.sqpsych.questionnaires import read_records

from .conftest import EXAMPLES

HEADER = "client_id,age,gender,condition," + ",".join(f"phq9_{i}" for i in range(1, 10))


def _csv(tmp_path, *rows, header=HEADER):
    f = tmp_path / "clients.csv"
    f.write_text("\n".join([header, *rows]) + "\n")
    return f


def test_examples_are_valid(catalog):
    csv_res = read_records(EXAMPLES / "clients.csv", catalog)
    jsonl_res = read_records(EXAMPLES / "clients.jsonl", catalog)
    assert not csv_res.errors and not jsonl_res.errors
    c001 = csv_res.records[0]
    assert c001.scores_dict() == {"gad7": {"total": 6, "severity": "mild"},
                                  "phq9": {"total": 18, "severity": "moderately severe"}}
    assert [a.key for a in c001.alerts] == ["self_harm"]
    assert jsonl_res.records[0].scores["pcl5"].severity == "probable PTSD"


def test_out_of_range_names_row_column_and_allowed(tmp_path, catalog):
    f = _csv(tmp_path, "A1,30,man,depression,1,1,1,5,1,1,1,1,0", "A2,40,woman,depression,0,0,0,0,0,0,0,0,0")
    res = read_records(f, catalog)
    assert [r.client_id for r in res.records] == ["A2"]
    msg = str(res.errors[0])
    assert "row A1" in msg and "phq9_4" in msg and "'5'" in msg
    assert "0 (not at all)" in msg and "3 (nearly every day)" in msg


@pytest.mark.parametrize("row,expected", [
    ("A1,30,man,dep,1,1,1,1,,1,1,1,0", "column phq9_5 is missing"),
    ("A1,7,man,dep,1,1,1,1,1,1,1,1,0", "column age = '7' (allowed: a whole number 12-120)"),
    ("A1,30,,dep,1,1,1,1,1,1,1,1,0", "column gender is empty"),
    ("A1,30,man,dep,1,1,1,1,one,1,1,1,0", "column phq9_5 = 'one' is out of range"),
    (",30,man,dep,1,1,1,1,1,1,1,1,0", "column client_id is empty"),
    ("A1,30,man,dep,,,,,,,,,", "no questionnaire answers"),
])
def test_row_problems(tmp_path, catalog, row, expected):
    res = read_records(_csv(tmp_path, row), catalog)
    assert not res.records and expected in str(res.errors[0])


def test_identifying_free_text_rejects_the_row_without_repeating_it(tmp_path, catalog):
    """Issue 23, item 6: free text of a record reaches prompts, logs and exports, so a name in the id or
    a town in the condition rejects the row, and the error names the column, not the value."""
    f = _csv(tmp_path, "C-101,30,man,depression,1,1,1,1,1,1,1,1,0",
             "Jenny Roe,30,woman,depression,1,1,1,1,1,1,1,1,0",
             "C-103,41,man,anxiety since moving to Tacoma,1,1,1,1,1,1,1,1,0")
    res = read_records(f, catalog)
    assert [r.client_id for r in res.records] == ["C-101"]      # a code with digits is an id, not an identifier
    first, second = map(str, res.errors)
    assert "row line 3" in first and "column client_id looks like it holds an identifier (PERSON" in first
    assert "row C-103" in second and "column condition" in second and "LOCATION" in second
    assert "Jenny" not in first + second and "Tacoma" not in first + second


def test_unknown_questionnaire_and_duplicates(tmp_path, catalog):
    header = HEADER + ",xyz_1"
    f = _csv(tmp_path, "A1,30,man,dep,1,1,1,1,1,1,1,1,0,3", "A2,30,man,dep,1,1,1,1,1,1,1,1,0,",
             "A2,31,man,dep,1,1,1,1,1,1,1,1,0,", header=header)
    res = read_records(f, catalog)
    assert [r.client_id for r in res.records] == ["A2"]
    assert "column xyz_1: unknown questionnaire 'xyz' (known: gad7, pcl5, phq9)" in str(res.errors[0])
    assert "repeats an earlier row" in str(res.errors[1]) and res.errors[1].line == 4


def test_missing_header_column_is_a_file_error(tmp_path, catalog):
    with pytest.raises(UserError, match="missing column"):
        read_records(_csv(tmp_path, "A1,30,man", header="client_id,age,gender"), catalog)


def test_jsonl_rows(tmp_path, catalog):
    f = tmp_path / "c.jsonl"
    f.write_text("\n".join([
        json.dumps({"client_id": "J1", "age": 30, "gender": "man", "condition": "anxiety", "responses": {"gad7": [1] * 7}}),
        "{broken",
        json.dumps({"client_id": "J3", "age": 30, "gender": "man", "condition": "dep", "responses": {"phq9": [1] * 8}}),
        json.dumps({"client_id": "J4", "age": 30, "gender": "man", "condition": "dep", "responses": {"bdi": [1] * 8}}),
    ]))
    res = read_records(f, catalog)
    assert [r.client_id for r in res.records] == ["J1"]
    errors = [str(e) for e in res.errors]
    assert "line 2" in errors[0] and "not valid JSON" in errors[0]
    assert "row J3" in errors[1] and "phq9_9 is missing" in errors[1]
    assert "unknown questionnaire 'bdi'" in errors[2]


def test_score_command_exit_codes(tmp_path):
    r = CliRunner()
    ok = r.invoke(cli, ["questionnaires", "score", str(EXAMPLES / "clients.csv")])
    assert ok.exit_code == 0 and "C001: gad7 6 (mild), phq9 18 (moderately severe)" in ok.output
    bad = _csv(tmp_path, "A1,30,man,dep,1,1,1,9,1,1,1,1,0", "A2,40,woman,dep,0,0,0,0,0,0,0,0,0")
    res = r.invoke(cli, ["questionnaires", "score", str(bad)])
    assert res.exit_code == 1 and "A2: phq9 0 (minimal)" in res.output and "row A1" in res.output


def test_generate_with_only_bad_rows_exits_1_before_loading_a_model(tmp_path):
    bad = _csv(tmp_path, "A1,30,man,dep,1,1,1,9,1,1,1,1,0")
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "generate", "sqpsych", "--profiles", str(bad),
                                   "--therapist-model", "no-such-model"])
    assert res.exit_code == 1
    assert "row A1" in res.output and "no valid client records" in res.output
