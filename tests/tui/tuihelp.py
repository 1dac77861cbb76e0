"""Helpers for the TUI tests: a small but complete database written through Store (real SQLite,
WAL), and running the app at 80x24 under Pilot."""

from __future__ import annotations

import asyncio
import json

from rich.console import Console

from onprem.store import open_store
from onprem.store.db import now
from tui.app import make_app

LONG = ("I have been caring for my mother every evening after work and I feel worn out and alone, "
        "with no time left for my own health, my friends or the small things that used to help me rest. ")


def build_db(path, n_import: int = 30) -> None:
    """Two transcript sources with redacted pages, findings and pairs in every status, plus one
    imported source of `n_import` pairs."""
    store = open_store(path)
    stamp = now()
    db = store.db
    with store.atomic():
        db["runs"].insert({"id": 1, "command": "paraphrase", "model_name": "gemma3-270m", "tool_version": "0.1.0",
                           "started_at": "2026-01-05T10:00:00+00:00", "ended_at": "2026-01-05T10:04:00+00:00",
                           "status": "done", "stats": '{"pages": 4}'})
        for sid, name in ((1, "visit1.txt"), (2, "session.txt")):
            db["sources"].insert({"id": sid, "name": name, "sha256": f"sha{sid}", "kind": "transcript",
                                  "created_at": "2026-01-05T10:00:00+00:00"})
        pages = [
            (1, 1, 0, "Caregiver: My sister Jenny Roe calls me at 555-201-7788 every night.",
             "Caregiver: My sister [PERSON_1] calls me at [PHONE_NUMBER_1] every night.",
             [("PERSON", "Jenny Roe", "[PERSON_1]"), ("PHONE_NUMBER", "555-201-7788", "[PHONE_NUMBER_1]")]),
            (2, 1, 1, "Coach: Will Dr. Adeyemi at Mercy Clinic see you on March 3?",
             "Coach: Will [PERSON_2] at [FACILITY_1] see you on [DATE_TIME_1]?",
             [("PERSON", "Dr. Adeyemi", "[PERSON_2]"), ("FACILITY", "Mercy Clinic", "[FACILITY_1]"),
              ("DATE_TIME", "March 3", "[DATE_TIME_1]")]),
            (3, 2, 0, "Client: I moved to Springfield last year and work nights.",
             "Client: I moved to [LOCATION_1] last year and work nights.",
             [("LOCATION", "Springfield", "[LOCATION_1]")]),
            (4, 2, 1, "Therapist: How have the nights been for you?", "Therapist: How have the nights been for you?", []),
        ]
        for pid, sid, seq, text, red, spans in pages:
            db["pages"].insert({"id": pid, "source_id": sid, "seq": seq, "text": text, "redacted_text": red,
                                "n_tokens": 20, "status": "done"})
            for etype, t, ph in spans:
                s = text.index(t)
                e = s + len(t)
                db["pii_spans"].insert({"source_id": sid, "page_id": pid, "field": "page", "start": s, "end": e,
                                        "entity_type": etype, "score": 0.9, "recognizer": "test", "text": t,
                                        "placeholder": ph, "decision": "pending"})
        pairs = [  # id, source, page, seq, status, reason, question, answer
            (1, 1, 1, 0, "flagged", "1 identifier finding(s) in the output (PERSON; 1 from the page)",
             "How do I cope when Jenny calls every night? " + LONG, "You could set a time with Jenny. " + LONG),
            (2, 1, 2, 1, "kept", None, "Should I see the doctor about my sleep? " + LONG, "Seeing a doctor helps. " + LONG),
            (3, 2, 3, 0, "filtered", "question has 9 words (< 40)", "Is moving making me tired?", "Possibly. " + LONG),
            (4, 2, 4, 1, "kept", None, "Nights are hard for me lately. " + LONG, "Let us talk about nights. " + LONG),
        ]
        for pid, sid, page, seq, status, reason, q, a in pairs:
            db["qa_pairs"].insert({"id": pid, "source_id": sid, "page_id": page, "run_id": 1, "seq": seq,
                                   "question": q, "answer": a, "q_words": len(q.split()), "a_words": len(a.split()),
                                   "status": status, "reason": reason, "created_at": stamp, "updated_at": stamp})
        q1, a1 = pairs[0][6], pairs[0][7]
        for field, text in (("question", q1), ("answer", a1)):
            at = text.index("Jenny")
            db["pii_spans"].insert({"source_id": 1, "page_id": 1, "pair_id": 1, "field": field, "start": at,
                                    "end": at + 5, "entity_type": "PERSON", "score": 1.0, "recognizer": "leak_check",
                                    "text": "Jenny", "finding": "leak", "decision": "pending"})
        if n_import:
            db["sources"].insert({"id": 3, "name": "mentalchat.jsonl", "sha256": "sha3", "kind": "import",
                                  "created_at": "2026-01-06T09:00:00+00:00"})
            db["qa_pairs"].insert_all([{
                "source_id": 3, "seq": i + 1, "question": f"Imported question {i + 1} about stress at work. " + LONG,
                "answer": f"Imported answer {i + 1}: try short breaks. " + LONG, "q_words": 60 + i % 30,
                "a_words": 50 + i % 40, "status": "kept", "created_at": stamp, "updated_at": stamp}
                for i in range(n_import)])
    store.close()


