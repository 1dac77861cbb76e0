"""The two-agent loop on a scripted fake model: turns, end signal, retries, limits."""

from __future__ import annotations

import json

import prompts
import pytest
from pydantic import ValidationError

from onprem.dialogue.roleplay import Agent, Limits, chat_messages, clean, repeats, roleplay, Turn, utterance_schema
from onprem.model.base import Sampling

from .conftest import script_model, say, sent, word

PROMPT = prompts.load("sqpsych_client")  # any template taking persona/closing works for the loop


def _agents(t_model, c_model=None, can_end=lambda ctx: True):
    v = lambda ctx: {"persona": "I am fine.", "closing": False}
    s = Sampling(max_tokens=100)
    return (Agent("therapist", t_model, PROMPT, s, v, can_end), Agent("client", c_model or t_model, PROMPT, s, v, can_end))


def counting(end_at=None):
    """Distinct utterances; the one at turn `end_at` carries the end signal."""
    n = {"i": 0}

    def reply(_req, _seed):
        i = n["i"]
        n["i"] += 1
        return say(f"Line number {word(i)} here", end=(i == end_at))
    return reply


def test_alternates_and_caps():
    r = roleplay(_agents(script_model(counting())), Limits(max_turns=5, min_turns=2), seed=1)
    assert r.status == "capped" and [t.speaker for t in r.turns] == ["therapist", "client"] * 2 + ["therapist"]
    assert [t.seq for t in r.turns] == list(range(5))


def test_end_signal_needs_minimum_length():
    early = roleplay(_agents(script_model(counting(end_at=1))), Limits(max_turns=6, min_turns=4), seed=1)
    assert early.status == "capped" and early.turns[1].end  # recorded, but not honoured
    late = roleplay(_agents(script_model(counting(end_at=4))), Limits(max_turns=10, min_turns=4), seed=1)
    assert late.status == "ended" and len(late.turns) == 5 and late.reason == "therapist ended the session"


def test_end_signal_respects_can_end():
    r = roleplay(_agents(script_model(counting(end_at=4)), can_end=lambda ctx: False), Limits(max_turns=6, min_turns=2), 1)
    assert r.status == "capped"


def test_repeat_is_retried_then_accepted():
    script = [say("Hello there, how are you"), say("Fine thanks, and you"),
              say("Hello there, how are you"), say("Tell me about your week")]
    r = roleplay(_agents(script_model(script)), Limits(max_turns=3, min_turns=3, retries=2), seed=1)
    assert [t.content for t in r.turns] == ["Hello there, how are you", "Fine thanks, and you", "Tell me about your week"]
    assert r.turns[2].attempts == 2 and r.turns[2].status == "ok"


def test_repeat_recorded_after_bounded_retries():
    script = [say("Hello there, how are you"), say("Fine thanks, and you")] + [say("Hello there how are you")] * 3 \
        + [say("Something new")]
    r = roleplay(_agents(script_model(script)), Limits(max_turns=4, min_turns=4, retries=2), seed=1)
    bad = r.turns[2]
    assert bad.status == "repeat" and bad.attempts == 3 and "same as turn 1" in bad.reason and "after 3 tries" in bad.reason
    assert r.turns[3].content == "Something new" and r.good_turns()[-1].speaker == "client"


def test_invalid_output_fails_dialogue_after_bad_run():
    model = script_model(lambda req, seed: "not json")
    r = roleplay(_agents(model), Limits(max_turns=10, retries=1, schema_retries=0, max_bad_in_a_row=3), seed=1)
    assert r.status == "failed" and len(r.turns) == 3
    assert all(t.status == "failed" and t.content == "" for t in r.turns)
    assert "3 unusable turns in a row" in r.reason and len(sent(model)) == 6


def test_same_seed_same_requests():
    a, b = script_model(counting()), script_model(counting())
    for m in (a, b):
        roleplay(_agents(m), Limits(max_turns=4), seed=7)
    assert [r.seed for r in a.requests] == [r.seed for r in b.requests] and sent(a) == sent(b)


def test_history_goes_into_base_prompt_and_window_fits_context():
    empty = len(PROMPT.render(history=[], speaker="client", completion=True, persona="I am fine.", closing=False).split())
    n_ctx = empty + 100 + 32 + 30   # room for about six turns of history
    model = script_model(counting(), n_ctx=n_ctx)
    roleplay(_agents(model), Limits(max_turns=12, min_turns=12), seed=1)
    assert "Therapist: Line number zero here\nClient: Line number one here" in sent(model)[2]
    assert all(model.count_tokens(p) <= n_ctx - 100 - 32 for p in sent(model))
    assert "Line number zero here" not in sent(model)[-1]  # oldest turns dropped to fit


def test_instruct_model_gets_alternating_chat():
    model = script_model(counting(), kind="instruct")
    roleplay(_agents(model), Limits(max_turns=4), seed=1)
    for msgs in sent(model):
        roles = [m["role"] for m in msgs]
        assert roles[0] == "user" and roles[-1] == "user"
        assert all(a != b for a, b in zip(roles, roles[1:]))
    assert sent(model)[3][1] == {"role": "assistant", "content": "Line number one here"}


def test_chat_messages_merge_neighbours():
    h = [Turn(0, "therapist", "Hi"), Turn(2, "therapist", "Still there?")]
    msgs = chat_messages("Be a client.", h, "client")
    assert msgs == [{"role": "user", "content": "Be a client.\n\nHi Still there?"}]


def test_clean_and_repeats():
    assert clean("Client:   I  feel   fine", 10) == "I feel fine"
    assert clean("one two three four", 2) == "one two"
    h = [Turn(0, "client", "I feel really tired every single day")]
    assert repeats("I feel really tired every single day.", "client", h) == "same as turn 1"
    assert repeats("I feel really tired every single day now", "client", h) == "nearly the same as turn 1"
    assert repeats("My sleep is better this week", "client", h) is None


def test_word_limits_live_in_the_schema():
    schema = utterance_schema(2, 5)
    assert schema.model_validate_json(say("one two three")).utterance == "one two three"
    for text in ("one", "one two three four five six", "... dots", 'say "hi" now'):
        with pytest.raises(ValidationError):
            schema.model_validate_json(json.dumps({"utterance": text, "end": False}))


def test_copy_from_prompt_or_turn_is_retried():
    from onprem.dialogue.roleplay import copies
    assert copies("well Hello, it's good to see you. How has your week been? ok",
                  {"the prompt": "Therapist: Hello, it's good to see you. How has your week been?"}) == \
        "copies 5 words from the prompt"
    # Five words of the instructions is a copy; from another speaker it takes eight.
    assert copies("so one question at a time then", {"the prompt": "Ask one question at a time."}) == \
        "copies 5 words from the prompt"
    assert copies("so one question at a time then", {"turn 2": "Ask one question at a time."}) is None
    assert copies("so one question at a time then ok", {"turn 2": "so one question at a time then ok now"}) == \
        "copies 8 words from turn 2"
    assert copies("short reply", {"the prompt": "short reply"}) is None
    script = [say("Hello, it's good to see you. How has your week been?"), say("Welcome, what brings you here today")]
    r = roleplay(_agents(script_model(script)), Limits(max_turns=1, min_turns=1), seed=1)
    assert r.turns[0].content == "Welcome, what brings you here today" and r.turns[0].attempts == 2
