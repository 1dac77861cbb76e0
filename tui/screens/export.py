"""Export: choose format and policy, see what would be released and what is held back, write it.

The selection is onprem.pipeline.export's own (one release rule for CLI and TUI, pairs and
dialogues); it reads every pair or dialogue, so it runs in a worker thread with its own connection
and the UI stays live. Dialogues not yet scanned for identifiers are scanned first in a child
process (the redaction stack never loads into the UI).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Header, Input, Label, Select, Static

from onprem import review
from onprem.store import open_store

SUFFIX = {"mentalchat16k": ".jsonl", "csv": ".csv", "messages": ".jsonl", "sqpsychconv": ".jsonl"}


def _scan_new_dialogues(store, db_path) -> None:
    """Before a dialogue selection: scan new dialogues in a child process, so the selection reads
    stored findings and decisions only."""
    import subprocess

    from onprem.store import queries
    from onprem.dialogue.scan import command as scan_command

    if queries.count_unscanned_dialogues(store):
        subprocess.run(scan_command(db_path), capture_output=True, text=True, start_new_session=True)


class ExportScreen(Screen):
    BINDINGS = [
        Binding("ctrl+w", "write", "Write file", id="export.write", priority=True),
        Binding("ctrl+r", "preview", "Recount", id="export.preview", priority=True),
    ]

    def compose(self) -> ComposeResult:
        # Imported here, not at the top: the export module pulls in the dialogue writers (0.3 s),
        # which the first screen of the app does not need.
        from onprem.pipeline.export import FORMATS, unit

        yield Header()
        with Vertical(id="export-form"):
            with Horizontal(classes="filters"):
                yield Select([(f"{f} ({unit(f)})", f) for f in FORMATS], value="mentalchat16k", allow_blank=False,
                             id="export-format")
                yield Input("export.jsonl", placeholder="output file", id="export-path")
            with Horizontal(classes="filters"):
                yield Checkbox("reviewed only (approved)", id="export-reviewed")
                yield Checkbox("include flagged", id="export-flagged")
            yield Label("Ctrl+W writes the file (owner-only); the release is recorded in the audit log.",
                        classes="dim")
        yield Static(id="export-preview", classes="panel")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Export"
        self.query_one("#export-preview").border_title = "What would be released"
        self.action_preview()

    def on_screen_resume(self) -> None:
        self.action_preview()

    def policy(self):
        from onprem.pipeline.export import Policy

        return Policy(reviewed_only=self.query_one("#export-reviewed", Checkbox).value,
                      include_flagged=self.query_one("#export-flagged", Checkbox).value)

    @property
    def fmt(self) -> str:
        return str(self.query_one("#export-format", Select).value)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.action_preview()

    def on_select_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#export-path", Input)
        p = Path(path.value or "export")
        path.value = str(p.with_suffix(SUFFIX.get(self.fmt, p.suffix)))
        self.action_preview()

    def action_preview(self) -> None:
        self.query_one("#export-preview", Static).update(Text("counting…", style="dim"))
        self.count(self.fmt, self.policy())

    def action_write(self) -> None:
        out = self.query_one("#export-path", Input).value.strip()
        if not out:
            self.notify("Give an output file", severity="error")
            return
        self.query_one("#export-preview", Static).update(Text(f"writing {out}…", style="dim"))
        self.write(self.fmt, Path(out), self.policy())

    @work(thread=True, exclusive=True, group="export")
    def count(self, fmt: str, policy) -> None:
        from onprem.pipeline.export import select_dialogues, select_pairs, unit

        store = open_store(self.app.db_path)
        try:
            if unit(fmt) == "dialogues":
                _scan_new_dialogues(store, self.app.db_path)
                sel = select_dialogues(store, policy.include_flagged, reviewed_only=policy.reviewed_only)
            else:
                sel = select_pairs(store, policy)
        finally:
            store.close()
        self.app.call_from_thread(self.show, len(sel.rows), dict(sel.held), sel.flagged_included, None, unit(fmt))

    @work(thread=True, exclusive=True, group="export")
    def write(self, fmt: str, out: Path, policy) -> None:
        from onprem.pipeline.export import export, unit

        store = open_store(self.app.db_path)
        try:
            if unit(fmt) == "dialogues":
                _scan_new_dialogues(store, self.app.db_path)
            n, sel = export(store, fmt, out, policy)
            review.record_export(store, str(out.resolve()), fmt, asdict(policy), n, dict(sel.held), self.app.actor)
        except OSError as e:
            self.app.call_from_thread(self.notify, f"{out}: cannot write ({e.strerror})", severity="error")
            return
        finally:
            store.close()
        self.app.call_from_thread(self.show, n, dict(sel.held), sel.flagged_included, out, unit(fmt))

    def show(self, released: int, held: dict, flagged_in: int, written: Path | None, what: str = "pairs") -> None:
        text = Text()
        verb = "written to " + str(written) if written else "would be released"
        text.append(f"{released:,} {what} {verb}\n", style="bold green" if released else "bold")
        if flagged_in:
            text.append(f"⚠ {flagged_in:,} of them have identifier findings (include flagged is on)\n",
                        style="bold red")
        text.append("held back:\n" if held else "nothing held back\n")
        for reason, n in sorted(held.items(), key=lambda kv: -kv[1]):
            text.append(f"  {n:>8,}  {reason}\n")
        self.query_one("#export-preview", Static).update(text)
        if written:
            self.notify(f"Wrote {released:,} {what} to {written}")
