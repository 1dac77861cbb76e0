"""Named migrations, applied in order and recorded in `_migrations` (the habit of simonw/llm).

Add a migration by appending a decorated function; never edit one that has shipped.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

import sqlite_utils

MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = []


def migration(fn: Callable[[sqlite_utils.Database], None]):
    MIGRATIONS.append(fn)
    return fn


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply every migration not yet recorded; each in its own transaction. Returns names applied."""
    db["_migrations"].create(
        {"name": str, "applied_at": str}, pk="name", if_not_exists=True
    )
    done = {row["name"] for row in db["_migrations"].rows}
    applied = []
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        with db.atomic():
            fn(db)
            db["_migrations"].insert(
                {"name": fn.__name__, "applied_at": datetime.now(timezone.utc).isoformat()}
            )
        applied.append(fn.__name__)
    return applied


@migration
def m001_core(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,               -- file name as given, for people
            path TEXT,                        -- absolute path at ingest time
            sha256 TEXT NOT NULL UNIQUE,      -- the same file ingested twice is one source
            kind TEXT NOT NULL,               -- transcript | import
            encoding TEXT,
            has_speakers INTEGER NOT NULL DEFAULT 0,
            n_words INTEGER NOT NULL DEFAULT 0,
            pii_style TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE pages (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id),
            seq INTEGER NOT NULL,             -- order within the source, from 0
            text TEXT NOT NULL,               -- original (normalised) text: stays in this file
            redacted_text TEXT NOT NULL,      -- what the model sees
            n_tokens INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',   -- pending | done | failed
            error TEXT,
            UNIQUE (source_id, seq)
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            command TEXT NOT NULL,
            model_name TEXT,
            model_path TEXT,
            model_sha256 TEXT,
            params TEXT,                      -- JSON: sampling and limits
            seed INTEGER,
            prompt_name TEXT,
            prompt_hash TEXT,
            tool_version TEXT NOT NULL,
            versions TEXT,                    -- JSON: library versions
            pid INTEGER,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL DEFAULT 'running',  -- running | done | partial | failed | interrupted
            stats TEXT                        -- JSON: counts and timing
        );
        CREATE TABLE qa_pairs (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id),
            page_id INTEGER REFERENCES pages(id),
            run_id INTEGER REFERENCES runs(id),
            seq INTEGER NOT NULL,             -- page order for transcripts, row order for imports
            instruction TEXT,
            question TEXT,
            answer TEXT,
            q_words INTEGER NOT NULL DEFAULT 0,
            a_words INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL,             -- kept | filtered | failed | flagged | approved | rejected | superseded
            reason TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX qa_pairs_status ON qa_pairs(status);
        CREATE INDEX qa_pairs_order ON qa_pairs(source_id, seq, id);
        CREATE INDEX qa_pairs_page ON qa_pairs(page_id);
        CREATE TABLE pii_spans (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id),
            page_id INTEGER REFERENCES pages(id),
            pair_id INTEGER REFERENCES qa_pairs(id),
            field TEXT NOT NULL,              -- page | question | answer
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            entity_type TEXT NOT NULL,
            score REAL,
            recognizer TEXT,
            text TEXT NOT NULL,               -- the identifier itself: never exported
            placeholder TEXT,
            finding TEXT NOT NULL DEFAULT 'detected',  -- detected | leak
            decision TEXT NOT NULL DEFAULT 'pending'   -- pending | confirmed | rejected | added
        );
        CREATE INDEX pii_spans_page ON pii_spans(page_id);
        CREATE INDEX pii_spans_pair ON pii_spans(pair_id);
        CREATE TABLE pii_map (
            source_id INTEGER NOT NULL REFERENCES sources(id),
            placeholder TEXT NOT NULL,        -- [PERSON_1], or the surrogate value shown instead
            original TEXT NOT NULL,           -- one spelling it stands for: never exported
            entity_type TEXT NOT NULL,
            surrogate TEXT,
            PRIMARY KEY (source_id, placeholder, original)
        );
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            table_name TEXT,
            row_id INTEGER,
            before TEXT,
            after TEXT
        );
        -- The audit log is append-only: the database itself refuses edits.
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        """
    )
    db["qa_pairs"].enable_fts(["question", "answer"], create_triggers=True, tokenize="porter")
    db["pages"].enable_fts(["redacted_text"], create_triggers=True, tokenize="porter")
