"""Named migrations, applied in order and recorded in `_migrations` (the habit of simonw/llm).

Add a migration by appending a function decorated with its explicit name; never edit or rename one
that has shipped. Foreign keys are off while migrations run, so a table can be rebuilt (SQLite's
own recipe for schema changes ALTER TABLE cannot make); each migration ends with a foreign-key
check inside its transaction, so a migration that would orphan a row fails and changes nothing.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Callable

from onprem.store.sqlite_utils_import import sqlite_utils

MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = []


def migration(name: str):
    def register(fn: Callable[[sqlite_utils.Database], None]):
        MIGRATIONS.append((name, fn))
        return fn
    return register


class SchemaError(Exception):
    """The database's schema is not the one this version of onprem knows."""


def ordered(sets: dict[str, list] | None = None) -> list[tuple[str, Callable]]:
    """The core's migrations, then each plugin set's, recorded as SET/NAME."""
    out = list(MIGRATIONS)
    for set_name, migrations in (sets or {}).items():
        out += [(f"{set_name}/{name}", fn) for name, fn in migrations]
    return out


def check_known(db: sqlite_utils.Database, sets: dict[str, list] | None = None) -> list[str]:
    """The migrations this database still needs; refuses one that a newer onprem (or a newer
    version of a plugin whose set is registered) has written, which this version would misread or
    damage. The sets of plugins not loaded now are left alone."""
    wanted = ordered(sets)
    if not db["_migrations"].exists():
        return [name for name, _ in wanted]
    done = {row["name"] for row in db["_migrations"].rows}
    known = {name for name, _ in wanted}
    ours = {None, *(sets or {})}
    unknown = sorted(n for n in done - known if (n.split("/", 1)[0] if "/" in n else None) in ours)
    if unknown:
        whose = f"version of the plugin set {unknown[-1].split('/')[0]}" if "/" in unknown[-1] else "onprem"
        raise SchemaError(f"made by a newer {whose} (migration {unknown[-1]} is unknown to this version); "
                          f"upgrade {'it' if '/' in unknown[-1] else 'onprem'} to open it")
    return [name for name, _ in wanted if name not in done]


def migrate(db: sqlite_utils.Database, sets: dict[str, list] | None = None) -> list[str]:
    """Apply every migration not yet recorded (the core's, then `sets`: a plugin's named sets);
    each in its own transaction. Returns names applied. A process runs this under
    `preparing(path)`, so two never migrate one file at once."""
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
    todo = set(check_known(db, sets))
    if not todo:
        return []
    return _apply(db, [(name, fn) for name, fn in ordered(sets) if name in todo])


MIGRATION_LOCK_WAIT_S = 60


@contextmanager
def preparing(path):
    """An exclusive flock on the database file while a process switches it to WAL and migrates it;
    what is pending is read once the lock is held, so two first runs on a new database wait for each
    other instead of both creating the same tables. (SQLite's own fcntl locks are separate from flock
    on Linux, and some migrations commit part-way, so a transaction alone cannot serialise them.)"""
    import fcntl
    import time

    fd = os.open(path, os.O_RDONLY)
    try:
        deadline = time.monotonic() + MIGRATION_LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise sqlite3.OperationalError("database is busy: another onprem process is preparing it")
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)      # releases the lock


def _apply(db: sqlite_utils.Database, todo: list) -> list[str]:
    fk = db.execute("PRAGMA foreign_keys").fetchone()[0]
    db.execute("PRAGMA foreign_keys = OFF")   # only outside a transaction does this take effect
    applied = []
    try:
        for name, fn in todo:
            with db.atomic():
                fn(db)
                broken = db.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise sqlite3.IntegrityError(f"migration {name} would leave {len(broken)} rows pointing at "
                                                 f"nothing (first: table {broken[0][0]} row {broken[0][1]})")
                db["_migrations"].insert({"name": name, "applied_at": datetime.now(timezone.utc).isoformat()})
            applied.append(name)
    finally:
        db.execute(f"PRAGMA foreign_keys = {'ON' if fk else 'OFF'}")
    return applied


@migration("m001_core")
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


@migration("m005_dialogues")
def m005_dialogues(db: sqlite_utils.Database) -> None:
    """Questionnaire-grounded dialogues: instruments, client profiles, dialogues, turns, judgments."""
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


