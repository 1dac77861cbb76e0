"""The core's own components, registered like a paper's: the model backends and the `messages`
writer. Light to import: each is imported only when used, so a command that opens no model and
writes no file (`onprem --help`, `onprem tui`'s first screen) pays for none of llama.cpp, numpy,
httpx or the release gate."""

from __future__ import annotations

from onprem.plugins import hookimpl


@hookimpl
def register_backends(register):
    register("llama", "onprem.model.backends.llama:open_llama")
    register("scripted", "onprem.model.backends.scripted:open_scripted")
    register("openai", "onprem.model.backends.openai:open_remote")


@hookimpl
def register_writers(register):
    from onprem.release.writers.messages import Messages

    register(Messages())


@hookimpl
def register_commands(register):
    register("quality", "onprem.cli.eval_quality:quality", group="eval")
    register("quality-report", "onprem.cli.eval_quality:quality_report", group="eval")
