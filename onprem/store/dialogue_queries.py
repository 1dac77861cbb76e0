"""Read-side queries of dialogues shared by the CLI and the TUI: the list, one dialogue with its turns,
findings and judgments, the dialogue review queue, and what cases were conditioned on."""

from __future__ import annotations

import json
from dataclasses import dataclass

from onprem.store import Store
from onprem.store.fts import fts_query
from onprem.store.scores import number
from onprem.vocab import RELEASABLE_SQL


# --- Dialogues: the list, one dialogue with its turns, findings and judgments, and the dialogue
# review queue. Findings live in pii_spans (field 'turn'), like pair findings.

# A dialogue with its case and, when it has one, its profile. `client_id` is the profile's client id
# or the case's title; the two classic roles' models come out of the per-role models JSON.
DIALOGUE_FROM = ("from dialogues d join cases c on c.id = d.case_id left join profiles p on p.id = d.profile_id")
DIALOGUE_COLUMNS = ("coalesce(p.client_id, c.title, c.key) as client_id, c.key as case_key, d.segment, "
                    "json_extract(d.models, '$.therapist.name') as therapist_model, "
                    "json_extract(d.models, '$.client.name') as client_model")

def count_dialogues(store: Store) -> int:
    return store.count("select count(*) from dialogues")


def _totals(raw: str | None) -> dict:
    return json.loads(raw) if raw else {}


def list_dialogues(store: Store, offset: int = 0, limit: int = 100) -> list[dict]:
    """One window of dialogues in the order they were made, with finding counts, the profile's
    score totals and the latest judge totals (never the questionnaire answers themselves)."""
    rows = list(store.db.query(
        "select d.id, d.generator, d.status, d.n_turns, d.review_status, d.scanned_at, d.created_at, "
        f"{DIALOGUE_COLUMNS}, p.condition, p.age, p.gender, p.scores, "
        "(select count(*) from pii_spans s where s.dialogue_id = d.id) as findings, "
        "(select count(*) from pii_spans s where s.dialogue_id = d.id and s.decision = 'pending') as pending, "
        "(select j.totals from judgments j where j.target_kind = 'dialogue' and j.target_id = d.id "
        "and j.status = 'done' "
        " order by j.id desc limit 1) as totals "
        f"{DIALOGUE_FROM} order by d.id limit ? offset ?", [limit, offset]))
    for r in rows:
        r["totals"], r["scores"] = _totals(r["totals"]), _totals(r["scores"])
    return rows


def dialogue_view(store: Store, dialogue_id: int) -> dict | None:
    """A dialogue as a reviewer sees it: profile summary, every turn (unusable ones marked), its
    findings in turn order, and its current judgments with their scores."""
    rows = list(store.db.query(
        "select d.id, d.profile_id, d.generator, d.status, d.reason, d.n_turns, d.review_status, d.review_reason, "
        f"d.scanned_at, d.created_at, d.models, d.meta, {DIALOGUE_COLUMNS}, p.condition, p.age, p.gender, "
        f"p.scores {DIALOGUE_FROM} where d.id = ?", [dialogue_id]))
    if not rows:
        return None
    d = rows[0]
    d["scores"] = _totals(d["scores"])
    d["turns"] = list(store.db.query("select id, seq, speaker, content, status, reason from turns "
                                     "where dialogue_id = ? order by seq", [dialogue_id]))
    d["spans"] = list(store.db.query(
        "select s.id, s.turn_id, t.seq, s.start, s.\"end\", s.entity_type, s.score, s.recognizer, s.text, "
        "s.finding, s.decision from pii_spans s join turns t on t.id = s.turn_id where s.dialogue_id = ? "
        "order by t.seq, s.start, s.id", [dialogue_id]))
    d["judgments"] = []
    # A person's rating shows its rater (person:NAME); a judge's, its model.
    for j in store.db.query("select j.id, j.rubric, case when j.rater like 'person:%' then j.rater else j.model end "
                            "as model, j.status, j.error, j.totals, r.scale from judgments j "
                            "left join rubrics r on r.name = j.rubric and r.version = j.rubric_version "
                            "where j.target_kind = 'dialogue' and j.target_id = ? and j.status != 'superseded' "
                            "order by j.id desc", [dialogue_id]):
        j["totals"] = _totals(j["totals"])
        j["scale"] = json.loads(j["scale"]) if j["scale"] else {"kind": "points", "lo": 0, "hi": 2}
        j["scores"] = [{**r, "score": number(r["score"])} for r in store.db.query(
            "select criterion, grp, score, reason from judgment_scores where judgment_id = ? order by rowid", [j["id"]])]
        d["judgments"].append(j)
    return d


