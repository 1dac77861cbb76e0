"""The token loop: sampling with an optional grammar that stays fast on large vocabularies.

llama-cpp-python puts the grammar in front of top-k, so the grammar is checked against every
token of the vocabulary at every step (262,144 for Gemma 3): ~15 tokens/s here instead of ~40.
Like llama.cpp's own common sampler, we sample from the ordinary chain first and ask the grammar
only about the chosen token; only when it rejects that token do we pay for the full pass.
The result is the same distribution restricted to the grammar, and it is deterministic for a seed.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass

import llama_cpp
import numpy as np
from llama_cpp import _internals as internals

from onprem.model.base import ContextOverflow


@dataclass
class LoopResult:
    tokens: list[int]
    finish_reason: str          # "stop" (end of generation) or "length" (max_tokens reached)
    grammar_fallbacks: int = 0  # steps that needed the full-vocabulary grammar pass


def _chain(llm, sampling, seed: int) -> internals.LlamaSampler:
    chain = internals.LlamaSampler()
    chain.add_penalties(n_vocab=llm.n_vocab(), penalty_last_n=64, penalty_repeat=sampling.repeat_penalty,
                        penalty_freq=0.0, penalty_present=0.0)
    if sampling.temperature <= 0:
        chain.add_greedy()
        return chain
    chain.add_top_k(sampling.top_k)
    chain.add_top_p(sampling.top_p, 1)
    chain.add_min_p(0.05, 1)
    chain.add_temp(sampling.temperature)
    chain.add_dist(seed)
    return chain


def run(llm, prompt_tokens: list[int], sampling, seed: int, grammar=None) -> LoopResult:
    """Decode up to sampling.max_tokens tokens after prompt_tokens; stop at end-of-generation.

    The KV cache is cleared first, so an output never depends on what ran before it.
    """
    if len(prompt_tokens) + sampling.max_tokens > llm.n_ctx():
        raise ContextOverflow(f"prompt of {len(prompt_tokens)} tokens plus {sampling.max_tokens} to generate "
                              f"exceeds the context of {llm.n_ctx()}")
    n_vocab = llm.n_vocab()
    vocab = llm._model.vocab
    chain = _chain(llm, sampling, seed)
    gram = None
    if grammar is not None:
        gram = internals.LlamaSampler()
        gram.add_grammar(llm._model, grammar)
    cand = internals.LlamaTokenDataArray(n_vocab=n_vocab)
    one = (llama_cpp.llama_token_data * 1)()
    one_arr = llama_cpp.llama_token_data_array(data=one, size=1, selected=-1, sorted=False)

    llm.reset()
    llm.eval(prompt_tokens)
    out: list[int] = []
    fallbacks = 0
    finish = "length"
    for _ in range(sampling.max_tokens):
        logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm.ctx, -1), shape=(n_vocab,))
        cand.copy_logits(logits)
        llama_cpp.llama_sampler_apply(chain.sampler, ctypes.byref(cand.candidates))
        token = cand.candidates.data[cand.candidates.selected].id
        if gram is not None:
            one[0].id, one[0].logit, one[0].p = token, 1.0, 0.0
            one_arr.size, one_arr.selected, one_arr.sorted = 1, -1, False
            llama_cpp.llama_sampler_apply(gram.sampler, ctypes.byref(one_arr))
            if math.isinf(one[0].logit):
                # The chosen token breaks the grammar: mask the whole vocabulary, then sample again.
                fallbacks += 1
                cand.copy_logits(logits)
                llama_cpp.llama_sampler_apply(gram.sampler, ctypes.byref(cand.candidates))
                llama_cpp.llama_sampler_apply(chain.sampler, ctypes.byref(cand.candidates))
                token = cand.candidates.data[cand.candidates.selected].id
            llama_cpp.llama_sampler_accept(gram.sampler, token)
        llama_cpp.llama_sampler_accept(chain.sampler, token)
        if llama_cpp.llama_vocab_is_eog(vocab, token):
            finish = "stop"
            break
        out.append(token)
        llm.eval([token])
    return LoopResult(tokens=out, finish_reason=finish, grammar_fallbacks=fallbacks)
