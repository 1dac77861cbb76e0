"""Hybrid training data's one plugin module: every hook of the paper, from one file. Light to
import: components are built from their modules here, commands named as "module:attr"."""

from __future__ import annotations

from pathlib import Path

from onprem.plugins import hookimpl

HERE = "onprem.papers.hybrid"


@hookimpl
def register_generators(register):
    from onprem.papers.hybrid.generator import Hybrid
    from onprem.papers.hybrid.scenarios import Scenarios

    register(Scenarios())
    register(Hybrid())


@hookimpl
def register_judges(register):
    from onprem.papers.hybrid.empathy_relevance import EmpathyRelevance
    from onprem.papers.hybrid.quality import QualityJudge
    from onprem.papers.hybrid.techniques import TechniquesJudge

    register(QualityJudge())
    register(TechniquesJudge())
    register(EmpathyRelevance())


@hookimpl
def register_commands(register):
    register("personas", f"{HERE}.commands:personas",
             help="Personas (age, gender, occupation, cultural background, challenge, personality) for scenarios.")
    register("select", f"{HERE}.commands:select_command",
             help="Keep the best sessions by `judge quality` (mean of coherence, realism, therapeutic value); mark "
                  "the rest filtered with the reason (never deleted; a later selection can give them back).")
    register("simulate", f"{HERE}.commands:simulate", group="eval")
    register("summary", f"{HERE}.commands:summary", group="eval")


@hookimpl
def register_prompt_dirs(register):
    register(Path(__file__).parent / "prompts")


@hookimpl
def register_stats(register):
    register("personas", f"{HERE}.personas:stats_section")


@hookimpl
def register_vocabulary(register):
    from onprem.papers.hybrid.scenarios import cbt

    register(cbt()["distortions"])
    register(cbt()["techniques"])


@hookimpl
def register_jobs(register):
    register("eval simulate", f"{HERE}.commands:simulate", args=("eval", "simulate"), path_flag="--situations",
             path_hint="situations, JSONL (Enter starts); the model field is a counsellor model",
             file_only=True, model_flag="--counsellor-model", counts=("ended", "capped", "failed"))
