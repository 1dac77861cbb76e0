"""`onprem eval judge-validity`: a judge's stored scores against people's labels. The statistics
against hand computations and scipy; the command end to end on real stored judgments (a scripted
judge with known scores, one that never parses); the JSON shape others read."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

from tests.sessions import GOOD, invoke, judgment
from onprem.evals import validity as v

def test_auc_is_the_share_of_positive_negative_pairs_ranked_right():
    y = np.array([1, 1, 1, 0, 0])
    s = np.array([9, 7, 5, 6, 4])
    # by hand: of the 6 (positive, negative) pairs, 5 have the positive scored higher (5 < 6 does not)
    assert v.auc(y, s) == pytest.approx(5 / 6)
    assert v.auc(np.array([1, 1, 0]), np.array([5, 5, 5])) == 0.5          # ties count half
    assert v.auc(np.array([1, 1]), np.array([3, 4])) is None                # one class: undefined


def test_quadratic_weighted_kappa_by_hand_and_spearman_from_scipy():
    y, s = np.array([1, 2, 3, 1]), np.array([1, 3, 3, 2])
    # observed disagreement sum(W*O) = 0.25 + 0.25; expected sum(W*E) = 1.625 (rows 2,1,1; columns 1,1,2; n 4)
    assert v.qwk(y, s) == pytest.approx(1 - 0.5 / 1.625)
    assert v.qwk(np.array([2, 3]), np.array([2, 3])) == 1.0
    assert v.spearman(y, s) == pytest.approx(stats.spearmanr(y, s).statistic)
    assert v.spearman(np.array([1, 2]), np.array([4, 4])) is None


def test_bootstrap_interval_is_seeded_and_holds_the_estimate():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 60)
    s = y * 2 + rng.integers(0, 4, 60)
    a, b = v.interval(v.auc, y, s, 7), v.interval(v.auc, y, s, 7)
    assert a == b and a[0] < v.auc(y, s) < a[1] and a != v.interval(v.auc, y, s, 8)


def test_labels_file_errors_name_the_line(tmp_path):
    with pytest.raises(Exception, match="the header must be item,label"):
        v.read_labels("id,label\n1,1\n", "l.csv")
    with pytest.raises(Exception, match="line 3: item 'dialogue' is not KIND:ID"):
        v.read_labels("item,label\ndialogue:1,1\ndialogue,0\n", "l.csv")
    with pytest.raises(Exception, match="line 2: label 'high' is not an integer"):
        v.read_labels("item,label\ndialogue:1,high\n", "l.csv")


@pytest.fixture
def judged_db(tmp_path, script_file):
    """Six stored sessions; a scripted quality judge scores them (coherence 9,8,4,7,3,2), a second
    judge never gives valid output."""
    db = tmp_path / "v.db"
    assert invoke(db, "generate", "pe", "--profiles", "1", "--phases", "1-6",
                  "--model", script_file([GOOD], then="repeat")).exit_code == 0
    judge = script_file([judgment(c, 5, t) for c, t in ((9, 6), (8, 6), (4, 6), (7, 6), (3, 6), (2, 6))], name="judge-a")
    assert invoke(db, "judge", "quality", "--model", judge).exit_code == 0
    broken = script_file(["not json"], then="repeat", name="judge-b")
    invoke(db, "judge", "quality", "--model", broken, "--retries", "0")
    return db


def test_binary_labels_give_auc_per_criterion_with_the_json_shape(judged_db, tmp_path):
    labels = tmp_path / "labels.csv"
    # dialogues 1-6: people call 1, 2 and 4 high quality; dialogue 99 was never judged
    labels.write_text("item,label\n" + "".join(f"dialogue:{i},{int(i in (1, 2, 4))}\n" for i in (1, 2, 3, 4, 5, 6, 99)))
    r = invoke(judged_db, "eval", "judge-validity", "--labels", labels, "--judge-model", "judge-a", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert set(out) == {"coherence", "realism", "therapeutic_value"}
    c = out["coherence"]
    assert {"n", "auc", "ci95", "unparsed"} <= set(c)
    assert c["n"] == 6 and c["auc"] == 1.0 and c["unparsed"] == 0.0 and c["not_judged"] == 1
    assert out["realism"]["auc"] == 0.5                      # the same score for every session
    assert c["mean_score"] == {"0": 3.0, "1": 8.0}
    text = invoke(judged_db, "eval", "judge-validity", "--labels", labels, "--judge-model", "judge-a").output
    assert "judge-a as a quality judge against 7 labelled items" in text and "coherence: n 6, AUC 1.000" in text
    # a judge whose every judgment failed to parse
    out = json.loads(invoke(judged_db, "eval", "judge-validity", "--labels", labels, "--judge-model", "judge-b",
                            "--json").output)
    assert set(out) == {"coherence", "realism", "therapeutic_value"}
    assert all(x["unparsed"] == 1.0 and x["n"] == 0 and x["auc"] is None for x in out.values())


def test_ordinal_labels_give_spearman_and_qwk(judged_db, tmp_path):
    labels = tmp_path / "ordinal.csv"
    labels.write_text("item,label\n" + "".join(f"dialogue:{i},{lv}\n" for i, lv in
                                                zip(range(1, 7), (9, 7, 4, 8, 3, 2))))
    out = json.loads(invoke(judged_db, "eval", "judge-validity", "--labels", labels, "--judge-model", "judge-a",
                            "--rubric", "quality", "--json").output)
    c = out["coherence"]
    y, s = np.array([9, 7, 4, 8, 3, 2]), np.array([9, 8, 4, 7, 3, 2])
    assert c["spearman"] == round(stats.spearmanr(y, s).statistic, 4)
    assert c["qwk"] == round(v.qwk(y, s), 4) and {"ci95", "qwk_ci95", "unparsed", "n"} <= set(c)


def test_unknown_model_and_rubric_are_one_clear_line(judged_db, tmp_path):
    labels = tmp_path / "l.csv"
    labels.write_text("item,label\ndialogue:1,1\n")
    r = invoke(judged_db, "eval", "judge-validity", "--labels", labels, "--judge-model", "nobody")
    assert r.exit_code == 2 and "no judgments by this model (judge models here: judge-a, judge-b)" in r.output
    r = invoke(judged_db, "eval", "judge-validity", "--labels", labels, "--judge-model", "judge-a", "--rubric", "epitome")
    assert r.exit_code == 2 and "judge-a has no judgments under it (it has: quality)" in r.output
