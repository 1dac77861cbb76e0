"""One registration mechanism for every component: pluggy hooks, as simonw/llm does.

Built-ins are plugins like any other: pyproject.toml lists them under the `onprem` entry-point
group, exactly as a third-party package would. A site can also name plugin modules in
ONPREM_PLUGINS (comma-separated, importable modules), which is how the tests add a toy generator.

    from onprem.plugins import hookimpl

    @hookimpl
    def register_generators(register):
        register(MyGenerator())
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pluggy

from onprem.errors import UserError

hookspec = pluggy.HookspecMarker("onprem")
hookimpl = pluggy.HookimplMarker("onprem")

ENV_PLUGINS = "ONPREM_PLUGINS"


class Hooks:
    @hookspec
    def register_backends(self, register):
        """register(name, opener): opener(entry: ModelEntry, load: Load) -> Model."""

    @hookspec
    def register_generators(self, register):
        """register(generator): see onprem.generators.Generator."""

    @hookspec
    def register_judges(self, register):
        """register(judge): see onprem.judges.Judge."""

    @hookspec
    def register_writers(self, register):
        """register(writer): see onprem.release.writers.Writer."""


@dataclass(frozen=True)
class Registered:
    kind: str          # backend | generator | judge | writer
    name: str
    component: Any
    origin: str        # "onprem 0.1.0 (entry point sqpsych)", "ONPREM_PLUGINS: tests.toy"


@lru_cache(maxsize=None)
def manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("onprem")
    pm.add_hookspecs(Hooks)
    pm.load_setuptools_entrypoints("onprem")
    for name in filter(None, (n.strip() for n in os.environ.get(ENV_PLUGINS, "").split(","))):
        try:
            module = importlib.import_module(name)
        except ImportError as e:
            raise UserError(f"{ENV_PLUGINS}: cannot import plugin module {name!r} ({e})") from e
        if not pm.is_registered(module):
            pm.register(module, name=f"env:{name}")
    return pm


def _origin(pm: pluggy.PluginManager, plugin) -> str:
    name = pm.get_name(plugin) or "?"
    for p, dist in pm.list_plugin_distinfo():
        if p is plugin:
            return f"{dist.project_name} {dist.version} (entry point {name})"
    if name.startswith("env:"):
        return f"{ENV_PLUGINS}: {name[4:]}"
    return name


def _collect(kind: str, hook: str) -> dict[str, Registered]:
    pm = manager()
    found: dict[str, Registered] = {}
    for impl in getattr(pm.hook, hook).get_hookimpls():
        origin = _origin(pm, impl.plugin)

        def register(*args, _origin=origin):
            name, component = (args[0], args[1]) if len(args) == 2 else (args[0].name, args[0])
            if name in found:
                raise UserError(f"two plugins register the {kind} {name!r}: {found[name].origin} and {_origin}")
            found[name] = Registered(kind, name, component, _origin)

        impl.function(register=register)
    return dict(sorted(found.items()))


# kind -> the hook that registers it
HOOKS = {"backend": "register_backends", "generator": "register_generators", "judge": "register_judges",
         "writer": "register_writers"}


@lru_cache(maxsize=None)
def table(kind: str) -> dict[str, Registered]:
    """Every registered component of one kind, by name (collected once per process)."""
    return _collect(kind, HOOKS[kind])


def backends() -> dict[str, Registered]:
    return table("backend")


def generators() -> dict[str, Registered]:
    return table("generator")


def judges() -> dict[str, Registered]:
    return table("judge")


def writers() -> dict[str, Registered]:
    return table("writer")


def everything() -> list[Registered]:
    return [r for kind in HOOKS for r in table(kind).values()]


def reset() -> None:
    """Forget what was loaded (tests that change ONPREM_PLUGINS)."""
    manager.cache_clear()
    table.cache_clear()


def get(kind: str, name: str):
    found = table(kind)
    if name not in found:
        raise UserError(f"unknown {kind} {name!r} (registered: {', '.join(found) or 'none'}); "
                        f"`onprem plugins` lists what is installed")
    return found[name].component