# The dialogue review queue: releasable dialogues with findings (or a decision), and sessions a quality
# selection filtered out (`onprem select`), which come first, lowest session score first, for a person
# to read, edit, approve (which gives them back) or reject. Pending: no decision yet, or an approved
# one with a finding nobody has decided.
_SELECTED_OUT = "(d.status = 'filtered' and json_extract(d.meta, '$.before_select') is not null)"
_DQ_SCOPE = (f"((d.status in {RELEASABLE_SQL} and (d.review_status is not null "
             f"or exists (select 1 from pii_spans s where s.dialogue_id = d.id))) or {_SELECTED_OUT})")
_DQ_PENDING = (_DQ_SCOPE + " and coalesce(d.review_status, '') != 'rejected' and (d.review_status is null "
               "or exists (select 1 from pii_spans s where s.dialogue_id = d.id and s.decision = 'pending'))")
# The queue's order as one sortable text: filtered sessions by score, then everything else by id.
_DQ_KEY = (f"(case when {_SELECTED_OUT} then printf('0-%09.3f-%012d', json_extract(d.meta, '$.quality'), d.id) "
           "else printf('1-%012d', d.id) end)")


@dataclass(frozen=True)
class DialogueFilter:
    """The dialogue queue's filter, as a person types it after `/`: `generator:sqpsych status:capped
    type:PERSON` and any other words, all of which must occur in its turns."""
    generator: str | None = None
    status: str | None = None
    entity_type: str | None = None      # a finding of this type in its turns
    text: str | None = None

    KEYS = {"generator": "generator", "status": "status", "type": "entity_type"}

    @classmethod
    def parse(cls, line: str) -> "DialogueFilter":
        values, words = {}, []
        for token in (line or "").split():
            key, sep, value = token.partition(":")
            if sep and key in cls.KEYS and value:
                values[cls.KEYS[key]] = value.upper() if key == "type" else value
            else:
                words.append(token)
        return cls(text=" ".join(words) or None, **values)

    def describe(self) -> str:
        parts = [f"{k}:{getattr(self, f)}" for k, f in self.KEYS.items() if getattr(self, f) is not None]
        return " ".join(parts + ([self.text] if self.text else []))

    def where(self) -> tuple[str, list]:
        """(" and ..." clauses on `d`, params)."""
        sql, params = "", []
        for col, value in (("generator", self.generator), ("status", self.status)):
            if value is not None:
                sql += f" and d.{col} = ?"
                params.append(value)
        if self.entity_type:
            sql += " and exists (select 1 from pii_spans s where s.dialogue_id = d.id and s.entity_type = ?)"
            params.append(self.entity_type)
        match = fts_query(self.text) if self.text else None
        if match:
            sql += (" and d.id in (select t.dialogue_id from turns_fts join turns t on t.id = turns_fts.rowid "
                    "where turns_fts match ?)")
            params.append(match)
        return sql, params


NO_FILTER = DialogueFilter()


def dialogue_queue_counts(store: Store, f: DialogueFilter = NO_FILTER) -> dict:
    extra, params = f.where()
    total = store.count(f"select count(*) from dialogues d where {_DQ_SCOPE}{extra}", params)
    pending = store.count(f"select count(*) from dialogues d where {_DQ_PENDING}{extra}", params)
    return {"total": total, "pending": pending, "reviewed": total - pending}


