"""Every TUI flow driven by keys through Pilot, checked on the widgets and in the database."""

from __future__ import annotations

import json

import pytest
from tuihelp import ACTOR, drive, rows, text_of, type_text, until

from tui.screens.browse import OriginalScreen, PageScreen, PagesScreen, PairsScreen
from tui.screens.review import ReviewScreen
from tui.widgets import PagedTable


def test_overview_shows_counts_findings_chart_and_runs(db_path):
    async def scenario(pilot):
        screen = pilot.app.screen
        return (text_of(screen.query_one("#ov-counts")), text_of(screen.query_one("#ov-findings")),
                text_of(screen.query_one("#ov-chart")), screen.query_one("#ov-runs").row_count)

    counts, findings, chart, runs = drive(db_path, scenario)
    assert "3 sources" in counts and "32 pairs kept" in counts and "1 pairs flagged" in counts
    assert "PERSON" in findings and "PHONE_NUMBER" in findings
    assert "40-word rule" in chart
    assert runs == 1


def test_browse_source_page_and_audited_original(db_path):
    async def scenario(pilot):
        await pilot.press("enter")                       # first source -> its pages
        assert isinstance(pilot.app.screen, PagesScreen)
        await pilot.press("enter")                       # first page
        page = pilot.app.screen
        assert isinstance(page, PageScreen)
        redacted = text_of(page.query_one("#page-redacted"))
        legend = text_of(page.query_one("#legend"))
        pairs = text_of(page.query_one("#page-pairs-text"))
        assert rows(db_path, "select * from audit") == []
        await pilot.press("o")
        original = pilot.app.screen
        assert isinstance(original, OriginalScreen)
        banner = text_of(original.query_one("#original-banner"))
        shown = text_of(original.query_one("#original-text"))
        await pilot.press("escape", "escape", "escape")
        return redacted, legend, pairs, banner, shown, type(pilot.app.screen).__name__

    redacted, legend, pairs, banner, shown, back_at = drive(db_path, scenario, start="browse")
    assert "[PERSON_1]" in redacted and "Jenny Roe" not in redacted
    assert "PERSON" in legend and "PHONE_NUMBER" in legend
    assert "#1 flagged" in pairs
    assert "UNREDACTED" in banner and "audit" in banner
    assert "Jenny Roe" in shown
    assert back_at == "SourcesScreen"
    audit = rows(db_path, "select actor, action, table_name, row_id from audit")
    assert audit == [{"actor": ACTOR, "action": "page.view_original", "table_name": "pages", "row_id": 1}]


def test_imported_source_lists_pairs_in_a_sliding_window(tmp_path, monkeypatch):
    from tuihelp import build_db

    path = tmp_path / "big.db"
    build_db(path, n_import=1000)
    monkeypatch.setattr(PagedTable, "WINDOW", 20)   # cross a window edge in few key presses

    async def scenario(pilot):
        await pilot.press("down", "down", "enter")       # the imported source has no pages
        screen = pilot.app.screen
        assert isinstance(screen, PairsScreen)
        table = screen.query_one(PagedTable)
        assert table.total_rows == 1000 and len(table.rows_data) <= PagedTable.WINDOW
        await pilot.press("end")
        last = table.current["seq"]
        await pilot.press("home")
        for _ in range(PagedTable.WINDOW + 5):            # across a window edge, one key at a time
            await pilot.press("down")
        across = table.current["seq"]
        await pilot.press("pagedown")
        preview = text_of(screen.query_one("#pair-preview"))
        await pilot.press("enter")
        opened = pilot.app.screen
        return last, across, len(table.rows_data), preview, opened.pair["id"] if isinstance(opened, ReviewScreen) else None

    last, across, held, preview, opened = drive(path, scenario, start="browse")
    assert last == 1000
    assert across == PagedTable.WINDOW + 6
    assert held <= PagedTable.WINDOW
    assert preview.startswith("Q Imported question")
    assert opened is not None