DIALOGUES = [  # client, condition, status, turns (speaker, content), findings in turn 2 (text, type)
    ("C001", "depression", "capped",
     [("therapist", "Hello, how has your week been since we last met?"),
      ("client", "Hard. I stayed with my brother Tom Baker in Boston and barely slept."),
      ("therapist", "That sounds exhausting. What went through your mind at night?"),
      ("client", "That I am letting everyone down, again and again.")],
     [("Tom Baker", "PERSON"), ("Boston", "LOCATION")]),
    ("C002", "generalised anxiety", "ended",
     [("therapist", "What would you like to focus on today?"),
      ("client", "The worry before work every single morning."),
      ("therapist", "Let us look at one of those mornings together."),
      ("client", "Alright, yesterday was a good example, goodbye for now.")], []),
    ("C003", "depression and anxiety", "failed", [("therapist", "Hello there, how are you?")], []),
]


def add_dialogues(path) -> None:
    """Three SQPsych dialogues: one capped with two pending findings and a judgment, one clean,
    one failed (never released). Scanned already, so no test starts the real redaction scan."""
    store = open_store(path)
    stamp = now()
    db = store.db
    with store.atomic():
        db["runs"].insert({"id": 2, "command": "generate sqpsych", "model_name": "gemma3-270m", "tool_version": "0.1.0",
                           "started_at": "2026-01-07T10:00:00+00:00", "ended_at": "2026-01-07T10:09:00+00:00",
                           "status": "done", "stats": "{}"})
        for i, (client, condition, status, turns, findings) in enumerate(DIALOGUES, start=1):
            db["profiles"].insert({"id": i, "client_id": client, "record_sha256": f"rec{i}", "age": 30 + i,
                                   "gender": "woman", "condition": condition, "responses": "{}",
                                   "scores": json.dumps({"phq9": {"total": 18 - 5 * i, "severity": "moderate"}}),
                                   "persona": "a client", "created_at": stamp})
            db["cases"].insert({"id": i, "generator": "sqpsych", "key": f"rec{i}", "profile_id": i, "title": client,
                                "created_at": stamp})
            models = {r: {"name": "gemma3-270m", "sha256": "a5fd", "backend": "llama"} for r in ("therapist", "client")}
            db["dialogues"].insert({"id": i, "case_id": i, "profile_id": i, "generator": "sqpsych", "run_id": 2,
                                    "status": status, "n_turns": len(turns), "models": json.dumps(models),
                                    "created_at": stamp, "scanned_at": stamp if status != "failed" else None})
            for seq, (speaker, content) in enumerate(turns):
                tid = db["turns"].insert({"dialogue_id": i, "seq": seq, "speaker": speaker, "content": content,
                                          "status": "ok"}).last_pk
                if seq == 1:
                    for text, etype in findings:
                        at = content.index(text)
                        db["pii_spans"].insert({"dialogue_id": i, "turn_id": tid, "field": "turn", "start": at,
                                                "end": at + len(text), "entity_type": etype, "score": 0.85,
                                                "recognizer": "SpacyNerRecognizer", "text": text,
                                                "finding": "detected", "decision": "pending"})
        db["judgments"].insert({"id": 1, "target_kind": "dialogue", "target_id": 1, "dialogue_id": 1, "run_id": 2,
                                "rubric": "sqpsych", "rubric_version": "1", "model": "gemma3-270m",
                                "rater": "judge:gemma3-270m", "status": "done", "totals": json.dumps({"therapist": 3, "client": 2, "overall": 1}),
                                "created_at": stamp})
        db["judgment_scores"].insert_all([
            {"judgment_id": 1, "criterion": "validation", "grp": "therapist", "score": 2, "reason": "names the tiredness"},
            {"judgment_id": 1, "criterion": "safety", "grp": "therapist", "score": 1, "reason": "asks late"},
            {"judgment_id": 1, "criterion": "client_language", "grp": "client", "score": 2, "reason": "plain words"},
            {"judgment_id": 1, "criterion": "realism", "grp": "overall", "score": 1, "reason": "a little stiff"}])
    store.close()


