"""Every element a paper's prompt requires is in the project's prompt (issue 26, "Prompts"): each
prompt of prompts/elements.json is rendered as onprem renders it, in both forms (the completion a
base model gets and the chat message an instruct model gets), and every listed phrase must be in
each form; docs/prompts.md lists every element."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import prompts
from onprem.model.base import PromptPair

ROOT = Path(__file__).resolve().parent.parent
ELEMENTS = {k: v for k, v in json.loads((ROOT / "prompts" / "elements.json").read_text()).items() if not k.startswith("_")}


def forms(pair: PromptPair) -> list[str]:
    return [pair.completion.casefold(), "\n".join(m["content"] for m in pair.chat()).casefold()]


def rendered(name: str, element: dict) -> list[str]:
    """The prompt's forms for the case the element is about (a PE phase, an EPITOME cell)."""
    if name == "paraphrase":
        from onprem.pipeline import paraphrase as pp

        return forms(pp.render_prompt("Client: I cannot sleep.\nTherapist: What keeps you awake?", pp.Options()))
    if name == "pe_phase":
        from onprem.papers.thousand_voices.generator import phases, profile_text
        from onprem.papers.thousand_voices.profiles import sample

        profile = profile_text(sample(1, 1)[0])
        numbers = [element["phase"]] if "phase" in element else list(phases())
        return [f for n in numbers for f in forms(PromptPair.of(prompts.load("pe_phase"), profile=profile,
                                                                phase=phases()[n], previous=None))]
    if name == "empathy_actor":
        from onprem.papers.empathy.generator import behaviour

        return forms(PromptPair.of(prompts.load("empathy_actor"), behaviour=behaviour(element.get("cell", "ER:2")),
                                   reflections=[]))
    if name == "epitome_judge":
        from onprem.papers.empathy.judge import DIMENSIONS, epitome

        dims = [epitome()["dimensions"][d] for d in DIMENSIONS]
        return forms(PromptPair.of(prompts.load("epitome_judge"), post="I feel alone.", response="I hear you.",
                                   dimensions=dims))
    if name == "eval_response":
        from onprem.papers.mentalchat16k.writer import INSTRUCTION

        return forms(PromptPair.of(prompts.load("eval_response"), instruction=INSTRUCTION, question="How do I sleep?"))
    if name == "hybrid_counsellor":
        from onprem.papers.hybrid.scenarios import cbt

        data = cbt()
        return forms(PromptPair.of(prompts.load("hybrid_counsellor"), distortions=", ".join(data["distortions"]),
                                   techniques=", ".join(data["techniques"]), questions=" ".join(data["question_bank"]),
                                   example=data["example_session"], history=[], closing=False))
    raise AssertionError(f"no renderer for {name}")


CASES = [(name, e) for name, elements in ELEMENTS.items() for e in elements]


@pytest.mark.parametrize("name,element", CASES, ids=[f"{n}:{e['element'][:40]}" for n, e in CASES])
def test_the_rendered_prompt_carries_the_element(name, element):
    for text in rendered(name, element):
        missing = [p for p in element["phrases"] if p.casefold() not in text]
        assert not missing, f"{name}: {element['element']} ({element['source']}): missing {missing}"


def test_the_docs_list_every_element():
    doc = (ROOT / "docs" / "prompts.md").read_text()
    for name, element in CASES:
        assert f"`{name}`" in doc and element["element"] in doc, (name, element["element"])
