"""Open a model from a registry name, a GGUF path or `BACKEND:ARG` (e.g. `scripted:FILE`), through
the backend the plugin registry names for it. Everything that runs a model opens it here."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from onprem import plugins
from onprem.errors import UserError
from onprem.model.base import Load, Model
from onprem.model.registry import ModelEntry, resolve, sha256_file, verify_before_run


def _entry_for(spec: str | None, role: str | None = None, verify: bool = False) -> ModelEntry:
    """The entry to load, its file checked against the registry (verify_before_run)."""
    return verify_before_run(_resolve(spec, role), full=verify)


def _resolve(spec: str | None, role: str | None = None) -> ModelEntry:
    if spec and ":" in spec and spec.split(":", 1)[0] in plugins.backends():
        backend, arg = spec.split(":", 1)
        path = Path(arg)
        if not path.is_file():
            raise UserError(f"{path}: not found (model {spec!r}); give an existing file after {backend}:")
        return ModelEntry(name=path.stem, path=str(path.resolve()), sha256=sha256_file(path),
                          size=path.stat().st_size, backend=backend, verified="sha256 of the whole file",
                          added_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    return resolve(spec, role)


def model_name(spec: str | None, role: str | None = None) -> str:
    """The name a model will run under, without loading or hashing it."""
    if spec and ":" in spec and spec.split(":", 1)[0] in plugins.backends():
        return Path(spec.split(":", 1)[1]).stem
    return resolve(spec, role).name


def open_model(spec: str | None, *, role: str | None = None, n_ctx: int = 4096, threads: int | None = None,
               parallel: int | str = 1, verify: bool = False, items: int | None = None) -> Model:
    """--model NAME|PATH|BACKEND:ARG, or the registry's default for `role` (else its default).
    Fails, naming the model, before any work starts."""
    entry = _entry_for(spec, role, verify)
    opener = plugins.get("backend", entry.backend)
    return opener(entry, Load(n_ctx=n_ctx, threads=threads, parallel=parallel, items=items))


def open_models(specs: dict[str, str | None], *, n_ctx: int = 4096, threads: int | None = None,
                parallel: int | str = 1, verify: bool = False, items: int | None = None) -> dict[str, Model]:
    """One model per role (None: the role's default); roles that come to the same file (by name,
    path or default) share one loaded instance."""
    loaded: dict[str, Model] = {}
    out = {}
    for role, spec in specs.items():
        entry = _entry_for(spec, role, verify)
        key = f"{entry.backend}:{entry.sha256 or entry.name}"
        if key not in loaded:
            loaded[key] = plugins.get("backend", entry.backend)(entry, Load(n_ctx=n_ctx, threads=threads, parallel=parallel, items=items))
        out[role] = loaded[key]
    return out
