"""Command-line options built from a component's pydantic Options model, so a generator or judge
declares its options once (type, default, bounds, help) and the CLI and the Jobs screen follow."""

from __future__ import annotations

import types
import typing
from pathlib import Path

import annotated_types
import click
from pydantic import BaseModel, ValidationError


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _bounds(field) -> tuple[object, object]:
    lo = hi = None
    for m in field.metadata:
        if isinstance(m, annotated_types.Ge):
            lo = m.ge
        elif isinstance(m, annotated_types.Le):
            hi = m.le
    return lo, hi


def _click_type(field):
    ann = field.annotation
    if isinstance(ann, types.UnionType) or typing.get_origin(ann) is typing.Union:
        ann = next(a for a in typing.get_args(ann) if a is not type(None))
    lo, hi = _bounds(field)
    if typing.get_origin(ann) is typing.Literal:
        return click.Choice([str(a) for a in typing.get_args(ann)])
    if ann is bool:
        return bool
    if ann is int:
        return click.IntRange(lo, hi) if (lo, hi) != (None, None) else int
    if ann is float:
        return click.FloatRange(lo, hi) if (lo, hi) != (None, None) else float
    if ann is Path:
        return click.Path(path_type=Path)
    return str


def options_of(model: type[BaseModel]) -> list[click.Option]:
    out = []
    for name, field in model.model_fields.items():
        ctype = _click_type(field)
        required = field.is_required()
        default = None if required else field.get_default(call_default_factory=True)
        if ctype is bool:
            out.append(click.Option([flag(name), name], is_flag=True, default=bool(default), help=field.description))
        elif typing.get_origin(field.annotation) is list:      # list[str]: a repeatable flag
            out.append(click.Option([flag(name), name], multiple=True, default=tuple(default or ()),
                                    help=field.description))
        else:
            out.append(click.Option([flag(name), name], type=ctype, required=required, default=default,
                                    show_default=default is not None, help=field.description))
    return out


PARALLEL_DECLS = ("--parallel",)


class AutoOrCount(click.ParamType):
    """"auto" or a number, parsed by `parse` of the module that uses it (imported when a value is
    read: the help must not load it)."""

    name = "auto|N"

    def __init__(self, module: str):
        self.module = module

    def convert(self, value, param, ctx):
        from importlib import import_module

        try:
            return import_module(self.module).parse(value)
        except ValueError as e:
            self.fail(str(e).split(": ", 1)[1], param, ctx)


def workers_attrs() -> dict:
    from onprem import config

    return dict(default=config.default_workers(), show_default=True, type=AutoOrCount("onprem.pipeline.workers"),
                help="Processes that redact pages and check outputs beside the model (the store has one "
                     "writer, so the database is the same for any number). auto: one per core up to 4 for "
                     "24 pages or more, else this process; a local model takes the cores back once pages "
                     "are redacted. $ONPREM_WORKERS sets the default.")


def parallel_attrs() -> dict:
    from onprem import config

    return dict(default=config.default_parallel(), show_default=True, type=AutoOrCount("onprem.model.lanes"),
                help="Sequences the model decodes together (a local model batches them; a remote pool "
                     "caps its requests in flight). auto: chosen from the items to do, the model's memory "
                     "per token and the memory free; 1: one at a time, each output independent of what ran "
                     "before it. $ONPREM_PARALLEL sets the default.")


# Uncertain findings (a name that is also a word in a weak slot, any number from 90, a capitalised
# word no vocabulary knows) are kept and queued for a person unless --strict redacts them too.
STRICT_ATTRS = dict(is_flag=True, help="Also redact the uncertain findings instead of queueing them for review.")
VERIFY_ATTRS = dict(is_flag=True,
                    help="Hash the whole model file before the run [default: only when its size or mtime changed].")


def seed_attrs(help: str | None = None) -> dict:
    """--seed: ONPREM_SEED or the site file's seed, else 42 (onprem.settings), read when the command
    runs, so every command's default is the one setting."""
    from onprem.settings import DEFAULT_SEED, settings

    return dict(default=lambda: settings().seed, show_default=f"$ONPREM_SEED or {DEFAULT_SEED}", type=int, help=help)


def frame(model_help: str) -> list[click.Option]:
    """The options every registry-built command shares: --model, --seed, --threads, --parallel, --progress."""
    from onprem.events import PROGRESS_ATTRS, PROGRESS_DECLS

    return [
        click.Option(["--model", "model_name"], metavar="NAME|PATH", help=model_help),
        click.Option(["--seed"], **seed_attrs()),
        click.Option(["--threads"], type=click.IntRange(1), help="CPU threads [default: $ONPREM_THREADS or all cores]."),
        click.Option(["--verify"], **VERIFY_ATTRS),
        click.Option(list(PARALLEL_DECLS), **parallel_attrs()),
        click.Option(list(PROGRESS_DECLS), **PROGRESS_ATTRS),
    ]


def component_command(component, params: list[click.Option], run) -> click.Command:
    """A subcommand for one registered component: its Options as flags, plus `params`; `run(ctx,
    component, values)` does the work."""
    def callback(**values):
        run(click.get_current_context(), component, values)

    return click.Command(component.name, callback=callback, params=[*options_of(component.Options), *params],
                         help=component.help, short_help=component.help.split(". ")[0])


class RegistryGroup(click.Group):
    """A group whose subcommands are the registered components of one kind, built on first use."""

    def __init__(self, *args, kind: str, build, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.build = kind, build

    def list_commands(self, ctx):
        from onprem import plugins

        return list(plugins.table(self.kind))

    def get_command(self, ctx, name):
        from onprem import plugins

        found = plugins.table(self.kind).get(name)
        return self.build(found.component) if found else None


def build(model: type[BaseModel], values: dict) -> BaseModel:
    """The Options object from parsed values; a problem is one usage error naming the flag."""
    try:
        return model(**{k: v for k, v in values.items() if k in model.model_fields})
    except ValidationError as e:
        first = e.errors()[0]
        where = flag(str(first["loc"][0])) if first.get("loc") else "options"
        raise click.UsageError(f"{where}: {first['msg']}") from e