@migration("m006_pair_word_index")
def m006_pair_word_index(db: sqlite_utils.Database) -> None:
    """The Overview's word-count chart reads only status and word counts: a covering index keeps it
    off the wide pair rows (35 ms instead of 106 ms at 100,000 pairs)."""
    db.execute("CREATE INDEX qa_pairs_words ON qa_pairs(status, q_words, a_words)")


@migration("m007_dialogue_review")
def m007_dialogue_review(db: sqlite_utils.Database) -> None:
    """Dialogue findings and decisions. Findings in a dialogue's turns go into the one
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


@migration("m008_generic_dialogues")
def m008_generic_dialogues(db: sqlite_utils.Database) -> None:
    """Dialogues of any generator: a dialogue belongs to a generator's case (a profile is optional) and
    a segment of it (Thousand Voices has six per case); the model of every role is recorded as JSON;
    every attempt of a dialogue can be kept (Reflexion trials with their evaluation and feedback).
    Judgments target a dialogue, a segment, a pair or a response, under a rubric that declares its
    scale and version. Runs record every role's model. Existing rows are carried over: each
    (generator, profile) of a stored dialogue becomes a case keyed by the profile's record hash."""
    db.executescript(
        """
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            generator TEXT NOT NULL,
            key TEXT NOT NULL,                -- the case's stable id within its generator (seeds derive from it)
            profile_id INTEGER REFERENCES profiles(id),   -- when the case is a stored profile
            title TEXT,                       -- for people: a client id, a cell, a persona
            facts TEXT,                       -- JSON: what the generator conditions on
            created_at TEXT NOT NULL,
            UNIQUE (generator, key)
        );
        INSERT INTO cases (generator, key, profile_id, title, created_at)
            SELECT DISTINCT d.generator, p.record_sha256, p.id, p.client_id, p.created_at
            FROM dialogues d JOIN profiles p ON p.id = d.profile_id;
        ALTER TABLE dialogues ADD COLUMN case_id INTEGER REFERENCES cases(id);
        ALTER TABLE dialogues ADD COLUMN segment INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE dialogues ADD COLUMN models TEXT;
        ALTER TABLE dialogues ADD COLUMN meta TEXT;
        UPDATE dialogues SET
            case_id = (SELECT c.id FROM cases c JOIN profiles p ON p.id = c.profile_id
                       WHERE c.generator = dialogues.generator AND p.id = dialogues.profile_id),
            models = json_object(
                'therapist', json_object('name', therapist_model, 'sha256', therapist_model_sha256, 'backend', 'llama'),
                'client', json_object('name', client_model, 'sha256', client_model_sha256, 'backend', 'llama'));
        """
    )
    db["dialogues"].transform(
        not_null={"profile_id": False, "case_id": True},
        drop={"therapist_model", "therapist_model_sha256", "client_model", "client_model_sha256"},
    )
    db.executescript(
        """
        DROP INDEX IF EXISTS dialogues_profile;
        CREATE INDEX dialogues_case ON dialogues(case_id, segment, status);
        CREATE INDEX dialogues_generator ON dialogues(generator, status);
        -- One live dialogue per case segment: a redo supersedes the one before.
        CREATE UNIQUE INDEX dialogues_live ON dialogues(case_id, segment) WHERE status != 'superseded';
        CREATE TABLE dialogue_attempts (
            id INTEGER PRIMARY KEY,
            dialogue_id INTEGER NOT NULL REFERENCES dialogues(id),
            attempt INTEGER NOT NULL,         -- 1, 2, ... in the order they were made
            draft TEXT NOT NULL,              -- JSON turns [{speaker, content}] of this attempt
            evaluation TEXT,                  -- JSON verdict on it (Reflexion's evaluator)
            feedback TEXT,                    -- advice handed to the next attempt (Reflexion's reflector)
            tokens INTEGER,
            seconds REAL,
            created_at TEXT NOT NULL,
            UNIQUE (dialogue_id, attempt)
        );
        CREATE TABLE rubrics (
            name TEXT NOT NULL,
            version TEXT NOT NULL,
            scale TEXT NOT NULL,              -- JSON {"kind": "points"|"level"|"yesno", "lo", "hi", "labels"}
            criteria TEXT NOT NULL,           -- JSON [{key, group, question}]
            sha256 TEXT NOT NULL,             -- of scale + criteria: a changed rubric is a new version
            PRIMARY KEY (name, version)
        );
        ALTER TABLE judgments ADD COLUMN target_kind TEXT NOT NULL DEFAULT 'dialogue';  -- dialogue | segment | pair | response
        ALTER TABLE judgments ADD COLUMN target_id INTEGER;
        ALTER TABLE judgments ADD COLUMN rubric_version TEXT;
        ALTER TABLE judgments ADD COLUMN raw TEXT;                  -- the model's last output, kept with failures
        UPDATE judgments SET target_id = dialogue_id;
        ALTER TABLE runs ADD COLUMN models TEXT;                    -- JSON role -> provenance
        UPDATE runs SET models = json_object('model', json_object('name', model_name, 'sha256', model_sha256,
                                                                  'path', model_path, 'backend', 'llama'))
            WHERE model_name IS NOT NULL;
        """
    )
    db["judgments"].transform(not_null={"dialogue_id": False, "target_id": True})
    db["judgment_scores"].transform(types={"score": float})
    db.executescript(
        """
        DROP INDEX IF EXISTS judgments_dialogue;
        CREATE INDEX judgments_target ON judgments(target_kind, target_id, rubric, status);
        """
    )


