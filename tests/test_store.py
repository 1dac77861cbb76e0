import os
import sqlite3
import stat

import pytest

from onprem.store import open_store
from onprem.store.migrations import MIGRATIONS, migrate


def test_migrations_from_blank_database_apply_once(tmp_path):
    s = open_store(tmp_path / "a.db")
    names = [r["name"] for r in s.db["_migrations"].rows]
    assert names == [fn.__name__ for fn in MIGRATIONS]
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
    from onprem.store import queries

    store.db["sources"].insert({"name": "x", "sha256": "s", "kind": "import", "created_at": "t"})
    rows = [("kept", "q", "a", 45, 12), ("filtered", "q", "a", 3, 80), ("failed", None, None, 0, 0),
            ("superseded", "q", "a", 50, 50), ("approved", "q", "a", 250, 300)]
    store.db["qa_pairs"].insert_all({"source_id": 1, "seq": i, "status": st, "question": q, "answer": a,
                                     "q_words": qw, "a_words": aw, "created_at": "t", "updated_at": "t"}
                                    for i, (st, q, a, qw, aw) in enumerate(rows))
    hist = dict(queries.word_histogram(store, bin_width=10, bins=20))
    assert hist[10] == 1 and hist[0] == 1 and hist[190] == 1   # 12 words; 3 words; 250 -> last bin
    assert sum(hist.values()) == 3                              # failed and superseded left out
    plan = store.db.execute("explain query plan select min(min(q_words, a_words) / 10, 19) as b, count(*) "
                            "from qa_pairs where status not in ('superseded', 'failed') group by b").fetchall()
    assert "COVERING INDEX qa_pairs_words" in str(plan)
