"""The jobs a person can start from the TUI, built from the registries: the jobs plugins register
(paraphrase, redact, import-dialogues, dedup, eval respond, eval simulate, eval quality, ...), one `generate NAME` per
generator and one `judge NAME` per judge. A job is the CLI itself in a child process with
`--progress jsonl`; the TUI reads its events (onprem.events) and cancels it with SIGTERM."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from onprem import plugins

# What runs a job: the CLI in a child process.
LAUNCHER = [sys.executable, "-m", "onprem"]


@dataclass(frozen=True)
class JobOption:
    """One more option of a job's command, as its Jobs form shows it."""
    flag: str                    # "--max-turns"
    is_flag: bool                # an on/off switch (--force)
    choices: tuple[str, ...]     # a closed list, else any text
    default: str                 # as the command shows it ("" when none)
    help: str


@dataclass(frozen=True)
class JobKind:
    key: str                     # paraphrase | generate:NAME | judge:NAME | a registered job's name
    label: str                   # as the Select shows it: "generate sqpsych"
    args: tuple[str, ...]        # the CLI words: ("generate", "sqpsych")
    path_flag: str | None        # the option the path field fills; "" for a positional path; None: no path
    path_hint: str
    file_only: bool              # the path must be a file (records), not a folder
    counts: tuple[str, ...]      # the live counters shown
    model_flag: str | None = "--model"   # the option the model field fills ("--models"); None: no model field
    before_path: tuple[str, ...] = ()    # words before a positional path (eval quality's "paraphrase")

    @property
    def button(self) -> str:
        return f"Start {self.args[-1] if self.args[0] == 'eval' else self.args[0]}"

    def click_command(self):
        """The click command this job runs (imported now)."""
        import click

        from onprem.cli import cli

        ctx, cmd = click.Context(cli), cli
        for word in self.args:
            cmd = cmd.get_command(ctx, word)
        return cmd

    @property
    def takes_threads(self) -> bool:
        return any("--threads" in p.opts for p in self.click_command().params)

    def options(self) -> list[JobOption]:
        """Every option of the command besides those the form always has (path, model, threads, progress)."""
        # --list-criteria prints and exits: a question for the CLI, not a job.
        fixed = {"--progress", "--threads", "--help", "-h", "--list-criteria", self.model_flag, self.path_flag}
        out = []
        for p in self.click_command().params:
            if p.param_type_name != "option" or p.hidden or fixed & set(p.opts):
                continue
            default = p.show_default if isinstance(p.show_default, str) else p.default
            shown = "" if p.is_flag or callable(default) or not isinstance(default, (str, int, float)) else str(default)
            out.append(JobOption(max(p.opts, key=len), bool(p.is_flag), tuple(getattr(p.type, "choices", ()) or ()),
                                 shown, " ".join((p.help or "").split())))
        return out

    def command(self, db_path, path: str, model: str, threads: int | None = None,
                options: dict[str, str | bool] | None = None) -> list[str]:
        """Options first, then a positional path last (click reads options before it). `options`:
        flag -> a value as typed, or True for an on/off flag; empty values are left to the default."""
        cmd = [*LAUNCHER, "--db", str(db_path), *self.args]
        if self.path_flag:
            cmd += [self.path_flag, path]
        cmd += (([self.model_flag, model] if model and self.model_flag else [])
                + (["--threads", str(threads)] if threads and self.takes_threads else []))
        for flag, value in (options or {}).items():
            if value is True:
                cmd.append(flag)
            elif value not in (None, False, ""):
                cmd += [flag, str(value)]
        cmd += ["--progress", "jsonl"]
        if self.path_flag == "":
            cmd += [*self.before_path, path]
        return cmd


def _registered(r) -> JobKind:
    d = r.details
    args = tuple(d["args"])
    return JobKind(r.name, " ".join(args), args, d.get("path_flag"), d.get("path_hint", "(Enter starts)"),
                   bool(d.get("file_only")), tuple(d.get("counts", ("done", "failed"))),
                   d.get("model_flag", "--model"), tuple(d.get("before_path", ())))   # model_flag=None: no model


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