@migration("m009_pair_grounding")
def m009_pair_grounding(db: sqlite_utils.Database) -> None:
    """How much of a pair is supported by its page: the share of its content words found there
    (0..1; NULL for imported pairs, which have no page)."""
    db.execute("ALTER TABLE qa_pairs ADD COLUMN grounding REAL")


@migration("m010_counselling_qa")
def m010_counselling_qa(db: sqlite_utils.Database) -> None:
    """MentalChat16K's synthetic half and its evaluation.

    - Generated pairs belong to a case segment (a batch of queries), carry their provenance in meta
      (topic, stage, attempt), and dedup stores on every pair the similarity to its nearest
      accepted neighbour (and that neighbour when it is a duplicate), so the threshold can be
      re-tuned without embedding again.
    - Embeddings are kept per text field and model sha256: a re-run embeds only what is new.
    - Benchmark questions, each model's responses per round, and people's rankings of them are
      evaluation data: their own tables, never released as training data."""
    db.executescript(
        """
        ALTER TABLE qa_pairs ADD COLUMN case_id INTEGER REFERENCES cases(id);
        ALTER TABLE qa_pairs ADD COLUMN segment INTEGER;
        ALTER TABLE qa_pairs ADD COLUMN meta TEXT;               -- JSON: topic, stage, ...
        ALTER TABLE qa_pairs ADD COLUMN similarity REAL;         -- cosine to the nearest accepted item
        ALTER TABLE qa_pairs ADD COLUMN nearest_id INTEGER;      -- that item
        CREATE INDEX qa_pairs_case ON qa_pairs(case_id, segment);
        CREATE TABLE embeddings (
            pair_id INTEGER NOT NULL REFERENCES qa_pairs(id),
            field TEXT NOT NULL,                  -- question | pair
            model_sha256 TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,            -- an edited text is embedded again
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,                 -- float32, L2-normalised
            PRIMARY KEY (pair_id, field, model_sha256)
        );
        CREATE TABLE eval_questions (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,             -- the file's id
            question TEXT NOT NULL,
            source TEXT,                          -- file it came from
            created_at TEXT NOT NULL
        );
        CREATE TABLE eval_responses (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            question_id INTEGER NOT NULL REFERENCES eval_questions(id),
            model TEXT NOT NULL,                  -- registry name (or file) of the responding model
            model_sha256 TEXT,
            round INTEGER NOT NULL,
            seed INTEGER NOT NULL,
            response TEXT,
            status TEXT NOT NULL,                 -- done | failed
            reason TEXT,
            tokens INTEGER NOT NULL DEFAULT 0,
            seconds REAL NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            UNIQUE (run_id, question_id, round)
        );
        CREATE TABLE rankings (
            id INTEGER PRIMARY KEY,
            question_id INTEGER NOT NULL REFERENCES eval_questions(id),
            rater TEXT NOT NULL,
            shown TEXT NOT NULL,                  -- JSON: response ids in the shuffled order shown
            ranks TEXT,                           -- JSON: response id -> rank (1 best); NULL until ranked
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (question_id, rater)
        );
        """
    )


