"""TUI at scale: a 100,000-pair database (via `onprem import` of a generated JSONL), then time to
first screen and per-key latency while moving through lists. Prints figures; not a pass/fail test.

    .venv/bin/python bench/tui_scale.py [--pairs 100000] [--keep DIR]

Targets (issue 4): first screen < 1 s, < 100 ms per key (key event in -> last repaint it caused out).
"""

from __future__ import annotations

import time

T0 = time.perf_counter()  # before importing Textual: "first screen" includes the imports

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

WORDS = ("feel tired work sleep family worry sister mother father evening stress talk help time week friends "
         "anxious calm breathe walk routine plan sad lonely better worse school job money doctor appointment "
         "care support listen change small step habit rest night morning").split()


def make_jsonl(path: Path, n: int, seed: int = 7) -> None:
    """Fictional instruction/input/output rows of varied length (some under the 40-word rule)."""
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            q = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(15, 120)))
            a = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(20, 200)))
            f.write(json.dumps({"instruction": "Respond as a supportive counsellor.",
                                "input": f"Row {i}: {q}?", "output": a + "."}) + "\n")


def build(db: Path, n: int, flagged: int) -> dict:
    jsonl = db.parent / "generated.jsonl"
    t = time.perf_counter()
    make_jsonl(jsonl, n)
    gen = time.perf_counter() - t
    t = time.perf_counter()
    # onprem's importer without its identifier scan: the rows are fictional words, and scanning
    # 100,000 of them (about 14 rows/s) is not what this bench measures.
    from onprem.pipeline.importer import import_pairs
    from onprem.store import open_store

    store = open_store(db)
    import_pairs(store, jsonl, 40, scan=lambda text: [])
    store.close()
    imported = time.perf_counter() - t
    # A review queue to move through: some pairs flagged with a finding each.
    from onprem.store import open_store

    store = open_store(db)
    with store.atomic():
        ids = [r[0] for r in store.db.execute(f"select id from qa_pairs where status = 'kept' limit {flagged}")]
        store.db.execute(f"update qa_pairs set status = 'flagged' where id in ({','.join(map(str, ids))})")
        store.db["pii_spans"].insert_all({"source_id": 1, "pair_id": i, "field": "answer", "start": 0, "end": 4,
                                          "entity_type": "PERSON", "text": "care", "finding": "detected",
                                          "decision": "pending"} for i in ids)
    store.close()
    return {"generate_s": gen, "import_s": imported}


async def first_screen(db: Path, start: str) -> float:
    from tui.app import make_app

    t = time.perf_counter()
    app = make_app(db, start_screen=start, actor="bench")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        return time.perf_counter() - t


class FrameClock:
    """Key -> frame: from the moment the key event reaches the app to the end of the last screen
    repaint it caused (what a person at the terminal waits for). Pilot's own round trip is not a
    good clock: it polls for idleness in 20 ms sleeps, so every press looks >= 40 ms."""

    def __init__(self) -> None:
        from textual.screen import Screen

        self.sent = self.painted = 0.0
        self.first: float | None = None
        original = Screen._compositor_refresh
        clock = self

        def timed_refresh(screen) -> None:
            original(screen)
            clock.painted = time.perf_counter()
            if clock.first is None:
                clock.first = clock.painted

        Screen._compositor_refresh = timed_refresh

    def attach(self, app) -> None:
        send = app._driver.send_message

        def timed_send(message) -> None:
            self.sent, self.first = time.perf_counter(), None
            send(message)

        app._driver.send_message = timed_send

    def latency(self) -> float:
        """Key -> the last repaint it caused (layout settled)."""
        return max(0.0, self.painted - self.sent)

    def first_paint(self) -> float:
        """Key -> the first repaint after it (the response appears)."""
        return 0.0 if self.first is None else self.first - self.sent


