"""SQPsych's one plugin module: every hook of the paper, from one file. Light to import:
components are built from their modules here, commands named as "module:attr"."""

from __future__ import annotations

from pathlib import Path

from onprem.plugins import hookimpl

HERE = "onprem.papers.sqpsych"


@hookimpl
def register_generators(register):
    from onprem.papers.sqpsych.generator import SQPsych

    register(SQPsych())


@hookimpl
def register_judges(register):
    from onprem.papers.sqpsych.judge import SQPsychJudge

    register(SQPsychJudge())


@hookimpl
def register_writers(register):
    from onprem.papers.sqpsych.writer import SQPsychConv

    register(SQPsychConv())


@hookimpl
def register_commands(register):
    register("questionnaires", f"{HERE}.commands:questionnaires",
             help="Questionnaires that ground client profiles (built-in PHQ-9, GAD-7, PCL-5, plus a site's own).")


@hookimpl
def register_prompt_dirs(register):
    register(Path(__file__).parent / "prompts")


@hookimpl
def register_vocabulary(register):
    from onprem.papers.sqpsych.questionnaires.catalog import Catalog

    for name in Catalog.load().names():
        q = Catalog.load().get(name)
        register([q.name, q.title, *(t.strip() for t in q.title.replace(")", "(").split("(") if t.strip())])
