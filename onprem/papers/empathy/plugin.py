"""Synthetic Empathy's one plugin module: every hook of the paper, from one file. Light to import:
components are built from their modules here, screens and label sources named as "module:attr"."""

from __future__ import annotations

from pathlib import Path

from onprem.plugins import hookimpl

HERE = "onprem.papers.empathy"


@hookimpl
def register_generators(register):
    from onprem.papers.empathy.generator import Empathy

    register(Empathy())


@hookimpl
def register_judges(register):
    from onprem.papers.empathy.judge import EpitomeJudge

    register(EpitomeJudge())


@hookimpl
def register_writers(register):
    from onprem.papers.empathy.writer import Epitome

    register(Epitome())


@hookimpl
def register_label_sources(register):
    register("epitome", f"{HERE}.labelling:by_dimension", per_dimension=True)


@hookimpl
def register_tui_screens(register):
    register("label", f"{HERE}.label_screen:LabelScreen", opened_from="evals", key="l", description="Label empathy")


@hookimpl
def register_commands(register):
    register("empathy-labels", f"{HERE}.commands:empathy_labels", group="eval")


@hookimpl
def register_prompt_dirs(register):
    register(Path(__file__).parent / "prompts")


@hookimpl
def register_vocabulary(register):
    register(["EPITOME", "Emotional Reactions", "Interpretations", "Explorations", "Reflexion"])
