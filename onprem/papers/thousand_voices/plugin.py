"""Thousand Voices of Trauma's one plugin module: every hook of the paper, from one file (as
simonw/llm's default_plugins/openai_models.py registers models and a command group).

Light to import: components are built from their modules here, commands and panels are named as
"module:attr" and imported only when used."""

from __future__ import annotations

from pathlib import Path

from onprem.plugins import hookimpl

HERE = "onprem.papers.thousand_voices"


@hookimpl
def register_generators(register):
    from onprem.papers.thousand_voices.generator import PE

    register(PE())


@hookimpl
def register_judges(register):
    from onprem.papers.thousand_voices.judge import DistressJudge

    register(DistressJudge())


@hookimpl
def register_writers(register):
    from onprem.papers.thousand_voices.writer import PEWriter

    register(PEWriter())


@hookimpl
def register_commands(register):
    register("profiles", f"{HERE}.commands:profiles", help="Sampled client profiles for the generators.")
    register("trajectory", f"{HERE}.commands:trajectory", group="eval")


@hookimpl
def register_prompt_dirs(register):
    register(Path(__file__).parent / "prompts")


@hookimpl
def register_tui_panels(register):
    register("evals", f"{HERE}.panel:TrajectoryPanel")


@hookimpl
def register_stats(register):
    register("pe_phases", f"{HERE}.generator:stats_section")
    register("pe_cohort", f"{HERE}.profiles:stats_section")


@hookimpl
def register_vocabulary(register):
    from onprem.papers.thousand_voices.generator import phases
    from onprem.papers.thousand_voices.profiles import spec

    register([p["name"] for p in phases().values()])
    register(["SUDS", "Prolonged Exposure", "imaginal exposure", *spec()["client"]["behaviours"]["values"],
              *spec()["context"]["trauma_type"]["values"]])
