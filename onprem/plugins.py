"""One registration mechanism for every component: pluggy hooks, as simonw/llm does.

Built-ins are plugins like any other, registered from the BUILTINS tuple below (simonw/llm's
DEFAULT_PLUGINS), so adding one in the tree needs no reinstall. A third-party package adds its own
under the `onprem` entry-point group; a site can also name plugin modules in ONPREM_PLUGINS
(comma-separated, importable modules), which is how the tests add a toy paper.

Hooks: backends, generators, judges, writers (components), and what a paper brings besides:
commands (`register_commands`), database tables (`register_migrations`, a named set per plugin)
and prompt templates (`register_prompt_dirs`).

    from onprem.plugins import hookimpl

    @hookimpl
    def register_generators(register):
        register(MyGenerator())
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pluggy

from onprem.errors import UserError

hookspec = pluggy.HookspecMarker("onprem")
hookimpl = pluggy.HookimplMarker("onprem")

ENV_PLUGINS = "ONPREM_PLUGINS"

# The built-in plugins: registration name -> module.
BUILTINS = (
    # The seed papers moved into packages (onprem/papers/): each registers everything it brings.
    ("thousand_voices", "onprem.papers.thousand_voices.plugin"),
    ("sqpsych", "onprem.papers.sqpsych.plugin"),
    ("hybrid", "onprem.papers.hybrid.plugin"),
    ("mentalchat16k", "onprem.papers.mentalchat16k.plugin"),
    ("empathy", "onprem.papers.empathy.plugin"),
    # Components not yet moved into a paper's package.
    ("core", "onprem.core_plugin"),          # backends and the messages writer
)
_BUILTIN_MODULES = dict(BUILTINS)
_ENTRY_POINTS: dict[str, str] = {}     # plugin name -> "distribution version"


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

    @hookspec
    def register_commands(self, register):
        """register(name, "module:attr", group=None): a click command of `onprem` (or of the group
        named, e.g. "eval"), imported only when it runs."""

    @hookspec
    def register_migrations(self, register):
        """register(set_name, [(name, fn(db)), ...]): the plugin's own tables, applied in order and
        recorded in `_migrations` as SET/NAME (sqlite-utils' named Migrations sets)."""

    @hookspec
    def register_tui_panels(self, register):
        """register(screen, "module:Class"): a widget the TUI screen named (e.g. "evals") shows
        among its panels. The widget carries the class `paper-panel` and a `refresh_data(store)`
        method the screen calls; its BINDINGS act while focus is inside it and are listed in help."""

    @hookspec
    def register_label_sources(self, register):
        """register(name, "module:func"[, per_dimension=True]): func(store) -> {item: {rater: label}}
        (or {dimension: {item: {rater: label}}}), the labels of people and judges that `onprem eval
        agreement NAME` reads (a paper's rankings, its EPITOME levels)."""

    @hookspec
    def register_tui_screens(self, register):
        """register(name, "module:Class", opened_from=SCREEN, key=KEY, description=TEXT): a screen
        of the paper, opened with KEY from the TUI screen named (e.g. "evals"); binding id
        SCREEN.NAME, so a keymap file can move it."""

    @hookspec
    def register_stats(self, register):
        """register(key, "module:func"): func(store) -> StatsSection(data, tables) or None; `onprem
        stats` prints the tables and puts `data` under `key` in its JSON."""

    @hookspec
    def register_vocabulary(self, register):
        """register(terms): the words of the method the plugin generates with (distortion names,
        techniques, instruments, phase names). The identifier scan of generated dialogues never
        flags them: "Catastrophizing" in a CBT session is the method, not a person."""

    @hookspec
    def register_jobs(self, register):
        """register(name, "module:command", args=WORDS, path_flag=None, path_hint=TEXT, file_only=False,
        model_flag="--model", counts=(...), before_path=()): a command that runs a model, started from
        the TUI's Jobs screen as the CLI in a child process with `--progress jsonl` (onprem.jobs).
        path_flag "" puts the path last, after the words `before_path`; None: the job takes no path.
        model_flag None: the job runs no model a person chooses (import-dialogues), so no model field.
        Generators and judges are jobs without this (`generate NAME`, `judge NAME`)."""

    @hookspec
    def register_prompt_dirs(self, register):
        """register(folder): Jinja2 templates NAME.j2 that prompts.load finds after the core's;
        their sha256 is recorded in every run like the built-ins'."""


@dataclass(frozen=True)
class Registered:
    kind: str          # backend | generator | judge | writer | command | panel | TUI screen | ...
    name: str
    component: Any     # the object, or "module:attr" for what is imported only when used
    origin: str        # "onprem 0.1.0 (built-in sqpsych)", "ONPREM_PLUGINS: tests.toy"
    details: dict = field(default_factory=dict, compare=False)   # e.g. a command's group, a screen's key

    def load(self):
        """The registered object; a "module:attr" is imported now (commands, panels, screens, stats)."""
        if not isinstance(self.component, str):
            return self.component
        module, _, attr = self.component.partition(":")
        return getattr(importlib.import_module(module), attr)


@lru_cache(maxsize=None)
def manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("onprem")
    pm.add_hookspecs(Hooks)
    for name, module in BUILTINS:
        pm.register(importlib.import_module(module), name=name)
    from importlib import metadata

    for ep in metadata.entry_points(group="onprem"):
        # onprem's own entry points come only from an install older than BUILTINS: skipped.
        if ep.dist is not None and ep.dist.name == "onprem" or pm.has_plugin(ep.name):
            continue
        pm.register(ep.load(), name=ep.name)
        _ENTRY_POINTS[ep.name] = f"{ep.dist.name} {ep.dist.version}" if ep.dist is not None else "?"
    from onprem.settings import settings

    for name in settings().plugins:
        try:
            module = importlib.import_module(name)
        except ImportError as e:
            raise UserError(f"{ENV_PLUGINS}: cannot import plugin module {name!r} ({e})") from e
        if not pm.is_registered(module):
            pm.register(module, name=f"env:{name}")
    return pm


def _origin(pm: pluggy.PluginManager, plugin) -> str:
    name = pm.get_name(plugin) or "?"
    if getattr(plugin, "__name__", None) == _BUILTIN_MODULES.get(name):
        from onprem import __version__

        return f"onprem {__version__} (built-in {name})"
    if name in _ENTRY_POINTS:
        return f"{_ENTRY_POINTS[name]} (entry point {name})"
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
            if kind == "generator":
                _check_kind(component, _origin)
            if name in found:
                raise UserError(f"two plugins register the {kind} {name!r}: {found[name].origin} and {_origin}")
            found[name] = Registered(kind, name, component, _origin)

        impl.function(register=register)
    return dict(sorted(found.items()))


def _check_kind(generator, origin: str) -> None:
    """A generator is one of the two kinds (the runner stores what it produces by its kind); each kind,
    and only a kind, says what it produces (onprem.generators, which imports this module)."""
    if getattr(generator, "produces", None) not in ("dialogues", "pairs"):
        raise UserError(f"{origin}: generator {getattr(generator, 'name', generator)!r} is neither a DialogueGenerator "
                        f"nor a PairGenerator (onprem.generators); subclass one of them")


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


@lru_cache(maxsize=None)
def commands() -> dict[tuple[str | None, str], Registered]:
    """(group or None for the top level, name) -> the command ("module:attr"), from every plugin."""
    return _named("register_commands", "command", key=lambda name, details: (details.get("group"), name))


@lru_cache(maxsize=None)
def migration_sets() -> dict[str, list]:
    """Set name -> [(name, fn)] from every plugin."""
    pm = manager()
    found: dict[str, list] = {}
    for impl in pm.hook.register_migrations.get_hookimpls():
        def register(set_name: str, migrations, _origin=_origin(pm, impl.plugin)):
            if "/" in set_name or set_name in found:
                raise UserError(f"{_origin}: migration set {set_name!r} is taken or has a '/'; choose another name")
            found[set_name] = list(migrations)

        impl.function(register=register)
    return found


@lru_cache(maxsize=None)
def prompt_dirs() -> tuple:
    """Template folders registered by plugins, in registration order."""
    from pathlib import Path

    pm = manager()
    found: list = []
    for impl in pm.hook.register_prompt_dirs.get_hookimpls():
        impl.function(register=lambda folder: found.append(Path(folder)))
    return tuple(found)


def _named(hook: str, kind: str, key=lambda name, details: name) -> dict:
    """key(name, details) -> Registered, for the hooks whose register is (name, "module:attr",
    **details); two plugins registering one key is an error naming both."""
    pm = manager()
    found: dict = {}
    for impl in getattr(pm.hook, hook).get_hookimpls():
        origin = _origin(pm, impl.plugin)

        def register(name: str, target: str, _origin=origin, **details):
            k = key(name, details)
            if k in found:
                shown = " ".join(filter(None, (details.get("group"), name)))
                raise UserError(f"two plugins register the {kind} {shown!r}: {found[k].origin} and {_origin}")
            found[k] = Registered(kind, name, target, _origin, details)

        impl.function(register=register)
    return found


@lru_cache(maxsize=None)
def jobs() -> dict[str, Registered]:
    """name -> the command a Jobs form starts, with its form in details (register_jobs)."""
    return _named("register_jobs", "job")


@lru_cache(maxsize=None)
def label_sources() -> dict[str, Registered]:
    return _named("register_label_sources", "label source")


@lru_cache(maxsize=None)
def tui_screens() -> dict[str, Registered]:
    """name -> the screen ("module:Class"), with details opened_from, key and description."""
    return _named("register_tui_screens", "TUI screen")


@lru_cache(maxsize=None)
def stats_sections() -> dict[str, Registered]:
    """Key of `onprem stats --json` -> the section's "module:func", from every plugin."""
    return _named("register_stats", "stats section")


@lru_cache(maxsize=None)
def tui_panels() -> dict[str, list[Registered]]:
    """Screen name -> the panels plugins register for it ("module:Class"), in registration order."""
    pm = manager()
    found: dict[str, list[Registered]] = {}
    for impl in pm.hook.register_tui_panels.get_hookimpls():
        origin = _origin(pm, impl.plugin)
        impl.function(register=lambda screen, target, _o=origin: found.setdefault(screen, []).append(
            Registered("panel", target.rsplit(":", 1)[-1], target, _o)))
    return found


def loaded() -> bool:
    """Whether the plugins were loaded in this process (a command that runs components loads them)."""
    return manager.cache_info().currsize > 0


_ON_RESET: list = []     # caches elsewhere built from what plugins registered (prompts.load)


def on_reset(clear) -> None:
    _ON_RESET.append(clear)


def reset() -> None:
    """Forget what was loaded (tests that change ONPREM_PLUGINS)."""
    for cached in (manager, table, commands, migration_sets, prompt_dirs, tui_panels, stats_sections, label_sources,
                   vocabulary, tui_screens, jobs):
        cached.cache_clear()
    for clear in _ON_RESET:
        clear()


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every plugin's method words (register_vocabulary), case folded."""
    terms: set[str] = set()
    for impl in manager().hook.register_vocabulary.get_hookimpls():
        impl.function(register=lambda words: terms.update(w.casefold() for w in words if w.strip()))
    return frozenset(terms)


def get(kind: str, name: str):
    found = table(kind)
    if name not in found:
        raise UserError(f"unknown {kind} {name!r} (registered: {', '.join(found) or 'none'}); "
                        f"`onprem plugins` lists what is installed")
    return found[name].load()
