"""The measures of `onprem eval quality`: one report per model from what one run wrote.

Dialogues and pairs get the same columns, so models (and prompts, and generators) line up:
  valid         share of items that parsed into their structure (a dialogue not failed, a pair not failed)
  usable        valid, past the generator's own filters, no role error and no copy of the prompt (a
                dialogue also needs a usable turn from each of two speakers; a monologue one turn)
  filtered      why items were set aside, counted by reason (numbers folded, so "12 words" = "N words")
  prompt_copy   share of outputs repeating a run of words from the prompt's fixed text (not on the source)
  source_copy   share of outputs repeating a long run of the source verbatim (a paraphrase that is a copy)
  grounding     pairs: mean share of content words found in the source (the page; without a page,
                the answer's words in its question)
  facts_used    dialogues: mean share of the case's facts (profile, persona, scenario: content words)
                that the dialogue brings up: whether it is about the client it was conditioned on
  repetition    share of a speaker's word trigrams that recur within the item, per speaker
  role_errors   share of outputs in the wrong voice: a turn that writes another speaker's labelled
                line or uses the other side's phrases; a question that is not the help-seeker's
  length        words per turn (or per question and answer): p10, median, p90; turns per dialogue
The markers, run lengths and thresholds are data (onprem/evals/data/quality.json).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np

from onprem.textcheck import content_words, copied_run, grounding, words


@lru_cache(maxsize=1)
def rules() -> dict:
    return json.loads((Path(__file__).parent / "data" / "quality.json").read_text(encoding="utf-8"))


def fixed_text(template_source: str) -> str:
    """A prompt template's own words: Jinja tags and placeholders removed."""
    return re.sub(r"\{[{%#].*?[}%#]\}", " ", template_source, flags=re.S)


def trigram_repetition(texts: list[str], n: int = 3) -> float:
    """The share of the word trigrams of `texts` (one speaker's turns) that occur more than once."""
    ws = [w for t in texts for w in words(t)]
    grams = [tuple(ws[i:i + n]) for i in range(len(ws) - n + 1)]
    if not grams:
        return 0.0
    counts = Counter(grams)
    return sum(v for v in counts.values() if v > 1) / len(grams)


def is_seeker(role: str) -> bool:
    return role.lower() in rules()["seeker_roles"]


def _has(text: str, phrases: list[str]) -> bool:
    low = " ".join(words(text))
    return any(re.search(rf"(?<![a-z']){re.escape(p)}(?![a-z'])", low) for p in phrases)


def labelled_other(text: str, speaker: str) -> bool:
    """A line inside the turn that starts with another speaker's label ("Client: ..."): the model
    wrote the other side too."""
    labels = [r for r in rules()["role_labels"] if r != speaker.lower()]
    return any(re.match(rf"\s*\**({'|'.join(labels)})\**\s*:", line, flags=re.I) for line in text.splitlines())


def turn_role_error(text: str, speaker: str) -> bool:
    other = rules()["helper_markers"] if is_seeker(speaker) else rules()["seeker_markers"]
    return labelled_other(text, speaker) or _has(text, other)


def question_role_error(question: str) -> bool:
    """A question that is not the help-seeker's: the helper's phrases, or about "you" with no "I"."""
    ws = set(words(question))
    helper_voice = bool(ws & set(rules()["second_person"])) and not ws & set(rules()["first_person"])
    return helper_voice or _has(question, rules()["helper_markers"]) or labelled_other(question, "client")


def reason_kind(reason: str | None) -> str:
    """A reason with its numbers and bracketed details folded, so reasons of one kind count together."""
    if not reason:
        return "unstated"
    reason = re.sub(r'\s*\([^)]*\)', "", reason.split(";")[0])     # the detail in brackets: a quote, a limit
    return re.sub(r"\d+(\.\d+)?", "N", reason).strip()[:80]


def spread(values: list[float]) -> dict:
    if not values:
        return {"n": 0, "p10": None, "median": None, "p90": None}
    p10, med, p90 = np.percentile(values, [10, 50, 90])
    return {"n": len(values), "p10": round(float(p10), 1), "median": round(float(med), 1), "p90": round(float(p90), 1)}


def _share(flags: list[bool]) -> float | None:
    return round(sum(flags) / len(flags), 3) if flags else None


def _mean(values: list[float]) -> float | None:
    return round(float(np.mean(values)), 3) if values else None


def facts_text(facts: dict) -> str:
    return " ".join(str(v) for v in _leaves(facts))


def _leaves(x):
    if isinstance(x, dict):
        for v in x.values():
            yield from _leaves(v)
    elif isinstance(x, list):
        for v in x:
            yield from _leaves(v)
    elif x is not None:
        yield x


