"""What the release gate (onprem.release) reads: every pair with what decides whether it may leave,
and a dialogue's unresolved findings."""

from __future__ import annotations

from typing import Iterator

from onprem.store import Store
from onprem.vocab import RELEASABLE_SQL, UNRESOLVED_SQL


def pairs_with_flags(store: Store) -> Iterator[dict]:
    """Every pair in release order, with its open findings and its page's undecided uncertain ones."""
    return store.db.query(f"""
        select q.id, q.source_id, q.seq, q.instruction, q.question, q.answer, q.status,
               json_extract(q.meta, '$.topic') as topic, s.kind as source_kind,
               -- what leaves names the source by its content's hash, never by its file name
               -- (file names often carry a client's name)
               'source-' || substr(s.sha256, 1, 12) as source,
               (select c.generator from cases c where c.id = q.case_id) as pair_generator,
               (select count(*) from pii_spans p where p.pair_id = q.id and p.decision in {UNRESOLVED_SQL}) as open_flags,
               (select count(*) from pii_spans u where q.page_id is not null and u.page_id = q.page_id
                and u.finding = 'uncertain' and u.decision = 'pending') as open_uncertain
        from qa_pairs q join sources s on s.id = q.source_id
        order by q.source_id, q.seq, q.id""")


def dialogue_open_flags(store: Store, dialogue_id: int) -> int:
    """Unresolved findings in a dialogue's usable turns."""
    return store.db.execute(
        f"select count(*) from pii_spans s join turns t on t.id = s.turn_id where s.dialogue_id = ? "
        f"and t.status = 'ok' and s.decision in {UNRESOLVED_SQL}", [dialogue_id]).fetchone()[0]


def unreleasable_dialogue_counts(store: Store) -> list[tuple[str, int]]:
    """(status, n) of dialogues whose status never leaves (failed, ...)."""
    return store.db.execute(f"select status, count(*) from dialogues where status not in "
                            f"{RELEASABLE_SQL} group by status").fetchall()
