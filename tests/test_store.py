import json
import os
import sqlite3
import stat

import pytest

from onprem.store import open_store
from onprem.store.migrations import MIGRATIONS, migrate


def test_migrations_from_blank_database_apply_once(tmp_path):
    s = open_store(tmp_path / "a.db")
    names = [r["name"] for r in s.db["_migrations"].rows]
    assert names == [name for name, _fn in MIGRATIONS]
    assert migrate(s.db) == []  # re-running applies nothing
    for table in ("sources", "pages", "runs", "qa_pairs", "pii_spans", "pii_map", "audit", "qa_pairs_fts", "pages_fts"):
        assert s.db[table].exists(), table


def test_database_is_owner_only_and_wal(tmp_path):
    path = tmp_path / "b.db"
    s = open_store(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert s.db.journal_mode == "wal"


def test_audit_is_append_only(store):
    store.audit("tester", "approve", "qa_pairs", 1, before={"status": "kept"}, after={"status": "approved"})
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("update audit set actor = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("delete from audit")


def test_atomic_rolls_back_everything(store):
    with pytest.raises(RuntimeError):
        with store.atomic() as db:
            db["sources"].insert({"name": "x", "sha256": "s", "kind": "transcript", "created_at": "t"})
            raise RuntimeError("crash mid-transaction")
    assert store.db["sources"].count == 0


def test_not_a_database_is_a_clear_error(tmp_path):
    from onprem.errors import UserError

    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(UserError, match="bad.db"):
        open_store(bad)


def test_word_histogram_counts_shorter_side_from_the_covering_index(store):
    from onprem.store import overview

    store.db["sources"].insert({"name": "x", "sha256": "s", "kind": "import", "created_at": "t"})
    rows = [("kept", "q", "a", 45, 12), ("filtered", "q", "a", 3, 80), ("failed", None, None, 0, 0),
            ("superseded", "q", "a", 50, 50), ("approved", "q", "a", 250, 300)]
    store.db["qa_pairs"].insert_all({"source_id": 1, "seq": i, "status": st, "question": q, "answer": a,
                                     "q_words": qw, "a_words": aw, "created_at": "t", "updated_at": "t"}
                                    for i, (st, q, a, qw, aw) in enumerate(rows))
    hist = dict(overview.word_histogram(store, bin_width=10, bins=20))
    assert hist[10] == 1 and hist[0] == 1 and hist[190] == 1   # 12 words; 3 words; 250 -> last bin
    assert sum(hist.values()) == 3                              # failed and superseded left out
    plan = store.db.execute("explain query plan select min(min(q_words, a_words) / 10, 19) as b, count(*) "
                            "from qa_pairs where status not in ('superseded', 'failed') group by b").fetchall()
    assert "COVERING INDEX qa_pairs_words" in str(plan)


def _m007_database(path):
    """A database as the code before m008 left it: migrations up to m007, and rows in every table
    the generic-dialogue migration rebuilds (two profiles, dialogues incl. a superseded one, turns,
    findings in turns, judgments with scores, a paraphrase run)."""
    import sqlite_utils

    db = sqlite_utils.Database(path)
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    for name, fn in MIGRATIONS:
        if name == "m008_generic_dialogues":
            break
        fn(db)
        db["_migrations"].insert({"name": name, "applied_at": "2026-01-01"})
    db["runs"].insert_all([
        {"id": 1, "command": "paraphrase", "model_name": "gemma3-270m", "model_path": "/m/g.gguf",
         "model_sha256": "a" * 64, "tool_version": "0.1.0", "started_at": "t", "status": "done"},
        {"id": 2, "command": "generate sqpsych", "model_name": "gemma3-270m", "model_sha256": "a" * 64,
         "tool_version": "0.1.0", "started_at": "t", "status": "done"}])
    for i in (1, 2):
        db["profiles"].insert({"id": i, "client_id": f"C00{i}", "record_sha256": f"rec{i}", "responses": "{}",
                               "scores": "{}", "persona": "p", "created_at": "t"})
    dialogues = [(1, 1, "superseded"), (2, 1, "capped"), (3, 2, "ended")]
    for did, pid, status in dialogues:
        db["dialogues"].insert({"id": did, "profile_id": pid, "generator": "sqpsych", "run_id": 2,
                                "therapist_model": "gemma3-270m", "therapist_model_sha256": "a" * 64,
                                "client_model": "smollm2", "client_model_sha256": "b" * 64, "prompts": "[]",
                                "params": "{}", "seed": 7, "status": status, "n_turns": 2, "created_at": "t",
                                "review_status": "approved" if did == 2 else None, "scanned_at": "t"})
        for seq in (0, 1):
            db["turns"].insert({"dialogue_id": did, "seq": seq, "speaker": ("therapist", "client")[seq],
                                "content": f"turn {seq} of {did}", "status": "ok"})
    db["pii_spans"].insert({"dialogue_id": 2, "turn_id": 4, "field": "turn", "start": 0, "end": 4,
                            "entity_type": "PERSON", "text": "turn", "decision": "confirmed"})
    db["judgments"].insert({"id": 1, "dialogue_id": 2, "run_id": 2, "rubric": "sqpsych", "model": "gemma3-270m",
                            "status": "done", "totals": '{"therapist": 3}', "created_at": "t"})
    db["judgment_scores"].insert({"judgment_id": 1, "criterion": "validation", "grp": "therapist", "score": 2,
                                  "reason": "ok"})
    db.conn.commit()
    db.close()


def test_generic_dialogue_migration_upgrades_a_populated_database_with_no_row_lost(tmp_path):
    path = tmp_path / "old.db"
    _m007_database(path)
    before = sqlite3.connect(path)
    counts = {t: before.execute(f"select count(*) from {t}").fetchone()[0]
              for t in ("profiles", "dialogues", "turns", "pii_spans", "judgments", "judgment_scores", "runs",
                        "turns_fts")}
    turns = before.execute("select id, dialogue_id, seq, content from turns order by id").fetchall()
    before.close()

    s = open_store(path)                       # applies m008 (and any later migration)
    db = s.db
    assert "m008_generic_dialogues" in {r["name"] for r in db["_migrations"].rows}
    for table, n in counts.items():
        assert db.execute(f"select count(*) from {table}").fetchone()[0] == n, table
    assert db.execute("select id, dialogue_id, seq, content from turns order by id").fetchall() == turns
    # Each (generator, profile) became one case keyed by the record hash; dialogues keep status and review.
    cases = list(db.query("select id, generator, key, profile_id, title from cases order by id"))
    assert [(c["key"], c["profile_id"], c["title"]) for c in cases] == [("rec1", 1, "C001"), ("rec2", 2, "C002")]
    rows = list(db.query("select id, case_id, segment, profile_id, status, review_status, models from dialogues "
                         "order by id"))
    assert [(r["id"], r["case_id"], r["segment"], r["status"], r["review_status"]) for r in rows] == [
        (1, 1, 0, "superseded", None), (2, 1, 0, "capped", "approved"), (3, 2, 0, "ended", None)]
    models = json.loads(rows[1]["models"])
    assert models["therapist"] == {"name": "gemma3-270m", "sha256": "a" * 64, "backend": "llama"}
    assert models["client"]["name"] == "smollm2"
    j = db["judgments"].get(1)
    assert (j["target_kind"], j["target_id"], j["dialogue_id"]) == ("dialogue", 2, 2)
    assert json.loads(db["runs"].get(1)["models"])["model"]["sha256"] == "a" * 64
    # The new shape holds: a profile is optional, one live dialogue per case segment, full-text search intact.
    with s.atomic():
        cid = db["cases"].insert({"generator": "toy", "key": "k", "created_at": "t"}).last_pk
        db["dialogues"].insert({"case_id": cid, "segment": 3, "generator": "toy", "status": "ended", "created_at": "t"})
    with pytest.raises(sqlite3.IntegrityError):
        with s.atomic():
            db["dialogues"].insert({"case_id": cid, "segment": 3, "generator": "toy", "status": "ended",
                                    "created_at": "t"})
    assert db.execute("select count(*) from turns_fts where turns_fts match 'turn'").fetchone()[0] == 6
    assert db.execute("pragma foreign_key_check").fetchall() == []
    assert db.execute("pragma foreign_keys").fetchone()[0] == 1
    s.close()


def test_a_migration_that_would_orphan_rows_changes_nothing(tmp_path, monkeypatch):
    from onprem.store import migrations

    s = open_store(tmp_path / "c.db")

    def breaks(db):   # foreign keys are off while migrations run: only the check can catch this
        db.execute("create table extra (id integer primary key)")
        db.execute("insert into qa_pairs (source_id, seq, status, created_at, updated_at) values (99, 0, 'kept', 't', 't')")
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("m999_test", breaks)])
    with pytest.raises(sqlite3.IntegrityError, match="m999_test would leave 1 rows"):
        migrations.migrate(s.db)
    assert not s.db["extra"].exists() and "m999_test" not in {r["name"] for r in s.db["_migrations"].rows}
    assert s.db.execute("select count(*) from qa_pairs").fetchone()[0] == 0
    assert s.db.execute("pragma foreign_keys").fetchone()[0] == 1


def test_numpy_values_get_the_column_types_sqlite_utils_gives_them(store):
    # sqlite-utils is imported with numpy hidden (start-up time); the type map still knows numpy's types
    import numpy as np

    store.db["measures"].insert({"n": np.int64(3), "share": np.float32(0.5), "small": np.uint8(2), "name": "x"})
    types = {c.name: c.type for c in store.db["measures"].columns}
    assert types == {"n": "INTEGER", "share": "REAL", "small": "INTEGER", "name": "TEXT"}
