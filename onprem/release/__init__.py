"""The one release path, for the CLI and the TUI alike: choose what may leave (the gate), write it in
a registered format, and record the release in the audit log with its policy, what was held back
and why, and the sha256 of what was written.

Pairs are released when they passed the word filter (kept) or a person approved them, and none of
their identifier findings is unresolved. Dialogues that ended or reached the turn cap follow the same
rule on the findings in their usable turns; unusable turns are never exported, and neighbouring
turns of one speaker are joined.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, TextIO

from onprem import plugins
from onprem.errors import UserError
from onprem.store import Store, releasable


@dataclass(frozen=True)
class Policy:
    reviewed_only: bool = False      # only what a person approved
    include_flagged: bool = False    # explicit: also release items with unresolved findings (counted)
    include_uncertain: bool = False  # explicit: also release pairs whose page has undecided uncertain findings


@dataclass
class Selection:
    rows: list[dict]
    held: Counter = field(default_factory=Counter)
    flagged_included: int = 0


@dataclass
class Released:
    format: str
    unit: str
    written: int
    selection: Selection
    path: Path | None
    sha256: str
    noun: str = ""               # what `written` counts
    audited: bool = True         # False only from a read-only database, which cannot take the audit row

def writer(fmt: str):
    return plugins.get("writer", fmt)


def formats() -> dict[str, object]:
    return {name: r.component for name, r in plugins.writers().items()}


def select_pairs(store: Store, policy: Policy) -> Selection:
    rows = releasable.pairs_with_flags(store)
    sel = Selection(rows=[])
    for r in rows:
        status = r["status"]
        if status == "approved":
            ok = r["open_flags"] == 0 or policy.include_flagged
        elif status == "kept":
            ok = not policy.reviewed_only and (r["open_flags"] == 0 or policy.include_flagged)
        elif status == "flagged":
            ok = policy.include_flagged and not policy.reviewed_only
        else:
            ok = False
        if ok and r["open_uncertain"] and not policy.include_uncertain:
            sel.held["undecided uncertain findings on its page"] += 1
            continue
        if ok:
            sel.flagged_included += status == "flagged" or r["open_flags"] > 0
            sel.rows.append(r)
        else:
            reason = status if status not in ("kept", "approved") else (
                "unresolved identifier findings" if r["open_flags"] else "not reviewed")
            sel.held[reason] += 1
    return sel


def messages_of(turns: list[dict]) -> list[dict]:
    out: list[dict] = []
    for t in turns:
        if out and out[-1]["role"] == t["speaker"]:
            out[-1]["content"] += " " + t["content"]
        else:
            out.append({"role": t["speaker"], "content": t["content"]})
    return out


def select_dialogues(store: Store, policy: Policy, analyze: Callable[[str], list] | None = None) -> Selection:
    """Dialogues not scanned yet are scanned first and their findings stored (`analyze(text) ->
    [Span]`, loaded when needed), then: a dialogue a person rejected stays; one a person approved
    goes unless a finding is unresolved; one nobody reviewed goes when it has no unresolved finding,
    unless `reviewed_only`. `include_flagged` releases those with unresolved findings (counted)."""
    from onprem.store import dialogues as dstore
    from onprem.dialogue.scan import scan_pending

    # A read-only database cannot store findings: what was never scanned is held back, not guessed.
    not_scanned: set[int] = set()
    if store.read_only:
        not_scanned = set(dstore.unscanned(store))
    else:
        scan_pending(store, analyze)
    sel = Selection(rows=[])
    from onprem.generators import not_training_data

    inputs = not_training_data()
    for d in dstore.releasable_dialogues(store):
        if d["generator"] in inputs:        # e.g. scenarios: what sessions are made from, not training data
            continue
        if d["id"] in not_scanned:
            sel.held["not scanned for identifiers (read-only database)"] += 1
            continue
        open_flags = releasable.dialogue_open_flags(store, d["id"])
        review = d["review_status"]
        if review == "rejected":
            sel.held["rejected"] += 1
            continue
        if review != "approved" and policy.reviewed_only:
            sel.held["unresolved identifier findings" if open_flags else "not reviewed"] += 1
            continue
        if open_flags and not policy.include_flagged:
            sel.held["unresolved identifier findings"] += 1
            continue
        msgs = messages_of(dstore.dialogue_turns(store, d["id"]))
        if not msgs:
            sel.held["no usable turns"] += 1
            continue
        sel.flagged_included += bool(open_flags)
        sel.rows.append({**d, "scores": json.loads(d["scores"]) if d["scores"] else None, "messages": msgs})
    for status, n in releasable.unreleasable_dialogue_counts(store):
        sel.held[status] += n
    return sel


def select(store: Store, fmt: str, policy: Policy, analyze: Callable[[str], list] | None = None) -> Selection:
    """What `fmt` would release under `policy` (the Export screen's preview)."""
    if writer(fmt).unit == "dialogues":
        return select_dialogues(store, policy, analyze)
    return select_pairs(store, policy)


class _Hashing(io.TextIOBase):
    """Passes text through to `out` and hashes its UTF-8 bytes on the way."""

    def __init__(self, out: TextIO):
        self.out, self.h = out, hashlib.sha256()

    def write(self, s: str) -> int:
        self.h.update(s.encode("utf-8"))
        return self.out.write(s)


def release(store: Store, fmt: str, out: Path | None, policy: Policy, *, actor: str,
            stdout: TextIO | None = None, analyze: Callable[[str], list] | None = None, opts=None,
            mix=None, force: bool = False) -> Released:
    """Select, write (owner-only and atomically to `out`, else to `stdout`), and audit. `opts` are
    the writer's own options; with a set (e.g. training-set schedules) `out` is a directory and the
    manifest's sha256 is what the audit row records. With `mix` (release.mix.Mix) only the drawn
    real + synthetic items are written, and a manifest goes beside `out`.

    `out` may not be the database, its side files or a folder (for one file); an existing file is
    replaced only with `force`. Checked before anything is read or written."""
    from onprem.fsutil import write_private

    w = writer(fmt)
    if opts is None and w.Options is not None:
        opts = w.Options()
    if out is not None:
        check_out(store, w, out, opts, force=force, mix=mix)
    sel = select(store, fmt, policy, analyze)
    mixed = None
    if mix is not None:
        from onprem.release.mix import draw

        if out is None:
            raise UserError("--mix needs --out FILE (its manifest is written beside it)")
        sel.rows, mixed = draw(sel.rows, w.unit, mix)
    rows = w.rows(store, sel, opts)

    if w.writes_set(opts):
        if out is None:
            raise UserError(f"--format {fmt} writes a set of files: give --out DIR")
        try:
            manifest = w.write_set(rows, out, opts)
        except OSError as e:
            raise UserError(written_to(out, e)) from e
        digest = manifest["sha256"]
        done = Released(fmt, w.unit, len(manifest["files"]), sel, out.resolve(), digest, "files")
        done.audited = _audit(store, actor, {
                "path": str(done.path), "format": fmt, "unit": w.unit, "policy": asdict(policy),
                "written": done.written, "held": dict(sel.held), "flagged_included": sel.flagged_included,
                "sha256": digest, "set": {k: v for k, v in manifest.items() if k != "files"}})
        return done

    def render(f: TextIO) -> tuple[int, str]:
        hashing = _Hashing(f)
        n = w.write(rows, hashing)
        return n, hashing.h.hexdigest()

    if out is None:
        n, digest = render(stdout or io.StringIO())
    else:
        result: dict = {}
        try:
            write_private(out, lambda f: result.setdefault("r", render(f))[0])
        except OSError as e:
            raise UserError(written_to(out, e)) from e
        n, digest = result["r"]
    done = Released(fmt, w.unit, n, sel, out.resolve() if out else None, digest, w.noun or w.unit)
    after = {"path": str(done.path) if done.path else "-", "format": fmt, "unit": w.unit, "policy": asdict(policy),
             "written": n, "held": dict(sel.held), "flagged_included": sel.flagged_included, "sha256": digest}
    if mixed is not None:
        manifest = {**mixed, "seed": mix.seed, "stratify": mix.stratify, "synthetic_from": list(mix.synthetic_from),
                    "format": fmt, "output": str(done.path), "sha256": digest,
                    "items": [{"id": r["id"], "side": r["side"], "source": r.get("source") or r.get("case_key"),
                               "generator": r.get("generator") or r.get("pair_generator"), "topic": r.get("topic")}
                              for r in sel.rows]}
        text = json.dumps(manifest, indent=1) + "\n"
        write_private(manifest_path(out), lambda f: f.write(text))
        after["mix"] = {k: v for k, v in manifest.items() if k != "items"}
    done.audited = _audit(store, actor, after)
    return done


def _audit(store: Store, actor: str, after: dict) -> bool:
    """The release's audit row; False when the database is read-only (the caller says so)."""
    if store.read_only:
        return False
    with store.atomic():
        store.audit(actor, "export", None, None, after=after)
    return True


def check_out(store: Store, w, out: Path, opts, *, force: bool, mix=None) -> None:
    from onprem.fsutil import check_output

    as_set = w.writes_set(opts)
    check_output(out, force=force, db=store.path, folder_ok=as_set)
    if as_set and out.exists() and not out.is_dir():
        raise UserError(f"{out}: --out is a file; this format writes a set of files, give a folder")
    if as_set and out.is_dir() and any(out.iterdir()) and not force:
        raise UserError(f"{out}: folder is not empty; add --force to overwrite its files, or choose another --out")
    if mix is not None:
        check_output(manifest_path(out), force=force, db=store.path, flag="the manifest")


def written_to(out: Path, error: OSError) -> str:
    """A failed write of an export, named by the export's own path and disk (not the database's)."""
    import errno

    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"{out}: the disk of the output is full; nothing was written (no partial file); free space there "
                f"or choose another --out")
    return f"{out}: cannot write the export ({error.strerror or error}); nothing was written"


def manifest_path(out: Path) -> Path:
    return out.with_name(out.name + ".manifest.json")


def scan_in_child(db_path) -> subprocess.CompletedProcess | None:
    """Scan new dialogues for identifiers in a child process (the TUI never loads the redaction
    stack), so a selection made afterwards reads stored findings and decisions only. None when
    there was nothing to scan."""
    from onprem.dialogue.scan import command
    from onprem.store import dialogue_queries, open_store

    store = open_store(db_path)
    try:
        pending = dialogue_queries.count_unscanned_dialogues(store)
    finally:
        store.close()
    if not pending:
        return None
    return subprocess.run(command(db_path), capture_output=True, text=True, start_new_session=True)
