"""One store of scores (issue 24, item 4): people are raters beside judge models, stored the same
way; `onprem labels import` brings ratings from a file into it (issue 26); a database whose people's
EPITOME labels were in their own table migrates them; `eval judge-validity --labels person:NAME`
reads a person's ratings from it."""

from __future__ import annotations

import json
import sqlite3

import pytest
import sqlite_utils

from tests.sessions import GOOD, invoke, judgment
from onprem.store import migrations, open_store, scores

@pytest.fixture
def sessions(tmp_path, script_file):
    """Three stored sessions (dialogues 1-3) a scripted quality judge scored (coherence 9, 5, 2)."""
    db = tmp_path / "s.db"
    assert invoke(db, "generate", "pe", "--profiles", "1", "--phases", "1-3",
                  "--model", script_file([GOOD], then="repeat")).exit_code == 0
    judge = script_file([judgment(9, 6, 7), judgment(5, 6, 5), judgment(2, 6, 3)], name="judge-a")
    assert invoke(db, "judge", "quality", "--model", judge).exit_code == 0
    return db


def test_labels_import_stores_people_beside_judges_and_names_refused_rows(sessions, tmp_path):
    f = tmp_path / "ratings.csv"
    f.write_text("item,rater,coherence,realism\n"
                 "dialogue:1,ana,8,7\n"
                 "dialogue:2,ana,4,\n"           # realism not rated
                 "dialogue:3,ana,11,5\n"         # outside 1-10
                 "dialogue:99,ana,5,5\n"         # not in the database
                 "pair,ana,5,5\n"                # not KIND:ID
                 "dialogue:1,ana,6,6\n"          # twice in one file
                 "dialogue:3,ben,2,3\n")
    r = invoke(sessions, "labels", "import", f, "--rubric", "quality")
    assert r.exit_code == 1
    assert "ratings.csv: line 4: coherence 11 is outside the rubric's scale 1-10; skipped" in r.output
    assert "line 5: dialogue:99 is not in the database; skipped" in r.output
    assert "line 6: item 'pair' is not KIND:ID" in r.output
    assert "line 7: rater ana rates dialogue:1 twice in this file; skipped" in r.output
    assert "3 ratings imported under quality (2 raters), 4 refused" in r.output
    store = open_store(sessions)
    people = scores.scores(store, "quality", people=True)
    assert sorted((s.item, s.rater, s.criterion, s.score) for s in people) == [
        ("dialogue:1", "person:ana", "coherence", 8), ("dialogue:1", "person:ana", "realism", 7),
        ("dialogue:2", "person:ana", "coherence", 4),
        ("dialogue:3", "person:ben", "coherence", 2), ("dialogue:3", "person:ben", "realism", 3)]
    judges = {s.rater for s in scores.scores(store, "quality", people=False)}
    assert judges == {"judge:judge-a"}
    audit = store.db.execute("select actor, action, after from audit where action = 'rating.save' order by id").fetchall()
    assert [a[0] for a in audit] == ["ana", "ana", "ben"]
    assert json.loads(audit[0][2])["source"] == "file:ratings.csv"
    # a person's rating is no judge's: judging again still finds every dialogue judged by judge-a only
    assert store.db.execute("select count(*) from judgments where rater like 'person:%' and model is null").fetchone()[0] == 3
    # a new import by the same person replaces their rating (superseded, not deleted)
    f.write_text("item,rater,coherence\ndialogue:1,ana,3\n")
    assert invoke(sessions, "labels", "import", f, "--rubric", "quality").exit_code == 0
    assert scores.rating_of(store, "quality", "dialogue", 1, "ana") == {"coherence": 3}
    assert store.db.execute("select count(*) from judgments where rater = 'person:ana'").fetchone()[0] == 3


def test_a_bad_header_or_rubric_is_one_line(sessions, tmp_path):
    f = tmp_path / "r.csv"
    f.write_text("item,rater,warmth\ndialogue:1,ana,5\n")
    r = invoke(sessions, "labels", "import", f, "--rubric", "quality")
    assert r.exit_code == 1 and "warmth in the header; quality's criteria are coherence,realism,therapeutic_value" in r.output
    r = invoke(sessions, "labels", "import", f, "--rubric", "nope")
    assert r.exit_code == 2 and "--rubric nope: no such rubric" in r.output


