"""The Thousand Voices profile sampler: marginals of 100,000 draws against the stated distributions
(scipy's chi-squared goodness of fit), both presets, reproducibility and the validation rules."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner
from scipy import stats

from onprem.cli import cli
from onprem.papers.thousand_voices import profiles as pe

N = 100_000


@pytest.fixture(scope="module", params=pe.PRESETS)
def draws(request):
    return request.param, pe.sample(N, seed=2024, preset=request.param)


def chi2_p(observed: Counter, expected: dict[str, float]) -> float:
    keys = [k for k in expected if expected[k] > 0]
    total = sum(observed[k] for k in keys)
    share = sum(expected[k] for k in keys)
    return stats.chisquare([observed[k] for k in keys], [total * expected[k] / share for k in keys]).pvalue


def test_marginals_match_the_stated_distributions(draws):
    preset, ps = draws
    s = pe.spec()
    clients = [p["client"] for p in ps]
    checks = {
        "gender": (Counter(c["gender"] for c in clients), s["presets"][preset]["gender"]),
        "therapist gender": (Counter(p["therapist"]["gender"] for p in ps), s["presets"][preset]["gender"]),
        "ethnicity": (Counter(c["ethnicity"] for c in clients), s["client"]["ethnicity"]["weights"]),
        "condition": (Counter(c["condition"] for c in clients), s["client"]["condition"]["weights"]),
        "trauma type": (Counter(p["context"]["trauma_type"] for p in ps),
                        dict.fromkeys(s["context"]["trauma_type"]["values"], 1)),
        "session topic": (Counter(p["context"]["session_topic"] for p in ps),
                          dict.fromkeys(s["context"]["session_topic"]["values"], 1)),
        "behaviour count": (Counter(str(len(c["behaviours"])) for c in clients), {"1": 1, "2": 1, "3": 1}),
        "age group": (Counter(str((c["age"] - 1) // 10 if c["age"] > 30 else 1) for c in clients),
                      {str(g): 1 for g in range(1, 8) if g != 2}),
    }
    for name, (observed, expected) in checks.items():
        assert chi2_p(observed, expected) > 0.001, (preset, name, observed)
    # every behaviour: about 20 % of clients (k uniform in 1..3, drawn without replacement)
    per = Counter(b for c in clients for b in c["behaviours"])
    assert all(abs(per[b] / N - 0.2) < 0.01 for b in s["client"]["behaviours"]["values"])


def test_the_hand_computed_chi_squared_of_the_paper_counts():
    """The spec's check: the paper's reported ethnicity counts against uniform, chi2 = 3.23, p = 0.86."""
    counts = [70, 67, 64, 63, 63, 62, 59, 52]
    expected = sum(counts) / 8
    by_hand = sum((c - expected) ** 2 / expected for c in counts)
    result = stats.chisquare(counts)
    assert result.statistic == pytest.approx(by_hand) and round(by_hand, 2) == 3.23
    assert round(result.pvalue, 2) == 0.86


# The paper's 500 released profiles (§3.6): married, single, in a relationship, divorced, widowed.
REPORTED_RELATIONSHIP = {"Married": 180, "Single": 149, "In a relationship": 70, "Divorced": 51, "Widowed": 50}


def test_relationship_weights_are_the_papers_reported_cohort(draws):
    """The age-group tables, averaged over the six equally likely groups, give the reported mix; the
    paper's counts do not reject it (the round-2 tables implied 38.8/23.0/13.2/11.5/13.5 %: chi2 16.6,
    p = 0.002); and the sampled marginal follows it."""
    _preset, ps = draws
    tables = pe.spec()["client"]["relationship"]["by_age_group"]
    assert pe.spec()["reported_cohort"]["client.relationship"] == REPORTED_RELATIONSHIP
    implied = {k: sum(t[k] for t in tables) / len(tables) for k in REPORTED_RELATIONSHIP}
    assert all(abs(implied[k] - n / 500) < 0.0015 for k, n in REPORTED_RELATIONSHIP.items())
    counts = list(REPORTED_RELATIONSHIP.values())
    test = stats.chisquare(counts, [500 * implied[k] for k in REPORTED_RELATIONSHIP])
    by_hand = sum((n - 500 * implied[k]) ** 2 / (500 * implied[k]) for k, n in REPORTED_RELATIONSHIP.items())
    assert test.statistic == pytest.approx(by_hand) and test.pvalue > 0.99
    old = {"Married": 0.388, "Single": 0.23, "In a relationship": 0.132, "Divorced": 0.115, "Widowed": 0.135}
    assert round(stats.chisquare(counts, [500 * old[k] for k in REPORTED_RELATIONSHIP]).statistic, 1) == 16.6
    assert chi2_p(Counter(p["client"]["relationship"] for p in ps), implied) > 0.001


def test_cross_field_rules_hold_in_every_draw_and_are_checked_in_files(draws):
    _preset, ps = draws
    alone = {"Single", "Divorced", "Widowed"}
    partnered_living = {"With partner", "With partner and children"}
    assert not [p for p in ps if p["client"]["relationship"] in alone and p["client"]["living"] in partnered_living]
    # the rule is live: without it the age-group tables would pair them often
    assert sum(p["client"]["relationship"] in alone for p in ps) > 0.4 * N
    client = {"age": 50, "relationship": "Widowed", "occupation": "Teacher", "living": "With partner"}
    assert pe.broken_rules(client, "living", "With partner") == [
        "living 'With partner' with relationship 'Widowed': a client without a partner does not live with one"]
    assert pe.broken_rules({"age": 30}, "living", "Care home") == ["Care home needs age >= 65 (age 30)"]


def test_every_profile_keeps_the_rules_and_seeds_reproduce(draws):
    _preset, ps = draws
    assert all(pe.problems(p) == [] for p in ps[:20_000])
    assert all(25 <= p["therapist"]["age"] <= 65 and 18 <= p["client"]["age"] <= 80 for p in ps)


def test_same_seed_same_bytes_and_file_validation(tmp_path):
    out1, out2 = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for out, db in ((out1, "a.db"), (out2, "b.db")):
        r = CliRunner().invoke(cli, ["--db", str(tmp_path / db), "profiles", "sample", "pe", "--n", "50", "--seed", "7",
                                     "--out", str(out)])
        assert r.exit_code == 0, r.output
    assert out1.read_bytes() == out2.read_bytes()
    rows = [json.loads(x) for x in out1.read_text().splitlines()]
    rows[1]["client"]["age"], rows[1]["client"]["occupation"] = 20, "Retired"
    rows[2]["client"]["behaviours"] = []
    rows[3]["context"]["session_topic"] = "the crash on Route 9 with her brother Marcus Delgado"   # issue 23, item 6
    rows[4]["client"]["relationship"], rows[4]["client"]["living"] = "Divorced", "With partner and children"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(json.dumps(r) + "\n" for r in rows) + "not json\n")
    r = CliRunner().invoke(cli, ["profiles", "validate", str(bad)])
    assert r.exit_code == 1
    assert "line 2 (pe-7-00002): Retired needs age >= 55 (age 20); skipped" in r.output
    assert "line 3 (pe-7-00003): behaviours must be 1-3 different ones; skipped" in r.output
    assert "line 4 (pe-7-00004): context.session_topic looks like it holds an identifier (value not shown)" in r.output
    assert "Marcus" not in r.output and "Route 9" not in r.output
    assert ("line 5 (pe-7-00005): living 'With partner and children' with relationship 'Divorced': a client "
            "without a partner does not live with one; skipped") in r.output
    assert "line 51: not valid JSON" in r.output and "46 valid profiles, 5 rejected" in r.output


def test_stats_compare_the_stored_cohort_with_the_papers(tmp_path):
    db = tmp_path / "c.db"
    assert CliRunner().invoke(cli, ["--db", str(db), "profiles", "sample", "pe", "--n", "200", "--seed", "5"]).exit_code == 0
    data = json.loads(CliRunner().invoke(cli, ["--db", str(db), "stats", "--json"]).output)["pe_cohort"]
    ps = pe.sample(200, seed=5)
    rel = data["client.relationship"]
    assert data["n"] == 200 and data["age_mean"] == round(sum(p["client"]["age"] for p in ps) / 200, 2)
    sampled = Counter(p["client"]["relationship"] for p in ps)
    keys = list(REPORTED_RELATIONSHIP)
    assert {k: v["n"] for k, v in rel["values"].items()} == {k: sampled[k] for k in keys}
    # the 2 x 5 contingency chi-squared by hand: expected = row total * column total / grand total
    table = [[sampled[k] for k in keys], [REPORTED_RELATIONSHIP[k] for k in keys]]
    rows, cols, total = [sum(r) for r in table], [a + b for a, b in zip(*table)], 700
    by_hand = sum((table[i][j] - rows[i] * cols[j] / total) ** 2 / (rows[i] * cols[j] / total)
                  for i in range(2) for j in range(5))
    assert rel["chi2"] == round(by_hand, 3) and rel["p"] == pytest.approx(stats.chi2(4).sf(by_hand))
    assert data["client.behaviours"]["values"]["nightmares"]["reported"] == 117
    out = CliRunner().invoke(cli, ["--db", str(db), "stats"]).output
    assert "pe profiles against the paper's cohort" in out
