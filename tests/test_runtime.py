"""The model runtime on the real default GGUF: both prompt paths, determinism, limits."""

import pytest
from pydantic import BaseModel, Field

from onprem.errors import UserError
from onprem.model.runtime import Sampling, structured

pytestmark = pytest.mark.model

# A minimal Gemma-style chat template, as an instruct GGUF would carry in its metadata.
TEMPLATE = ("{{ bos_token }}{% for m in messages %}<start_of_turn>{{ 'model' if m['role'] == 'assistant' "
            "else m['role'] }}\n{{ m['content'] }}<end_of_turn>\n{% endfor %}<start_of_turn>model\n")


class Mood(BaseModel):
    mood: str = Field(min_length=1)
    score: int


def test_base_model_completion_is_valid_and_deterministic(real_model):
    prompt = "A client said: 'I feel a bit better this week.' Their mood as JSON:\n"
    a = structured(real_model, Mood, prompt=prompt, sampling=Sampling(max_tokens=60), seed=3)
    b = structured(real_model, Mood, prompt=prompt, sampling=Sampling(max_tokens=60), seed=3)
    assert a.value is not None, a.error
    assert a.value == b.value and a.generations[0].text == b.generations[0].text


def test_instruct_models_go_through_their_chat_template(real_model, monkeypatch):
    monkeypatch.setitem(real_model._llm.metadata, "tokenizer.chat_template", TEMPLATE)
    monkeypatch.setattr(real_model, "kind", "instruct")
    calls = []
    original = real_model.chat
    monkeypatch.setattr(real_model, "chat", lambda *a, **k: calls.append(a) or original(*a, **k))
    result = structured(real_model, Mood, prompt="Rate this mood: 'calm and hopeful'.",
                        sampling=Sampling(max_tokens=60), seed=5)
    assert calls and calls[0][0] == [{"role": "user", "content": "Rate this mood: 'calm and hopeful'."}]
    assert result.value is not None, result.error


def test_chat_without_a_template_is_a_clear_error(real_model):
    with pytest.raises(UserError, match="no chat template"):
        real_model.chat([{"role": "user", "content": "hi"}], sampling=Sampling(max_tokens=8), seed=1)


def test_a_prompt_too_long_for_the_context_fails_without_retrying(real_model):
    prompt = "word " * (real_model.n_ctx + 10)
    result = structured(real_model, Mood, prompt=prompt, sampling=Sampling(max_tokens=32), seed=1)
    assert result.value is None and result.attempts == 1 and "exceeds the context" in result.error


def test_output_cut_off_at_max_tokens_is_retried_then_reported(real_model):
    result = structured(real_model, Mood, prompt="JSON:\n", sampling=Sampling(max_tokens=3), seed=1, retries=1)
    assert result.value is None and result.attempts == 2 and "cut off at 3 tokens" in result.error
