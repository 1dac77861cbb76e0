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


@migration
def m005_dialogues(db: sqlite_utils.Database) -> None:
    """Questionnaire-grounded dialogues (issue 5): instruments, client profiles, dialogues, turns, judgments."""
    db.executescript(
        """
        CREATE TABLE questionnaires (
            name TEXT PRIMARY KEY,            -- phq9, gad7, pcl5 or a site's own
            version TEXT,
            title TEXT,
            sha256 TEXT NOT NULL,             -- of the definition file scores were computed with
            path TEXT,
            builtin INTEGER NOT NULL DEFAULT 1,
            definition TEXT NOT NULL,         -- JSON, as validated
            updated_at TEXT NOT NULL
        );
        CREATE TABLE profiles (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL,
            record_sha256 TEXT NOT NULL UNIQUE,   -- the same record read twice is one profile
            age INTEGER,
            gender TEXT,
            condition TEXT,
            responses TEXT NOT NULL,          -- JSON item answers: stays in this file
            scores TEXT NOT NULL,             -- JSON totals and bands computed by the tool
            instruments TEXT,                 -- JSON questionnaire name -> definition sha256
            alerts TEXT,                      -- JSON, e.g. ["self_harm"]
            persona TEXT NOT NULL,            -- what the client agent role-plays
            extra TEXT,                       -- JSON facts other generators add
            source_file TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX profiles_client ON profiles(client_id);
        CREATE TABLE dialogues (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id),
            generator TEXT NOT NULL,          -- sqpsych, ...
            run_id INTEGER REFERENCES runs(id),
            therapist_model TEXT,
            therapist_model_sha256 TEXT,
            client_model TEXT,
            client_model_sha256 TEXT,
            prompts TEXT,                     -- JSON [{name, version, sha256}]
            params TEXT,                      -- JSON limits and sampling
            seed INTEGER,
            status TEXT NOT NULL,             -- ended | capped | failed | superseded
            reason TEXT,
            n_turns INTEGER NOT NULL DEFAULT 0,   -- usable turns
            tokens INTEGER,
            seconds REAL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX dialogues_profile ON dialogues(profile_id, generator, status);
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY,
            dialogue_id INTEGER NOT NULL REFERENCES dialogues(id),
            seq INTEGER NOT NULL,             -- order in the dialogue, from 0
            speaker TEXT NOT NULL,            -- therapist | client (or another generator's roles)
            content TEXT NOT NULL,
            status TEXT NOT NULL,             -- ok | empty | repeat | failed (recorded, not exported)
            reason TEXT,
            end_signal INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER,
            tokens INTEGER,
            seconds REAL,
            UNIQUE (dialogue_id, seq)
        );
        CREATE TABLE judgments (
            id INTEGER PRIMARY KEY,
            dialogue_id INTEGER NOT NULL REFERENCES dialogues(id),
            run_id INTEGER REFERENCES runs(id),
            rubric TEXT NOT NULL,
            model TEXT,
            model_sha256 TEXT,
            status TEXT NOT NULL,             -- done | failed | superseded
            error TEXT,
            totals TEXT,                      -- JSON group -> sum of scores
            tokens INTEGER,
            seconds REAL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX judgments_dialogue ON judgments(dialogue_id, rubric, status);
        CREATE TABLE judgment_scores (
            judgment_id INTEGER NOT NULL REFERENCES judgments(id),
            criterion TEXT NOT NULL,
            grp TEXT NOT NULL,                -- therapist | client | overall
            score INTEGER NOT NULL,           -- 0, 1 or 2
            reason TEXT,
            PRIMARY KEY (judgment_id, criterion)
        );
        """
    )
    db["turns"].enable_fts(["content"], create_triggers=True, tokenize="porter")


@migration
def m006_pair_word_index(db: sqlite_utils.Database) -> None:
    """The Overview's word-count chart reads only status and word counts: a covering index keeps it
    off the wide pair rows (35 ms instead of 106 ms at 100,000 pairs)."""
    db.execute("CREATE INDEX qa_pairs_words ON qa_pairs(status, q_words, a_words)")


@migration
def m007_dialogue_review(db: sqlite_utils.Database) -> None:
    """Dialogue findings and decisions (issue 4). Findings in a dialogue's turns go into the one
    findings table, pii_spans (field 'turn', with dialogue_id/turn_id and no source); a dialogue
    gets a review decision (NULL until a person decides: approved | rejected) and the time its
    turns were scanned for identifiers (NULL: not yet)."""
    db["pii_spans"].transform(not_null={"source_id": False})
    for sql in (
        "ALTER TABLE pii_spans ADD COLUMN dialogue_id INTEGER REFERENCES dialogues(id)",
        "ALTER TABLE pii_spans ADD COLUMN turn_id INTEGER REFERENCES turns(id)",
        "CREATE INDEX pii_spans_dialogue ON pii_spans(dialogue_id)",
        "ALTER TABLE dialogues ADD COLUMN review_status TEXT",
        "ALTER TABLE dialogues ADD COLUMN review_reason TEXT",
        "ALTER TABLE dialogues ADD COLUMN scanned_at TEXT",
    ):
        db.execute(sql)
