"""`onprem dedup`: mark near-duplicate queries (or whole pairs) among every source's pairs, with a local
embedding model; see onprem/dedup.py for the rule."""

from __future__ import annotations

import click

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
    from onprem.dedup import DedupJob
    from onprem.job_frame import run_job

    ctx.exit(run_job(ctx.obj.store(), DedupJob(threshold, scope, model_name, threads), progress_mode))


COMMANDS = [dedup]
