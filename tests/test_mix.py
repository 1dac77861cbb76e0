"""The real + synthetic mix: exact counts and ratio, seeded reproducibility, stratification by topic,
the not-enough error (nothing written), the manifest beside the file, and the release gate."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from onprem.cli import cli
from onprem.release import mix as mx


def rows(n_real, n_syn, topics=("a", "b")):
    return ([{"id": i, "generator": "real", "topic": topics[i % len(topics)]} for i in range(n_real)]
            + [{"id": 1000 + i, "generator": "hybrid" if i % 2 else "sqpsych", "topic": topics[i % len(topics)]}
               for i in range(n_syn)])


def test_exact_counts_ratio_and_seed():
    picked, counts = mx.draw(rows(300, 250), "dialogues", mx.Mix(total=500, real_ratio=0.6, seed=3))
    assert counts["real"] == 300 and counts["synthetic"] == 200 and len(picked) == 500
    assert sum(r["side"] == "real" for r in picked) == 300 and counts["real_ratio"] == 0.6
    again, _ = mx.draw(rows(300, 250), "dialogues", mx.Mix(total=500, real_ratio=0.6, seed=3))
    other, _ = mx.draw(rows(300, 250), "dialogues", mx.Mix(total=500, real_ratio=0.6, seed=4))
    assert [r["id"] for r in again] == [r["id"] for r in picked] != [r["id"] for r in other]
    # round(total x ratio) real: 7 x 0.5 = 3.5 -> 4 (Python rounds half to even: 4)
    assert mx.Mix(total=7, real_ratio=0.5).counts() == (4, 3)
    only, _ = mx.draw(rows(10, 10), "dialogues", mx.Mix(total=10, real_ratio=0.5, synthetic_from=("hybrid",)))
    assert {r["generator"] for r in only if r["side"] == "synthetic"} == {"hybrid"}


def test_stratified_by_topic_in_proportion():
    data = rows(0, 0) + [{"id": i, "generator": "real", "topic": "anxiety" if i < 60 else "grief"} for i in range(100)] \
        + [{"id": 500 + i, "generator": "hybrid", "topic": "anxiety" if i < 10 else "grief"} for i in range(40)]
    picked, _ = mx.draw(data, "dialogues", mx.Mix(total=30, real_ratio=0.5, stratify="topic", seed=1))
    real = [r for r in picked if r["side"] == "real"]
    syn = [r for r in picked if r["side"] == "synthetic"]
    assert sum(r["topic"] == "anxiety" for r in real) == 9 and sum(r["topic"] == "grief" for r in real) == 6
    # 15 x 10/40 = 3.75 -> 3 + the largest remainder: 4 anxiety, 11 grief
    assert sum(r["topic"] == "anxiety" for r in syn) == 4 and sum(r["topic"] == "grief" for r in syn) == 11


def test_not_enough_names_both_sides():
    with pytest.raises(Exception, match=r"real: 20 releasable, 300 needed; synthetic: 5 releasable, 200 needed"):
        mx.draw(rows(20, 5), "dialogues", mx.Mix(total=500))


GOOD = ("Thank you for coming. Today we will talk about the exposure.\nClient: I am scared, honestly, "
        "I keep seeing the road and the lights and I cannot stop shaking.\nTherapist: You are safe here.\n"
        "Client: Okay. I can try, I think, if you stay with me through it.\n")


def test_mix_export_writes_the_manifest_and_follows_the_gate(tmp_path, script_file):
    db = tmp_path / "m.db"

    def invoke(*args):
        return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)
    for k in range(3):
        f = tmp_path / f"real{k}.txt"
        f.write_text(f"Therapist: How are things this week, part {k}?\nClient: Better, I slept more and walked daily.\n")
        assert invoke("import-dialogues", f).exit_code == 0
    assert invoke("generate", "pe", "--profiles", "1", "--phases", "1-3", "--model",
                  script_file([GOOD], then="repeat")).exit_code == 0
    out = tmp_path / "mix.jsonl"
    r = invoke("export", "--format", "messages", "--mix", "--total", "4", "--real-ratio", "0.5", "--seed", "7",
               "--out", out, "--include-flagged")
    assert r.exit_code == 0, r.output
    manifest = json.loads((tmp_path / "mix.jsonl.manifest.json").read_text())
    assert manifest["real"] == 2 and manifest["synthetic"] == 2 and manifest["real_ratio"] == 0.5
    assert len(out.read_text().splitlines()) == 4 == len(manifest["items"])
    import hashlib
    assert manifest["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert sorted(i["side"] for i in manifest["items"]) == ["real", "real", "synthetic", "synthetic"]
    r = invoke("export", "--format", "messages", "--mix", "--total", "10", "--out", tmp_path / "big.jsonl")
    assert r.exit_code == 2 and "real: 3 releasable, 6 needed; synthetic: 3 releasable, 4 needed" in r.output
    assert not (tmp_path / "big.jsonl").exists()
    assert "--total is an option of --mix" in invoke("export", "--total", "3").output
    rows_ = [json.loads(x) for x in out.read_text().splitlines()]
    assert all("messages" in x for x in rows_)
    # Stratifying real sessions and generated phases by a topic they do not carry drew as if
    # unstratified, silently (issue 26): now it says so and writes nothing.
    strat = tmp_path / "strat.jsonl"
    r = invoke("export", "--format", "messages", "--mix", "--total", "4", "--real-ratio", "0.5", "--stratify", "topic",
               "--out", strat, "--include-flagged")
    assert r.exit_code == 2
    assert "--stratify topic: none of the 3 real dialogues has a topic; none of the 3 synthetic dialogues has a topic" \
        in r.output
    assert not strat.exists()
