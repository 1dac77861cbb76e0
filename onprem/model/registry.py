"""A small registry of local GGUF files (models/registry.json): name -> file, sha256, metadata.

The registry is machine-local state (not committed); install.sh registers the default model.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel

from onprem import config
from onprem.errors import UserError
from onprem.fsutil import sha256_file

GGUF_MAGIC = b"GGUF"


class ModelEntry(BaseModel):
    name: str
    path: str = ""                 # relative to the models folder when inside it ("" for a remote model)
    sha256: str = ""               # "" for a remote model: a server cannot prove what weights it runs
    size: int = 0
    mtime: float | None = None     # the file's mtime when its sha256 was last computed
    verified: str | None = None    # how this run checked the file (set when opened, never saved)
    architecture: str | None = None
    context_length: int | None = None
    chat_template: bool = False    # instruct models carry one in their metadata
    kind: str = "base"             # base -> completion prompt; instruct -> chat template
    backend: str = "llama"         # which registered backend opens it (onprem.plugins)
    added_at: str
    # A remote model (backend "openai"): OpenAI-compatible servers on the site's network.
    urls: list[str] = []
    api_key_file: str | None = None
    model_id: str | None = None
    allow_public: bool = False     # registered with --allow-public (a host outside the site's network)
    insecure_http: bool = False    # registered with --insecure-http (a key over plain http)

    @property
    def remote(self) -> bool:
        return bool(self.urls)

    def file(self) -> Path:
        p = Path(self.path)
        return p if p.is_absolute() else config.models_dir() / p


class Registry(BaseModel):
    default: str | None = None
    roles: dict[str, str] = {}          # role (paraphrase, therapist, judge, ...) -> model name
    models: dict[str, ModelEntry] = {}


def registry_path() -> Path:
    return config.registry_path()


def load_registry() -> Registry:
    path = registry_path()
    if not path.exists():
        return Registry()
    try:
        return Registry.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as e:
        raise UserError(f"{path}: model registry is damaged ({e.__class__.__name__}); fix or delete it and re-add models") from e


def save_registry(reg: Registry) -> None:
    path = registry_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(reg.model_dump_json(indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)  # atomic: a crash never leaves half a registry


def check_gguf(path: Path) -> None:
    """Fail early, naming the file, when it is missing or not a GGUF at all."""
    if not path.is_file():
        raise UserError(f"{path}: model file not found; run `onprem models list` or `onprem models add PATH`")
    with open(path, "rb") as f:
        if f.read(4) != GGUF_MAGIC:
            raise UserError(f"{path}: not a GGUF model file (bad header); re-download or re-assemble it")


def quiet_native_logs():
    """llama.cpp prints notes from C to stderr even with verbose=False; a person needs none of them
    (failures still surface as Python exceptions with their own message)."""
    from llama_cpp._utils import suppress_stdout_stderr

    return suppress_stdout_stderr(disable=False)


def read_metadata(path: Path) -> dict[str, str]:
    """GGUF key/values without loading the weights (llama.cpp reads only the vocabulary)."""
    check_gguf(path)
    from llama_cpp import Llama

    try:
        with quiet_native_logs():
            llm = Llama(model_path=str(path), vocab_only=True, verbose=False)
    except (ValueError, RuntimeError) as e:
        raise UserError(f"{path}: llama.cpp cannot read this GGUF ({e}); the file may be truncated or corrupt") from e
    try:
        return dict(llm.metadata)
    finally:
        llm.close()


def describe(path: Path, name: str, kind: str | None = None) -> ModelEntry:
    meta = read_metadata(path)
    arch = meta.get("general.architecture")
    ctx = meta.get(f"{arch}.context_length") if arch else None
    has_template = bool(meta.get("tokenizer.chat_template"))
    # Base checkpoints can ship a chat template too; their general.name or type says "base"/"pt".
    title = " ".join(str(meta.get(k, "")) for k in ("general.name", "general.finetune", "general.type")).lower()
    looks_base = any(w in title.split() or f"-{w}" in title for w in ("base", "pt"))
    guessed = "instruct" if has_template and not looks_base else "base"
    try:
        rel = path.resolve().relative_to(config.models_dir().resolve())
        stored = str(rel)
    except ValueError:
        stored = str(path.resolve())
    return ModelEntry(
        name=name, path=stored, sha256=sha256_file(path), size=path.stat().st_size, mtime=path.stat().st_mtime,
        architecture=arch, context_length=int(ctx) if ctx else None,
        chat_template=has_template, kind=kind or guessed,
        added_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )


def add_model(path: Path, name: str | None = None, kind: str | None = None, make_default: bool = False) -> ModelEntry:
    reg = load_registry()
    entry = describe(path, name or path.stem, kind)
    reg.models[entry.name] = entry
    if make_default or reg.default is None:
        reg.default = entry.name
    save_registry(reg)
    return entry


def resolve(name_or_path: str | None, role: str | None = None) -> ModelEntry:
    """--model NAME|PATH, or the role's default, or the default. A path not in the registry is
    described on the fly."""
    reg = load_registry()
    if name_or_path is None and role in reg.roles and reg.roles[role] in reg.models:
        name_or_path = reg.roles[role]
    if name_or_path is None:
        if reg.default is None or reg.default not in reg.models:
            raise UserError("no default model registered; run ./install.sh or `onprem models add PATH --default`")
        name_or_path = reg.default
    if name_or_path in reg.models:
        entry = reg.models[name_or_path]
        if not entry.remote:
            check_gguf(entry.file())
        return entry
    p = Path(name_or_path)
    if p.suffix.lower() == ".gguf" or p.exists():
        for entry in reg.models.values():
            if entry.file().resolve() == p.resolve():
                check_gguf(p)
                return entry
        return describe(p, p.stem)
    known = ", ".join(sorted(reg.models)) or "none"
    raise UserError(f"unknown model {name_or_path!r} (registered: {known}); use `onprem models add PATH`")


def add_remote(name: str, urls: list[str], api_key_file: str | None, model_id: str | None, kind: str,
               make_default: bool = False, allow_public: bool = False, insecure_http: bool = False) -> ModelEntry:
    reg = load_registry()
    if name in reg.models and not reg.models[name].remote:
        raise UserError(f"model {name!r} is a local GGUF; choose another name for the remote model")
    entry = ModelEntry(name=name, urls=urls, api_key_file=api_key_file, model_id=model_id, kind=kind,
                       backend="openai", added_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                       allow_public=allow_public, insecure_http=insecure_http)
    reg.models[name] = entry
    if make_default or reg.default is None:
        reg.default = name
    save_registry(reg)
    return entry


def verify(entry: ModelEntry) -> str | None:
    """None when the file is present and its checksum matches, else what is wrong."""
    if entry.remote:
        return None   # nothing local to check; `onprem doctor` and every run say so
    f = entry.file()
    if not f.is_file():
        return f"{f}: missing"
    if f.stat().st_size != entry.size:
        return f"{f}: size {f.stat().st_size} differs from registered {entry.size}"
    actual = sha256_file(f)
    if actual != entry.sha256:
        return f"{f}: sha256 {actual[:12]}… differs from registered {entry.sha256[:12]}…"
    return None


def verify_before_run(entry: ModelEntry, *, full: bool = False) -> ModelEntry:
    """The entry as this run will load it, with the sha256 of the file actually there.

    Cheap by default: when the size and mtime are the ones recorded when the sha256 was computed,
    the file is taken as unchanged; otherwise (or with `full`, `--verify`) the whole file is hashed.
    A file whose content differs from what was registered is refused, naming the model; an
    unchanged file with a new mtime (copied, touched) has its mtime recorded, so the next run is
    cheap again."""
    if entry.remote or entry.backend != "llama":
        return entry
    f = entry.file()
    st = f.stat()
    if not full and entry.mtime is not None and st.st_size == entry.size and st.st_mtime == entry.mtime:
        return entry.model_copy(update={"verified": "size and mtime as registered"})
    actual = sha256_file(f)
    if entry.sha256 and actual != entry.sha256:
        raise UserError(f"{f}: model {entry.name!r} has changed since it was registered (sha256 {actual[:12]}…, "
                        f"registered {entry.sha256[:12]}…); nothing was run. Re-install or re-download it, or, "
                        f"if the new file is meant, `onprem models add {f} --name {entry.name}`")
    reg = load_registry()
    if entry.name in reg.models and reg.models[entry.name].file().resolve() == f.resolve():
        reg.models[entry.name] = reg.models[entry.name].model_copy(update={"mtime": st.st_mtime, "size": st.st_size,
                                                                          "sha256": actual})
        try:
            save_registry(reg)
        except OSError:
            pass      # a read-only models folder: the next run hashes again
    return entry.model_copy(update={"sha256": actual, "size": st.st_size, "mtime": st.st_mtime,
                                    "verified": "sha256 of the whole file"})
