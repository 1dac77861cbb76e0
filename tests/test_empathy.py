"""Synthetic Empathy on the seams: the Reflexion loop (stopping at the first success and at the cap,
every trial stored), the standalone condition, the epitome export with label sources, and the
schedule arithmetic (sizes, per-level balance, substitution keeping the distribution)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from onprem.cli import cli
from onprem.papers.empathy import generator as empathy
from onprem.papers.empathy import writer as ep

DRAFT1 = "I lost my job today and I feel useless.\nPerson 2: Check the job boards on Monday."
DRAFT2 = "I lost my job today and I feel useless.\nPerson 2: I am so sorry, that is a painful blow and it makes sense you feel shaken."
MISS = '{"meets_target": false, "observed_level": 0, "reason": "purely factual reply"}'
MEET = '{"meets_target": true, "observed_level": 2, "reason": "warm and caring reply"}'
ADVICE = "Let Person 2 show warmth. Name the hurt. Offer care. This fourth sentence is cut."


def invoke(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)


def attempts(db):
    con = sqlite3.connect(db)
    d = con.execute("select id, status, reason, meta from dialogues").fetchone()
    rows = con.execute("select attempt, draft, evaluation, feedback from dialogue_attempts where dialogue_id = ? "
                       "order by attempt", [d[0]]).fetchall()
    turns = con.execute("select speaker, content from turns where dialogue_id = ? order by seq", [d[0]]).fetchall()
    return d, rows, turns


def test_parse_cells_and_sentences():
    turns, why = empathy.parse("Person 1: I feel alone.\nPerson 2: That sounds hard.\nmore words")
    assert why is None and [(t.speaker, t.content) for t in turns] == [
        ("client", "I feel alone."), ("therapist", "That sounds hard. more words")]
    assert empathy.parse("Person 1: hello")[1] == "no line from Person 1 or from Person 2"
    assert empathy.Options(grid=True).cells() == list(empathy.CELLS) and len(empathy.CELLS) == 9
    assert empathy.behaviour("ER:0") == empathy.behaviour("IP:0") == empathy.behaviour("EX:0")
    assert empathy.first_sentences(ADVICE) == "Let Person 2 show warmth. Name the hurt. Offer care."


def test_reflexion_stops_at_the_first_success_and_keeps_every_trial(tmp_path, script_file):
    db = tmp_path / "e.db"
    model = script_file([DRAFT1, MISS, ADVICE, DRAFT2, MEET], record=str(tmp_path / "sent.jsonl"))
    r = invoke(db, "generate", "empathy", "--cell", "ER:2", "--max-trials", "3", "--model", model, "--progress", "plain")
    assert r.exit_code == 0, r.output
    d, rows, turns = attempts(db)
    meta = json.loads(d[3])
    assert d[1] == "ended" and d[2] == "ER:2: met its target at trial 2"
    assert meta == {"cell": "ER:2", "dimension": "ER", "level": 2, "trials": 2, "met_target": True,
                    "observed_level": 2, "reflexion": True}
    assert [json.loads(e)["meets_target"] for _, _, e, _ in rows] == [False, True]
    assert rows[0][3] == "Let Person 2 show warmth. Name the hurt. Offer care." and rows[1][3] is None
    assert json.loads(rows[0][1])[1]["content"] == "Check the job boards on Monday."
    assert turns[-1][1].startswith("I am so sorry")
    sent = [json.loads(x)["completion"] for x in (tmp_path / "sent.jsonl").read_text().splitlines()]
    assert "Advice from reviewing them" not in sent[0] and "- Let Person 2 show warmth." in sent[3]


def test_reflexion_stops_at_the_cap_and_keeps_a_dialogue_that_missed(tmp_path, script_file):
    db = tmp_path / "c.db"
    model = script_file([DRAFT1, MISS, ADVICE, DRAFT1, MISS])
    assert invoke(db, "generate", "empathy", "--cell", "ER:2", "--max-trials", "2", "--model", model).exit_code == 0
    d, rows, _ = attempts(db)
    assert d[1] == "ended" and d[2] == "ER:2: did not meet its target in 2 trials"
    assert json.loads(d[3])["met_target"] is False and len(rows) == 2 and rows[1][3] is None


def test_no_reflexion_is_one_draft_without_an_evaluator(tmp_path, script_file):
    db = tmp_path / "n.db"
    model = script_file([DRAFT1], then="repeat")
    assert invoke(db, "generate", "empathy", "--cell", "IP:0", "--no-reflexion", "--per-cell", "2",
                  "--model", model).exit_code == 0
    rows = sqlite3.connect(db).execute("select meta from dialogues").fetchall()
    assert [json.loads(m)["trials"] for (m,) in rows] == [1, 1]
    assert all(json.loads(m)["met_target"] is None for (m,) in rows)


def test_a_target_is_a_label_only_when_the_evaluator_confirmed_it(tmp_path, script_file):
    db = tmp_path / "m.db"
    hit = '{"meets_target": true, "observed_level": 0, "reason": "no empathy shown"}'
    miss = '{"meets_target": false, "observed_level": 2, "reason": "warm reply"}'
    # two ER:0 dialogues, one trial each: the first confirmed, the second missed
    model = script_file([DRAFT1, hit, DRAFT2, miss])
    assert invoke(db, "generate", "empathy", "--cell", "ER:0", "--per-cell", "2", "--max-trials", "1",
                  "--model", model).exit_code == 0
    met = [json.loads(m)["met_target"] for (m,) in sqlite3.connect(db).execute("select meta from dialogues order by id")]
    assert met == [True, False]
    out = tmp_path / "e.jsonl"
    r = invoke(db, "export", "--format", "epitome", "--out", out, "--include-flagged")
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(rows) == 1 and rows[0]["response_post"] == DRAFT1.split(": ", 1)[1]
    assert (rows[0]["er"], rows[0]["er_source"]) == (0, "target")
    assert "target not confirmed by the evaluator 1" in r.output


def row(er, ip, ex, tag="s"):
    return {"seeker_post": f"{tag} post", "response_post": f"{tag} reply", "er": er, "ip": ip, "ex": ex,
            "er_source": "target", "ip_source": "target", "ex_source": "target"}


def test_augment_schedule_sizes_and_balance():
    real = [row(0, 0, 0, "r")] * 20
    pool = [row(lvl, 1, 1, f"s{lvl}-{i}") for lvl in (0, 1, 2) for i in range(150)]
    sets = ep.augment_sets(real, pool, ep.Options(schedule="augment", step=30, max=420, dimension="er"))
    assert len(sets) == 15 and [info["synthetic"] for _, _, info in sets] == list(range(0, 421, 30))
    for k, (_, rows, info) in enumerate(sets):
        synth = rows[len(real):]
        assert len(rows) == 20 + 30 * k
        assert [sum(r["er"] == lvl for r in synth) for lvl in (0, 1, 2)] == [10 * k] * 3
    # cumulative: each set's synthetic rows contain the set before's
    assert sets[2][1][20:] and all(r in sets[3][1] for r in sets[2][1][20:])
    with pytest.raises(Exception, match="too small for --max 420: er level 0 has 10"):
        ep.augment_sets(real, pool[140:] + pool[150:], ep.Options(schedule="augment"))
    with pytest.raises(Exception, match="multiple of 3"):
        ep.augment_sets(real, pool, ep.Options(schedule="augment", step=31))


def test_substitute_schedule_keeps_size_and_level_distribution():
    real = [row(0, 0, 0, f"r0-{i}") for i in range(50)] + [row(1, 0, 0, f"r1-{i}") for i in range(30)] + \
        [row(2, 0, 0, f"r2-{i}") for i in range(20)]
    pool = [row(lvl, 2, 2, f"s{lvl}-{i}") for lvl in (0, 1, 2) for i in range(40)]
    sets = ep.substitute_sets(real, pool, ep.Options(schedule="substitute"))
    assert [info["fraction"] for _, _, info in sets] == [0.1, 0.2, 0.3, 0.4, 0.5]
    for _, rows, info in sets:
        assert len(rows) == 100
        assert [sum(r["er"] == lvl for r in rows) for lvl in (0, 1, 2)] == [50, 30, 20]
        f = info["fraction"]
        assert info["synthetic"] == sum(round(f * n) for n in (50, 30, 20))
        assert sum(r["seeker_post"].startswith("s") for r in rows) == info["synthetic"]
    with pytest.raises(Exception, match="too small for --fractions 0.2: er level 0 has 5 labelled synthetic rows, 10 needed"):
        ep.substitute_sets(real, [row(0, 0, 0, "x")] * 5 + pool[40:], ep.Options(schedule="substitute"))


def test_export_rows_sources_and_the_schedule_manifest(tmp_path, script_file):
    db = tmp_path / "x.db"
    model = script_file([DRAFT2], then="repeat")
    assert invoke(db, "generate", "empathy", "--cell", "ER:0", "--cell", "ER:2", "--per-cell", "4", "--no-reflexion",
                  "--model", model).exit_code == 0
    out = tmp_path / "e.jsonl"
    # standalone drafts: nothing confirmed their target cell, so it is no label (issue 26, item 2)
    r = invoke(db, "export", "--format", "epitome", "--out", out, "--include-flagged")
    assert "target not confirmed by the evaluator 8" in r.output and not out.read_text().strip()
    r = invoke(db, "export", "--format", "epitome", "--out", out, "--include-flagged", "--force",
               "--label-source", "target")
    assert r.exit_code == 0, r.output
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    # ER:0 dialogues: all three dimensions from the target cell; ER:2 ones only label ER: held back
    assert len(rows) == 4 and "unlabelled 4" in r.output
    assert rows[0] == {"seeker_post": "I lost my job today and I feel useless.", "response_post": DRAFT2.split(": ", 1)[1],
                       "er": 0, "ip": 0, "ex": 0, "er_source": "target:unconfirmed",
                       "ip_source": "target:unconfirmed", "ex_source": "target:unconfirmed"}
    # a person's labels come first, then the target
    from onprem.papers.empathy import labelling
    from onprem.store import open_store
    store = open_store(db)
    items = labelling.items(store)
    labelling.save_label(store, "dialogue", items[4]["id"], "ana", {"er": 2, "ip": 1, "ex": 0})
    store.close()
    r = invoke(db, "export", "--format", "epitome", "--out", out, "--include-flagged", "--force",
               "--label-source", "target")
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(rows) == 5 and rows[-1]["er"] == 2 and rows[-1]["ip_source"] == "rater:ana"
    assert rows[-1]["er"] == 2 and isinstance(rows[-1]["er"], int)
    real = tmp_path / "real.csv"
    real.write_text("seeker_post,response_post,er,ip,ex\n" + "".join(f"p{i},r{i},{i % 3},0,0\n" for i in range(9)))
    r = invoke(db, "export", "--format", "epitome", "--schedule", "substitute", "--real", real, "--fractions", "0.2",
               "--dimension", "ip", "--out", tmp_path / "sets", "--include-flagged", "--label-source", "target")
    assert r.exit_code == 0, r.output
    manifest = json.loads((tmp_path / "sets" / "manifest.json").read_text())
    assert manifest["files"][0]["n"] == 9 and manifest["files"][0]["levels"]["ip"] == {"0": 9, "1": 0, "2": 0}
    r = invoke(db, "export", "--format", "epitome", "--schedule", "augment", "--real", real, "--out", tmp_path / "a")
    assert r.exit_code == 2 and "too small for --max 420" in r.output and not (tmp_path / "a").exists()
    r = invoke(db, "export", "--format", "messages", "--all-exchanges")
    assert r.exit_code == 2 and "--all-exchanges is not an option of --format messages" in r.output


# The bundled Gemma 3 270M as actor, evaluator and reflector on two cells (--max-trials 2, 96-token
# drafts, seed 2, 1 thread), then the epitome judge (registry's judge: SmolLM2) on what it wrote:
# statuses, trial counts and labels (pinned). EX:1, not EX:0: since the none prompt carries the paper's
# "offensive and abusive" (issue 26), Gemma's EX:0 drafts no longer parse and nothing reached the judge.
PINNED = ([('failed', 2, 0), ('ended', 1, 1)], [(2, 'er', 1.0), (2, 'ex', 1.0), (2, 'ip', 0.0)])


@pytest.mark.model
def test_reflexion_and_the_epitome_judge_on_the_bundled_models(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "real.db"

    def onprem(*args):
        return subprocess.run([sys.executable, "-m", "onprem", "--db", str(db), *map(str, args)],
                              capture_output=True, text=True)
    r = onprem("generate", "empathy", "--cell", "ER:2", "--cell", "EX:1", "--max-trials", "2", "--max-tokens", "96",
               "--seed", "2", "--threads", "1", "--progress", "plain")
    assert r.returncode in (0, 1), r.stderr
    con = sqlite3.connect(db)
    dialogues = con.execute("select id, status, json_extract(meta, '$.trials'), json_extract(meta, '$.met_target'), "
                            "(select count(*) from dialogue_attempts a where a.dialogue_id = d.id) from dialogues d "
                            "order by id").fetchall()
    assert len(dialogues) == 2 and all(trials == stored for _, _, trials, _, stored in dialogues)
    r = onprem("judge", "epitome", "--threads", "1", "--progress", "plain")
    assert r.returncode in (0, 1), r.stderr
    labels = con.execute("select j.target_id, s.criterion, s.score from judgments j join judgment_scores s "
                         "on s.judgment_id = j.id where j.rubric = 'epitome' order by j.target_id, s.criterion").fetchall()
    got = ([d[1:4] for d in dialogues], labels)
    assert got == PINNED, repr(got)


def test_a_judge_that_agrees_with_a_person_on_every_item_has_kappa_one(tmp_path):
    """Judge levels are stored as REAL (2.0) and people's as INTEGER (2); compared as text they never
    matched, and full agreement came out as kappa 0.000 (issue 26). Levels are integers everywhere."""
    from types import SimpleNamespace

    from onprem.papers.empathy import labelling
    from onprem.store import dialogues as dstore
    from onprem.papers.empathy.judge import RUBRIC
    from onprem.store import open_store

    src = tmp_path / "pairs.jsonl"
    src.write_text("".join(json.dumps({"input": f"I feel alone {i}", "output": f"That sounds hard {i}"}) + "\n"
                           for i in range(6)))
    db = tmp_path / "k.db"
    assert invoke(db, "import", src).exit_code == 0
    store = open_store(db)
    levels = [0, 1, 2, 2, 1, 0]
    judge = SimpleNamespace(name="judge-model", sha256=None)
    for pair_id, lv in zip(range(1, 7), levels):
        labelling.save_label(store, "pair", pair_id, "ana", {"er": lv, "ip": lv, "ex": lv})
        marks = {k: SimpleNamespace(score=float(lv), reason="same") for k in ("er", "ip", "ex")}
        outcome = SimpleNamespace(ok=True, error=None, raw=None, tokens=1, seconds=0.0, marks=marks,
                                  totals=lambda rubric: {})
        dstore.save_judgment(store, target_kind="pair", target_id=pair_id, run_id=None, rubric=RUBRIC, model=judge,
                             outcome=outcome)
    store.close()
    out = json.loads(invoke(db, "eval", "agreement", "epitome", "--json").output)
    for dim in ("er", "ip", "ex"):
        assert out[dim]["pairwise"] == {"ana|judge:judge-model": 1.0}


def test_the_epitome_export_writes_a_judges_levels_as_integers(tmp_path, script_file):
    from types import SimpleNamespace

    from onprem.store import dialogues as dstore
    from onprem.papers.empathy.judge import RUBRIC
    from onprem.store import open_store

    db = tmp_path / "x.db"
    model = script_file([DRAFT2], then="repeat")
    assert invoke(db, "generate", "empathy", "--cell", "ER:2", "--per-cell", "1", "--no-reflexion",
                  "--model", model).exit_code == 0
    store = open_store(db)
    did = store.db.execute("select id from dialogues").fetchone()[0]
    marks = {k: SimpleNamespace(score=2.0, reason="warm") for k in ("er", "ip", "ex")}
    dstore.save_judgment(store, target_kind="dialogue", target_id=did, run_id=None, rubric=RUBRIC,
                         model=SimpleNamespace(name="j", sha256=None),
                         outcome=SimpleNamespace(ok=True, error=None, raw=None, tokens=1, seconds=0.0, marks=marks,
                                                 totals=lambda rubric: {}))
    store.close()
    out = tmp_path / "e.jsonl"
    assert invoke(db, "export", "--format", "epitome", "--out", out, "--include-flagged").exit_code == 0
    line = out.read_text()
    assert '"er": 2,' in line and '"ip": 2,' in line and "2.0" not in line and '"er_source": "judge:j"' in line


def test_label_readouts_per_dataset_accuracy_and_macro_f1(tmp_path, script_file):
    """eval empathy-labels (issue 26): real (imported) and synthetic (generated) items apart; people's
    kappa, and the judge's kappa, accuracy and macro-F1 against the people's majority, by hand."""
    from types import SimpleNamespace

    from onprem.store import dialogues as dstore
    from onprem.evals.agreement import cohen_kappa
    from onprem.papers.empathy import labelling
    from onprem.papers.empathy.judge import RUBRIC
    from onprem.store import open_store

    src = tmp_path / "pairs.jsonl"
    src.write_text("".join(json.dumps({"input": f"I feel alone {i}", "output": f"That sounds hard {i}"}) + "\n"
                           for i in range(6)))
    db = tmp_path / "k.db"
    assert invoke(db, "import", src).exit_code == 0
    assert invoke(db, "generate", "empathy", "--cell", "ER:2", "--per-cell", "2", "--no-reflexion",
                  "--model", script_file([DRAFT2], then="repeat")).exit_code == 0
    store = open_store(db)
    ana, ben, judge = [0, 1, 2, 2, 1, 0], [0, 1, 2, 1, 1, 0], [0, 1, 2, 2, 0, 0]

    def judged(kind, tid, lv):
        marks = {k: SimpleNamespace(score=float(lv), reason="-") for k in ("er", "ip", "ex")}
        dstore.save_judgment(store, target_kind=kind, target_id=tid, run_id=None, rubric=RUBRIC,
                             model=SimpleNamespace(name="j", sha256=None),
                             outcome=SimpleNamespace(ok=True, error=None, raw=None, tokens=1, seconds=0.0, marks=marks,
                                                     totals=lambda rubric: {}))
    for pid in range(1, 7):
        labelling.save_label(store, "pair", pid, "ana", {k: ana[pid - 1] for k in ("er", "ip", "ex")})
        labelling.save_label(store, "pair", pid, "ben", {k: ben[pid - 1] for k in ("er", "ip", "ex")})
        judged("pair", pid, judge[pid - 1])
    dialogue_ids = [r[0] for r in store.db.execute("select id from dialogues order by id")]
    labelling.save_label(store, "dialogue", dialogue_ids[0], "ana", {"er": 2, "ip": 0, "ex": 0})
    for did in dialogue_ids:
        judged("dialogue", did, 2)
    store.close()
    out = json.loads(invoke(db, "eval", "empathy-labels", "--json").output)
    real = out["er"]["real"]
    majority = ["0", "1", "2", "1", "1", "0"]                       # item 4: 2 vs 1, a tie, goes to the lower
    assert real["n_items"] == 6 and real["people_kappa"] == pytest.approx(cohen_kappa(list(map(str, ana)), list(map(str, ben))))
    j = real["judge"]
    assert j["rater"] == "judge:j" and j["n"] == 6 and j["accuracy"] == pytest.approx(4 / 6)
    assert j["kappa"] == pytest.approx(cohen_kappa(majority, list(map(str, judge))))
    # F1 by hand: level 0 tp 2 fp 1 fn 0 -> 0.8; level 1 tp 1 fn 2 -> 0.5; level 2 tp 1 fp 1 -> 2/3
    assert j["macro_f1"] == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)
    synthetic = out["er"]["synthetic"]
    assert synthetic["n_items"] == 1 and synthetic["people_kappa"] is None
    assert synthetic["judge"]["n"] == 1 and synthetic["judge"]["accuracy"] == 1.0
    assert "| er | real | 6 |" in invoke(db, "eval", "empathy-labels").output
