"""The command table is complete, and starting the CLI or the TUI does not load the heavy stacks."""

import importlib
import pkgutil
import subprocess
import sys

import click

import onprem.cli
from onprem.cli import COMMAND_MODULES, cli


def test_every_command_module_is_in_the_table_and_resolves():
    defined = {}
    for info in pkgutil.iter_modules(onprem.cli.__path__):
        module = importlib.import_module(f"onprem.cli.{info.name}")
        for command in getattr(module, "COMMANDS", []):
            defined[command.name] = info.name
    assert defined == COMMAND_MODULES
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        assert cli.get_command(ctx, name).name == name
    assert cli.get_command(ctx, "no-such-command") is None


def test_unknown_command_is_a_usage_error():
    from click.testing import CliRunner

    res = CliRunner().invoke(cli, ["paraphrse"])
    assert res.exit_code == 2 and "No such command" in res.output


HEAVY = ("llama_cpp", "presidio_analyzer", "spacy", "jinja2", "onprem.release", "onprem.judges.rubric")


def _loaded_after(code: str, heavy=HEAVY) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
                         check=True, capture_output=True, text=True).stdout.split()
    return {m for m in heavy if m in out}


def test_cli_and_tui_start_without_model_or_redaction_stacks():
    # `onprem tui` resolves its command, builds the app and imports its screens: none of that may
    # pull in llama.cpp, Presidio/spaCy or the exporters (they cost ~0.5 s before the first screen).
    assert _loaded_after("from onprem.cli import cli; import click; "
                         "cli.get_command(click.Context(cli), 'tui'); "
                         "import importlib, pkgutil, tui.screens; from tui.app import make_app; "
                         "[importlib.import_module('tui.screens.' + m.name) for m in pkgutil.iter_modules(tui.screens.__path__)]; "
                         "make_app(':memory:')") == set()


def test_the_tuis_first_screen_loads_neither_numpy_nor_scipy():
    # The first screen (the Overview) imports its own module only; numpy (~0.1 s) is not among its
    # needs: sqlite-utils is imported without it (onprem/store/sqlite_utils_import.py).
    assert _loaded_after("from onprem.cli import cli; import click; cli.get_command(click.Context(cli), 'tui'); "
                         "from tui.app import make_app; import tui.screens.overview; make_app(':memory:')",
                         heavy=(*HEAVY, "numpy", "scipy")) == set()


def test_export_and_model_interface_do_not_load_llama_cpp():
    # The TUI's Export screen and every model-free command import these, and list every registered
    # component; llama.cpp loads only when a model is opened.
    assert "llama_cpp" not in _loaded_after("import onprem.release, onprem.model.base, onprem.model.structured, "
                                            "onprem.model.factory, onprem.judges.rubric, onprem.jobs; "
                                            "from onprem import plugins; plugins.everything(); "
                                            "onprem.jobs.job_kinds()")


def test_the_top_level_help_says_what_each_command_says_of_itself():
    """COMMAND_HELP and the help plugins register with their commands stand in for the commands
    themselves in `onprem --help` (so it imports none of them): each must be the command's own words."""
    from onprem import plugins
    from onprem.cli import COMMAND_HELP

    ctx = click.Context(cli)
    registered = {name: r for (group, name), r in plugins.commands().items() if group is None}
    for name in cli.list_commands(ctx):
        own = " ".join((cli.get_command(ctx, name).help or "").split("\n\n")[0].split())
        kept = COMMAND_HELP.get(name) or registered[name].details.get("help")
        assert kept == own, name


# What `onprem --help` may not load: the heavy stacks of the issue (issue 29, item 3) and what the
# commands' modules bring (pydantic, the store and numpy, the writers).
HELP_MAY_NOT_LOAD = ("presidio_analyzer", "spacy", "scipy", "llama_cpp", "matplotlib", "numpy", "pydantic",
                     "sqlite_utils", "onprem.release", "onprem.store", "onprem.cli.options")


def test_top_level_help_imports_no_command_module_nor_heavy_library():
    out = subprocess.run([sys.executable, "-c", "import sys\nfrom onprem.cli import main\nsys.argv = ['onprem', '--help']\n"
                          "try:\n    main()\nexcept SystemExit:\n    pass\nprint('\\n'.join(sys.modules))"],
                         check=True, capture_output=True, text=True).stdout.split()
    assert "paraphrase" in out and "Commands:" in out                    # the help itself was printed
    assert sorted(m for m in HELP_MAY_NOT_LOAD if m in out) == []
