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
        default = None if required else field.default
        if ctype is bool:
            out.append(click.Option([flag(name), name], is_flag=True, default=bool(default), help=field.description))
        else:
            out.append(click.Option([flag(name), name], type=ctype, required=required, default=default,
                                    show_default=default is not None, help=field.description))
    return out


def build(model: type[BaseModel], values: dict) -> BaseModel:
    """The Options object from parsed values; a problem is one usage error naming the flag."""
    try:
        return model(**{k: v for k, v in values.items() if k in model.model_fields})
    except ValidationError as e:
        first = e.errors()[0]
        where = flag(str(first["loc"][0])) if first.get("loc") else "options"
        raise click.UsageError(f"{where}: {first['msg']}") from e
