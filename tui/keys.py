"""Every key of the TUI, as data: each screen's bindings (key, action, what the footer and help call
it, the id a keymap file remaps it by, flags: h = not in the footer, p = priority over a focused
field). Screens read their BINDINGS from here, the help screen lists them from here, and
docs/keys.md is this table printed (`python -m tui.keys`; a test keeps the two equal). A paper's own
screens and panels keep their keys in their package, and help lists those from the registries.
"""

from __future__ import annotations

from textual.binding import Binding

KEYS = {
    'app': [
        ('1', "switch_mode('overview')", 'Overview', 'goto.overview', 'h'),
        ('2', "switch_mode('browse')", 'Browse', 'goto.browse', 'h'),
        ('3', "switch_mode('review')", 'Review', 'goto.review', 'h'),
        ('4', "switch_mode('search')", 'Search', 'goto.search', 'h'),
        ('5', "switch_mode('jobs')", 'Jobs', 'goto.jobs', 'h'),
        ('6', "switch_mode('export')", 'Export', 'goto.export', 'h'),
        ('7', "switch_mode('evals')", 'Evaluations', 'goto.evals', 'h'),
        ('question_mark', 'help', 'Help', 'app.help'),
        ('ctrl+p', 'command_palette', 'Every action by name', 'app.palette', 'hp'),
        ('q', 'quit', 'Quit', 'app.quit', 'h'),
    ],
    'overview': [
        ('r', 'refresh', 'Refresh', 'overview.refresh'),
    ],
    'sources': [
        ('r', 'refresh', 'Refresh', 'browse.refresh'),
        ('d', 'dialogues', 'Dialogues', 'browse.dialogues'),
    ],
    'pairs': [
        ('escape', 'app.pop_screen', 'Back', 'browse.back'),
    ],
    'pages': [
        ('escape', 'app.pop_screen', 'Back', 'browse.back'),
    ],
    'page': [
        ('escape', 'app.pop_screen', 'Back', 'browse.back'),
        ('o', 'original', 'Original (audited)', 'browse.original'),
        ('enter', 'open_pair', 'Open pair', 'browse.open_pair'),
    ],
    'original': [
        ('escape', 'app.pop_screen', 'Close original', 'original.close'),
    ],
    'dialogues': [
        ('escape', 'app.pop_screen', 'Back', 'browse.back'),
        ('v', 'review', 'Review it', 'dialogues.review'),
        ('r', 'refresh', 'Refresh', 'dialogues.refresh'),
    ],
    'dialogue': [
        ('escape', 'app.pop_screen', 'Back', 'browse.back'),
        ('v', 'review', 'Review it', 'dialogue.review'),
        ('t', 'trials', 'Trials / judgment', 'dialogue.trials'),
    ],
    'review': [
        ('c', 'confirm_span', 'PII', 'review.confirm_span'),
        ('f', 'reject_span', 'Not PII', 'review.reject_span'),
        ('F', 'allow_everywhere', 'Not PII anywhere', 'review.allow_everywhere', 'h'),
        ('m', 'mark', 'Add PII', 'review.mark'),
        ('e', 'edit', 'Edit', 'review.edit'),
        ('a', 'approve', 'Approve', 'review.approve'),
        ('r', 'reject', 'Reject', 'review.reject'),
        ('u', 'undo', 'Undo', 'review.undo'),
        ('n', 'next', 'Next', 'review.next'),
        ('p', 'previous', 'Prev', 'review.previous'),
        ('slash', 'search', 'Filter the queue', 'review.search', 'h'),
        ('d', 'dialogues', 'Dialogue queue', 'review.dialogues', 'h'),
        ('i', 'uncertain', 'Uncertain queue', 'review.uncertain', 'h'),
        ('o', 'original', 'Original (audited)', 'review.original', 'h'),
        ('v', 'span_original', "This finding's original (audited)", 'review.span_original', 'h'),
        ('escape', 'back', 'Back', 'review.back', 'h'),
    ],
    'edit_pair': [
        ('ctrl+s', 'save', 'Save', 'edit.save', 'p'),
        ('escape', 'cancel', 'Cancel', 'edit.cancel'),
    ],
    'dreview': [
        ('c', 'confirm_span', 'PII', 'dreview.confirm_span'),
        ('f', 'reject_span', 'Not PII', 'dreview.reject_span'),
        ('F', 'allow_everywhere', 'Not PII anywhere', 'dreview.allow_everywhere', 'h'),
        ('m', 'mark', 'Add PII', 'dreview.mark'),
        ('e', 'edit', 'Edit turn', 'dreview.edit'),
        ('a', 'approve', 'Approve', 'dreview.approve'),
        ('r', 'reject', 'Reject', 'dreview.reject'),
        ('u', 'undo', 'Undo', 'dreview.undo'),
        ('n', 'next', 'Next', 'dreview.next'),
        ('p', 'previous', 'Prev', 'dreview.previous'),
        ('escape,d', 'back', 'Back', 'dreview.back', 'h'),
        ('slash', 'search', 'Filter the queue', 'dreview.search', 'h'),
    ],
    'uncertain': [
        ('y', 'accept', 'Redact: identifying', 'uncertain.accept'),
        ('n', 'keep', 'Keep: not identifying', 'uncertain.keep'),
        ('j,down', 'next', 'Next', 'uncertain.next'),
        ('k,up', 'previous', 'Prev', 'uncertain.previous'),
        ('u', 'undo', 'Undo', 'uncertain.undo'),
        ('escape', 'back', 'Back', 'uncertain.back'),
        ('slash', 'search', 'Filter', 'uncertain.search'),
    ],
    'edit_turn': [
        ('ctrl+s', 'save', 'Save', 'edit_turn.save', 'p'),
        ('escape', 'cancel', 'Cancel', 'edit_turn.cancel'),
    ],
    'mark': [
        ('escape', 'cancel', 'Cancel', 'mark.cancel'),
    ],
    'ask': [
        ('escape', 'cancel', 'Cancel', 'ask.cancel'),
    ],
    'confirm': [
        ('y', 'answer(True)', 'Yes', 'confirm.yes'),
        ('enter', 'answer(True)', 'Yes', 'confirm.yes_enter', 'h'),
        ('n', 'answer(False)', 'No', 'confirm.no'),
        ('escape', 'answer(False)', 'No', 'confirm.no_escape', 'h'),
    ],
    'search': [
        ('slash', 'focus_query', 'Query', 'search.query'),
        ('escape', 'focus_results', 'Results', 'search.results'),
        ('ctrl+r', 'review_these', 'Review these', 'search.review'),
    ],
    'jobs': [
        ('s', 'start', 'Start', 'jobs.start'),
        ('x', 'cancel', 'Cancel job', 'jobs.cancel'),
        ('escape', 'focus_log', 'Leave field', 'jobs.leave_field', 'h'),
    ],
    'export': [
        ('ctrl+w', 'write', 'Write file', 'export.write', 'p'),
        ('ctrl+r', 'preview', 'Recount', 'export.preview', 'p'),
    ],
    'evals': [
        ('r', 'refresh', 'Refresh', 'evals.refresh'),
        ('f', 'app.open_rating_form', 'Rate on a form', 'evals.form'),
    ],
    'rating_form': [
        ('0', 'digit(0)', '', 'form.digit_0', 'h'),
        ('1', 'digit(1)', '', 'form.digit_1', 'h'),
        ('2', 'digit(2)', '', 'form.digit_2', 'h'),
        ('3', 'digit(3)', '', 'form.digit_3', 'h'),
        ('4', 'digit(4)', '', 'form.digit_4', 'h'),
        ('5', 'digit(5)', '', 'form.digit_5', 'h'),
        ('6', 'digit(6)', '', 'form.digit_6', 'h'),
        ('7', 'digit(7)', '', 'form.digit_7', 'h'),
        ('8', 'digit(8)', '', 'form.digit_8', 'h'),
        ('9', 'digit(9)', '', 'form.digit_9', 'h'),
        ('enter', 'confirm', 'Enter score', 'form.confirm'),
        ('tab', 'skip', 'Skip criterion', 'form.skip', 'p'),
        ('backspace', 'undo', 'Undo', 'form.undo'),
        ('u', 'undo_saved', 'Undo your last saved decision', 'form.undo_saved'),
        ('n', 'move(1)', 'Next', 'form.next'),
        ('p', 'move(-1)', 'Previous', 'form.previous'),
        ('escape', 'app.pop_screen', 'Back', 'form.back'),
    ],
    'help': [
        ('escape,question_mark', 'app.pop_screen', 'Close help', 'help.close'),
    ],
}