def test_review_queue_every_decision_written_at_once(db_path):
    async def scenario(pilot):
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen)
        seen = {"start": text_of(screen.query_one("#counter")), "pair": screen.pair["id"]}
        first = screen.selected
        await pilot.press("c")                                           # confirm the selected finding
        seen["confirmed"] = first["id"]
        second = screen.selected
        await pilot.press("f")                                           # next pending one: false positive
        seen["rejected"] = second["id"]
        await pilot.press("m")                                           # mark missed text
        await type_text(pilot, "my mother")
        await pilot.press("enter")
        await pilot.press("e")                                           # edit: the answer loses "Jenny"
        area = pilot.app.screen.query_one("#edit-answer")
        area.text = "You could agree on a calling time with your sister. " + area.text.split(". ", 1)[1]
        await pilot.press("ctrl+s")
        seen["a_words"] = screen.pair["a_words"]
        await pilot.press("u")                                           # undo the edit
        seen["after_undo"] = screen.pair["answer"]
        await pilot.press("a")                                           # approve: moves to the next item
        seen["next"] = screen.pair["id"]
        seen["counter"] = text_of(screen.query_one("#counter"))
        await pilot.press("p")
        seen["back"] = screen.pair["id"]
        return seen

    seen = drive(db_path, scenario, start="review")
    assert "0 / 2 reviewed" in seen["start"] and seen["pair"] == 1
    decisions = {r["id"]: r["decision"] for r in rows(db_path, "select id, decision from pii_spans")}
    assert decisions[seen["confirmed"]] == "confirmed" and decisions[seen["rejected"]] == "rejected"
    added = rows(db_path, "select field, text from pii_spans where decision = 'added'")
    assert {a["field"] for a in added} == {"question", "answer"} and all(a["text"] == "my mother" for a in added)
    assert seen["after_undo"].startswith("You could set a time with Jenny")
    assert rows(db_path, "select status from qa_pairs where id = 1")[0]["status"] == "approved"
    assert seen["next"] == 2 and seen["back"] == 1
    assert "reviewed" in seen["counter"]
    actions = [r["action"] for r in rows(db_path, "select action from audit order by id")]
    assert actions == ["span.confirm", "span.reject", "span.add", "pair.edit", "undo", "pair.approve"]
    assert {r["actor"] for r in rows(db_path, "select actor from audit")} == {ACTOR}


def test_review_counter_reaches_total_and_queue_empties(db_path):
    async def scenario(pilot):
        screen = pilot.app.screen
        for _ in range(10):
            if screen.pair is None:
                break
            while any(s["decision"] == "pending" for s in screen.spans):
                await pilot.press("c")
            await pilot.press("a")
        return text_of(screen.query_one("#counter"))

    counter = drive(db_path, scenario, start="review")
    assert "2 / 2 reviewed" in counter and "nothing left" in counter
    # Findings of pages whose only pair was filtered are not queued: nothing from them is released.
    pending = rows(db_path, "select page_id from pii_spans where decision = 'pending'")
    assert pending == [{"page_id": 3}]


def test_review_search_and_reject_pair(db_path):
    async def scenario(pilot):
        screen = pilot.app.screen
        await pilot.press("slash")
        await type_text(pilot, "doctor")
        await pilot.press("enter")
        found = screen.pair["id"]
        await pilot.press("r")
        return found, screen.pair

    found, after = drive(db_path, scenario, start="review")
    assert found == 2
    assert rows(db_path, "select status from qa_pairs where id = 2")[0]["status"] == "rejected"
    assert after is None   # the only pair matching "doctor" is decided


def test_search_pairs_filters_and_pages(db_path):
    async def scenario(pilot):
        screen = pilot.app.screen
        table = screen.query_one(PagedTable)
        out = {"all": table.total_rows}
        await type_text(pilot, "imported question 7")
        await pilot.press("enter")
        out["text"] = table.total_rows
        out["first"] = table.current["question"]
        await pilot.press("slash", "ctrl+a", "ctrl+k", "enter")        # clear the query
        screen.query_one("#filter-status").value = "flagged"
        await pilot.pause()
        out["flagged"] = [r["id"] for r in table.rows_data]
        screen.query_one("#filter-status").clear()
        screen.query_one("#filter-entity").value = "LOCATION"
        await pilot.pause()
        out["location"] = [r["id"] for r in table.rows_data]
        screen.query_one("#filter-entity").clear()
        screen.query_one("#search-scope").value = "pages"
        await pilot.press("slash")
        await type_text(pilot, "moved")
        await pilot.press("enter")
        out["pages"] = [r["id"] for r in table.rows_data]
        await pilot.press("enter")
        out["opened"] = type(pilot.app.screen).__name__
        return out

    out = drive(db_path, scenario, start="search")
    assert out["all"] == 34
    assert out["text"] >= 1 and out["first"].startswith("Imported question 7 ")
    assert out["flagged"] == [1]
    assert out["location"] == [3]
    assert out["pages"] == [3] and out["opened"] == "PageScreen"