def test_judge_validity_reads_a_persons_ratings_criterion_by_criterion(sessions, tmp_path):
    f = tmp_path / "ratings.csv"
    f.write_text("item,rater,coherence,realism,therapeutic_value\n"
                 "dialogue:1,ana,8,7,9\ndialogue:2,ana,6,7,4\ndialogue:3,ana,3,7,2\n")
    assert invoke(sessions, "labels", "import", f, "--rubric", "quality").exit_code == 0
    out = json.loads(invoke(sessions, "eval", "judge-validity", "--labels", "person:ana", "--judge-model", "judge-a",
                            "--json").output)
    # coherence: judge 9, 5, 2 against ana's 8, 6, 3: the same order, rho 1
    assert out["coherence"]["spearman"] == 1.0 and out["coherence"]["n"] == 3
    assert out["realism"]["spearman"] is None                   # ana gave every session 7: no spread
    r = invoke(sessions, "eval", "judge-validity", "--labels", "person:nobody", "--judge-model", "judge-a")
    assert r.exit_code == 2 and "no ratings by this person under quality" in r.output


def test_people_epitome_labels_move_from_their_own_table(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    before = [(n, fn) for n, fn in migrations.MIGRATIONS if n != "m012_people_as_raters"]
    migrations._apply(db, before)
    db.execute("insert into labels (target_kind, target_id, rater, er, ip, ex, created_at, updated_at) "
               "values ('pair', 7, 'ana', 2, 1, 0, '2026-01-01', '2026-01-02')")
    db.execute("insert into judgments (target_kind, target_id, rubric, model, status, created_at) "
               "values ('pair', 7, 'epitome', 'smollm2-135m', 'done', '2026-01-01')")
    db.conn.commit()
    db.close()
    store = open_store(path)
    assert not store.db["labels"].exists()
    got = sorted((s.item, s.rater, s.criterion, s.score) for s in scores.scores(store, "epitome"))
    assert got == [("pair:7", "person:ana", "er", 2), ("pair:7", "person:ana", "ex", 0), ("pair:7", "person:ana", "ip", 1)]
    assert sqlite3.connect(path).execute("select rater from judgments where model = 'smollm2-135m'").fetchone() == (
        "judge:smollm2-135m",)
    from onprem.papers.empathy import labelling

    assert labelling.by_dimension(store)["er"] == {"pair:7": {"ana": "2"}}


def test_people_rankings_move_from_their_own_table(tmp_path):
    """m014: a finished ranking becomes one `rank` score per response by person:NAME; one shown but
    never ranked leaves nothing (its order is drawn again from question and rater)."""
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    migrations._apply(db, [(n, fn) for n, fn in migrations.MIGRATIONS if n != "m014_rankings_as_scores"])
    db.execute("insert into eval_questions (id, key, question, source, created_at) values (1, 'q1', 'Why?', 'f', 'x')")
    for rid, model in ((5, "a"), (6, "b")):
        db.execute("insert into runs (id, command, tool_version, started_at, status) values (?, 'eval respond', "
                   "'0', 'x', 'done')", [rid])
        db.execute("insert into eval_responses (id, run_id, question_id, model, round, seed, response, status, "
                   "created_at) values (?, ?, 1, ?, 1, 0, 'r', 'done', 'x')", [rid, rid, model])
    db.execute("insert into rankings (question_id, rater, shown, ranks, created_at, updated_at) "
               "values (1, 'ana', '[6, 5]', '{\"5\": 2, \"6\": 1}', 'x', '2026-01-02')")
    db.execute("insert into rankings (question_id, rater, shown, ranks, created_at, updated_at) "
               "values (1, 'bo', '[5, 6]', null, 'x', 'x')")
    db.conn.commit()
    db.close()
    store = open_store(path)
    assert not store.db["rankings"].exists()
    got = sorted((s.item, s.rater, s.criterion, s.score) for s in scores.scores(store, "rank"))
    assert got == [("response:5", "person:ana", "rank", 2), ("response:6", "person:ana", "rank", 1)]
    from onprem.papers.mentalchat16k import rankings

    assert rankings.labels(store) == {"q1|a": {"ana": "2"}, "q1|b": {"ana": "1"}}
    assert rankings.ranked_count(store, "ana", [1]) == 1 and rankings.ranked_count(store, "bo", [1]) == 0
    store.close()


def test_agreement_on_any_rubric_reads_people_and_judges_from_the_store(sessions, tmp_path):
    """`eval agreement RUBRIC` (issue 26, rating forms): a form's or a file's ratings and a judge's,
    per criterion, with no table of their own."""
    from onprem.evals.agreement import cohen_kappa

    f = tmp_path / "ratings.csv"
    f.write_text("item,rater,coherence\ndialogue:1,ana,9\ndialogue:2,ana,5\ndialogue:3,ana,3\n")
    assert invoke(sessions, "labels", "import", f, "--rubric", "quality").exit_code == 0
    out = json.loads(invoke(sessions, "eval", "agreement", "quality", "--json").output)
    # the judge scored coherence 9, 5, 2
    assert out["coherence"]["pairwise"] == {"ana|judge:judge-a": cohen_kappa(["9", "5", "3"], ["9", "5", "2"])}
    assert "realism" not in out or len(out["realism"]["raters"]) == 1
    from onprem.evals.agreement import raters_summary

    summary = {r["rubric"]: r for r in raters_summary(open_store(sessions))}["quality"]
    assert summary["raters"] == [("person:ana", 3), ("judge:judge-a", 3)]
    assert summary["mean_kappa"] == pytest.approx(out["coherence"]["mean_pairwise_kappa"])   # the one criterion two rated
    r = invoke(sessions, "eval", "agreement", "no-such-rubric")
    assert r.exit_code == 2 and "a rubric with stored ratings" in r.output


def test_judge_quality_reports_a_session_as_the_mean_of_its_scores(tmp_path, script_file):
    """A session scored 1-10 on three criteria reads as their mean, not their sum (issue 28, item 10)."""
    db = tmp_path / "m.db"
    assert invoke(db, "generate", "pe", "--profiles", "1", "--phases", "1",
                  "--model", script_file([GOOD], then="repeat")).exit_code == 0
    r = invoke(db, "judge", "quality", "--progress", "plain", "--model", script_file([judgment(9, 6, 7)], name="j"))
    assert "session 7.3 (coherence 9, realism 6, therapeutic_value 7)" in r.output
    assert "session 22" not in r.output


def test_u_undoes_a_saved_rating_and_a_saved_ranking(sessions):
    """Issue 28, item 4: undo is the same key everywhere and reaches saved ratings and rankings:
    the new judgment is superseded and the one it replaced is live again, in one audit row."""
    from onprem import plugins, review

    store = open_store(sessions)
    rubric = plugins.get("judge", "quality").rubric
    first, second = {c.key: 7 for c in rubric.criteria}, {c.key: 3 for c in rubric.criteria}
    scores.save_rating(store, rubric=rubric, target_kind="dialogue", target_id=1, rater="ana", values=first)
    scores.save_rating(store, rubric=rubric, target_kind="dialogue", target_id=1, rater="ana", values=second)
    assert scores.rating_of(store, rubric.name, "dialogue", 1, "ana") == second
    assert review.undo_last(store, "ana").action == "rating.save"
    assert scores.rating_of(store, rubric.name, "dialogue", 1, "ana") == first        # the earlier rating is back
    assert review.undo_last(store, "ana").action == "rating.save"
    assert scores.rating_of(store, rubric.name, "dialogue", 1, "ana") is None
    assert review.undo_last(store, "ana") is None
    assert [r[0] for r in store.db.execute("select action from audit where actor = 'ana' order by id")] == [
        "rating.save", "rating.save", "undo", "undo"]
    store.close()
