"""One module per screen; MODES maps the app's top-level modes to their first screen.

Each mode's module is imported when the mode is first shown: importing every screen before the
first one paints cost the start ~0.09 s (bench/startup.py)."""

from importlib import import_module


def _lazy(module: str, name: str):
    def make():
        return getattr(import_module(f"tui.screens.{module}"), name)()
    return make


MODES = {
    "overview": _lazy("overview", "OverviewScreen"),
    "browse": _lazy("browse", "SourcesScreen"),
    "review": _lazy("review", "ReviewScreen"),
    "search": _lazy("search", "SearchScreen"),
    "jobs": _lazy("jobs", "JobsScreen"),
    "export": _lazy("export", "ExportScreen"),
    "evals": _lazy("evals", "EvalsScreen"),
}