# The help screen's sections: title -> the screens whose keys it lists, in this order.
SECTIONS = [
    ("Everywhere", ("app",)),
    ("Overview", ("overview",)),
    ("Browse: sources", ("sources",)),
    ("Browse: pages / pairs", ("pages",)),
    ("Browse: page", ("page",)),
    ("Original text", ("original",)),
    ("Browse: dialogues", ("dialogues",)),
    ("Browse: a dialogue", ("dialogue",)),
    ("Review", ("review",)),
    ("Edit pair", ("edit_pair",)),
    ("Review: dialogues", ("dreview",)),
    ("Review: uncertain findings", ("uncertain",)),
    ("Edit turn", ("edit_turn",)),
    ("Search", ("search",)),
    ("Jobs", ("jobs",)),
    ("Export", ("export",)),
    ("Evaluations", ("evals",)),
    ("Rating form", ("rating_form",)),
]


def bindings(screen: str) -> list[Binding]:
    """A screen's BINDINGS."""
    return [Binding(key, action, description, id=binding_id, show="h" not in flags, priority="p" in flags)
            for key, action, description, binding_id, *rest in KEYS[screen] for flags in [rest[0] if rest else ""]]


def markdown() -> str:
    """docs/keys.md: every section's keys as a table."""
    out = ["# Keys", "", "Every key of the TUI by screen (`?` shows the same, with a keymap file's changes). The "
           "binding id is what a keymap file remaps (`onprem tui --keys FILE`, JSON `{\"review.approve\": \"y\"}`). Generated "
           "from `tui/keys.py` by `python -m tui.keys`; a paper's own screens list theirs in `?`.", ""]
    for title, screens in SECTIONS:
        out += [f"## {title}", "", "| key | does | binding id |", "|---|---|---|"]
        for screen in screens:
            for key, action, description, binding_id, *_ in KEYS[screen]:
                out.append(f"| `{key}` | {description or action} | `{binding_id}` |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown(), end="")
