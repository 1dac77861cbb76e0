"""Thousand Voices of Trauma: Prolonged Exposure therapy transcripts, six phases per sampled profile.

Each phase is its own generation from the profile and the phase's prompt (as in the paper). The
output is parsed into Therapist:/Client: turns; text outside the two speakers, or fewer than two
turns from either, is drawn again and then recorded as failed with its reason. A repetition measure
of the therapist's trigrams is stored with each phase (the paper's experts criticised repeated
prompts such as "take a deep breath").
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

import prompts
from onprem.dialogue.roleplay import DialogueResult, Turn
from onprem.errors import UserError
from onprem.fsutil import sha256_file
from onprem.generators import Case, DialogueGenerator, Prepared
from onprem.model.base import PromptPair, Request, Sampling
from onprem.seeds import retry_seed

NAME = "pe"
PHASES_FILE = Path(__file__).resolve().parent / "data" / "pe_phases.json"
_LINE = re.compile(r"^\s*(therapist|client)\s*:\s*(.*)$", re.I)
_OTHER_SPEAKER = re.compile(r"^\s*[A-Z][A-Za-z .'-]{0,24}:\s")   # "Narrator: ", "Dr. Lee: ", "Mother: "


@lru_cache(maxsize=1)
def phases() -> dict[int, dict]:
    return {p["n"]: p for p in json.loads(PHASES_FILE.read_text(encoding="utf-8"))["phases"]}


class Options(BaseModel):
    profiles: str = Field(description="How many profiles to sample (N), or a JSONL file of profiles "
                                      "(onprem profiles sample pe --out FILE).")
    phases: str = Field("1-6", description="Which phases, e.g. 1-6 or 2,3.")
    preset: str = Field("paper", pattern="^(paper|reported)$", description="Sampler preset when --profiles is N.")
    temperature: float = 0.8
    retries: int = Field(2, ge=0, le=10, description="Extra draws for an unusable transcript.")
    previous: str = Field("none", pattern="^(none|summary)$",
                          description="none: each phase generated on its own (the paper); summary: each phase "
                                      "also sees a short summary of the profile's previous phase.")
    phase_tokens: str = Field("", description="Token cap per phase: N for every phase, or PHASE=N,... (e.g. 2=3000); "
                                              "unset phases keep the phase file's cap (exposure 2000, others 900-1000).")

    def caps(self) -> dict[int, int]:
        """The token cap of each phase: the phase file's, overridden by --phase-tokens."""
        out = {n: p["max_tokens"] for n, p in phases().items()}
        spec = self.phase_tokens.replace(" ", "")
        bad = UserError(f"--phase-tokens {self.phase_tokens!r}: write N for every phase or PHASE=N,..., "
                        f"e.g. 2=3000,3=1200 (phases 1-6, caps 32-8192)")
        if not spec:
            return out
        if spec.isdigit():
            pairs = [(n, spec) for n in out]
        else:
            try:
                pairs = [(int(k), v) for k, _, v in (part.partition("=") for part in spec.split(","))]
            except ValueError:
                raise bad from None
        for n, v in pairs:
            if n not in out or not v.isdigit() or not 32 <= int(v) <= 8192:
                raise bad
            out[n] = int(v)
        return out

    def phase_list(self) -> tuple[int, ...]:
        out: list[int] = []
        for part in self.phases.split(","):
            lo, _, hi = part.strip().partition("-")
            try:
                out += range(int(lo), int(hi or lo) + 1)
            except ValueError:
                raise UserError(f"--phases {self.phases!r}: write a range or list of 1-6, e.g. 1-6 or 2,3") from None
        if not out or not set(out) <= set(range(1, 7)):
            raise UserError(f"--phases {self.phases!r}: phases are 1 to 6")
        return tuple(sorted(set(out)))


def profile_text(p: dict) -> str:
    """One `key: value` line per field of the client, the therapist and the context."""
    lines = []
    for part in ("client", "therapist", "context"):
        for k, v in p[part].items():
            lines.append(f"{part} {k.replace('_', ' ')}: {', '.join(v) if isinstance(v, list) else v}")
    return "\n".join(lines)


def parse(text: str) -> tuple[list[Turn], str | None]:
    """Turns from "Therapist:"/"Client:" lines (continuation lines join their turn); the reason it
    is unusable, or None."""
    turns: list[Turn] = []
    stray = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        m = _LINE.match(line)
        if m:
            turns.append(Turn(len(turns), m.group(1).lower(), m.group(2).strip()))
        elif turns and not _OTHER_SPEAKER.match(line):
            turns[-1].content = f"{turns[-1].content} {line.strip()}".strip()
        else:
            stray += 1
    turns = [t for t in turns if t.content]
    for i, t in enumerate(turns):
        t.seq = i
    if stray:
        return turns, f"{stray} lines outside the two speakers"
    counts = {s: sum(t.speaker == s for t in turns) for s in ("therapist", "client")}
    if min(counts.values()) < 2:
        return turns, f"fewer than 2 turns from one speaker (therapist {counts['therapist']}, client {counts['client']})"
    return turns, None


SUMMARY_WORDS = 40


