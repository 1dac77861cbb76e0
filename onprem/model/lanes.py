"""`--parallel auto`: how many sequences a local model decodes together, chosen from the work.

Batched decoding is faster on a CPU because a step's cost is mostly reading the weights, shared by
every lane (bench/throughput.py: 1.7x paraphrase at 16 lanes on two cores). What bounds it:
  - the items that can run side by side (pages; dialogues, whose own turns go one after another;
    judge targets): more lanes than items buy nothing and cost memory;
  - memory: llama.cpp sets aside the whole KV cache when the context is made, per stream
    (llama.py gives each lane 2 streams plus 2 spare), so lanes x context x KV bytes per token must
    fit in a share of the memory free now;
  - MAX_LANES, past which bench/throughput.py measured no further gain on this machine.
`--parallel 1` stays the way to an output independent of what ran before it (docs/scale-out.md).
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_LANES = 16
MEMORY_SHARE = 0.25         # of the memory free now: the machine is shared
STREAMS_PER_LANE, SPARE_STREAMS = 2, 2   # as llama.py lays out the KV streams


@dataclass(frozen=True)
class Choice:
    lanes: int
    why: str                # recorded in the run: "auto: 7 items; memory allows 14"


def kv_bytes_per_token(meta: dict) -> int:
    """K and V of one token over every layer, f16, from GGUF metadata."""
    arch = meta.get("general.architecture", "")
    get = lambda key, default=0: int(meta.get(f"{arch}.{key}", default) or default)   # noqa: E731
    layers, heads = get("block_count"), get("attention.head_count", 1)
    kv_heads = get("attention.head_count_kv", heads) or heads
    key_len = get("attention.key_length") or (get("embedding_length") // max(1, heads))
    value_len = get("attention.value_length") or key_len
    return layers * kv_heads * (key_len + value_len) * 2


def free_memory() -> int | None:
    """MemAvailable from /proc/meminfo, in bytes (None elsewhere)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def choose(items: int | None, kv_per_token: int, n_ctx: int, free: int | None) -> Choice:
    """Lanes for `items` side by side (None: not known) on a model whose KV costs `kv_per_token`
    bytes per position, at `n_ctx` positions per sequence, with `free` bytes of memory free."""
    want = MAX_LANES if items is None else max(1, min(items, MAX_LANES))
    why = [f"{items} items" if items is not None else "items not known"]
    if free is not None and kv_per_token > 0:
        per_stream = kv_per_token * n_ctx
        fits = int(free * MEMORY_SHARE // per_stream - SPARE_STREAMS) // STREAMS_PER_LANE
        if fits < want:
            why.append(f"memory allows {max(1, fits)}")
            want = max(1, fits)
    return Choice(want, "auto: " + "; ".join(why))


def parse(value) -> int | str:
    """--parallel's value: "auto" or a whole number of lanes."""
    from onprem.settings import MOST_PARALLEL, auto_or_count

    if isinstance(value, int) or value == "auto":
        return value
    parsed = auto_or_count(value, MOST_PARALLEL)
    if parsed is None:
        raise ValueError(f"--parallel {value!r}: give auto or a number of lanes from 1 to {MOST_PARALLEL}")
    return parsed
