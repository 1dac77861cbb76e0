"""Where things live and the defaults every command shares, as the settings object gives them
(onprem.settings: flags, then ONPREM_ variables, then the site's onprem.toml, then defaults)."""

from __future__ import annotations

import os
from pathlib import Path

from onprem.settings import DEFAULT_SEED, PROJECT_ROOT, settings, source

__all__ = ["DEFAULT_SEED", "PROJECT_ROOT"]


def db_path(explicit: str | None = None) -> Path:
    """--db wins, then ONPREM_DB (or the site file's db), then ./onprem.db."""
    return Path(explicit) if explicit else settings().db


def models_dir() -> Path:
    """GGUF files and registry.json; ONPREM_MODELS_DIR (or models_dir in onprem.toml) moves them,
    e.g. to a shared disk."""
    return settings().models_dir


def registry_path() -> Path:
    """The model registry (onprem.model.registry reads it; the network guard reads its hosts)."""
    return models_dir() / "registry.json"


def threads_for_load(cores: int, load: float | None) -> int:
    """The cores other work leaves free: cores minus the tasks wanting a CPU, rounded, at least 1
    (all cores when the load is unknown). llama.cpp's threads wait for each other, so on a machine
    busy with other work one thread can decode several times faster than two (README)."""
    if load is None:
        return cores
    return max(1, min(cores, round(cores - load)))


def _load() -> float | None:
    """How many other tasks want a CPU now: the runnable count of /proc/loadavg (less this process,
    which is reading it), averaged over a few samples 20 ms apart. Not the 1-minute average, which
    counts this process's own last job (a second model of one command would get one thread).
    Elsewhere the 1-minute load average; None when neither is known."""
    import time

    try:
        samples = []
        for i in range(5):
            if i:
                time.sleep(0.02)
            with open("/proc/loadavg", encoding="ascii") as f:
                samples.append(int(f.read().split()[3].split("/")[0]) - 1)
        return max(0.0, sum(samples) / len(samples))
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def threads_choice() -> tuple[int, str]:
    """CPU threads for llama.cpp and where the number came from (recorded in each run, shown by
    `doctor`): ONPREM_THREADS (or the site file's threads), else the cores the machine's load leaves free."""
    fixed = settings().threads
    if fixed is not None:
        return fixed, source("threads")
    cores, load = os.cpu_count() or 1, _load()
    if load is None:
        return cores, "all cores"
    return threads_for_load(cores, load), f"machine load: {load:.1f} other tasks running on {cores} cores"


def threads() -> int:
    return threads_choice()[0]


def default_parallel() -> int | str:
    """Sequences a local model decodes together (--parallel): ONPREM_PARALLEL, else auto (chosen from
    the work, onprem.model.lanes; 1 is the one-at-a-time behaviour)."""
    return settings().parallel


def default_workers() -> int | str:
    """ONPREM_WORKERS (auto or a number of processes for redaction and checks), else auto."""
    return settings().workers


# MentalChat16K's rule: a pair is kept when question and answer each have >= 40 words.
DEFAULT_MIN_WORDS = 40
DEFAULT_ROLES = ("caregiver", "coach")
# A pair whose content words are less than this share on its page is flagged for review
# (chosen on AnnoMI pages by bench/paraphrase_quality.py; README).
DEFAULT_MIN_GROUNDING = 0.3
