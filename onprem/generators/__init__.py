"""Generators of synthetic data: one module each, registered through the `register_generators` hook.

A generator says what it needs (its Options, the roles it casts models in, its prompts), turns its
input into cases (`prepare`) and produces one result per case segment (`produce`). Its kind is its
type, as distilabel's step kinds are: a `DialogueGenerator` produces a DialogueResult, a
`PairGenerator` a PairsResult (QA pairs). What only some generators do is a protocol they meet by
having the method, not a flag the runner switches on:

    Chained      chained(opts) -> bool: a segment is conditioned on the stored turns of the ones before
    TopicDrawn   topic_weights() -> {topic: share}: `onprem stats` tests the realised topics against it
    Consumes     from_store(store, prepared, opts): cases made from what an earlier step stored

Everything else is shared: the command line and the Jobs entry are built from the registry
(`onprem generate NAME`), and generators/runner.py resumes, seeds, stores, scans and reports progress.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel

D = TypeVar("D")


@dataclass
class Case(Generic[D]):
    key: str                          # stable within the generator; each segment's seed derives from it
    title: str                        # for people: a client id, a cell, a persona
    segments: tuple[int, ...] = (0,)  # e.g. six phases of one profile
    profile_id: int | None = None
    facts: dict = field(default_factory=dict)    # stored with the case: what it is conditioned on
    data: D | None = None             # what produce() needs: Case[Profile], Case[dict] (a sampled record), ...
    earlier: dict[int, list[dict]] = field(default_factory=dict)  # chained runs: stored turns of earlier segments


@dataclass
class Prepared:
    """The cases to produce, and what was wrong with the input (one line per bad row)."""

    cases: list[Case]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)     # recorded in the run (e.g. rows valid / rejected)
    empty: str = "nothing to generate"            # the message when there are no cases
    inputs: Any = None                            # what save_inputs stores (e.g. the questionnaire catalog)


class Generator:
    """What every generator has; a generator is one of its two kinds below."""
    name: str = ""
    help: str = ""
    produces: str                                 # the kind's: dialogues | pairs
    roles: tuple[str, ...] = ()                   # e.g. ("therapist", "client"): --ROLE-model flags
    Options: type[BaseModel]
    job_input: str | None = None                  # the option the TUI's Jobs path field fills
    job_hint: str = ""                            # what to type there, e.g. "client records file, CSV or JSONL"
    case_noun: str = "cases"                      # "clients": how the summary counts cases
    n_ctx: int = 4096
    released: bool = True                         # False: its dialogues are inputs (scenarios), never exported

    def prompts(self) -> list:
        """prompts.Prompt files this generator renders (recorded in every run)."""
        return []

    def validate(self, opts) -> None:
        """Raise UserError for option combinations the types cannot express."""

    def params(self, opts) -> dict:
        return opts.model_dump(mode="json")

    def prepare(self, opts, seed: int) -> Prepared:
        """Read and validate the input into cases (or draw them, from `seed`); writes nothing (bad
        input is reported before any model loads)."""
        raise NotImplementedError

    def save_inputs(self, store, prepared: Prepared, opts) -> None:
        """Store what the cases are made from (profiles, instruments), setting case.profile_id."""

    def produce(self, case: Case, segment: int, models: dict, opts, seed: int):
        """The result for one case segment (the kind says which)."""
        raise NotImplementedError


class DialogueGenerator(Generator):
    """Produces one dialogue (onprem.dialogue.roleplay.DialogueResult) per case segment, stored with
    its turns, attempts and identifier findings."""
    produces = "dialogues"


class PairGenerator(Generator):
    """Produces QA pairs (onprem.generators.pairs.PairsResult) per case segment, stored as pairs of
    the generator's synthetic source: browsed, reviewed, deduplicated and released like every pair."""
    produces = "pairs"


KINDS = (DialogueGenerator, PairGenerator)


@runtime_checkable
class Chained(Protocol):
    def chained(self, opts) -> bool:
        """True when a segment is conditioned on the one before it: the runner then produces the
        segments in order and hands each the stored turns of the earlier ones (case.earlier)."""


@runtime_checkable
class TopicDrawn(Protocol):
    def topic_weights(self) -> dict[str, float]:
        """Expected share per topic of the items it draws (`onprem stats` compares the realised ones)."""


@runtime_checkable
class Consumes(Protocol):
    def from_store(self, store, prepared: Prepared, opts) -> Prepared:
        """Cases made from what an earlier step stored (personas, scenarios): called after `prepare`
        and before any model loads."""


def is_chained(gen: Generator, opts) -> bool:
    return isinstance(gen, Chained) and gen.chained(opts)


def cases_of(gen: Generator, store, opts, seed: int) -> Prepared:
    """The cases to produce: `prepare`, then, for a generator that consumes an earlier step's output,
    `from_store`; all before any model loads."""
    prepared = gen.prepare(opts, seed)
    return gen.from_store(store, prepared, opts) if isinstance(gen, Consumes) else prepared


def topic_weights(gen: Generator) -> dict[str, float] | None:
    return gen.topic_weights() if isinstance(gen, TopicDrawn) else None


def not_training_data() -> set[str]:
    """Generators whose dialogues are never training data: inputs of another step (scenarios) and
    evaluation conversations (eval simulate). Exports leave them out; session judges skip them."""
    from onprem import plugins
    from onprem.vocab import EVALUATION_GENERATORS

    return {name for name, r in plugins.generators().items() if not getattr(r.component, "released", True)} \
        | set(EVALUATION_GENERATORS)
