"""SQL of the figures `onprem stats` and the Evals screen report on generated dialogues: the text
statistics Thousand Voices reports, and how each segment (a PE phase) ended."""

from __future__ import annotations

from onprem.store import Store
from onprem.vocab import RELEASABLE_SQL


def dialogue_text(store: Store) -> dict[str, dict]:
    """dialogue_text_stats of every generator that has releasable dialogues, by generator name."""
    names = [r[0] for r in store.db.execute(
        f"select distinct generator from dialogues where status in {RELEASABLE_SQL} order by generator")]
    return {g: s for g in names if (s := dialogue_text_stats(store, g)) is not None}


def dialogue_text_stats(store: Store, generator: str) -> dict | None:
    """The text statistics Thousand Voices reports, over a generator's releasable dialogues: words per
    turn and vocabulary size per speaker, and mean words per exchange (a therapist turn and the
    client turn after it) by group (a PE phase group, stored in each dialogue's meta; "-" for
    generators without groups). None when there are none."""
    import re
    from collections import defaultdict

    rows = list(store.db.query(
        f"select t.dialogue_id, t.seq, t.speaker, t.content, json_extract(d.meta, '$.group') as grp "
        f"from turns t join dialogues d on d.id = t.dialogue_id where d.generator = ? and d.status in {RELEASABLE_SQL} "
        f"and t.status = 'ok' order by t.dialogue_id, t.seq", [generator]))
    if not rows:
        return None
    words: dict[str, list[int]] = defaultdict(list)
    vocab: dict[str, set[str]] = defaultdict(set)
    exchanges: dict[str, list[int]] = defaultdict(list)
    for prev, row in zip([None, *rows], rows):
        ws = re.findall(r"[a-z0-9']+", row["content"].lower())
        words[row["speaker"]].append(len(ws))
        vocab[row["speaker"]].update(ws)
        if (prev is not None and prev["dialogue_id"] == row["dialogue_id"] and prev["speaker"] == "therapist"
                and row["speaker"] == "client"):
            exchanges[row["grp"] or "-"].append(len(re.findall(r"[a-z0-9']+", prev["content"].lower())) + len(ws))
    return {
        "dialogues": len({r["dialogue_id"] for r in rows}),
        "speakers": {sp: {"turns": len(ws), "words_per_turn": round(sum(ws) / len(ws), 1), "vocabulary": len(vocab[sp])}
                     for sp, ws in sorted(words.items())},
        "words_per_exchange": {g: round(sum(xs) / len(xs), 1) for g, xs in sorted(exchanges.items())},
    }


def segment_endings(store: Store, generator: str) -> dict[int, dict]:
    """Per segment (a PE phase) of a generator's live dialogues: how many there are, how many ran
    into their token cap (status 'capped') rather than ending on their own, and the caps used."""
    rows = store.db.execute(
        "select segment, status, json_extract(meta, '$.max_tokens'), count(*) from dialogues "
        f"where generator = ? and status in {RELEASABLE_SQL} group by 1, 2, 3 order by 1", [generator]).fetchall()
    out: dict[int, dict] = {}
    for segment, status, cap, n in rows:
        d = out.setdefault(segment, {"dialogues": 0, "capped": 0, "caps": []})
        d["dialogues"] += n
        d["capped"] += n if status == "capped" else 0
        if cap is not None and cap not in d["caps"]:
            d["caps"].append(cap)
    return out
