"""MentalChat16K's one plugin module: every hook of the paper, from one file. Light to import:
components are built from their modules here, commands and screens named as "module:attr"."""

from __future__ import annotations

from pathlib import Path

from onprem.plugins import hookimpl

HERE = "onprem.papers.mentalchat16k"


@hookimpl
def register_generators(register):
    from onprem.papers.mentalchat16k.generator import CounsellingQA

    register(CounsellingQA())


@hookimpl
def register_judges(register):
    from onprem.papers.mentalchat16k.judge import MentalChat7

    register(MentalChat7())


@hookimpl
def register_writers(register):
    from onprem.papers.mentalchat16k.csv_writer import CSVWriter
    from onprem.papers.mentalchat16k.writer import MentalChat16K

    register(MentalChat16K())
    register(CSVWriter())


@hookimpl
def register_commands(register):
    register("respond", f"{HERE}.commands:respond", group="eval")
    register("compare", f"{HERE}.commands:compare", group="eval")
    register("human-judge", f"{HERE}.commands:human_judge", group="eval")


@hookimpl
def register_label_sources(register):
    register("rankings", f"{HERE}.rankings:agreement_labels")


@hookimpl
def register_tui_screens(register):
    register("rank", f"{HERE}.rank_screen:RankScreen", opened_from="evals", key="k", description="Rank responses")


@hookimpl
def register_prompt_dirs(register):
    register(Path(__file__).parent / "prompts")


@hookimpl
def register_jobs(register):
    register("eval respond", f"{HERE}.commands:respond", args=("eval", "respond"), path_flag="--questions",
             path_hint="benchmark questions, JSONL or CSV (Enter starts)", file_only=True, counts=("done", "failed"))
