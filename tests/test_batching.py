"""Batched decoding: what docs/throughput.md promises about determinism, on the real default GGUF,
and the round coordinator's ordering on the scripted backend."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from onprem.model.backends.llama_batch import MIN_CHUNK, ROW_GROUP, prefill_chunks
from onprem.model.backends.scripted import ScriptedModel
from onprem.model.base import PromptPair, Request, Sampling
from onprem.model.rounds import in_rounds, width_for


class Mood(BaseModel):
    mood: str = Field(min_length=1)
    score: int


def ask(i: int) -> Request:
    text = ("Instructions: read what the client said and answer with their mood as JSON, with a mood word "
            "and a score from 1 to 10. Be brief. " * 3 + f"\nClient {i}: 'I have had a rough week number {i}.'\nJSON:\n")
    return Request(PromptPair(text), Mood, Sampling(max_tokens=40, temperature=0.7), seed=100 + i)


def test_prefill_chunks_never_leave_a_small_tail():
    assert prefill_chunks(1300, 512) == [512, 512, 276]
    assert prefill_chunks(530, 512) == [464, 66]
    assert prefill_chunks(40, 512) == [40]
    assert all(c >= MIN_CHUNK for n in range(MIN_CHUNK, 3000, 7) for c in prefill_chunks(n, 512))
    assert all(sum(prefill_chunks(n, 512)) == n for n in range(1, 3000, 13))
    assert all(c % ROW_GROUP == 0 for n in range(1, 3000, 7) for c in prefill_chunks(n, 512)[:-1])


def open_parallel(n: int):
    from onprem.model.factory import open_model

    return open_model(None, role="paraphrase", parallel=n)


@pytest.mark.model
def test_parallel_1_output_does_not_depend_on_what_ran_before(real_model):
    """At --parallel 1 a request's output is the same whichever cached prefix it started from, so a
    resumed run reproduces an uninterrupted one."""
    first = real_model.complete(ask(1)).text
    real_model.complete(ask(2))                  # another page's prompt now shares the cache
    real_model.complete(ask(1).with_seed(7))     # and a retry of this one with another seed
    assert real_model.complete(ask(1)).text == first
    real_model.complete(ask(3))
    assert [g.text for g in real_model.complete_many([ask(2), ask(1)])][1] == first


@pytest.mark.model
def test_parallel_1_output_does_not_depend_on_cached_generated_tokens(real_model):
    """A dialogue's next turn repeats what was just generated. Those tokens were decoded one row at
    a time, which llama.cpp's CPU kernels compute slightly differently from a prompt chunk, so the
    decoder decodes them again rather than reuse their cache: the next turn's output is the same
    as on a fresh model (with their cache reused it was not: logits up to 0.9 apart)."""
    story = ("Counselling session, week three. The client talks about sleep, work and her sister, "
             "and the counsellor listens and reflects. " * 4 + "\nClient:")
    said = real_model.complete(Request(PromptPair(story), None, Sampling(max_tokens=48, temperature=0.0),
                                       seed=3)).text
    counsellor = ("\nCounsellor: It sounds as if the evenings are the hardest part, when the work is done and "
                  "there is time to think. You said your sister notices it too. What would help most this "
                  "week, if we picked one small thing to try before we meet again?\nClient:")
    follow = Request(PromptPair(story + said + counsellor), None,
                     Sampling(max_tokens=64, temperature=1.0), seed=4)
    reused = real_model.usage()["prompt_tokens_reused"]
    after = real_model.complete(follow).text
    # the story came from the cache, and the reply could have (it is not reused: decoded again)
    assert real_model.usage()["prompt_tokens_reused"] - reused >= MIN_CHUNK
    from onprem.model.factory import open_model

    fresh = open_model(None, n_ctx=4096)    # as the real_model fixture
    try:
        assert after == fresh.complete(follow).text
    finally:
        fresh.close()


@pytest.mark.model
def test_parallel_n_repeats_per_command_and_may_differ_from_parallel_1(real_model):
    requests = [ask(i) for i in range(6)]
    runs = []
    for _ in range(2):          # the same command twice: fresh model, same requests, same --parallel
        model = open_parallel(4)
        try:
            runs.append([g.text for g in model.complete_many(requests)])
            usage = model.usage()
        finally:
            model.close()
    assert runs[0] == runs[1]
    assert usage["generation_step_tokens"] > usage["generation_steps"]       # really batched
    alone = [real_model.complete(r).text for r in requests]
    # Pinned: llama.cpp's CPU kernels round differently with several sequences in a batch, so some
    # outputs at --parallel 4 differ from --parallel 1 (the docs say so); which ones is fixed.
    assert [a == b for a, b in zip(runs[0], alone)] == PINNED_SAME


PINNED_SAME = [True, True, False, True, False, False]


def test_rounds_hand_requests_over_together_in_task_order():
    """Tasks of several calls each: every round gathers one call per live task, in task order; the
    results come back in input order and equal a one-at-a-time run."""
    seen: list[list[str]] = []

    class Recording(ScriptedModel):
        parallel = 3

        def complete_many(self, requests):
            seen.append([r.prompt.completion for r in requests])
            return super().complete_many(requests)

    model = Recording(lambda req: req.prompt.completion.upper())

    def work(item, models):
        m = models["m"]
        return [m.complete(Request(PromptPair(f"{item}-{k}"))).text for k in range(item % 3 + 1)]

    items = list(range(7))
    got = list(in_rounds(items, work, {"m": model}, width=width_for(model)))
    assert [i for i, _ in got] == items
    assert [r for _, r in got] == [work(i, {"m": ScriptedModel(lambda req: req.prompt.completion.upper())})
                                   for i in items]
    assert seen[0] == ["0-0", "1-0", "2-0", "3-0", "4-0", "5-0", "6-0"]   # all in flight, in order
    assert seen[1] == ["1-1", "2-1", "4-1", "5-1"]                         # the tasks with a second call
    assert seen[2] == ["2-2", "5-2"]
    assert width_for(ScriptedModel()) == 1


def test_an_error_in_one_task_reaches_the_caller():
    model = ScriptedModel(lambda req: "x")
    model.parallel = 2

    def work(item, models):
        models["m"].complete(Request(PromptPair(str(item))))
        if item == 2:
            raise ValueError("bad item 2")
        return item

    got = []
    with pytest.raises(ValueError, match="bad item 2"):
        for _, r in in_rounds(range(5), work, {"m": model}, width=width_for(model)):
            got.append(r)
    assert got == [0, 1]
