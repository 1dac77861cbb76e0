"""Run onprem's flows with an independent network recorder; print what was attempted as JSON.

    python tests/airgap/egress_flows.py WORKDIR

The recorder is an audit hook added before anything of onprem is imported, so it sees every
`socket.connect`, `socket.sendto`, `socket.getaddrinfo`, `urllib.Request` and `http.client.connect`
event first (before onprem's own guard could refuse and hide it). The flows: paraphrase on the real
default model (one tiny page), redact, export (JSONL and CSV), stats, the SQPsych generator when it
is present, doctor, and the TUI start-up. Prints one JSON object: {"attempts": [...], "flows": {...}}.
Used by tests/airgap/test_zero_egress.py, plainly and under `unshare -n`.
"""

from __future__ import annotations

import sys
import traceback

EVENTS = ("socket.connect", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
          "urllib.Request", "http.client.connect")
attempts: list[dict] = []


def _record(event, args):
    # `onprem doctor` proves its guard with sys.audit("socket.connect", None, ...): no socket exists,
    # so that one is not an attempt. Every real socket event carries its socket object.
    if event == "socket.connect" and args[0] is None:
        return
    if event in EVENTS:
        stack = traceback.extract_stack()[:-1]
        where = next((f"{f.filename}:{f.lineno}" for f in reversed(stack) if "socket.py" not in f.filename),
                     "?")
        attempts.append({"event": event, "args": repr(args[:3])[:200], "from": where})


sys.addaudithook(_record)

import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
from pathlib import Path  # noqa: E402

TRANSCRIPT = """Caregiver: My mother Alice Whitfield moved in with us after her fall, and I am tired all the time.
I lie awake at night listening for her, and I snap at my children over small things.
Coach: That sounds exhausting. Looking after a parent while raising children is a lot to carry.
What helps you rest, even a little?
Caregiver: Nothing really. Her doctor in Springfield said to call 555-201-4478 if she gets worse.
"""

CLIENT = ("client_id,age,gender,condition,phq9_1,phq9_2,phq9_3,phq9_4,phq9_5,phq9_6,phq9_7,phq9_8,phq9_9\n"
          "Z001,41,woman,depression,2,2,1,2,1,2,1,0,0\n")


def main(work: Path) -> dict:
    from click.testing import CliRunner

    from onprem.cli import cli

    work.mkdir(parents=True, exist_ok=True)
    db = work / "egress.db"
    (work / "t").mkdir(exist_ok=True)
    (work / "t" / "tiny.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (work / "clients.csv").write_text(CLIENT, encoding="utf-8")
    flows: dict[str, object] = {}

    def run(name, *args):
        res = CliRunner().invoke(cli, ["--db", str(db), *map(str, args)])
        flows[name] = res.exit_code
        if res.exit_code != 0:
            flows[name + ".output"] = (res.output or "")[-600:] + (
                "".join(traceback.format_exception(res.exc_info[1]))[-1500:] if res.exc_info and res.exception
                and not isinstance(res.exception, SystemExit) else "")

    run("paraphrase", "paraphrase", work / "t", "--min-words", "5", "--max-tokens", "200", "--retries", "1")
    # redact: the CLI command and the redaction package itself.
    run("redact-cli", "redact", work / "t" / "tiny.txt", "--out", work / "redacted")
    copies = [p for p in (work / "redacted").rglob("*") if p.is_file()]
    flows["redact-cli.private"] = 0 if copies and all(p.stat().st_mode & 0o077 == 0 for p in copies) and \
        (work / "redacted").stat().st_mode & 0o077 == 0 else f"not owner-only: {copies}"
    flows["redact-cli.clean"] = 0 if all("555-201-4478" not in p.read_text() for p in copies) else 1
    from redaction import Redactor

    red = Redactor.load().redact(TRANSCRIPT)
    flows["redact"] = 0 if "Alice Whitfield" not in red.text and "555-201-4478" not in red.text else 1
    run("export-jsonl", "export", "--include-flagged", "--out", work / "out.jsonl")
    run("export-csv", "export", "--format", "csv", "--include-flagged", "--out", work / "out.csv")
    run("stats", "stats", "--json")
    run("generate-sqpsych", "generate", "sqpsych", "--profiles", work / "clients.csv",
        "--max-turns", "2", "--min-turns", "1", "--max-words", "12", "--retries", "0")
    run("doctor", "doctor")

    from tui.app import make_app

    async def tui_start():
        app = make_app(db)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            return type(app.screen).__name__

    flows["tui"] = 0
    flows["tui.screen"] = asyncio.run(tui_start())
    return flows


if __name__ == "__main__":
    result = {"flows": main(Path(sys.argv[1])), "attempts": attempts, "pid": os.getpid()}
    print(json.dumps(result))
