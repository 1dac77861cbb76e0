"""Real therapy sessions as dialogues (`onprem import-dialogues`): transcripts read with the ingest rules
(encodings, refusals), split at speaker labels into turns, every turn redacted with the same engine
and placeholders as pages (one placeholder map per session, so [PERSON_1] is the same person in
every turn), and stored as one dialogue of the generator `real`, marked real in its meta. Only the
redacted turns are stored (no mapping back to the originals). The redacted turns are then scanned
like generated dialogues, so what the redactor left (if anything) is a finding to review in the TUI.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from onprem.store import dialogues as dstore
from onprem.dialogue.roleplay import DialogueResult, Turn
from onprem.errors import InputError
from onprem.pipeline.ingest import Document
from onprem.pipeline.text import SPEAKER_LINE, speaker_turns
from onprem.vocab import REAL_GENERATOR as GENERATOR


@dataclass
class Imported:
    dialogue_id: int | None        # None: already imported (same file sha256)
    turns: int
    redacted: Counter              # identifiers replaced, by entity type
    findings: int                  # left in the redacted turns, to review


def turns_of(doc: Document, roles: tuple[str, str]) -> list[tuple[str, str]]:
    """(speaker, text) per labelled turn; `roles` are the labels of the therapist and the client."""
    found = speaker_turns(doc.text)
    if found is None:
        raise InputError(f"{doc.path}: no speaker labels (\"Therapist: ...\"); a session needs one label per turn")
    names = {roles[0].lower(): "therapist", roles[1].lower(): "client"}
    out = []
    for raw in found:
        m = SPEAKER_LINE.match(raw)
        label = m.group(1).strip().lower() if m else ""
        if label not in names:
            raise InputError(f"{doc.path}: speaker {label or raw[:20]!r} is neither {roles[0]} nor {roles[1]}; "
                             f"give --roles THERAPIST_LABEL,CLIENT_LABEL")
        out.append((names[label], " ".join(raw[m.end(0) - 1:].split())))
    return out


def import_session(store, doc: Document, *, redactor, roles: tuple[str, str], analyze, run_id: int,
                   pii_style: str = "placeholder", strict: bool = False) -> Imported:
    from redaction import PlaceholderMap

    case_id = dstore.ensure_case(store, GENERATOR, doc.sha256, title=doc.path.name,
                                 facts={"file": doc.path.name, "sha256": doc.sha256})
    if dstore.has_dialogue(store, case_id):
        return Imported(None, 0, Counter(), 0)
    raw = turns_of(doc, roles)
    mapping = PlaceholderMap(seed=doc.sha256[:16])
    redacted, counts = [], Counter()
    for speaker, text in raw:
        red = redactor.redact(text, mapping, style=pii_style, strict=strict)
        counts.update(s.entity_type for s in red.spans)
        redacted.append(Turn(len(redacted), speaker, red.text))
    result = DialogueResult(turns=redacted, status="ended", reason=f"imported from {doc.path.name}")
    meta = {"real": True, "file": doc.path.name, "pii_style": pii_style, "redacted": dict(sorted(counts.items()))}
    found = dstore.save_dialogue(store, case_id=case_id, generator=GENERATOR, run_id=run_id, result=result,
                                 models={}, prompts=[], params={"roles": list(roles), "pii_style": pii_style},
                                 seed=0, meta=meta, scan=analyze)
    did = dstore.latest_dialogue(store, case_id)
    return Imported(did, len(redacted), counts, found or 0)