async def key_latencies(db: Path) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Per key: key -> frame (handler, SQL and the repaint it causes), and Pilot's round trip."""
    from tui.app import make_app
    from tui.widgets import PagedTable

    out: dict[str, list[float]] = {}
    first: dict[str, list[float]] = {}
    pilot_rt: dict[str, list[float]] = {}
    clock = FrameClock()

    async def timed(pilot, label: str, *keys: str, repeat: int = 1) -> None:
        for _ in range(repeat):
            for key in keys:
                t = time.perf_counter()
                await pilot.press(key)
                pilot_rt.setdefault(label, []).append(time.perf_counter() - t)
                out.setdefault(label, []).append(clock.latency())
                first.setdefault(label, []).append(clock.first_paint())

    app = make_app(db, start_screen="browse", actor="bench")
    async with app.run_test(size=(80, 24)) as pilot:
        clock.attach(app)
        await pilot.pause()
        await pilot.press("enter")                            # the imported source: 100,000 pairs
        table = app.screen.query_one(PagedTable)
        await timed(pilot, "baseline: unbound key", "z", repeat=50)
        assert table.total_rows >= 100_000 - 1, table.total_rows
        await timed(pilot, "pairs: down", "down", repeat=300)   # crosses several window edges
        await timed(pilot, "pairs: up", "up", repeat=100)
        await timed(pilot, "pairs: pagedown", "pagedown", repeat=60)
        await timed(pilot, "pairs: end/home", "end", "home", repeat=10)
        for _ in range(10):
            await timed(pilot, "pairs: open a pair's screen (enter)", "enter")
            await timed(pilot, "pair screen: back to the list (esc)", "escape")
        assert len(table.rows_data) <= PagedTable.WINDOW
        await pilot.press("3")                                # review queue
        await timed(pilot, "review: next", "n", repeat=50)
        await timed(pilot, "review: previous", "p", repeat=50)
        await timed(pilot, "review: confirm span", "c", repeat=20)
        await timed(pilot, "review: approve (+ advance)", "a", repeat=20)
        await pilot.press("4")                                # search
        for word in ("lonely", "doctor appointment", "zzzz"):
            app.screen.query_one("#search-input").value = word
            await timed(pilot, "search: FTS query (enter)", "enter")
            await pilot.press("slash")
        app.screen.query_one("#search-input").value = ""
        await pilot.press("enter")
        await timed(pilot, "search results: down", "down", repeat=100)
    return out, first, pilot_rt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=100_000)
    ap.add_argument("--flagged", type=int, default=2_000)
    ap.add_argument("--keep", type=Path, help="build (or reuse) the database in this folder")
    ap.add_argument("--first-screen", type=Path, help=argparse.SUPPRESS)  # the cold-process probe
    ap.add_argument("--keys", type=Path, help=argparse.SUPPRESS)          # the key-latency process
    args = ap.parse_args()
    if args.keys:
        print(json.dumps(asyncio.run(key_latencies(args.keys))))
        return
    if args.first_screen:
        # The path `onprem tui` takes: the CLI group, its lazily loaded `tui` command, then the app.
        import click

        from onprem.cli import cli

        cli.get_command(click.Context(cli), "tui")
        asyncio.run(first_screen(args.first_screen, "overview"))
        print(f"{time.perf_counter() - T0:.3f}")
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="onprem-tui-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "bench.db"
    if not db.exists():
        b = build(db, args.pairs, args.flagged)
        print(f"built {args.pairs:,} pairs: generate {b['generate_s']:.1f} s, onprem import {b['import_s']:.1f} s")
    else:
        print(f"reusing {db}")
    colds = [float(subprocess.run([sys.executable, __file__, "--first-screen", str(db)], check=True,
                                  capture_output=True, text=True).stdout.split()[-1]) for _ in range(3)]
    print(f"first screen, new process (interpreter start excluded; CLI + TUI imports, open, migrate check, "
          f"Overview painted): best {min(colds):.3f} s, worst {max(colds):.3f} s")
    for start in ("overview", "browse", "review", "search", "export"):
        print(f"first screen '{start}' (warm): {asyncio.run(first_screen(db, start)):.3f} s")
    # Keys are timed in a process of their own, like one `onprem tui` session (not after the
    # five apps above, whose leftovers would weigh on the collector).
    lat, first, pilot_rt = json.loads(subprocess.run([sys.executable, __file__, "--keys", str(db)], check=True,
                                                     capture_output=True, text=True).stdout.splitlines()[-1])
    print(f"{'key -> repaint (ms)':38} {'n':>4} {'first: median':>13} {'p95':>6} {'settled: median':>15} {'p95':>6} "
          f"{'max':>6}  Pilot median")
    for label, xs in lat.items():
        settled = sorted(x * 1000 for x in xs)
        shown = sorted(x * 1000 for x in first[label])
        print(f"{label:38} {len(xs):4} {statistics.median(shown):13.1f} {_p95(shown):6.1f} "
              f"{statistics.median(settled):15.1f} {_p95(settled):6.1f} {settled[-1]:6.1f}  "
              f"{statistics.median(pilot_rt[label]) * 1000:8.1f}")


def _p95(xs: list[float]) -> float:
    return xs[min(len(xs) - 1, int(0.95 * len(xs)))]


if __name__ == "__main__":
    main()
