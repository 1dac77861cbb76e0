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


def threads() -> int:
    """CPU threads for llama.cpp: ONPREM_THREADS, else every core. On a machine busy with other
    work, fewer threads than cores is much faster: llama.cpp's threads wait for each other."""
    value = os.environ.get("ONPREM_THREADS")
    return max(1, int(value)) if value and value.isdigit() else (os.cpu_count() or 1)


def threads_source() -> str:
    """Where threads() took its number from, as recorded in a run."""
    value = os.environ.get("ONPREM_THREADS")
    return "ONPREM_THREADS" if value and value.isdigit() else "all cores"


# Sequences a local model decodes together (--parallel). Chosen by bench/throughput.py on this
# 2-core machine (README); 1 is the one-at-a-time behaviour.
DEFAULT_PARALLEL = 1


# MentalChat16K's rule: a pair is kept when question and answer each have >= 40 words.
DEFAULT_MIN_WORDS = 40
DEFAULT_ROLES = ("caregiver", "coach")
DEFAULT_SEED = 42
# A pair whose content words are less than this share on its page is flagged for review
# (chosen on AnnoMI pages by bench/paraphrase_quality.py; README).
DEFAULT_MIN_GROUNDING = 0.3
