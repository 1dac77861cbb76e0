"""`--parallel auto` (issue 29, item 1): lanes from the items to do, the model's KV bytes per token,
the context and the memory free; the CLI takes auto or a number; a real run records what auto chose."""

from __future__ import annotations

import json

import pytest

from onprem.model import lanes

QWEN = {"general.architecture": "qwen2", "qwen2.block_count": "28", "qwen2.attention.head_count": "12",
        "qwen2.attention.head_count_kv": "2", "qwen2.embedding_length": "1536"}
GEMMA = {"general.architecture": "gemma3", "gemma3.block_count": "18", "gemma3.attention.head_count": "4",
         "gemma3.attention.head_count_kv": "1", "gemma3.attention.key_length": "256",
         "gemma3.attention.value_length": "256", "gemma3.embedding_length": "640"}


def test_kv_bytes_per_token_by_hand():
    assert lanes.kv_bytes_per_token(QWEN) == 28 * 2 * (128 + 128) * 2        # head dim 1536 / 12 = 128
    assert lanes.kv_bytes_per_token(GEMMA) == 18 * 1 * (256 + 256) * 2        # key and value lengths given


@pytest.mark.parametrize("items, free, want, why", [
    (1, 16e9, 1, "auto: 1 items"),                       # a single page: one at a time, as before
    (7, 16e9, 7, "auto: 7 items"),                       # no lane without an item
    (200, 16e9, 16, "auto: 200 items"),                  # past MAX_LANES nothing was gained
    (None, 16e9, 16, "auto: items not known"),
    (200, None, 16, "auto: 200 items"),                  # memory not known: the cap alone
    # 1 GB free, a quarter of it for KV: 0.25e9 / (28672 * 4096) = 2.13 streams, less 2 spare = 0 lanes -> 1
    (200, 1e9, 1, "auto: 200 items; memory allows 1"),
    # 4 GB: 8.5 streams - 2 = 6 -> 3 lanes of 2 streams
    (200, 4e9, 3, "auto: 200 items; memory allows 3"),
])
def test_lanes_by_hand(items, free, want, why):
    c = lanes.choose(items, lanes.kv_bytes_per_token(QWEN), 4096, free)
    assert (c.lanes, c.why) == (want, why)


def test_parse_takes_auto_or_a_number():
    assert lanes.parse("auto") == "auto" and lanes.parse(" AUTO ") == "auto"
    assert lanes.parse("8") == 8 and lanes.parse(3) == 3
    for bad in ("0", "65", "many", "-1"):
        with pytest.raises(ValueError, match="give auto or a number of lanes"):
            lanes.parse(bad)


def test_the_cli_default_is_auto_and_the_environment_moves_it(monkeypatch, cli):
    from onprem import config

    monkeypatch.delenv("ONPREM_PARALLEL", raising=False)
    assert config.default_parallel() == "auto"
    monkeypatch.setenv("ONPREM_PARALLEL", "4")
    assert config.default_parallel() == 4
    r = cli("paraphrase", "examples/transcripts", "--parallel", "0")
    assert r.exit_code == 2 and "give auto or a number of lanes from 1 to 64" in r.output


def test_a_remote_pool_under_auto_sends_no_more_than_the_items():
    from onprem.model.backends.openai import AUTO_PER_ENDPOINT, per_endpoint

    assert per_endpoint("auto", 3, 2) == 2                 # 3 items over 2 servers: 2 each at most
    assert per_endpoint("auto", None, 2) == AUTO_PER_ENDPOINT
    assert per_endpoint("auto", 100, 2) == AUTO_PER_ENDPOINT
    assert per_endpoint(5, 1, 2) == 5                      # a number is taken as given


def test_estimated_pages(tmp_path):
    from onprem.pipeline.paraphrase_job import estimate_pages

    (tmp_path / "a.txt").write_text("x" * 10_000)                 # 10,000 chars at 4 a token, 700 a page: 4
    (tmp_path / "b.txt").write_text("one\fpage\fthree")            # form feeds: 3
    assert estimate_pages([tmp_path / "a.txt", tmp_path / "b.txt"], 700) == 7


def test_a_real_paraphrase_under_auto_records_the_lanes_it_chose(cli, tmp_path):
    """The bundled model: a two-page transcript's pages side by side, and why."""
    (tmp_path / "t").mkdir()
    page = ("Client: I have not slept well since the move, and the new job keeps me up at night.\n"
            "Therapist: What goes through your mind when you lie awake?\n")
    (tmp_path / "t" / "two.txt").write_text(page + "\f" + page, encoding="utf-8")
    r = cli("paraphrase", tmp_path / "t", "--parallel", "auto", "--progress", "plain", "--max-tokens", "160")
    assert r.exit_code == 0, r.output
    import sqlite_utils

    models = json.loads(sqlite_utils.Database(cli.db).execute("select models from runs").fetchone()[0])
    prov = models["paraphrase"]
    assert (prov["parallel"], prov["parallel_from"]) == (2, "auto: 2 items")
