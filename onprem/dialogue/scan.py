"""The identifier scan of generated dialogues: findings stored in pii_spans, where review decides them.

Each usable turn of a releasable dialogue is scanned once (`dialogues.scanned_at` records it); its
findings become rows of the one findings table (`field = 'turn'`, with dialogue_id and turn_id),
pending until a person confirms or rejects them. The export reads the stored findings and
decisions, so a dialogue is released on what review decided, not on a fresh guess.

Light on purpose: the redaction stack (Presidio and spaCy, about 2 s) is loaded only when there is
something to scan. `python -m onprem.dialogue.scan --db FILE` runs the scan on its own, with the
same plain progress lines as the other jobs (the TUI runs it in a child process).
"""

from __future__ import annotations

import sys
from typing import Callable

from onprem.store import Store
from onprem.store.dialogue_queries import count_unscanned_dialogues
from onprem.store.dialogues import findings_rows, save_scan, unscanned, usable_turns


def scan_dialogue(store: Store, dialogue_id: int, analyze: Callable[[str], list]) -> int:
    """Scan one dialogue's usable turns and store the findings, in one transaction. Returns how many."""
    rows = findings_rows(dialogue_id, usable_turns(store, dialogue_id), analyze)
    save_scan(store, dialogue_id, rows)
    return len(rows)


def load_analyzer(store: Store | None = None) -> Callable[[str], list]:
    """The redaction engine's analysis, less the plugins' method words (distortions, techniques,
    instruments: the vocabulary the dialogues were generated with is never a finding) and less the
    project's allow-list in `store` (onprem.allowed)."""
    from onprem.allowed import terms as allowed_terms
    from onprem.plugins import vocabulary
    from redaction import Redactor
    from redaction.redactor import drop_allowed

    analyze, terms = Redactor.load().analyze, vocabulary() | set(allowed_terms(store))
    return lambda text: drop_allowed(text, analyze(text), terms)


def scan_pending(store: Store, analyze: Callable[[str], list] | None = None,
                 on_done: Callable[[int, int], None] | None = None) -> dict:
    """Scan every releasable dialogue not scanned yet. `on_done(dialogue_id, findings)` after each."""
    todo = unscanned(store)
    found = 0
    if todo and analyze is None:
        analyze = load_analyzer(store)
    for did in todo:
        n = scan_dialogue(store, did, analyze)
        found += n
        if on_done:
            on_done(did, n)
    return {"dialogues": len(todo), "findings": found}


def command(db_path) -> list[str]:
    """This scan as a child process (how the TUI runs it: Presidio never loads into the UI)."""
    return [sys.executable, "-m", "onprem.dialogue.scan", "--db", str(db_path)]


def main(argv: list[str] | None = None) -> int:
    """`python -m onprem.dialogue.scan --db FILE`: prints `scan: N to do`, then one
    `[i/N] dialogue D: K findings` line per dialogue, then a summary. Ctrl-C keeps what is done."""
    import argparse

    from onprem.store import open_store

    parser = argparse.ArgumentParser(prog="python -m onprem.dialogue.scan")
    parser.add_argument("--db", required=True)
    args = parser.parse_args(argv)
    store = open_store(args.db)
    try:
        todo = count_unscanned_dialogues(store)
        print(f"scan: {todo} to do", flush=True)
        done = {"i": 0}

        def on_done(did: int, n: int) -> None:
            done["i"] += 1
            print(f"[{done['i']}/{todo}] dialogue {did}: {n} findings", flush=True)

        try:
            tally = scan_pending(store, on_done=on_done)
        except KeyboardInterrupt:
            print(f"scan interrupted: {done['i']} of {todo} dialogues scanned", flush=True)
            return 130
        print(f"scanned {tally['dialogues']} dialogues: {tally['findings']} identifier findings", flush=True)
        return 0
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
