"""How a dialogue is drawn in the TUI: its turns with identifier findings marked, its judgment
scores, its Reflexion trials, a scenario's header, and the cells of the dialogue list."""

from __future__ import annotations

from rich.text import Text

from onprem.vocab import RELEASABLE, UNRESOLVED
from tui.nav import clip
from tui.widgets import DECISION_STYLE, entity_legend, entity_style

SPEAKER_STYLE = {"therapist": "bold cyan", "client": "bold green"}
# Findings that still hold a dialogue back (as for pairs) are drawn in colour; the others faint.
OPEN = UNRESOLVED
GROUPS = ("therapist", "client", "overall")


def judge_cell(totals: dict) -> str:
    """Judge totals by group, short: T14 C5 O8."""
    if not totals:
        return "-"
    keys = [g for g in GROUPS if g in totals] + sorted(k for k in totals if k not in GROUPS)
    return " ".join(f"{k[0].upper()}{totals[k]}" for k in keys)


def findings_cell(r: dict) -> str:
    if r["scanned_at"] is None and r["findings"] == 0:
        return "not yet" if r["status"] in RELEASABLE else "-"
    return f"{r['pending']} open" if r["pending"] else str(r["findings"])


def scores_line(scores: dict) -> str:
    return "; ".join(f"{k.upper()} {v.get('total')} ({v.get('severity')})" for k, v in sorted(scores.items())
                     if isinstance(v, dict))


def turn_text(turn: dict, spans: list[dict], by: str = "entity", selected: int | None = None) -> Text:
    """One turn: "3 Client: words", each finding coloured by entity type (browse) or by decision
    (review); the selected finding underlined; an unusable turn struck through (never exported)."""
    speaker = turn["speaker"]
    out = Text.assemble((f"{turn['seq'] + 1:>2} ", "dim"), (f"{speaker.capitalize()}: ",
                                                             SPEAKER_STYLE.get(speaker, "bold")))
    body = Text(turn["content"])
    if turn["status"] != "ok":
        body.stylize("dim strike")
    for s in spans:
        if by == "decision":
            style = DECISION_STYLE.get(s["decision"], "reverse")
        else:
            style = entity_style(s["entity_type"]) if s["decision"] in OPEN else "dim strike"
        if s["id"] == selected:
            style += " underline"
        body.stylize(style, s["start"], s["end"])
    out.append_text(body)
    if turn["status"] != "ok":
        out.append(f"  ({turn['status']}: not exported)", style="dim italic")
    return out


def spans_by_turn(dialogue: dict) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for s in dialogue["spans"]:
        out.setdefault(s["turn_id"], []).append(s)
    return out


def score_style(score, scale: dict) -> str:
    """Low, middle and high thirds of the rubric's own scale: red, yellow, green."""
    span = (scale["hi"] - scale["lo"]) or 1
    at = (score - scale["lo"]) / span
    return "red" if at < 1 / 3 else "yellow" if at < 2 / 3 else "green"


def scenario_header(dialogue: dict) -> Text | None:
    """A Hybrid scenario or session shown under its App. B header: the summary and the cognitive
    distortions it carries, above the narrative or the turns (None for other dialogues)."""
    import json

    meta = json.loads(dialogue.get("meta") or "{}")
    if "summary" not in meta and "distortions" not in meta:
        return None
    out = Text()
    out.append("Summary: ", style="bold")
    out.append(f"{meta.get('summary') or '-'}\n")
    out.append("Cognitive distortions: ", style="bold")
    out.append(f"{', '.join(meta.get('distortions') or []) or 'none'}\n\n")
    return out


def judgment_text(dialogue: dict) -> Text:
    out = Text()
    if not dialogue["judgments"]:
        from onprem.judges import judges_for

        names = judges_for(dialogue["generator"])
        hint = ", ".join(f"onprem judge {n}" for n in names) if names else "no registered judge scores these"
        return Text(f"not judged yet ({hint})", style="dim")
    for j in dialogue["judgments"]:
        out.append(f"{j['rubric']} · {j['status']}", style="bold")
        out.append(f" · {j['model'] or '-'}\n", style="dim")
        if j["error"]:
            out.append(f"{clip(j['error'], 120)}\n", style="red")
        if j["totals"]:
            out.append("  ".join(f"{k} {v}" for k, v in j["totals"].items()) + "\n", style="bold")
        for sc in j["scores"]:
            out.append(f"{sc['score']} ", style=score_style(sc["score"], j["scale"]))
            out.append(f"{sc['criterion']}")
            out.append(f"  {clip(sc['reason'], 60)}\n" if sc["reason"] else "\n", style="dim")
        out.append("\n")
    return out


def trials_text(attempts: list[dict]) -> Text:
    """Every stored trial of a dialogue (Reflexion): the evaluator's verdict, the reflection that
    followed it, and the draft."""
    if not attempts:
        return Text("no trials stored: this generator keeps only the final dialogue", style="dim")
    out = Text()
    for a in attempts:
        ev = a["evaluation"] or {}
        met = ev.get("meets_target")
        out.append(f"Trial {a['attempt']}: ", style="bold")
        out.append("met the target" if met else "no verdict (standalone)" if met is None and not ev else "missed the target",
                   style="green" if met else "yellow")
        if ev.get("observed_level") is not None:
            out.append(f" (observed level {ev['observed_level']})")
        out.append("\n")
        if ev.get("reason"):
            out.append(f"why: {ev['reason']}\n", style="dim")
        if a["feedback"]:
            out.append(f"reflection: {a['feedback']}\n", style="italic")
        for t in a["draft"]:
            out.append(f"  {t['speaker']}: {t['content']}\n")
        out.append("\n")
    return out


def legend(dialogue: dict) -> Text:
    scanned = dialogue["scanned_at"] is not None or dialogue["spans"]
    return entity_legend("findings", (s["entity_type"] for s in dialogue["spans"] if s["decision"] in OPEN),
                         "none open" if scanned else "not scanned for identifiers yet (the review scans it)")


def dialogue_title(d: dict) -> str:
    return f"dialogue #{d['id']} · {d['client_id']} · {d['condition'] or '-'}"


# --- Browse ---------------------------------------------------------------------------------------
DIALOGUE_COLUMNS = [("id", 5), ("client", 8), ("generator", 9), ("status", 8), ("turns", 5), ("findings", 8),
                    ("review", 8), ("judge", 11)]


def dialogue_cells(r: dict) -> list:
    return [str(r["id"]), clip(r["client_id"], 8), r["generator"], r["status"], str(r["n_turns"]),
            findings_cell(r), r["review_status"] or "-", judge_cell(r["totals"])]