def test_export_counts_then_writes_and_audits(db_path, tmp_path):
    target = tmp_path / "out.jsonl"

    async def scenario(pilot):
        screen = pilot.app.screen
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        preview = text_of(screen.query_one("#export-preview"))
        path = screen.query_one("#export-path")
        path.value = str(target)
        await pilot.press("ctrl+w")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        return preview, text_of(screen.query_one("#export-preview"))

    preview, written = drive(db_path, scenario, start="export")
    assert "32 pairs would be released" in preview and "flagged" in preview and "filtered" in preview
    assert "32 pairs written to" in written
    lines = target.read_text().splitlines()
    assert len(lines) == 32 and set(json.loads(lines[0])) == {"instruction", "input", "output"}
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    audit = rows(db_path, "select action, after from audit")
    assert audit[0]["action"] == "export" and json.loads(audit[0]["after"])["written"] == 32


def test_help_lists_every_binding_and_keymap_remaps(db_path):
    from tui.screens.help import _sections

    async def scenario(pilot):
        await pilot.press("question_mark")
        shown = text_of(pilot.app.screen.query_one("#help-text"))
        await pilot.press("escape", "3")
        await pilot.press("y")                       # remapped approve
        return shown

    shown = drive(db_path, scenario, keymap={"review.approve": "y"})
    for _, bindings in _sections():
        for b in bindings:
            assert b.description in shown and (b.id is None or b.id in shown)
    assert rows(db_path, "select status from qa_pairs where id = 1")[0]["status"] == "approved"


def test_screens_switch_by_number(db_path):
    async def scenario(pilot):
        names = []
        for key in "123456":
            await pilot.press(key)
            names.append(type(pilot.app.screen).__name__)
            await pilot.press("escape")      # Search starts in its query field, which takes digits
        return names

    assert drive(db_path, scenario) == ["OverviewScreen", "SourcesScreen", "ReviewScreen", "SearchScreen",
                                        "JobsScreen", "ExportScreen"]


def test_cli_registers_tui_and_review(tmp_path):
    from click.testing import CliRunner

    from onprem.cli import cli

    assert {"tui", "review"} <= set(cli.list_commands(None))
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "missing.db"), "tui"])
    assert result.exit_code == 2 and "no database here" in result.output
    assert not (tmp_path / "missing.db").exists()


def test_grounding_is_shown_on_the_pair_in_review_and_on_its_page(db_path):
    import sqlite3

    con = sqlite3.connect(db_path)
    first = con.execute("select id, page_id from qa_pairs where status = 'flagged' order by id limit 1").fetchone()
    con.execute("update qa_pairs set grounding = 0.12 where id = ?", [first[0]])
    con.commit()

    async def scenario(pilot):
        screen = pilot.app.screen
        return text_of(screen.query_one("#counter"))

    header = drive(db_path, scenario, start="review")
    assert f"pair #{first[0]}" in header and "grounding 0.12" in header
    from onprem.store import open_store, pairs

    store = open_store(db_path)
    try:
        assert [p["grounding"] for p in pairs.page_view(store, first[1])["pairs"] if p["id"] == first[0]] == [0.12]
    finally:
        store.close()


def test_not_pii_anywhere_decides_every_finding_with_that_text_and_u_undoes(db_path):
    """F on a finding: every pending finding with its text is decided, one audit row; u puts them back."""
    async def scenario(pilot):
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen)
        span = screen.selected
        text = span["text"]
        await pilot.press("F")
        await pilot.pause()
        after = rows(db_path, "select decision from pii_spans where lower(text) = lower(?)", [text])
        await pilot.press("u")
        await pilot.pause()
        undone = rows(db_path, "select decision from pii_spans where lower(text) = lower(?)", [text])
        return text, after, undone

    text, after, undone = drive(db_path, scenario, start="review")
    assert after and all(r["decision"] in ("rejected", "confirmed", "added") for r in after)
    assert any(r["decision"] == "pending" for r in undone)
    acts = [r["action"] for r in rows(db_path, "select action from audit order by id")]
    assert acts[-2:] == ["span.allow", "undo"]
    assert rows(db_path, "select active from allowed_terms") == [{"active": 0}]