@migration("m011_empathy_labels")
def m011_empathy_labels(db: sqlite_utils.Database) -> None:
    """People's EPITOME labels (ER, IP, EX: 0, 1 or 2) of a seeker post and its response: a dialogue's
    first exchange or a pair; one row per item and rater, every change audited."""
    db.executescript(
        """
        CREATE TABLE labels (
            id INTEGER PRIMARY KEY,
            target_kind TEXT NOT NULL,            -- dialogue | pair
            target_id INTEGER NOT NULL,
            rater TEXT NOT NULL,
            er INTEGER NOT NULL CHECK (er IN (0, 1, 2)),
            ip INTEGER NOT NULL CHECK (ip IN (0, 1, 2)),
            ex INTEGER NOT NULL CHECK (ex IN (0, 1, 2)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (target_kind, target_id, rater)
        );
        """
    )


@migration("m012_people_as_raters")
def m012_people_as_raters(db: sqlite_utils.Database) -> None:
    """One store for every score, people's and models': a judgment names its rater (`judge:MODEL` or
    `person:NAME`), so labels, ratings and rating forms are judgments made by a person. People's
    EPITOME labels move over from their own table (er, ip, ex become three scores)."""
    db.executescript(
        """
        ALTER TABLE judgments ADD COLUMN rater TEXT;
        UPDATE judgments SET rater = 'judge:' || model WHERE model IS NOT NULL;
        CREATE INDEX judgments_rater ON judgments(rubric, rater, status);
        """
    )
    for lid, kind, tid, rater, er, ip, ex, created, updated in db.execute(
            "select id, target_kind, target_id, rater, er, ip, ex, created_at, updated_at from labels order by id").fetchall():
        jid = db["judgments"].insert({
            "target_kind": kind, "target_id": tid, "dialogue_id": tid if kind == "dialogue" else None,
            "rubric": "epitome", "rater": f"person:{rater}", "status": "done", "created_at": updated or created,
            "totals": "{}", "tokens": 0, "seconds": 0.0}).last_pk
        db["judgment_scores"].insert_all([{"judgment_id": jid, "criterion": k, "grp": "overall", "score": v}
                                          for k, v in (("er", er), ("ip", ip), ("ex", ex))])
    db.execute("DROP TABLE labels")


@migration("m013_allowed_terms")
def m013_allowed_terms(db: sqlite_utils.Database) -> None:
    """The project's allow-list: text a person decided is not an identifier anywhere it occurs.
    A row is switched off, never deleted, so the audit trail can put it back (undo)."""
    db.executescript(
        """
        CREATE TABLE allowed_terms (
            id INTEGER PRIMARY KEY,
            term TEXT NOT NULL UNIQUE,        -- case folded, what scans compare with
            text TEXT NOT NULL,               -- as the person saw it
            entity_type TEXT,                 -- what the finding was taken for
            active INTEGER NOT NULL DEFAULT 1,
            actor TEXT NOT NULL,
            added_at TEXT NOT NULL
        );
        """
    )


@migration("m014_rankings_as_scores")
def m014_rankings_as_scores(db: sqlite_utils.Database) -> None:
    """People's rankings of responses become scores like every other rating: one judgment per ranked
    response by `person:NAME` under the rubric `rank` (criterion `rank`, 1 best). The order a ranking
    was shown in is drawn again from the question and the rater (a seeded shuffle), so only finished
    rankings carry anything; the table goes."""
    for rater, ranks, stamp in db.execute(
            "select rater, ranks, coalesce(updated_at, created_at) from rankings where ranks is not null "
            "order by id").fetchall():
        for rid, rank in json.loads(ranks).items():
            jid = db["judgments"].insert({
                "target_kind": "response", "target_id": int(rid), "rubric": "rank", "rater": f"person:{rater}",
                "status": "done", "created_at": stamp, "totals": "{}", "tokens": 0, "seconds": 0.0}).last_pk
            db["judgment_scores"].insert({"judgment_id": jid, "criterion": "rank", "grp": "overall", "score": rank})
    db.execute("DROP TABLE rankings")