def summary(earlier: dict[int, list[dict]], segment: int) -> str | None:
    """A short extractive summary of the phase before `segment`: its name and the start of the
    client's longest turn there (what the client disclosed), or None when that phase has no stored
    transcript (it failed, or was not asked for)."""
    turns = earlier.get(segment - 1) or []
    client = [t["content"] for t in turns if t["speaker"] == "client"]
    if not client:
        return None
    words = max(client, key=lambda c: len(c.split())).split()
    quote = " ".join(words[:SUMMARY_WORDS]) + (" ..." if len(words) > SUMMARY_WORDS else "")
    return f'{phases()[segment - 1]["name"]}, where the client said: "{quote}"'


def repetition(turns: list[Turn], n: int = 3) -> float:
    """The share of the therapist's word trigrams that occur more than once (0: none repeated)."""
    words = [w for t in turns if t.speaker == "therapist" for w in re.findall(r"[a-z']+", t.content.lower())]
    grams = [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]
    if not grams:
        return 0.0
    from collections import Counter

    c = Counter(grams)
    return round(sum(v for v in c.values() if v > 1) / len(grams), 3)


class PE(DialogueGenerator):
    name = NAME
    help = "Prolonged Exposure therapy transcripts, six phases per sampled profile (Thousand Voices of Trauma)."
    roles = ("writer",)
    Options = Options
    job_input = "profiles"
    job_hint = "profiles file (JSONL from onprem profiles sample pe)"
    case_noun = "profiles"

    def prompts(self) -> list:
        return [prompts.load("pe_phase")]

    def chained(self, opts: Options) -> bool:
        return opts.previous == "summary"

    def validate(self, opts: Options) -> None:
        opts.phase_list()
        opts.caps()

    def params(self, opts: Options) -> dict:
        return {"generator": NAME, **opts.model_dump(), "phase_file_sha256": sha256_file(PHASES_FILE)}

    def prepare(self, opts: Options, seed: int) -> Prepared:
        from onprem.papers.thousand_voices import profiles as sampler

        if opts.profiles.isdigit():
            rows, errors = sampler.sample(int(opts.profiles), seed, opts.preset), []
        else:
            path = Path(opts.profiles)
            if not path.is_file():
                raise UserError(f"--profiles {opts.profiles}: give a number of profiles to sample or a JSONL file")
            rows, errors = sampler.read_file(path)
        segments = opts.phase_list()
        cases = [Case(key=r["profile_id"], title=r["profile_id"], segments=segments, facts=r, data=r) for r in rows]
        return Prepared(cases, errors=errors, stats={"profiles": len(rows), "rows_rejected": len(errors)},
                        empty=f"--profiles {opts.profiles}: no valid profiles; nothing to generate")

    def produce(self, case: Case, segment: int, models: dict, opts: Options, seed: int) -> DialogueResult:
        phase, model, cap = phases()[segment], models["writer"], opts.caps()[segment]
        template = prompts.load("pe_phase")
        previous = summary(case.earlier, segment) if opts.previous == "summary" else None
        base = Request(PromptPair.of(template, profile=profile_text(case.data), phase=phase, previous=previous), None,
                       Sampling(temperature=opts.temperature, max_tokens=cap, repeat_penalty=1.1), seed)
        tokens, seconds, why, turns, gen = 0, 0.0, None, [], None
        for attempt in range(opts.retries + 1):
            gen = model.complete(base.with_seed(retry_seed(seed, attempt)))
            tokens, seconds = tokens + gen.completion_tokens, seconds + gen.seconds
            # The completion prompt ends with "Therapist:"; a chat answer usually starts with a label itself.
            out = gen.text if _OTHER_SPEAKER.match(gen.text) or _LINE.match(gen.text.split("\n", 1)[0]) \
                else "Therapist: " + gen.text.lstrip()
            if gen.finish_reason == "length":          # the last line was cut off: drop it
                out = out.rsplit("\n", 1)[0] if "\n" in out.strip() else out
            turns, why = parse(out)
            if why is None:
                break
        for t in turns:
            t.tokens, t.seconds = 0, 0.0
        if turns:
            turns[-1].tokens, turns[-1].seconds = tokens, seconds
        if why:
            return DialogueResult(turns=turns, status="failed", reason=f"{why} after {opts.retries + 1} tries")
        # "capped": the phase ran into its token cap (its last, cut line dropped), not to its own end.
        capped = gen.finish_reason == "length"
        return DialogueResult(turns=turns, status="capped" if capped else "ended",
                              reason=f"phase {segment}: {phase['name']}" + (f" (ended by its {cap}-token cap)" if capped else ""),
                              meta={"phase": segment, "phase_name": phase["name"], "group": phase["group"],
                                    "max_tokens": cap, "therapist_repetition": repetition(turns)})


def stats_section(store):
    """`onprem stats`: per phase, how many transcripts ran into their token cap (None without PE dialogues)."""
    from onprem.evals.sections import StatsSection
    from onprem.store.dialogue_stats import segment_endings

    ends = segment_endings(store, NAME)
    if not ends:
        return None
    data = {str(n): {"phase": phases()[n]["name"], **d, "capped_share": round(d["capped"] / d["dialogues"], 3)}
            for n, d in ends.items()}
    return StatsSection(data, _phase_tables)


def _phase_tables(data: dict) -> list:
    from rich.table import Table

    t = Table("phase", "name", "transcripts", "ended by the cap", "share", "cap (tokens)",
              title="pe: phases that ended by their token cap (--phase-tokens) rather than on their own")
    for n, d in data.items():
        t.add_row(n, d["phase"], str(d["dialogues"]), str(d["capped"]), f"{d['capped_share']:.2f}",
                  ", ".join(map(str, d["caps"])) or "-")
    return [t]
