"""One module per screen; MODES maps the app's top-level modes to their first screen."""

from tui.screens.browse import SourcesScreen
from tui.screens.evals import EvalsScreen
from tui.screens.export import ExportScreen
from tui.screens.jobs import JobsScreen
from tui.screens.overview import OverviewScreen
from tui.screens.review import ReviewScreen
from tui.screens.search import SearchScreen

MODES = {
    "overview": OverviewScreen,
    "browse": SourcesScreen,
    "review": ReviewScreen,
    "search": SearchScreen,
    "jobs": JobsScreen,
    "export": ExportScreen,
    "evals": EvalsScreen,
}
