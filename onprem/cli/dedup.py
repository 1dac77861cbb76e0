"""`onprem dedup`: mark near-duplicate queries (or whole pairs) among every source's pairs, with a local
embedding model; see onprem/dedup.py for the rule."""

from __future__ import annotations

import time

import click

from onprem.errors import UserError
from onprem.events import progress_option


@click.command()
@click.option("--threshold", type=click.FloatRange(-1.0, 1.0), default=0.965, show_default=True,
              help="Cosine at or above which an item is a duplicate of its nearest accepted one "
                   "(0.965 is the MentalChat16K authors' setting; it depends on the embedding model).")
@click.option("--scope", type=click.Choice(["queries", "pairs"]), default="queries", show_default=True,
              help="Embed the query alone, or question and answer together.")
@click.option("--model", "model_name", metavar="EMBEDDER",
              help="A registered GGUF (or path) whose llama.cpp embeddings are used [default: the registry's default].")
@click.option("--threads", type=click.IntRange(1), help="CPU threads [default: $ONPREM_THREADS or all cores].")
@progress_option
@click.pass_context
def dedup(ctx, threshold, scope, model_name, threads, progress_mode):
    """Mark near-duplicate pairs (status `duplicate`, with the nearest pair and the cosine); every item
    keeps its similarity to the nearest accepted one, so a new --threshold needs no re-embedding."""
    import numpy as np

    from onprem import dedup as dd
    from onprem.model.base import Embedder
    from onprem.model.factory import open_model
    from onprem.events import progress
    from onprem.runs import recorded_run

    store = ctx.obj.store()
    rows = dd.candidates(store)
    if not rows:   # nothing accepted yet is not an error: there is simply nothing to mark
        click.echo("dedup: no kept, flagged or approved pairs to compare; nothing marked "
                   "(paraphrase, import or generate some first)")
        return
    model = open_model(model_name, role="embedder", n_ctx=2048, threads=threads)
    if not isinstance(model, Embedder):
        raise UserError(f"{model.name}: its backend ({model.backend}) cannot embed text; give a local GGUF with --model")
    sha = model.sha256 or f"{model.backend}:{model.name}"
    params = {"threshold": threshold, "scope": scope, "embedder": {"name": model.name, "sha256": model.sha256}}
    with recorded_run(store, "dedup", models={"embedder": model}, params=params) as rec, \
            progress("dedup", "dedup", ("embedded",), progress_mode) as bar:
        t0 = time.perf_counter()
        todo = dd.missing(store, sha, rows, scope)
        bar.start(len(todo))
        done = {"embedded": 0}

        def embedded_one(row) -> None:
            done["embedded"] += 1
            bar.item(f"pair {row['id']} embedded", status="embedded", counts=done)

        dd.embed(store, model, sha, todo, scope, on_done=embedded_one)
        t_embed = time.perf_counter() - t0
        vectors = dd.load_vectors(store, sha, rows, scope)
        t0 = time.perf_counter()
        approved = np.array([r["status"] == "approved" for r in rows])   # a person's approval always stands
        decisions = dd.decide(vectors, threshold, always=approved)
        t_search = time.perf_counter() - t0
        stats = dd.apply(store, rows, decisions, threshold, rec.id)
        rec.stats = {**stats, "embedded": len(todo), "embed_seconds": round(t_embed, 2),
                     "search_seconds": round(t_search, 3)}
        rec.status = "done"
        rate = f", {len(todo) / t_embed:.1f} texts/s" if todo and t_embed else ""
        bar.done(f"dedup run {rec.id}: {stats['items']} items ({scope}), {len(todo)} embedded with {model.name}{rate}; "
                 f"{stats['duplicates']} duplicates at cosine >= {threshold} ({stats['newly_marked']} newly marked, "
                 f"{stats['restored']} given back their status); search {t_search:.2f} s",
                 counts={**done, "duplicates": stats["duplicates"]}, run_id=rec.id, exit_code=0)
    model.close()


COMMANDS = [dedup]
