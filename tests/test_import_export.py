"""Import of instruction/input/output files and the export gate."""

import csv
import json
import os
import stat

import pytest

from onprem.papers.mentalchat16k.writer import INSTRUCTION


def words(n, w="w"):
    return " ".join(f"{w}{i}" for i in range(n))


def jsonl(path, records):
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return path


def test_import_jsonl_and_export_roundtrip_in_order(cli, tmp_path):
    recs = [{"instruction": "Be kind.", "input": f"question {i}", "output": f"answer {i}"} for i in range(5)]
    r = cli("import", jsonl(tmp_path / "in.jsonl", recs))
    assert r.exit_code == 0 and "imported 5 pairs" in r.output
    out = tmp_path / "out.jsonl"
    r = cli("export", "--format", "mentalchat16k", "--out", out)
    assert r.exit_code == 0 and "exported 5 pairs" in r.output
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert got == recs
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_import_csv_and_the_same_file_twice(cli, tmp_path):
    f = tmp_path / "in.csv"
    with open(f, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["instruction", "input", "output"])
        w.writerow(["", "how do I cope", "one step at a time"])
    assert "imported 1 pairs" in cli("import", f).output
    r = cli("import", f)
    assert r.exit_code == 0 and "already imported" in r.output


def test_bad_rows_are_named_skipped_and_exit_1(cli, tmp_path):
    f = tmp_path / "mixed.jsonl"
    f.write_text('{"input": "q", "output": "a"}\nnot json\n{"input": "q2"}\n[1, 2]\n')
    r = cli("import", f)
    assert r.exit_code == 1
    assert "row 2: not valid JSON" in r.output and "row 3: empty or missing output" in r.output
    assert "row 4: not a JSON object" in r.output and "imported 1 pairs" in r.output


def test_a_file_with_no_usable_rows_leaves_nothing_behind(cli, tmp_path):
    f = jsonl(tmp_path / "bad.jsonl", [{"text": "wrong layout"}])
    r = cli("import", f)
    assert r.exit_code == 1 and "no usable rows" in r.output
    assert json.loads(cli("stats", "--json").output)["sources"] == 0


def test_export_csv_and_default_instruction(cli, tmp_path):
    import hashlib

    src = jsonl(tmp_path / "jenny_roe_session.jsonl", [{"input": "q", "output": "a"}])
    cli("import", src)
    out = tmp_path / "o.csv"
    cli("export", "--format", "csv", "--out", out)
    rows = list(csv.reader(out.open()))
    assert rows[0] == ["instruction", "input", "output", "source", "seq"]
    assert rows[1][:3] == [INSTRUCTION, "q", "a"]
    # the file name (which often carries a client's name) never leaves: the source is its content's hash
    assert rows[1][3] == "source-" + hashlib.sha256(src.read_bytes()).hexdigest()[:12]
    assert "jenny" not in out.read_text().lower()


@pytest.fixture
def mixed_db(store):
    """Pairs in every status, one kept pair with an unresolved finding."""
    from onprem.store.db import now

    sid = store.db["sources"].insert({"name": "s", "sha256": "x", "kind": "transcript", "created_at": now()}).last_pk
    for seq, status in enumerate(["kept", "kept", "filtered", "failed", "flagged", "approved", "rejected", "superseded"]):
        store.db["qa_pairs"].insert({"source_id": sid, "seq": seq, "question": f"q{seq}", "answer": f"a{seq}",
                                     "status": status, "created_at": now(), "updated_at": now()})
    store.db["pii_spans"].insert({"source_id": sid, "pair_id": 2, "field": "answer", "start": 0, "end": 2,
                                  "entity_type": "PERSON", "text": "a1", "decision": "pending"})
    return store


def test_export_gate(mixed_db):
    from onprem.release import Policy, select_pairs

    def seqs(**kw):
        return [r["seq"] for r in select_pairs(mixed_db, Policy(**kw)).rows]

    assert seqs() == [0, 5]
    assert seqs(reviewed_only=True) == [5]
    sel = select_pairs(mixed_db, Policy(include_flagged=True))
    assert [r["seq"] for r in sel.rows] == [0, 1, 4, 5] and sel.flagged_included == 2
    held = select_pairs(mixed_db, Policy()).held
    assert held == {"unresolved identifier findings": 1, "filtered": 1, "failed": 1, "flagged": 1,
                    "rejected": 1, "superseded": 1}


def test_stats_json_has_the_documented_keys(cli):
    from onprem.store import open_store

    open_store(cli.db).close()      # stats only reads: it refuses a path with no database (test_read_only)
    data = json.loads(cli("stats", "--json").output)
    for key in ("sources", "pages", "pairs_kept", "pairs_filtered", "pairs_failed", "pairs_flagged", "dialogues"):
        assert key in data


def test_imported_pairs_are_scanned_and_those_with_identifiers_held_back(cli, tmp_path):
    """Issue 23, item 6: `onprem import` was a side door (pairs stored kept, unscanned, released)."""
    recs = [{"input": "My neighbour Jenny Roe at 42 Willow Lane keeps calling me on 555-201-7788.",
             "output": "It sounds hard to set limits with a neighbour."},
            {"input": "How do I sleep better?", "output": "Keep a regular bedtime and limit caffeine."}]
    r = cli("import", jsonl(tmp_path / "in.jsonl", recs))
    assert r.exit_code == 0, r.output
    assert "imported 2 pairs" in r.output and "1 flagged for identifier findings" in r.output
    out = tmp_path / "out.jsonl"
    r = cli("export", "--format", "mentalchat16k", "--out", out)
    assert "exported 1 pairs" in r.output and "flagged 1" in r.output
    text = out.read_text()
    assert "Jenny" not in text and "Willow" not in text and "7788" not in text
    import sqlite3

    found = sqlite3.connect(cli.db).execute(
        "select q.status, group_concat(distinct s.entity_type) from qa_pairs q join pii_spans s on s.pair_id = q.id "
        "where s.decision = 'pending' group by q.id").fetchall()
    assert found and found[0][0] == "flagged" and {"PERSON", "STREET_ADDRESS", "PHONE_NUMBER"} <= set(found[0][1].split(","))
