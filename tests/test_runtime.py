"""The llama backend on the real default GGUF: both prompt forms, determinism, limits, embeddings."""

import numpy as np
import pytest
from pydantic import BaseModel, Field

from onprem.errors import UserError
from onprem.model.base import Embedder, PromptPair, Request, Sampling
from onprem.model.structured import structured, structured_many

pytestmark = pytest.mark.model

# A minimal Gemma-style chat template, as an instruct GGUF would carry in its metadata.
TEMPLATE = ("{{ bos_token }}{% for m in messages %}<start_of_turn>{{ 'model' if m['role'] == 'assistant' "
            "else m['role'] }}\n{{ m['content'] }}<end_of_turn>\n{% endfor %}<start_of_turn>model\n")


class Mood(BaseModel):
    mood: str = Field(min_length=1)
    score: int


def ask(text: str, max_tokens: int = 60, seed: int = 3) -> Request:
    return Request(PromptPair(text), Mood, Sampling(max_tokens=max_tokens), seed)


def test_base_model_completion_is_valid_and_deterministic(real_model):
    req = ask("A client said: 'I feel a bit better this week.' Their mood as JSON:\n")
    a, b = structured(real_model, req), structured(real_model, req)
    assert a.value is not None, a.error
    assert a.value == b.value and a.generations[0].text == b.generations[0].text
    # complete_many gives each request what complete gives it alone (sequential in this backend).
    many = structured_many(real_model, [req, ask("Mood of 'I am so tired of all this':\n", seed=9), req])
    assert many[0].raw == many[2].raw == a.raw and many[1].value is not None


def test_instruct_models_go_through_their_chat_template(real_model, monkeypatch):
    monkeypatch.setitem(real_model.metadata, "tokenizer.chat_template", TEMPLATE)
    monkeypatch.setattr(real_model, "kind", "instruct")
    sent = []
    original = real_model._tokens
    monkeypatch.setattr(real_model, "_tokens", lambda req: sent.append(original(req)) or sent[-1])
    req = Request(PromptPair("completion text, not sent", ({"role": "user", "content": "Rate this mood: 'calm and hopeful'."},)),
                  Mood, Sampling(max_tokens=60), 5)
    result = structured(real_model, req)
    text = real_model.detokenize(sent[0], special=True)
    assert "<start_of_turn>user\nRate this mood" in text and "not sent" not in text
    assert result.value is not None, result.error


def test_chat_without_a_template_is_a_clear_error(real_model, monkeypatch):
    monkeypatch.setattr(real_model, "kind", "instruct")
    with pytest.raises(UserError, match="no chat template"):
        real_model.complete(Request(PromptPair("hi"), None, Sampling(max_tokens=8), 1))


def test_a_prompt_too_long_for_the_context_fails_without_retrying(real_model):
    result = structured(real_model, ask("word " * (real_model.n_ctx + 10), max_tokens=32))
    assert result.value is None and result.attempts == 1 and "exceeds the context" in result.error


def test_output_cut_off_at_max_tokens_is_retried_then_reported(real_model):
    result = structured(real_model, ask("JSON:\n", max_tokens=3, seed=1), retries=1)
    assert result.value is None and result.attempts == 2 and "cut off at 3 tokens" in result.error


def test_embeddings_from_llama_cpp_embedding_mode(real_model):
    assert isinstance(real_model, Embedder)
    texts = ["I cannot sleep and I worry all night.", "I cannot sleep and I worry all night.",
             "The invoice for the garden shed is overdue."]
    v = real_model.embed(texts)
    assert v.shape[0] == 3 and v.dtype == np.float32 and v.shape[1] == 640
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert float(v[0] @ v[1]) == pytest.approx(1.0, abs=1e-5)
    assert float(v[0] @ v[2]) < 0.99
    assert np.array_equal(v, real_model.embed(texts))          # deterministic