def _queue_key(store: Store, dialogue_id: int) -> str | None:
    row = store.db.execute(f"select {_DQ_KEY} from dialogues d where d.id = ?", [dialogue_id]).fetchone()
    return row[0] if row else None


def dialogue_queue_step(store: Store, after: int | None, forward: bool = True, pending: bool = True,
                        f: DialogueFilter = NO_FILTER) -> int | None:
    """The next (or previous) dialogue in the queue (within the filter) after dialogue `after`; None at the end."""
    extra, params = f.where()
    sql = f"select d.id from dialogues d where {_DQ_PENDING if pending else _DQ_SCOPE}{extra}"
    if after is not None:
        sql += f" and {_DQ_KEY} {'>' if forward else '<'} ?"
        params.append(_queue_key(store, after))
    sql += f" order by {_DQ_KEY}{'' if forward else ' desc'} limit 1"
    row = store.db.execute(sql, params).fetchone()
    return None if row is None else row[0]


def dialogue_queue_position(store: Store, dialogue_id: int, f: DialogueFilter = NO_FILTER) -> int:
    extra, params = f.where()
    return store.count(f"select count(*) from dialogues d where {_DQ_SCOPE}{extra} and {_DQ_KEY} <= ?",
                  [*params, _queue_key(store, dialogue_id)])


def dialogue_of(store: Store, table: str | None, row_id: int | None) -> int | None:
    """The dialogue an audited row belongs to (a dialogue, one of its turns or findings), if any."""
    if row_id is None:
        return None
    if table == "dialogues":
        return row_id
    sql = {"turns": "select dialogue_id from turns where id = ?",
           "pii_spans": "select dialogue_id from pii_spans where id = ?"}.get(table or "")
    row = store.db.execute(sql, [row_id]).fetchone() if sql else None
    return row[0] if row else None


def count_unscanned_dialogues(store: Store) -> int:
    """Releasable dialogues whose turns have not been scanned for identifiers yet."""
    return store.count(f"select count(*) from dialogues where status in {RELEASABLE_SQL} and scanned_at is null")


def topic_distribution(store: Store, generator: str, weights: dict[str, float]) -> dict | None:
    """Realised topics of a generator's drawn items (every live pair, whatever its status: the draw
    is what is tested) against the expected shares: per topic n, expected n and share, and scipy's
    chi-square goodness of fit. None when the generator stored no pairs."""
    from scipy import stats

    rows = dict(store.db.execute(
        "select json_extract(q.meta, '$.topic'), count(*) from qa_pairs q join cases c on c.id = q.case_id "
        "where c.generator = ? and q.status != 'superseded' and json_extract(q.meta, '$.topic') is not null "
        "group by 1", [generator]).fetchall())
    n = sum(rows.values())
    if not n:
        return None
    total = sum(weights.values())
    expected = {t: n * w / total for t, w in weights.items()}
    observed = [rows.get(t, 0) for t in weights]
    unknown = sorted(set(rows) - set(weights))
    test = stats.chisquare(observed, list(expected.values())) if not unknown else None
    return {"n": n, "unknown_topics": unknown,
            "topics": {t: {"n": rows.get(t, 0), "expected": round(expected[t], 2), "share": round(rows.get(t, 0) / n, 4),
                           "expected_share": round(weights[t] / total, 4)} for t in weights},
            "chi2": None if test is None else round(float(test.statistic), 3),
            "p": None if test is None else float(test.pvalue)}


def case_facts(store: Store, generator: str) -> list[dict]:
    """The facts of a generator's stored cases, in order: the personas `onprem personas sample`
    stored (scenarios), the profiles `onprem profiles sample pe` stored (pe)."""
    return [json.loads(f) for (f,) in store.db.execute("select facts from cases where generator = ? order by id",
                                                        [generator])]