def facts_used(facts: str, dialogue: str) -> float | None:
    """The share of the facts' distinct content words that the dialogue uses (None: no such words)."""
    want = set(content_words(facts))
    if not want:
        return None
    return len(want & set(content_words(dialogue))) / len(want)


def dialogue_report(dialogues: list[dict], prompt_text: str) -> dict:
    r = rules()
    n = len(dialogues)
    valid = [d for d in dialogues if d["status"] != "failed"]
    filtered: Counter = Counter(reason_kind(d["reason"]) for d in dialogues if d["status"] == "failed")
    filtered.update(f"turn {t['status']}" for d in valid for t in d["turns"] if t["status"] != "ok")
    outputs, prompt_copy, source_copy, role_err, usable = [], [], [], [], []
    # a generator that writes monologues (a scenario's narrator) needs one speaker, dialogues two
    sides = min(2, len({t["speaker"] for d in valid for t in d["turns"] if t["status"] == "ok"}))
    reps: dict[str, list[float]] = {}
    ground, turn_words, turn_counts = [], [], []
    for d in valid:
        ok = [t for t in d["turns"] if t["status"] == "ok"]
        source = facts_text(d["facts"])
        copies = [copied_run(t["content"], prompt_text, source, r["prompt_copy_words"]) is not None for t in ok]
        errors = [turn_role_error(t["content"], t["speaker"]) for t in ok]
        prompt_copy += copies
        source_copy += [bool(source) and copied_run(t["content"], source, "", r["source_copy_words"]) is not None for t in ok]
        role_err += errors
        outputs += ok
        for sp in sorted({t["speaker"] for t in ok}):
            reps.setdefault(sp, []).append(trigram_repetition([t["content"] for t in ok if t["speaker"] == sp]))
        used = facts_used(source, " ".join(t["content"] for t in ok)) if ok else None
        if used is not None:
            ground.append(used)
        turn_words += [len(t["content"].split()) for t in ok]
        turn_counts.append(len(ok))
        enough = len(ok) >= min(sides, r["usable_min_turns"]) and len({t["speaker"] for t in ok}) >= sides
        usable.append(bool(ok) and enough and not any(errors) and not any(copies))
    return {
        "kind": "dialogues", "items": n, "outputs": len(outputs),
        "valid": _share([d["status"] != "failed" for d in dialogues]),
        "turns_ok": _share([t["status"] == "ok" for d in dialogues for t in d["turns"]]),
        "usable": round(sum(usable) / n, 3) if n else None,
        "filtered": dict(filtered.most_common()),
        "prompt_copy": _share(prompt_copy), "source_copy": _share(source_copy),
        "facts_used": _mean(ground),
        "repetition": {sp: _mean(v) for sp, v in reps.items()},
        "role_errors": _share(role_err),
        "length": {"words_per_turn": spread(turn_words), "turns_per_dialogue": spread(turn_counts)},
    }


def pair_report(pairs: list[dict], prompt_text: str) -> dict:
    r = rules()
    n = len(pairs)
    valid = [p for p in pairs if p["status"] != "failed" and p["question"]]
    filtered = Counter(reason_kind(p["reason"]) for p in pairs if p["status"] in ("filtered", "failed"))
    prompt_copy, source_copy, role_err, usable, ground = [], [], [], [], []
    for p in valid:
        text = f"{p['question']}\n{p['answer'] or ''}"
        source = p["page"] or p["question"]
        copy = copied_run(text, prompt_text, p["page"] or "", r["prompt_copy_words"]) is not None
        err = question_role_error(p["question"]) or turn_role_error(p["answer"] or "", "helper")
        prompt_copy.append(copy)
        role_err.append(err)
        if p["page"]:
            source_copy.append(copied_run(text, p["page"], "", r["source_copy_words"]) is not None)
            ground.append(grounding(text, p["page"]))
        elif p["answer"]:           # a query filtered before its response was written has no answer to ground
            ground.append(grounding(p["answer"], source))
        usable.append(p["status"] != "filtered" and not err and not copy)
    return {
        "kind": "pairs", "items": n, "outputs": len(valid),
        "valid": _share([p["status"] != "failed" and bool(p["question"]) for p in pairs]),
        "usable": round(sum(usable) / n, 3) if n else None,
        "filtered": dict(filtered.most_common()),
        "prompt_copy": _share(prompt_copy), "source_copy": _share(source_copy),
        "grounding": _mean(ground),
        "repetition": {"answer": _mean([trigram_repetition([p["answer"] or ""]) for p in valid])},
        "role_errors": _share(role_err),
        "length": {"question_words": spread([len(p["question"].split()) for p in valid]),
                   "answer_words": spread([len((p["answer"] or "").split()) for p in valid])},
    }
