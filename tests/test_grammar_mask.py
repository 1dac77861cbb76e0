"""The grammar fallback of the llama sampler against the full-vocabulary pass it replaces, at every
step where the grammar refused the first draw, in real generations of the bundled model."""

from __future__ import annotations

import ctypes

import llama_cpp
import numpy as np
import pytest

from onprem.dialogue.roleplay import utterance_schema
from onprem.model.backends import grammar_mask, llama_sampler
from onprem.model.base import PromptPair, Request, Sampling


def full_pass(sampler: llama_sampler.SequenceSampler, logits: np.ndarray) -> tuple[np.ndarray, int]:
    """What the grammar allows, asked about every token, and the token a copy of the chain draws
    from the whole masked vocabulary (the copy leaves the sampler's own RNG untouched)."""
    cand = sampler.cand
    cand.copy_logits(logits)
    llama_cpp.llama_sampler_apply(sampler.gram.sampler, ctypes.byref(cand.candidates))
    allowed = np.flatnonzero(np.isfinite(cand.candidates_data["logit"]))
    chain = llama_cpp.llama_sampler_clone(sampler.chain.sampler)
    try:
        llama_cpp.llama_sampler_apply(chain, ctypes.byref(cand.candidates))
        token = cand.candidates.data[cand.candidates.selected].id
    finally:
        llama_cpp.llama_sampler_free(chain)
    return allowed, token


@pytest.mark.model
def test_fallback_draws_what_the_full_vocabulary_pass_draws(real_model, monkeypatch):
    seen = {"tree": 0, "shortlist": 0}
    mine = llama_sampler.SequenceSampler._resample_in_grammar

    def checked(self, logits):
        allowed, expected = full_pass(self, logits)
        in_shortlist = np.isin(allowed, np.argsort(-logits, kind="stable")[:llama_sampler.GRAMMAR_SHORTLIST]).sum()
        if in_shortlist < self.need:
            seen["tree"] += 1
            assert np.array_equal(np.sort(self.tree.allowed(self.gram.sampler)), allowed)
        else:
            seen["shortlist"] += 1
        token = mine(self, logits)
        assert token == expected
        assert token in allowed
        return token

    monkeypatch.setattr(llama_sampler.SequenceSampler, "_resample_in_grammar", checked)
    schema = utterance_schema(3, 25)
    lines = ["I have not slept properly since the move.", "Work is fine, I guess. It is the evenings.",
             "My sister says I should talk to someone.", "I keep thinking about the exam I failed."]
    requests = [Request(PromptPair(f"You are a client in counselling. Say, as JSON, what you feel.\nClient: {line}\n"
                                   "JSON:\n"), schema, Sampling(max_tokens=80, temperature=0.8), seed=31 + i)
                for i, line in enumerate(lines)]
    outs = real_model.complete_many(requests)
    assert all(o.finish_reason in ("stop", "length") for o in outs)
    # Both ways were taken: forced JSON skeleton (few tokens allowed) and free words (many allowed).
    assert seen["tree"] >= 10 and seen["shortlist"] >= 1, seen


@pytest.mark.model
def test_shortlist_draws_past_a_refused_top(real_model):
    """Inside the utterance, with the best `need` tokens all refused (quotes, digits, symbols) and plenty
    of words allowed below them: the draw must come from those words, as the full pass's does."""
    from llama_cpp import _internals as internals

    model = real_model._model
    n_vocab = model.n_vocab()
    tree = real_model._decoder._tree or grammar_mask.VocabTree(model.vocab, n_vocab)
    grammar = real_model._grammar(utterance_schema(3, 25))
    sampler = llama_sampler.SequenceSampler(model, internals.LlamaTokenDataArray(n_vocab=n_vocab),
                                            Sampling(max_tokens=10, temperature=0.8), 5, grammar, tree)
    for tok in model.tokenize(b'{"utterance": "I feel', add_bos=False, special=False):
        llama_cpp.llama_sampler_accept(sampler.gram.sampler, tok)
    allowed = set(tree.allowed(sampler.gram.sampler).tolist())
    pieces = grammar_mask.token_pieces(model.vocab, n_vocab)
    refused = [t for t in range(n_vocab) if t not in allowed and pieces[t][1:2] in b'"0123456789(*'][: sampler.need]
    words = [t for t in sorted(allowed) if pieces[t][:1] == b" " and pieces[t][1:].isalpha()][:300]
    assert len(refused) == sampler.need and len(words) == 300
    logits = np.full(n_vocab, -20.0, dtype=np.single)
    logits[refused] = 10.0 + np.linspace(0, 1, len(refused))
    logits[words] = 5.0 + np.linspace(0, 2, len(words))
    for _ in range(20):
        expected = full_pass(sampler, logits)[1]
        token = sampler._resample_in_grammar(logits)
        assert token == expected and token in words
