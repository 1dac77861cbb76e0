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


@hookimpl
def register_jobs(register):
    from onprem.vocab import PAGE_OUTCOMES

    register("paraphrase", "onprem.cli.paraphrase:paraphrase", args=("paraphrase",), path_flag="",
             path_hint="folder or file of transcripts (Enter starts)", counts=PAGE_OUTCOMES)
    register("redact", "onprem.cli.redact:redact", args=("redact",), path_flag="",
             path_hint="folder or file of transcripts; the copies' folder in --out below (Enter starts)",
             counts=("redacted", "failed"))
    register("import-dialogues", "onprem.cli.import_dialogues:import_dialogues", args=("import-dialogues",),
             path_flag="", model_flag=None, path_hint="folder or file of real sessions (Enter starts)",
             counts=("imported", "already", "failed"))
    register("dedup", "onprem.cli.dedup:dedup", args=("dedup",), path_hint="(no input needed; the model field "
             "names the embedding model; Enter starts)", counts=("embedded", "duplicates"))
    register("eval quality", "onprem.cli.eval_quality:quality", args=("eval", "quality"), path_flag="",
             before_path=("paraphrase",), model_flag="--models",
             path_hint="transcripts to paraphrase with each model; models A,B in the model field (Enter starts)")
