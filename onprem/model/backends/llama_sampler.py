"""One sequence's sampling: its own seeded chain and grammar state, fast on large vocabularies.

llama-cpp-python puts the grammar in front of top-k, so the grammar is checked against every
token of the vocabulary at every step (262,144 for Gemma 3): ~15 tokens/s here instead of ~40.
Like llama.cpp's own common sampler, we sample from the ordinary chain first and ask the grammar
only about the chosen token. When it rejects that token, the logits are masked to what the grammar
allows and the chain samples again: the same draw as masking the whole vocabulary (see
_resample_in_grammar), found without a pass over the whole vocabulary. Deterministic for a seed.
"""

from __future__ import annotations

import ctypes
import math

import llama_cpp
import numpy as np
from llama_cpp import _internals as internals

from onprem.model.backends.grammar_mask import VocabTree

PENALTY_LAST_N = 64
# When the grammar rejects the sampled token, it is first asked about this many best tokens only
# (a 262,144-token pass costs ~25 ms, this ~0.3 ms); see SequenceSampler._resample_in_grammar.
GRAMMAR_SHORTLIST = 1024


def _chain(n_vocab: int, sampling, seed: int) -> internals.LlamaSampler:
    chain = internals.LlamaSampler()
    # The repeat penalty only lowers the logits of the last PENALTY_LAST_N tokens, so the top_k
    # after it always comes from the top_k + PENALTY_LAST_N before it: cutting there first gives the
    # same tokens and spares the penalty a pass over the whole vocabulary (1.0 -> 0.3 ms a token).
    chain.add_top_k((sampling.top_k if sampling.temperature > 0 else 1) + PENALTY_LAST_N)
    chain.add_penalties(n_vocab=n_vocab, penalty_last_n=PENALTY_LAST_N, penalty_repeat=sampling.repeat_penalty,
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


class SequenceSampler:
    """The sampler of one sequence in a batch: nothing in it is shared with another sequence."""

    def __init__(self, model: internals.LlamaModel, cand: internals.LlamaTokenDataArray, sampling, seed: int,
                 grammar=None, tree: VocabTree | None = None):
        self.vocab = model.vocab
        self.tree = tree                      # needed with a grammar
        self.cand = cand                      # the slot's scratch array, reused between its sequences
        self.chain = _chain(model.n_vocab(), sampling, seed)
        self.gram = None
        if grammar is not None:
            self.gram = internals.LlamaSampler()
            self.gram.add_grammar(model, grammar)
        self.need = (sampling.top_k if sampling.temperature > 0 else 1) + PENALTY_LAST_N
        self.shortlist = internals.LlamaSampler()
        self.shortlist.add_top_k(max(GRAMMAR_SHORTLIST, self.need))
        self._one = (llama_cpp.llama_token_data * 1)()
        self._one_arr = llama_cpp.llama_token_data_array(data=self._one, size=1, selected=-1, sorted=False)
        self.fallbacks = 0                    # steps whose first draw the grammar refused

    def sample(self, logits: np.ndarray) -> int:
        """Choose the next token from this sequence's logits row and advance the sampler state."""
        cand = self.cand
        cand.copy_logits(logits)
        llama_cpp.llama_sampler_apply(self.chain.sampler, ctypes.byref(cand.candidates))
        token = cand.candidates.data[cand.candidates.selected].id
        if self.gram is not None:
            one, arr = self._one, self._one_arr
            one[0].id, one[0].logit, one[0].p = token, 1.0, 0.0
            arr.size, arr.selected, arr.sorted = 1, -1, False
            llama_cpp.llama_sampler_apply(self.gram.sampler, ctypes.byref(arr))
            if math.isinf(one[0].logit):
                token = self._resample_in_grammar(logits)
            llama_cpp.llama_sampler_accept(self.gram.sampler, token)
        llama_cpp.llama_sampler_accept(self.chain.sampler, token)
        return token

    def _resample_in_grammar(self, logits: np.ndarray) -> int:
        """The chosen token breaks the grammar: mask what the grammar forbids, then sample again.

        The chain only ever draws from the best `need` tokens (top_k plus the penalty window) of
        what it is given. If at least `need` of the GRAMMAR_SHORTLIST best tokens pass the grammar,
        those are the best `need` allowed tokens of the whole vocabulary, and the chain samples
        from the masked shortlist (the same token as from the masked vocabulary, unless two of
        those logits are exactly equal). Otherwise the whole vocabulary is masked with the exact
        set of allowed tokens (grammar_mask.VocabTree), which is the full pass's array itself."""
        self.fallbacks += 1
        cand = self.cand
        cand.copy_logits(logits)
        llama_cpp.llama_sampler_apply(self.shortlist.sampler, ctypes.byref(cand.candidates))
        llama_cpp.llama_sampler_apply(self.gram.sampler, ctypes.byref(cand.candidates))
        # top_k trusts a sorted array and would only cut it: the grammar's -inf broke the order.
        cand.candidates.sorted = False
        allowed = np.isfinite(cand.candidates_data["logit"][: cand.candidates.size]).sum()
        if allowed < self.need:
            ok = self.tree.allowed(self.gram.sampler)
            cand.copy_logits(logits)
            col = cand.candidates_data["logit"]
            kept = col[ok]
            col[:] = -np.inf
            col[ok] = kept
        llama_cpp.llama_sampler_apply(self.chain.sampler, ctypes.byref(cand.candidates))
        return cand.candidates.data[cand.candidates.selected].id

    def is_end(self, token: int) -> bool:
        return bool(llama_cpp.llama_vocab_is_eog(self.vocab, token))
