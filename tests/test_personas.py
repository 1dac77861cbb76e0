"""Hybrid personas: one seeded draw (byte-identical), stored as the cases scenarios are made from, a
file validated row by row, and the diversity `onprem stats` reports (checked by hand and scipy)."""

from __future__ import annotations

import json
import math

from click.testing import CliRunner

from onprem.cli import cli
from onprem.papers.hybrid import personas as ps


def invoke(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)


def test_sample_store_write_validate_and_diversity(tmp_path):
    db, out = tmp_path / "p.db", tmp_path / "p.jsonl"
    r = invoke(db, "personas", "sample", "--n", "4", "--seed", "1", "--out", out)
    assert r.exit_code == 0 and "4 personas (seed 1) stored" in r.output
    first = out.read_bytes()
    invoke(db, "personas", "sample", "--n", "4", "--seed", "1", "--out", out)
    assert out.read_bytes() == first
    rows = [json.loads(x) for x in first.decode().splitlines()]
    assert rows == ps.sample(4, 1) and set(rows[0]) == {"persona_id", *ps.FIELDS}
    bad = tmp_path / "bad.jsonl"
    bad.write_text(first.decode() + '{"persona_id": "x", "age": 7}\nnot json\n')
    r = invoke(db, "personas", "validate", bad)
    assert r.exit_code == 1 and f"{bad}: line 5: age must be a whole number 18-80" in r.output
    assert f"{bad}: line 6: not valid JSON" in r.output and "4 valid personas, 2 rejected" in r.output
    stats = json.loads(invoke(db, "stats", "--json").output)["personas"]
    assert stats["n"] == 4
    d = ps.diversity([{"persona_id": "a", "age": 20, "gender": "woman", "occupation": "x", "cultural_background": "y",
                       "presenting_challenge": "z", "personality": "q"},
                      {"persona_id": "b", "age": 41, "gender": "woman", "occupation": "x2", "cultural_background": "y",
                       "presenting_challenge": "z", "personality": "q"},
                      {"persona_id": "c", "age": 45, "gender": "man", "occupation": "x3", "cultural_background": "y",
                       "presenting_challenge": "z", "personality": "q"}])
    # gender: 2 women, 1 man: entropy of (2/3, 1/3) over log 2
    want = -(2 / 3 * math.log(2 / 3) + 1 / 3 * math.log(1 / 3)) / math.log(2)
    assert d["gender"] == {"distinct": 2, "top_share": 0.667, "evenness": round(want, 3)}
    assert d["occupation"]["evenness"] == 1.0 and d["cultural_background"] == {"distinct": 1, "top_share": 1.0,
                                                                                 "evenness": None}
    assert d["age"]["distinct"] == 2      # decades: 20s and 40s


def test_a_persona_written_by_a_person_is_scanned_before_it_reaches_a_prompt(tmp_path):
    """Issue 23, item 6 (no side doors): free text outside the spec's lists that looks identifying
    rejects the row, and the error names the field, never the value; own-written plain text passes."""
    base = {"persona_id": "P-104", "age": 40, "gender": "woman", "occupation": "night-shift baker",
            "cultural_background": "grew up in a farming family", "presenting_challenge": "grief after a move",
            "personality": "quiet, dry humour"}
    named = {**base, "persona_id": "P-105", "presenting_challenge": "her husband Marcus Whitfield left in May"}
    placed = {**base, "persona_id": "P-106", "occupation": "works at 14 Harbour Road, call 555-201-4478"}
    f = tmp_path / "mine.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in (base, named, placed)) + "\n", encoding="utf-8")
    good, errors = ps.read_file(f)
    assert [p["persona_id"] for p in good] == ["P-104"]
    assert len(errors) == 2 and "line 2: presenting_challenge looks like it holds an identifier" in errors[0]
    assert "line 3: occupation looks like it holds an identifier" in errors[1]
    assert not any(w in " ".join(errors) for w in ("Marcus", "Whitfield", "Harbour", "555"))
    r = invoke(tmp_path / "p.db", "personas", "validate", f)
    assert r.exit_code == 1 and "1 valid personas, 2 rejected" in r.output and "Whitfield" not in r.output
