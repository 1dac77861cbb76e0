"""Where things live and the defaults every command shares."""

from __future__ import annotations

import os
from pathlib import Path

# The project checkout (install.sh installs it editable), home of models/ and prompts/.
PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_DB = "onprem.db"


def db_path(explicit: str | None = None) -> Path:
    """--db wins, then ONPREM_DB, then ./onprem.db."""
    return Path(explicit or os.environ.get("ONPREM_DB") or DEFAULT_DB)


def models_dir() -> Path:
    """GGUF files and registry.json; ONPREM_MODELS_DIR moves them (e.g. to a shared disk)."""
    return Path(os.environ.get("ONPREM_MODELS_DIR") or PROJECT_ROOT / "models")


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
    `doctor`): ONPREM_THREADS, else the cores the machine's load leaves free."""
    value = os.environ.get("ONPREM_THREADS")
    if value and value.isdigit():
        return max(1, int(value)), "ONPREM_THREADS"
    cores, load = os.cpu_count() or 1, _load()
    if load is None:
        return cores, "all cores"
    return threads_for_load(cores, load), f"machine load: {load:.1f} other tasks running on {cores} cores"


def threads() -> int:
    return threads_choice()[0]


# Sequences a local model decodes together (--parallel): "auto" chooses from the work (onprem.model.
# lanes; measured by bench/throughput.py, README); 1 is the one-at-a-time behaviour.
DEFAULT_PARALLEL = "auto"


MOST_PARALLEL, MOST_WORKERS = 64, 32    # the largest --parallel and --workers a person may give


def auto_or_count(value, most: int) -> int | str | None:
    """"auto", a whole number from 1 to `most` (as typed: spaces and case aside), or None."""
    text = str(value).strip().lower()
    if text == "auto":
        return "auto"
    return int(text) if text.isdigit() and 1 <= int(text) <= most else None


def default_parallel() -> int | str:
    """ONPREM_PARALLEL (auto or a number), else auto."""
    return auto_or_count(os.environ.get("ONPREM_PARALLEL") or "", MOST_PARALLEL) or DEFAULT_PARALLEL


def default_workers() -> int | str:
    """ONPREM_WORKERS (auto or a number of processes for redaction and checks), else auto."""
    return auto_or_count(os.environ.get("ONPREM_WORKERS") or "", MOST_WORKERS) or "auto"


# MentalChat16K's rule: a pair is kept when question and answer each have >= 40 words.
DEFAULT_MIN_WORDS = 40
DEFAULT_ROLES = ("caregiver", "coach")
DEFAULT_SEED = 42
# A pair whose content words are less than this share on its page is flagged for review
# (chosen on AnnoMI pages by bench/paraphrase_quality.py; README).
DEFAULT_MIN_GROUNDING = 0.3
