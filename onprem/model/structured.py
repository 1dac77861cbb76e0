"""Schema-constrained output: pydantic model -> grammar (or the server's response_format) ->
pydantic validation -> bounded retries with new seeds -> a value or the recorded reason it failed.

`structured_many` moves many requests forward together: each round hands every request still
waiting for a valid answer to `model.complete_many`, so a batching backend decodes them together.
"""

from __future__ import annotations

from typing import Sequence

from pydantic import ValidationError

from onprem.model.base import Model, Request, Structured
from onprem.seeds import retry_seed


def _check(req: Request, gen) -> tuple[object | None, str | None, bool]:
    """(value, error, final): final means no retry can help (the prompt does not fit)."""
    if gen.finish_reason == "overflow":
        return None, gen.error, True
    if gen.finish_reason == "length":
        return None, f"output cut off at {req.sampling.max_tokens} tokens", False
    try:
        return req.schema.model_validate_json(gen.text), None, False
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ())) or "output"
        return None, f"invalid output ({where}: {first.get('msg')})", False


def structured_many(model: Model, requests: Sequence[Request], retries: int = 2) -> list[Structured]:
    results = [Structured(value=None, attempts=0) for _ in requests]
    waiting = list(range(len(requests)))
    for attempt in range(retries + 1):
        if not waiting:
            break
        batch = [requests[i].with_seed(retry_seed(requests[i].seed, attempt)) for i in waiting]
        gens = model.complete_many(batch)
        still = []
        for i, req, gen in zip(waiting, batch, gens):
            res = results[i]
            res.attempts = attempt + 1
            if gen.finish_reason != "overflow":
                res.generations.append(gen)
            value, error, final = _check(req, gen)
            res.value, res.error = value, error
            if value is None and not final:
                still.append(i)
        waiting = still
    return results


def structured(model: Model, request: Request, retries: int = 2) -> Structured:
    """One request; see structured_many."""
    return structured_many(model, [request], retries)[0]
