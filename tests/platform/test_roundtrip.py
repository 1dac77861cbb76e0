"""Nothing lost on the way in or out: quoted newlines in CSV fields, U+2028/U+2029/U+0085 inside
JSONL strings, and `onprem export` -> `onprem import` giving back exactly the pairs that went out."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3

from click.testing import CliRunner

from onprem.cli import cli
from onprem.fsutil import csv_reader, iter_jsonl, json_line, numbered

Q = "I feel low.\nMostly at night.\n\nSecond paragraph, with \"quotes\", commas and a tab\there."
A = "That sounds heavy.\u2028A line separator, a paragraph separator\u2029and a next-line\u0085all kept."


def invoke(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)


def pairs(db) -> list[tuple]:
    return sqlite3.connect(db).execute("select instruction, question, answer from qa_pairs order by seq").fetchall()


def test_csv_with_multiline_quoted_fields_keeps_every_character(tmp_path):
    path = tmp_path / "pairs.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["instruction", "input", "output"])
        w.writerow(["Be kind.", Q, A])
        w.writerow(["", "second question", "second answer"])
    r = invoke(tmp_path / "a.db", "import", path)
    assert r.exit_code == 0, r.output
    assert pairs(tmp_path / "a.db") == [("Be kind.", Q, A), (None, "second question", "second answer")]


def test_jsonl_with_line_separators_inside_strings_imports(tmp_path):
    path = tmp_path / "pairs.jsonl"
    # Written raw, as ensure_ascii=False writers (ours before, many others) do.
    path.write_text(json.dumps({"instruction": "", "input": Q, "output": A}, ensure_ascii=False) + "\n"
                    + json.dumps({"input": "q2", "output": "a2"}) + "\n", encoding="utf-8")
    assert "\u2028" in path.read_text(encoding="utf-8")
    r = invoke(tmp_path / "b.db", "import", path)
    assert r.exit_code == 0, r.output
    assert [(q, a) for _, q, a in pairs(tmp_path / "b.db")] == [(Q, A), ("q2", "a2")]


def test_export_then_import_round_trips_a_pair_set_exactly(tmp_path):
    src = tmp_path / "src.jsonl"
    records = [{"instruction": "Be kind.", "input": Q, "output": A},
               # (import scans every pair: spaCy reads "Plain answer Plain answer ..." as a place, and a pair
               # with a finding is held back, so the text is ordinary talk)
               {"instruction": "Listen.", "input": "How do I sleep better at night? " * 3,
                "output": "Keep a regular bedtime and a dark room. " * 3}]
    src.write_text("".join(json_line(r) for r in records), encoding="utf-8")
    for fmt, suffix in (("mentalchat16k", ".jsonl"), ("csv", ".csv")):
        first, second = tmp_path / f"first-{fmt}.db", tmp_path / f"second-{fmt}.db"
        assert invoke(first, "import", src).exit_code == 0
        out1, out2 = tmp_path / f"out1{suffix}", tmp_path / f"out2{suffix}"
        assert invoke(first, "export", "--format", fmt, "--out", out1).exit_code == 0
        assert invoke(second, "import", out1).exit_code == 0
        assert pairs(second) == pairs(first) == [(r["instruction"], r["input"], r["output"]) for r in records]
        assert invoke(second, "export", "--format", fmt, "--out", out2).exit_code == 0
        if fmt == "csv":   # the csv's source column names each pair's source by its file's hash, which differs
            rows = [[r[:3] for r in csv.reader(p.open(newline="", encoding="utf-8"))] for p in (out1, out2)]
            assert rows[0] == rows[1]
        else:
            assert out2.read_bytes() == out1.read_bytes()


def test_our_jsonl_lines_escape_line_separators():
    line = json_line({"t": A})
    assert line.count("\n") == 1 and "\u2028" not in line and "\\u2028" in line
    assert json.loads(line)["t"] == A


def test_readers_name_the_line_a_row_starts_on():
    text = 'a,b\n1,"two\nlines"\n3,4\n'
    assert [(n, r["b"]) for n, r in numbered(csv_reader(text))] == [(2, "two\nlines"), (4, "4")]
    assert list(iter_jsonl('{"a": 1}\n\nnot json\n[1]\n')) == [
        (1, {"a": 1}), (3, "not valid JSON (Expecting value)"), (4, "not a JSON object")]


def test_client_records_keep_quoted_newlines_and_line_separators(tmp_path):
    from onprem.papers.sqpsych.questionnaires import Catalog, read_records

    catalog = Catalog.load()
    items = ",".join(f"phq9_{i}" for i in range(1, 10))
    path = tmp_path / "clients.csv"
    path.write_text(f"client_id,age,gender,condition,{items}\n"
                    f'C1,30,woman,"low mood,\nworse at night",{",".join(["1"] * 9)}\n'
                    f"C2,31,man,anxiety,{','.join(['9'] * 9)}\n", encoding="utf-8")
    read = read_records(path, catalog)
    assert [r.condition for r in read.records] == ["low mood,\nworse at night"]
    assert "line 4" in str(read.errors[0])          # C2 starts on line 4: the quoted newline is counted
    jl = tmp_path / "clients.jsonl"
    jl.write_text(json.dumps({"client_id": "C3", "age": 40, "gender": "man", "condition": "grief\u2028loss",
                              "responses": {"phq9": [1] * 9}}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert [r.condition for r in read_records(jl, catalog).records] == ["grief\u2028loss"]


def test_cli_export_leaves_an_audit_row_with_the_file_sha256(tmp_path):
    src = tmp_path / "src.jsonl"
    src.write_text(json_line({"input": "q " * 5, "output": "a " * 5}) + json_line({"input": "x", "output": "y"}))
    db = tmp_path / "c.db"
    invoke(db, "import", src, "--min-words", "3")        # the second pair is filtered: held back
    out = tmp_path / "out.jsonl"
    r = invoke(db, "export", "--out", out, "--reviewed-only")
    assert r.exit_code == 0
    r = invoke(db, "export", "--out", out, "--force")          # replacing the first file is said
    assert r.exit_code == 0 and "exported 1 pairs" in r.output
    rows = sqlite3.connect(db).execute("select actor, action, after from audit where action = 'export' order by id").fetchall()
    assert len(rows) == 2
    last = json.loads(rows[1][2])
    assert last["path"] == str(out.resolve()) and last["format"] == "mentalchat16k" and last["written"] == 1
    assert last["held"] == {"filtered": 1} and last["policy"] == {"reviewed_only": False, "include_flagged": False,
                                                                    "include_uncertain": False}
    assert last["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert json.loads(rows[0][2])["held"] == {"not reviewed": 1, "filtered": 1}
