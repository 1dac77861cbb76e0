"""The tokens a grammar allows next, found without asking it about the whole vocabulary.

llama.cpp accepts a candidate token only if the grammar accepts its text character by character,
so a grammar that accepts a token's text accepts every prefix of it: a token whose longest prefix
that is itself a token was refused is refused too. Walking the vocabulary as a prefix tree, level
by level, asks the grammar only about the children of accepted tokens. Where a JSON skeleton
forces the next characters (`{"utterance": "`, a closing `"}`), that is a few thousand tokens
instead of all 262,144 of Gemma 3's (about 1 ms against about 25 ms here); where the grammar allows
most words it costs what the full pass costs. The answer is the full pass's answer
(tests/test_grammar_mask.py checks it against the full pass at every step of real generations).

End-of-generation tokens are allowed by the grammar's state, not by their text, so they are asked
every time and are nobody's parent.
"""

from __future__ import annotations

import ctypes

import llama_cpp
import numpy as np

_TOKEN_DATA = np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)], align=True)


def token_pieces(vocab, n_vocab: int) -> list[bytes]:
    """Every token's text as llama.cpp's grammar sees it (special tokens rendered)."""
    buf = ctypes.create_string_buffer(512)
    pieces = []
    for tok in range(n_vocab):
        n = llama_cpp.llama_token_to_piece(vocab, tok, buf, len(buf), 0, True)
        pieces.append(buf.raw[:max(n, 0)])
    return pieces


class VocabTree:
    """The vocabulary as a prefix tree over token texts, for `allowed`."""

    def __init__(self, vocab, n_vocab: int):
        pieces = token_pieces(vocab, n_vocab)
        eog = np.array([bool(llama_cpp.llama_vocab_is_eog(vocab, t)) for t in range(n_vocab)])
        first: dict[bytes, int] = {}
        for tok, piece in enumerate(pieces):
            if piece and not eog[tok]:
                first.setdefault(piece, tok)
        parent = np.full(n_vocab, -1, dtype=np.int64)
        for tok, piece in enumerate(pieces):
            if eog[tok]:
                continue
            for cut in range(len(piece) - 1, 0, -1):
                p = first.get(piece[:cut])
                if p is not None:
                    parent[tok] = p
                    break
        self.roots = np.flatnonzero(parent < 0).astype(np.intc)
        # Children in CSR form: the children of token t are kids[start[t]:start[t + 1]].
        has = np.flatnonzero(parent >= 0)
        order = has[np.argsort(parent[has], kind="stable")]
        self.kids = order.astype(np.intc)
        self.start = np.searchsorted(parent[order], np.arange(n_vocab + 1)).astype(np.int64)
        self._data = np.zeros(n_vocab, dtype=_TOKEN_DATA)
        self._arr = llama_cpp.llama_token_data_array(
            data=self._data.ctypes.data_as(llama_cpp.llama_token_data_p), size=0, selected=-1, sorted=False)

    def _children(self, toks: np.ndarray) -> np.ndarray:
        s = self.start[toks]
        counts = self.start[toks + 1] - s
        total = int(counts.sum())
        if total == 0:
            return np.empty(0, dtype=np.intc)
        offsets = np.repeat(s - (np.cumsum(counts) - counts), counts) + np.arange(total)
        return self.kids[offsets]

    def allowed(self, grammar_sampler) -> np.ndarray:
        """The ids of every token the grammar sampler (in its current state) allows next."""
        found = []
        frontier = self.roots
        while frontier.size:
            n = frontier.size
            data = self._data[:n]
            data["id"], data["logit"], data["p"] = frontier, 0.0, 0.0
            arr = self._arr
            arr.size, arr.selected, arr.sorted = n, -1, False
            llama_cpp.llama_sampler_apply(grammar_sampler, ctypes.byref(arr))
            ok = frontier[np.isfinite(data["logit"])]
            found.append(ok)
            frontier = self._children(ok)
        return np.concatenate(found) if found else np.empty(0, dtype=np.intc)
