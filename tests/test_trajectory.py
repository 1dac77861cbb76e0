"""The emotional-trajectory benchmark's statistics, against hand computations, scipy and the paper."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from click.testing import CliRunner
from scipy import stats

from onprem.cli import cli
from onprem.papers.thousand_voices import trajectory as tj

# Thousand Voices of Trauma, Table 1: (Pearson, DTW, RMSE) averages and the printed S_abs.
TABLE_1 = [
    ((0.80, 2.38, 1.07), 0.74), ((0.74, 2.63, 1.24), 0.69), ((0.73, 2.61, 1.28), 0.69),
    ((0.70, 2.80, 1.29), 0.67), ((0.64, 3.24, 1.61), 0.61), ((0.63, 2.91, 1.44), 0.63),
    ((0.62, 2.88, 1.49), 0.63), ((0.61, 3.30, 1.70), 0.59),
]


@pytest.mark.parametrize(("averages", "printed"), TABLE_1)
def test_s_abs_reproduces_table_1_from_its_averages(averages, printed):
    assert abs(tj.s_abs(*averages) - printed) <= 0.01
    r = CliRunner().invoke(cli, ["eval", "trajectory", "--from-averages", *map(str, averages), "--json"])
    assert abs(json.loads(r.output)["s_abs"] - printed) <= 0.01


def test_constructed_sequences():
    a = [3, 7, 8, 6, 5, 4]
    assert tj.pearson(a, a) == pytest.approx(1.0) and tj.dtw(a, a) == 0 and tj.rmse(a, a) == 0
    assert tj.s_abs(1.0, 0.0, 0.0) == 1.0
    flat, offset = [5] * 6, [6] * 6                  # a flat offset of 1: no warping can shorten it
    assert tj.dtw(flat, offset) == pytest.approx(math.sqrt(6)) and tj.rmse(flat, offset) == pytest.approx(1.0)
    assert tj.rmse(a, [x + 1 for x in a]) == pytest.approx(1.0)
    assert tj.pearson([5] * 6, a) is None            # constant: undefined


def test_dtw_by_hand_and_warping():
    # [1, 2, 3] vs [1, 3]: best path (1,1)(2,1)(3,2)? no: (1,1),(2,2),(3,2) costs 0 + 1 + 0 = 1.
    assert tj.dtw([1, 2, 3], [1, 3]) == pytest.approx(1.0)
    assert tj.dtw([1, 2, 3], [1, 3], cost="abs") == pytest.approx(1.0)
    # A shifted peak warps: [1, 5, 1, 1] vs [1, 1, 5, 1] is 0 with warping (Euclidean distance would be sqrt(32)).
    assert tj.dtw([1, 5, 1, 1], [1, 1, 5, 1]) == pytest.approx(0.0)


def test_aggregates_match_numpy_and_scipy():
    m = {"p1": dict(enumerate([3, 7, 8, 6, 5, 4], 1)), "p2": dict(enumerate([2, 6, 6, 5, 3, 2], 1)),
         "p3": dict(enumerate([4, 4, 4, 4, 4, 4], 1)), "p4": {1: 3, 2: 5}}
    b = {"p1": dict(enumerate([4, 8, 8, 7, 5, 3], 1)), "p2": dict(enumerate([3, 8, 7, 5, 4, 3], 1)),
         "p3": dict(enumerate([3, 8, 7, 6, 4, 2], 1)), "p4": dict(enumerate([1, 2, 3, 4, 5, 6], 1))}
    s = tj.compare(m, b)
    assert s.n == 3 and s.n_pearson_undefined == 1 and s.left_out == 1
    seqs = [([m[p][k] for k in range(1, 7)], [b[p][k] for k in range(1, 7)]) for p in ("p1", "p2", "p3")]
    rs = [stats.pearsonr(x, y).statistic for x, y in seqs[:2]]
    assert s.pearson[0] == pytest.approx(np.mean(rs)) and s.pearson[1] == pytest.approx(np.std(rs, ddof=1))
    rm = [math.sqrt(sum((u - v) ** 2 for u, v in zip(x, y)) / 6) for x, y in seqs]
    assert s.rmse[0] == pytest.approx(np.mean(rm)) and s.rmse[1] == pytest.approx(np.std(rm, ddof=1))
    assert s.s_abs == pytest.approx(tj.s_abs(s.pearson[0], s.dtw[0], s.rmse[0]))
    # The flat profile p3 counted as r = 0 instead of left out (issue 26): by hand, (r1 + r2 + 0) / 3.
    assert s.pearson_zero[0] == pytest.approx((rs[0] + rs[1]) / 3)
    assert s.pearson_zero[1] == pytest.approx(np.std([*rs, 0.0], ddof=1))
    assert s.s_abs_zero == pytest.approx(tj.s_abs((rs[0] + rs[1]) / 3, s.dtw[0], s.rmse[0]))
    assert s.s_abs_zero < s.s_abs                               # leaving it out flatters


def test_cli_reads_csv_and_prints_the_json_shape(tmp_path):
    def write(name, rows):
        p = tmp_path / name
        p.write_text("profile_id,phase,score\n" + "".join(f"{pid},{ph},{sc}\n" for pid, ph, sc in rows))
        return p
    a = write("a.csv", [("x", k, 5) for k in range(1, 7)])
    b = write("b.csv", [("x", k, 6) for k in range(1, 7)])
    r = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "eval", "trajectory", "--scores", str(a),
                                 "--baseline", str(b), "--json"])
    out = json.loads(r.output)
    assert set(out) == {"n", "n_pearson_undefined", "pearson", "dtw", "rmse", "s_abs", "pearson_undefined_as_zero",
                        "s_abs_undefined_as_zero", "s_abs_uses"}
    assert out["n"] == 1 and out["n_pearson_undefined"] == 1 and out["pearson"]["mean"] is None
    assert out["pearson_undefined_as_zero"] == {"mean": 0.0, "sd": None}
    assert out["s_abs_uses"] == "pearson with constant sequences left out" and out["s_abs"] is None
    assert out["dtw"]["mean"] == pytest.approx(math.sqrt(6)) and out["rmse"] == {"mean": 1.0, "sd": None}
    bad = write("bad.csv", [("x", 7, 3)])
    r = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "eval", "trajectory", "--scores", str(bad),
                                 "--baseline", str(b)])
    assert r.exit_code == 1 and "bad.csv: line 2: phase must be 1-6" in r.output


def test_a_stored_judge_run_of_segments_is_read_by_profile_and_phase(store):
    """`run:ID`: the segment judgments of one run, keyed by the case (profile) and segment (phase)."""
    from onprem.store import dialogues as dstore
    from onprem.dialogue.roleplay import DialogueResult, Turn
    from onprem.judges.rubric import Criterion, JudgeOutcome, Mark, Rubric, Scale
    from onprem.model.backends.scripted import ScriptedModel
    from onprem.runs import start_run

    model = ScriptedModel(name="judge")
    rubric = Rubric("distress", (Criterion("distress", "segment", "1 calm .. 10 extreme"),), Scale(1, 10))
    run_id = start_run(store, "judge distress", models={"judge": model})
    for profile, scores in (("P1", [3, 7, 8, 6, 5, 4]), ("P2", [2, 6, 6, 5, 3, 2])):
        case = dstore.ensure_case(store, "pe", profile)
        for phase, score in enumerate(scores, 1):
            before = store.db["dialogues"].count
            dstore.save_dialogue(store, case_id=case, segment=phase, generator="pe", run_id=None,
                                 result=DialogueResult([Turn(0, "client", "words")], "ended"),
                                 models={"writer": model}, prompts=[], params={}, seed=1)
            dstore.save_judgment(store, target_kind="segment", target_id=before + 1, run_id=run_id, rubric=rubric,
                                 model=model, outcome=JudgeOutcome(marks={"distress": Mark(score=score, reason="x")}))
    got = tj.read_run(store, run_id)
    assert got == {"P1": dict(enumerate([3.0, 7, 8, 6, 5, 4], 1)), "P2": dict(enumerate([2.0, 6, 6, 5, 3, 2], 1))}
    assert tj.compare(got, got).s_abs == pytest.approx(1.0)


def test_plot_draws_both_curves_from_the_per_phase_means(tmp_path):
    """`--plot FILE.svg`: an SVG a browser opens, the same bytes every time; the curves are numpy's
    per-phase mean and sample SD over complete profiles."""
    from onprem.papers.thousand_voices.plot import phase_curve, terminal_plot

    scores = {"x": dict(enumerate([2, 4, 6, 8, 6, 4], 1)), "y": dict(enumerate([4, 6, 8, 10, 8, 6], 1)),
              "partial": {1: 9.0}}
    curve = phase_curve("A", scores)
    assert curve.n == 2 and curve.mean == [3, 5, 7, 9, 7, 5]
    assert curve.sd == pytest.approx(np.std([[2, 4, 6, 8, 6, 4], [4, 6, 8, 10, 8, 6]], axis=0, ddof=1).tolist())
    assert "A (N=2)" in terminal_plot([curve], 60, 15)

    def write(name, rows):
        p = tmp_path / name
        p.write_text("profile_id,phase,score\n" + "".join(f"{pid},{ph},{sc}\n" for pid, ph, sc in rows))
        return p
    a = write("a.csv", [(pid, k, v) for pid, s in scores.items() for k, v in s.items()])
    b = write("b.csv", [(pid, k, 5) for pid in ("x", "y") for k in range(1, 7)])
    outs = []
    for name in ("one.svg", "two.svg"):
        r = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "eval", "trajectory", "--scores", str(a),
                                     "--baseline", str(b), "--plot", str(tmp_path / name)])
        assert r.exit_code == 0, r.output
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1] and outs[0].lstrip().startswith(b"<?xml") and b"<svg" in outs[0]
    assert b"a.csv (N=2)" in outs[0] and b"b.csv (N=2)" in outs[0]
    r = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "eval", "trajectory", "--scores", str(a),
                                 "--baseline", str(b), "--plot", str(tmp_path / "p.gif")])
    assert r.exit_code != 0 and "p.gif: name a .svg, .png or .pdf file" in r.output


def _csv(path, rows):
    path.write_text("profile_id,phase,score\n" + "".join(f"{p},{k},{s}\n" for p, seq in rows.items()
                                                         for k, s in enumerate(seq, 1)))
    return path


def test_ratios_to_a_reference_run_per_phase_distributions_and_groups(tmp_path):
    db = tmp_path / "t.db"
    r = CliRunner().invoke(cli, ["--db", str(db), "profiles", "sample", "pe", "--n", "4", "--seed", "1"])
    assert r.exit_code == 0, r.output
    ids = [f"pe-1-0000{i}" for i in range(1, 5)]
    model = {ids[0]: [3, 7, 8, 6, 5, 4], ids[1]: [2, 6, 9, 7, 4, 3], ids[2]: [5, 5, 6, 6, 5, 5], ids[3]: [1, 4, 9, 8, 3, 2]}
    base = {ids[0]: [4, 8, 8, 7, 5, 3], ids[1]: [3, 7, 9, 6, 4, 3], ids[2]: [4, 6, 7, 6, 5, 4], ids[3]: [2, 5, 9, 7, 4, 2]}
    ref = {ids[0]: [4, 7, 8, 7, 5, 4], ids[1]: [3, 7, 8, 6, 4, 3], ids[2]: [4, 6, 7, 7, 5, 4], ids[3]: [2, 5, 8, 7, 4, 3]}
    files = {name: _csv(tmp_path / f"{name}.csv", rows) for name, rows in (("m", model), ("b", base), ("c", ref))}
    r = CliRunner().invoke(cli, ["--db", str(db), "eval", "trajectory", "--scores", str(files["m"]),
                                 "--baseline", str(files["b"]), "--reference", str(files["c"]),
                                 "--by", "gender", "--per-phase", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    m, c = tj.compare(tj.read_csv(files["m"].read_text(), "m"), tj.read_csv(files["b"].read_text(), "b")), \
        tj.compare(tj.read_csv(files["c"].read_text(), "c"), tj.read_csv(files["b"].read_text(), "b"))
    # the paper's ratios: R_Corr = M_P / C_P, R_DTW = C_DTW / M_DTW, R_RMSE = C_RMSE / M_RMSE
    assert out["ratios"]["r_corr"] == pytest.approx(m.pearson[0] / c.pearson[0])
    assert out["ratios"]["r_dtw"] == pytest.approx(c.dtw[0] / m.dtw[0])
    assert out["ratios"]["r_rmse"] == pytest.approx(c.rmse[0] / m.rmse[0])
    # phase 3 of the model: 8, 9, 6, 9 -> mean 8, quartiles by numpy, counts of each rating
    p3 = out["per_phase"]["scores"]["3"]
    assert (p3["n"], p3["mean"]) == (4, 8.0) and p3["sd"] == pytest.approx(np.std([8, 9, 6, 9], ddof=1))
    assert p3["quartiles"] == [6.0, 7.5, 8.5, 9.0, 9.0] and p3["counts"]["9"] == 2 and p3["counts"]["1"] == 0
    # groups: the stored profiles' genders; each group's figures are the benchmark on its members
    from onprem.store import open_store
    from onprem.store.dialogue_queries import case_facts

    gender = {p["profile_id"]: p["client"]["gender"] for p in case_facts(open_store(db), "pe")}
    groups = out["by"]["groups"]
    assert out["by"]["field"] == "gender" and sum(g["n"] for g in groups.values()) == 4
    for g, got in groups.items():
        members = [p for p in ids if gender[p] == g]
        want = tj.compare({p: dict(enumerate(model[p], 1)) for p in members}, {p: dict(enumerate(base[p], 1)) for p in members})
        assert got["rmse"]["mean"] == pytest.approx(want.rmse[0])
    text = CliRunner().invoke(cli, ["--db", str(db), "eval", "trajectory", "--scores", str(files["m"]), "--baseline",
                                    str(files["b"]), "--reference", str(files["c"]), "--per-phase", "--by", "age_group"]).output
    assert "ratios to the reference: R_Corr" in text and "| age_group | N |" in text and "min / p25 / median" in text