def test_a_page_finding_is_marked_and_scrolled_to_and_its_original_is_one_audited_line(db_path):
    """Issue 28, item 2: selecting a page finding reverses its placeholder in the page, scrolled into
    view however long the page; `v` shows that one span's original beside what replaced it, audited."""
    from onprem.store import open_store

    s = open_store(db_path)
    pid = s.db.execute("select page_id from qa_pairs where id = 1").fetchone()[0]
    text = s.db.execute("select redacted_text from pages where id = ?", [pid]).fetchone()[0]
    filler = "".join(f"Coach: line {i} of a long session about sleep and work.\n" for i in range(60))
    with s.atomic() as db:
        db["pages"].update(pid, {"redacted_text": filler + text})
    s.close()

    async def scenario(pilot):
        screen = pilot.app.screen
        table = screen.query_one("#review-spans")
        page_rows = [i for i, sp in enumerate(screen.spans) if sp["field"] == "page"]
        table.move_cursor(row=page_rows[0])
        await pilot.pause()
        chosen = screen.spans[page_rows[0]]
        shown = screen.query_one("#review-page").content
        marked = [sp for sp in shown.spans if "reverse" in str(sp.style)]
        context = screen.query_one("#review-context")
        await until(pilot, lambda: context.scroll_y > 0, "the page to scroll to the finding")
        scrolled = context.scroll_y
        await pilot.press("v")
        await pilot.pause()
        line = text_of(screen.query_one("#review-span-original"))
        return chosen, shown.plain, marked, scrolled, line

    chosen, plain, marked, scrolled, line = drive(db_path, scenario, start="review")
    assert [plain[m.start:m.end] for m in marked] == [chosen["placeholder"]]
    assert scrolled > 40                                           # the placeholder sits after 60 lines
    original = rows(db_path, "select text from pii_spans where id = ?", [chosen["id"]])[0]["text"]
    assert "text" not in chosen                                   # the screen holds no original until asked
    assert f"“{original}” → {chosen['placeholder']}" in line and "audit log" in line
    audit = rows(db_path, "select action, table_name, row_id from audit")
    assert audit == [{"action": "span.view_original", "table_name": "pii_spans", "row_id": chosen["id"]}]


def test_the_command_palette_lists_every_action_and_runs_one(db_path):
    """ctrl+p lists the screen's and the app's actions by name (issue 28, item 4), and runs them."""
    async def scenario(pilot):
        app = pilot.app
        titles = [c.title for c in app.get_system_commands(app.screen)]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Go to Jobs")
        await until(pilot, lambda: "Go to Jobs" in text_of_palette(app), "the palette to find the command")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.sub_title == "Jobs", "the Jobs screen")
        return titles

    def text_of_palette(app):
        from textual.command import CommandList

        found = app.screen.query(CommandList)
        return " ".join(str(o.prompt) for o in found.first().options) if found else ""

    titles = drive(db_path, scenario, start="review")
    for wanted in ("PII", "Not PII", "Not PII anywhere", "Approve", "Undo", "This finding's original (audited)",
                   "Go to Overview", "Go to Evaluations", "Help"):
        assert wanted in titles, wanted
    assert "Cursor up" not in titles                 # a widget's own keys are not listed


@pytest.mark.parametrize("at_once", [True, False])
def test_overview_funnel_bars_and_grounding(db_path, monkeypatch, at_once):
    """Issue 28, item 8: the pairs as a funnel ending in the release gate's own count, findings as
    bars of decided and pending, grounding as a histogram with --min-grounding's line. On a large
    database (here: the threshold lowered to 0) the late figures fill in after the first paint."""
    from onprem.release import Policy, select_pairs
    from onprem.store import open_store
    from tui.screens import overview

    store = open_store(db_path)
    with store.atomic():
        for pid, g in ((1, 0.12), (2, 0.85), (4, 0.55)):
            store.db["qa_pairs"].update(pid, {"grounding": g})
    releasable = len(select_pairs(store, Policy()).rows)
    store.close()
    if not at_once:
        monkeypatch.setattr(overview, "AT_ONCE", 0)

    async def scenario(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        return (text_of(screen.query_one("#ov-counts")), text_of(screen.query_one("#ov-findings")),
                text_of(screen.query_one("#ov-grounding")))

    counts, findings, grounding = drive(db_path, scenario, size=(160, 48))
    lines = [" ".join(line.split()) for line in counts.splitlines()]
    order = [next(i for i, line in enumerate(lines) if label in line)
             for label in ("pages", "pairs written", "pairs kept", "pairs approved", "releasable")]
    assert order == sorted(order)
    assert f"{releasable} releasable" in " ".join(lines) and "█" in counts
    assert "decided █ pending █" in " ".join(findings.split()) and "PHONE_NUMBER" in findings
    assert "--min-grounding 0.3" in grounding and "peak 1 pairs" in grounding
