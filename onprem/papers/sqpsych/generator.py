"""SQPsych: CBT therapist-client sessions grounded in questionnaire-based client profiles.

Only the CBT-specific parts live here: the session stages the therapist is walked through, the
safety check for a client who endorses PHQ-9 item 9, the intake note, the prompts and the rubric.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field

import prompts
from onprem.papers.sqpsych.profiles import Profile
from onprem.dialogue.roleplay import Agent, Limits, TurnContext, roleplay
from onprem.errors import UserError
from onprem.generators import Case, DialogueGenerator, Prepared
from onprem.judges.rubric import Criterion, Rubric
from onprem.model.base import Model, Sampling

NAME = "sqpsych"
THERAPIST_PROMPT = "sqpsych_therapist"
CLIENT_PROMPT = "sqpsych_client"
JUDGE_PROMPT = "dialogue_judge"
SAFETY_ALERT = "self_harm"


@dataclass(frozen=True)
class Stage:
    key: str
    weight: int        # share of the therapist's turns
    priority: int      # kept first when there are fewer turns than stages (lower = more important)
    instruction: str   # completes "Next, the therapist should ..."


STAGES = (
    Stage("check_in", 1, 2, "greet the client and ask how the past week has been"),
    Stage("agenda", 1, 6, "agree with the client on one thing to focus on today"),
    Stage("safety", 1, 0, "ask calmly and directly about thoughts of death or self-harm: how often, any plan "
                          "or intent, what keeps the client safe and whom they would contact"),
    Stage("explore", 2, 5, "explore the problem: ask for a recent concrete example and what went through "
                           "the client's mind at that moment"),
    Stage("thoughts", 2, 7, "reflect the feeling in your own words and name the thought behind it"),
    Stage("distortion", 3, 3, "help the client spot one unhelpful thinking pattern, such as all-or-nothing "
                              "thinking or mind reading, and weigh the evidence for and against it"),
    Stage("plan", 2, 4, "agree on one small, concrete step or homework for the coming week"),
    Stage("close", 1, 1, "ask for brief feedback on the session, sum up, and say goodbye"),
)


def stage_plan(therapist_turns: int, safety: bool) -> list[Stage]:
    """Which stage each therapist turn is in. With too few turns the most important stages are kept
    (safety first when it applies, then goodbye and check-in); extra turns go by weight."""
    stages = [s for s in STAGES if safety or s.key != "safety"]
    if therapist_turns <= 0:
        return []
    if therapist_turns <= len(stages):
        keep = sorted(stages, key=lambda s: s.priority)[:therapist_turns]
        return [s for s in stages if s in keep]
    counts = {s.key: 1 for s in stages}
    extra = therapist_turns - len(stages)
    total_weight = sum(s.weight for s in stages)
    shares = {s.key: extra * s.weight / total_weight for s in stages}
    for s in stages:
        counts[s.key] += math.floor(shares[s.key])
    # Hand out what rounding left over, largest remainders first, in session order for ties.
    left = therapist_turns - sum(counts.values())
    for s in sorted(stages, key=lambda s: -(shares[s.key] - math.floor(shares[s.key])))[:left]:
        counts[s.key] += 1
    return [s for s in stages for _ in range(counts[s.key])]


def intake_note(p: Profile) -> str:
    """What a therapist would know from intake: demographics, condition, scores and the answers
    that stand out, not the whole questionnaire."""
    note = f"{p.age}-year-old {p.gender}; referred for {p.condition}. " if not p.healthy else \
        f"{p.age}-year-old {p.gender}; a healthy volunteer with no diagnosis. "
    note += "; ".join(f"{k.upper()} total {v['total']} ({v['severity']})" for k, v in sorted(p.scores.items())) + "."
    if SAFETY_ALERT in p.alerts:
        note += " Endorsed thoughts of death or self-harm."
    return note


def _session(ctx: TurnContext, p: Profile) -> list[Stage]:
    return stage_plan(math.ceil(ctx.limits.max_turns / 2), SAFETY_ALERT in p.alerts)


def current_stage(ctx: TurnContext, p: Profile) -> Stage:
    """The stage of the therapist's latest turn (this one, when the therapist is speaking)."""
    plan = _session(ctx, p)
    return plan[min(max(ctx.index, 0) // 2, len(plan) - 1)]


def therapist_variables(p: Profile):
    def variables(ctx: TurnContext) -> dict:
        return {"intake": intake_note(p), "safety": SAFETY_ALERT in p.alerts,
                "stage": current_stage(ctx, p).instruction}
    return variables


def client_variables(p: Profile):
    def variables(ctx: TurnContext) -> dict:
        return {"persona": p.persona, "closing": current_stage(ctx, p).key == "close"}
    return variables


def closing(p: Profile):
    """A goodbye counts only once the session has reached its close, so a small model that says
    "end" at random cannot cut the session short."""
    return lambda ctx: current_stage(ctx, p).key == "close"


class Options(BaseModel):
    profiles: Path = Field(description="Client records: CSV (client_id, age, gender, condition, phq9_1...) or JSONL.")
    max_turns: int = Field(30, ge=2, le=200, description="Turn cap per dialogue.")
    min_turns: int = Field(10, ge=1, description="An end signal counts only from this many turns on "
                                                  "(capped at --max-turns).")
    max_words: int = Field(60, ge=5, le=300, description="Word limit per utterance.")
    min_words: int = Field(2, ge=1, le=50, description="Word minimum per utterance.")
    retries: int = Field(2, ge=0, le=10, description="Extra draws for an empty, repeated or invalid turn.")
    temperature: float = 0.7
    questionnaires: Path | None = Field(None, description="Another folder of instrument files.")

    def limits(self) -> Limits:
        return Limits(max_turns=self.max_turns, min_turns=min(self.min_turns, self.max_turns),
                      min_words=self.min_words, max_words=self.max_words, retries=self.retries)

    def sampling(self) -> Sampling:
        return Sampling(temperature=self.temperature, max_tokens=self.limits().max_tokens())


def prompt_files() -> list:
    return [prompts.load(THERAPIST_PROMPT), prompts.load(CLIENT_PROMPT)]


def make_agents(therapist_model: Model, client_model: Model, opts: Options):
    therapist_prompt, client_prompt = prompt_files()
    sampling = opts.sampling()

    def build(p: Profile) -> tuple[Agent, Agent]:
        return (Agent("therapist", therapist_model, therapist_prompt, sampling, therapist_variables(p), closing(p)),
                Agent("client", client_model, client_prompt, sampling, client_variables(p), closing(p)))
    return build


class SQPsych(DialogueGenerator):
    name = NAME
    help = "CBT sessions role-played from client questionnaire records (SQPsych)."
    roles = ("therapist", "client")
    Options = Options
    job_input = "profiles"
    job_hint = "client records file, CSV or JSONL"
    case_noun = "clients"

    def prompts(self) -> list:
        return prompt_files()

    def validate(self, opts: Options) -> None:
        if opts.min_words > opts.max_words:
            raise UserError(f"--min-words {opts.min_words} is more than --max-words {opts.max_words}")

    def params(self, opts: Options) -> dict:
        return {"generator": NAME, **opts.limits().params(), **opts.sampling().as_dict(),
                "profiles_file": str(opts.profiles)}

    def prepare(self, opts: Options, seed: int) -> Prepared:
        """Client records read and validated row by row; scores and personas computed by the tool."""
        from onprem.papers.sqpsych.profiles import build_profile
        from onprem.papers.sqpsych.questionnaires import Catalog, read_records

        catalog = Catalog.load([opts.questionnaires] if opts.questionnaires else None)
        read = read_records(opts.profiles, catalog)
        cases = [Case(key=p.record_sha256, title=p.client_id, data=p)
                 for p in (build_profile(catalog, r) for r in read.records)]
        return Prepared(cases=cases, errors=[f"{opts.profiles}: {e}" for e in read.errors], warnings=read.warnings,
                        stats={"rows_rejected": len(read.errors), "rows_valid": len(read.records)},
                        empty=f"{opts.profiles}: no valid client records; nothing to generate",
                        inputs=catalog)

    def save_inputs(self, store, prepared: Prepared, opts: Options) -> None:
        """Instruments and profiles, stored once per distinct record: a re-run finds them."""
        from onprem.store import dialogues as dstore

        catalog = prepared.inputs
        dstore.save_questionnaires(store, catalog.entries.values())
        instruments = {n: e.sha256 for n, e in catalog.entries.items()}
        for case in prepared.cases:
            p = case.data
            case.profile_id = dstore.save_profile(store, p, str(opts.profiles),
                                                  {k: instruments[k] for k in p.responses})

    def produce(self, case: Case, segment: int, models: dict, opts: Options, seed: int):
        agents = make_agents(models["therapist"], models["client"], opts)(case.data)
        return roleplay(agents, opts.limits(), seed)



# The SQPsych evaluation's criteria, in the project's own words; each is scored 0, 1 or 2.
RUBRIC = Rubric(NAME, criteria=(
    Criterion("key_beliefs", "therapist", "draws out the client's key beliefs about themselves or others"),
    Criterion("paraphrasing", "therapist", "paraphrases what the client says accurately"),
    Criterion("guided_discovery", "therapist", "asks questions that let the client find answers themselves"),
    Criterion("validation", "therapist", "acknowledges and validates the client's feelings"),
    Criterion("reflective_listening", "therapist", "reflects feelings and meaning back to the client"),
    Criterion("accuracy", "therapist", "what the therapist says is correct, safe and consistent with CBT"),
    Criterion("safety", "therapist", "assesses safety when the profile mentions self-harm; otherwise nothing unsafe is said"),
    Criterion("therapist_closure", "therapist", "closes the session with a summary, a plan and a goodbye"),
    Criterion("simple_language", "therapist", "uses plain words without jargon"),
    Criterion("no_repetition", "therapist", "does not repeat the same questions or phrases"),
    Criterion("conciseness", "client", "the client's turns are short and to the point"),
    Criterion("natural_pauses", "client", "the client hesitates and pauses the way people do"),
    Criterion("client_closure", "client", "the client responds to the close and says goodbye"),
    Criterion("client_language", "client", "the client talks in everyday language, not like a therapist"),
    Criterion("fluency", "overall", "the conversation reads fluently"),
    Criterion("faithfulness", "overall", "the client matches the profile: its symptoms, severity and condition"),
    Criterion("tediousness", "overall", "the conversation is not tedious (2 = engaging throughout)"),
    Criterion("naturalness", "overall", "the conversation sounds like real people talking"),
    Criterion("realism", "overall", "it could be a real therapy session"),
))
