"""EPITOME labels from people: the items to label (a seeker post and its response: the first
help-seeker -> responder exchange of every releasable dialogue, and every kept or approved pair, so
synthetic and imported real data alike), one label per item and rater (ER, IP, EX: 0 none,
1 weak, 2 strong) stored as that person's `epitome` judgment (onprem.store.scores), each save
audited; and the labels of people and of the `epitome` judge per dimension, for agreement and export."""

from __future__ import annotations

from onprem.store import dialogues as dstore
from onprem.papers.empathy.judge import RUBRIC, first_exchange, level
from onprem.store import Store, scores
from onprem.store.items import pair_texts

KEYS = ("er", "ip", "ex")


def items(store: Store) -> list[dict]:
    """{kind, id, post, response, label} for every labellable item, dialogues first, in id order."""
    out = []
    for d in dstore.releasable_dialogues(store):
        ex = first_exchange(dstore.dialogue_turns(store, d["id"]))
        if ex:
            out.append({"kind": "dialogue", "id": d["id"], "post": ex[0], "response": ex[1],
                        "label": f"dialogue {d['id']} ({d['generator']})"})
    for r in pair_texts(store):
        out.append({"kind": "pair", "id": r["id"], "post": r["question"], "response": r["answer"],
                    "label": f"pair {r['id']} ({r['source']})"})
    return out


def label_of(store: Store, kind: str, target_id: int, rater: str) -> dict | None:
    return scores.rating_of(store, RUBRIC.name, kind, target_id, rater)


def save_label(store: Store, kind: str, target_id: int, rater: str, levels: dict[str, int]) -> None:
    """One rater's three levels for one item (replacing theirs), stored as the person's epitome
    judgment, with an audit row of before and after."""
    if set(levels) != set(KEYS) or any(v not in (0, 1, 2) for v in levels.values()):
        raise ValueError("give er, ip and ex, each 0, 1 or 2")
    scores.save_rating(store, rubric=RUBRIC, target_kind=kind, target_id=target_id, rater=rater,
                       values={k: levels[k] for k in KEYS})


def labelled_count(store: Store, rater: str) -> int:
    return scores.rated_count(store, RUBRIC.name, rater)


def by_dimension(store: Store, with_judge: bool = True) -> dict[str, dict[str, dict[str, str]]]:
    """dimension -> item ("dialogue:3") -> rater -> level, people's labels (rater: their name) and (as
    rater "judge:MODEL") the epitome judge's, for `onprem eval agreement epitome`."""
    out: dict[str, dict[str, dict[str, str]]] = {k: {} for k in KEYS}
    for s in scores.scores(store, RUBRIC.name, people=None if with_judge else True):
        if s.criterion in out:
            out[s.criterion].setdefault(s.item, {})[s.rater.removeprefix(scores.PERSON)] = str(level(s.score))
    return out
