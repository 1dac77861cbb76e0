"""`mentalchat16k`: one {"instruction", "input", "output"} JSON object per pair (Alpaca layout), plus
"topic" for a pair that has one (the synthetic pairs of `generate counselling-qa`); tools that read
Alpaca files ignore it."""

from __future__ import annotations

from onprem.fsutil import json_line
from onprem.release.writers import Writer

# The fixed instruction that goes with every exported pair that has none of its own, and that `eval
# respond` gives a model under evaluation: the project's words, carrying every element of
# MentalChat16K's inference instruction (§3.2; docs/prompts.md).
INSTRUCTION = (
    "You are a helpful and empathetic mental health counselling assistant. Based on what the person "
    "describes, give a helpful, comprehensive and appropriate answer: reflect their feelings back with "
    "empathy, offer practical, safe and respectful guidance, and encourage professional help when a "
    "situation calls for it."
)


def instruction(row: dict) -> str:
    return row.get("instruction") or INSTRUCTION


class MentalChat16K(Writer):
    name, unit, suffix = "mentalchat16k", "pairs", ".jsonl"
    help = "pairs as instruction/input/output JSON lines"

    def write(self, rows, out) -> int:
        n = 0
        for r in rows:
            record = {"instruction": instruction(r), "input": r["question"], "output": r["answer"]}
            if r.get("topic"):
                record["topic"] = r["topic"]
            out.write(json_line(record))
            n += 1
        return n
