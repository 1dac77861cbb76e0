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
