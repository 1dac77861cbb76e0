"""`onprem eval respond`: a model answers benchmark questions, round after round, as the
MentalChat16K evaluation does (5 inference rounds per model). Questions come from a JSONL file
`{"id", "question"}` or a CSV `id,question`; each response is stored with its run, round and seed.
Evaluation data has its own tables and is never released as training data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from onprem.errors import EXIT_PARTIAL, InputError
from onprem.store import Store, benchmark

MAX_TOKENS = 512


@dataclass
class Question:
    key: str
    question: str
    line: int


def read_questions(path: Path) -> tuple[list[Question], list[str]]:
    """Questions and one error line per bad row; a file that cannot be read at all raises InputError."""
    from onprem.fsutil import csv_reader, numbered

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read it as UTF-8 text ({e})") from e
    rows: list[tuple[int, dict | None, str | None]] = []
    if path.suffix.lower() == ".csv":
        reader = csv_reader(text)
        if [h.strip() for h in (reader.fieldnames or [])][:2] != ["id", "question"]:
            raise InputError(f"{path}: the header must be id,question")
        rows = [(line, row, None) for line, row in numbered(reader, str(path))]
    else:
        for n, raw in enumerate(text.split("\n"), 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
                rows.append((n, obj if isinstance(obj, dict) else None, None if isinstance(obj, dict) else "not an object"))
            except ValueError as e:
                rows.append((n, None, f"not JSON ({e.msg})"))
    out, errors, seen = [], [], set()
    for line, row, why in rows:
        if why is None:
            key, q = str((row or {}).get("id") or "").strip(), str((row or {}).get("question") or "").strip()
            why = "needs an id and a question" if not key or not q else ("repeats id " + key if key in seen else None)
        if why:
            errors.append(f"{path}: line {line}: {why}; fix or remove the row")
            continue
        seen.add(key)
        out.append(Question(key, q, line))
    return out, errors


def check_stored(store: Store, questions: list[Question], source: str) -> None:
    """An id stored earlier must keep its question (responses are compared by id)."""
    for q in questions:
        row = benchmark.question_by_key(store, q.key)
        if row and row[1] != q.question:
            raise InputError(f"{source}: line {q.line}: id {q.key} is already stored with another question; "
                             f"give it a new id")


def save_questions(store: Store, questions: list[Question], source: str) -> dict[str, int]:
    """Question key -> id; a key already stored keeps its id (its text must not have changed)."""
    ids = {}
    with store.atomic():
        for q in questions:
            row = benchmark.question_by_key(store, q.key)
            if row and row[1] != q.question:
                raise InputError(f"{source}: line {q.line}: id {q.key} is already stored with another question; "
                                 f"give it a new id")
            ids[q.key] = row[0] if row else benchmark.add_question(store, q.key, q.question, source)
    return ids


def save_response(store: Store, *, run_id: int, question_id: int, model, round_: int, seed: int, gen) -> str:
    status = "failed" if gen.finish_reason == "overflow" or not gen.text.strip() else "done"
    reason = (gen.error if gen.finish_reason == "overflow" else "empty response") if status == "failed" else (
        "cut off by the length limit" if gen.finish_reason == "length" else None)
    benchmark.add_response(store, {
        "run_id": run_id, "question_id": question_id, "model": model.name, "model_sha256": model.sha256,
        "round": round_, "seed": seed, "response": gen.text.strip(), "status": status, "reason": reason,
        "tokens": gen.completion_tokens, "seconds": round(gen.seconds, 3)})
    return status


@dataclass
class RespondJob:
    """`eval respond` in the job frame (onprem.job_frame): every question once per round."""
    questions_path: Path
    model_name: str | None
    rounds: int
    seed: int
    max_tokens: int
    threads: int | None
    parallel: int | str
    n_ctx: int
    command = "eval respond"
    label = "respond"
    fields = ("done", "failed")

    def plan(self, store):
        from onprem.errors import UserError
        from onprem.job_frame import Plan
        from onprem.model.base import Sampling

        if not self.questions_path.is_file():
            raise UserError(f"--questions {self.questions_path}: no such file; give JSONL {{\"id\", \"question\"}} "
                            f"or CSV id,question")
        questions, errors = read_questions(self.questions_path)
        if not questions:
            return Plan(0, errors=errors, nothing=f"{self.questions_path}: no usable questions",
                        nothing_exit=EXIT_PARTIAL)
        check_stored(store, questions, str(self.questions_path))
        sampling = Sampling(temperature=0.7, max_tokens=self.max_tokens)
        import prompts

        return Plan(items=len(questions) * self.rounds, data=questions, errors=errors, seed=self.seed,
                    prompts=[prompts.load("eval_response")],
                    params={"questions": str(self.questions_path), "rounds": self.rounds, **sampling.as_dict()},
                    stats={"questions": len(questions), "rows_rejected": len(errors)})

    def open_models(self, plan) -> dict:
        from onprem.model.factory import open_model

        return {"responder": open_model(self.model_name, n_ctx=self.n_ctx, threads=self.threads,
                                        parallel=self.parallel, items=plan.items)}

    def run(self, store, plan, models, rec, bar):
        from onprem.job_frame import Done
        from onprem.model.base import PromptPair, Request, Sampling
        from onprem.model.rounds import width_for
        from onprem.papers.mentalchat16k.writer import INSTRUCTION
        from onprem.seeds import derive_seed
        from onprem.tally import Tally

        model, template, questions = models["responder"], plan.prompts[0], plan.data
        ids = save_questions(store, questions, str(self.questions_path))
        sampling = Sampling(temperature=0.7, max_tokens=self.max_tokens)
        work = [(q, rnd) for rnd in range(1, self.rounds + 1) for q in questions]
        tally = Tally("responses", "done", "failed", shown=self.fields)
        bar.start(len(work))
        width = width_for(model)
        for k in range(0, len(work), width):
            chunk = work[k:k + width]
            requests = [Request(PromptPair.of(template, instruction=INSTRUCTION, question=q.question), None, sampling,
                                derive_seed(self.seed, q.key, rnd)) for q, rnd in chunk]
            for (q, rnd), gen in zip(chunk, model.complete_many(requests)):
                status = save_response(store, run_id=rec.id, question_id=ids[q.key], model=model, round_=rnd,
                                       seed=derive_seed(self.seed, q.key, rnd), gen=gen)
                tally.add("responses", status, tokens=gen.completion_tokens, seconds=gen.seconds)
                bar.item(f"round {rnd} question {q.key}: {status}", status=status, counts=tally.counts())
        return Done(f"{model.name} answered {len(questions)} questions x {self.rounds} rounds: "
                    f"{tally.done} responses, {tally.failed} failed ({tally.tokens_per_second:.1f} tokens/s); "
                    f"next: onprem judge mentalchat7 --responses run:{rec.id}",
                    counts=tally.counts(), failed=bool(tally.failed), stats=tally.as_dict(),
                    tokens_per_second=tally.tokens_per_second)