ACTOR = "steward"
SIZE = (80, 24)


def drive(db_path, scenario, start="overview", keymap=None, size=SIZE):
    """Run `scenario(pilot)` inside the app; returns what it returns."""
    async def main():
        app = make_app(db_path, start_screen=start, keymap=keymap, actor=ACTOR)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            return await scenario(pilot)

    return asyncio.run(main())


def text_of(widget) -> str:
    """The plain text a Static currently shows."""
    console = Console(width=200, record=True, file=open("/dev/null", "w"))
    content = widget.content
    if isinstance(content, str):
        return content
    console.print(content)
    return console.export_text()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(c, c) for c in text])


def rows(db_path, sql, params=()):
    """Rows of a query on a fresh connection (what another process would see)."""
    s = open_store(db_path)
    try:
        return list(s.db.query(sql, params))
    finally:
        s.close()


# Only against a hang: tests wait for what they expect to happen (a count, a state, an exit), never
# for a wall-clock deadline that a busy machine could miss (measured: 5x slower under load).
HANG_GUARD_S = 1800


async def until(pilot, cond, what: str) -> None:
    """Let the app run until `cond()` holds; fails naming `what` only if the app hangs."""
    import time

    guard = time.monotonic() + HANG_GUARD_S
    while not cond():
        assert time.monotonic() < guard, f"gave up waiting for {what} after {HANG_GUARD_S} s"
        await asyncio.sleep(0.1)
    await pilot.pause()


async def answers_keys(pilot, screen) -> bool:
    """The UI handles keys while a job runs: switch to the Overview and back to this screen (Esc
    first: a single-letter key typed into a focused text field is text)."""
    await pilot.press("escape", "1")
    left = pilot.app.screen is not screen
    await pilot.press("5")
    return left and pilot.app.screen is screen


def screen_lines(app) -> list[str]:
    """The rows of the terminal as painted (an SVG screenshot's text, row by row), spaces kept."""
    import html
    import re

    rows: dict[float, list[str]] = {}
    for y, text in re.findall(r'<text[^>]*y="([\d.]+)"[^>]*>(.*?)</text>', app.export_screenshot()):
        rows.setdefault(float(y), []).append(html.unescape(text).replace("\xa0", " "))
    return ["".join(parts) for _, parts in sorted(rows.items())]
