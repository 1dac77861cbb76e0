"""The jobs a person can start from the TUI, built from the registries: paraphrase, then one
`generate NAME` per generator and one `judge NAME` per judge. A job is the CLI itself in a child
process with `--progress jsonl`; the TUI reads its events (onprem.events) and cancels it with SIGTERM."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from onprem import plugins

# What runs a job: the CLI in a child process.
LAUNCHER = [sys.executable, "-m", "onprem"]


@dataclass(frozen=True)
class JobKind:
    key: str                     # paraphrase | generate:NAME | judge:NAME
    label: str                   # as the Select shows it: "generate sqpsych"
    args: tuple[str, ...]        # the CLI words: ("generate", "sqpsych")
    path_flag: str | None        # the option the path field fills; "" for a positional path; None: no path
    path_hint: str
    file_only: bool              # the path must be a file (records), not a folder
    counts: tuple[str, ...]      # the live counters shown

    @property
    def button(self) -> str:
        return f"Start {self.args[0]}"

    def command(self, db_path, path: str, model: str, threads: int | None = None) -> list[str]:
        cmd = [*LAUNCHER, "--db", str(db_path), *self.args]
        if self.path_flag == "":
            cmd.append(path)
        elif self.path_flag:
            cmd += [self.path_flag, path]
        return (cmd + (["--model", model] if model else []) + (["--threads", str(threads)] if threads else [])
                + ["--progress", "jsonl"])


def job_kinds() -> dict[str, JobKind]:
    from onprem.generators.runner import new_tally   # the counters the generate command reports

    kinds = {"paraphrase": JobKind("paraphrase", "paraphrase", ("paraphrase",), "",
                                   "folder or file of transcripts (Enter starts)", False,
                                   ("kept", "filtered", "flagged", "failed"))}
    for name, r in plugins.generators().items():
        gen = r.component
        flag = "--" + gen.job_input.replace("_", "-") if gen.job_input else None
        kinds[f"generate:{name}"] = JobKind(f"generate:{name}", f"generate {name}", ("generate", name), flag,
                                            f"{gen.job_hint or gen.job_input.replace('_', ' ')} (Enter starts)" if flag
                                            else "(no input needed; Enter starts)", bool(flag), new_tally(gen).shown)
    for name, r in plugins.judges().items():
        kinds[f"judge:{name}"] = JobKind(f"judge:{name}", f"judge {name}", ("judge", name), None,
                                         "(no input needed; Enter starts)", False, ("done", "failed"))
    return kinds
