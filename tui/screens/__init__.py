"""One module per screen; MODES maps the app's top-level modes to their first screen, and SCREENS
the screens one screen opens from another (by posting tui.nav.Open; the app builds them).

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


# name -> (module, class): what tui.nav.Open("name", ...) shows.
SCREENS = {
    "dialogues": ("dialogues", "DialoguesScreen"),
    "dialogue": ("dialogues", "DialogueScreen"),
    "dialogue-review": ("dialogues", "DialogueReviewScreen"),
    "review": ("review", "ReviewScreen"),
    "uncertain": ("uncertain", "UncertainScreen"),
    "page": ("browse", "PageScreen"),
    "original": ("browse", "OriginalScreen"),
}


def build(name: str, **args):
    """The screen SCREENS names, its module imported now."""
    module, cls = SCREENS[name]
    return getattr(import_module(f"tui.screens.{module}"), cls)(**args)
