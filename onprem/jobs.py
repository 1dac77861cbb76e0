"""The jobs a person can start from the TUI, built from the registries: the jobs plugins register
(paraphrase, dedup, eval respond, eval simulate, eval quality, ...), one `generate NAME` per
generator and one `judge NAME` per judge. A job is the CLI itself in a child process with
`--progress jsonl`; the TUI reads its events (onprem.events) and cancels it with SIGTERM."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from onprem import plugins

# What runs a job: the CLI in a child process.
LAUNCHER = [sys.executable, "-m", "onprem"]


@dataclass(frozen=True)
class JobKind:
    key: str                     # paraphrase | generate:NAME | judge:NAME | a registered job's name
    label: str                   # as the Select shows it: "generate sqpsych"
    args: tuple[str, ...]        # the CLI words: ("generate", "sqpsych")
    path_flag: str | None        # the option the path field fills; "" for a positional path; None: no path
    path_hint: str
    file_only: bool              # the path must be a file (records), not a folder
    counts: tuple[str, ...]      # the live counters shown
    model_flag: str = "--model"  # the option the model field fills ("--counsellor-model", "--models")
    before_path: tuple[str, ...] = ()    # words before a positional path (eval quality's "paraphrase")

    @property
    def button(self) -> str:
        return f"Start {self.args[-1] if self.args[0] == 'eval' else self.args[0]}"

    def command(self, db_path, path: str, model: str, threads: int | None = None) -> list[str]:
        """Options first, then a positional path last (click reads options before it)."""
        cmd = [*LAUNCHER, "--db", str(db_path), *self.args]
        if self.path_flag:
            cmd += [self.path_flag, path]
        cmd += (([self.model_flag, model] if model else []) + (["--threads", str(threads)] if threads else [])
                + ["--progress", "jsonl"])
        if self.path_flag == "":
            cmd += [*self.before_path, path]
        return cmd


def _registered(r) -> JobKind:
    d = r.details
    args = tuple(d["args"])
    return JobKind(r.name, " ".join(args), args, d.get("path_flag"), d.get("path_hint", "(Enter starts)"),
                   bool(d.get("file_only")), tuple(d.get("counts", ("done", "failed"))),
                   d.get("model_flag", "--model"), tuple(d.get("before_path", ())))


def job_kinds() -> dict[str, JobKind]:
    from onprem.generators.runner import new_tally   # the counters the generate command reports

    registered = plugins.jobs()
    kinds = {"paraphrase": _registered(registered["paraphrase"])} if "paraphrase" in registered else {}
    for name, r in plugins.generators().items():
        gen = r.component
        flag = "--" + gen.job_input.replace("_", "-") if gen.job_input else None
        kinds[f"generate:{name}"] = JobKind(f"generate:{name}", f"generate {name}", ("generate", name), flag,
                                            f"{gen.job_hint or gen.job_input.replace('_', ' ')} (Enter starts)" if flag
                                            else "(no input needed; Enter starts)", bool(flag), new_tally(gen).shown)
    for name, r in plugins.judges().items():
        kinds[f"judge:{name}"] = JobKind(f"judge:{name}", f"judge {name}", ("judge", name), None,
                                         "(no input needed; Enter starts)", False, ("done", "failed"))
    for name, r in registered.items():
        kinds.setdefault(name, _registered(r))
    return kinds
