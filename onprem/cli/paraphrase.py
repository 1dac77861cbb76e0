"""`onprem paraphrase PATH...`: transcripts -> redacted pages -> question-answer pairs."""

from __future__ import annotations

import click

from onprem import config
from onprem.errors import EXIT_PARTIAL, InputError, UserError
from onprem.cli.options import PARALLEL_DECLS, STRICT_ATTRS, VERIFY_ATTRS, parallel_attrs, workers_attrs, seed_attrs
from onprem.events import progress, progress_option
from onprem.model.base import Sampling
from onprem.pipeline import wordfilter


def parse_roles(_ctx, _param, value: str) -> tuple[str, str]:
    roles = tuple(r.strip() for r in value.split(","))
    if len(roles) != 2 or not all(roles):
        raise click.BadParameter("give two roles, help-seeker first: for example caregiver,coach")
    return roles  # type: ignore[return-value]


def model_option(f):
    return click.option("--model", "model_name", metavar="NAME|PATH",
                        help="Registered model name, a GGUF path, or BACKEND:FILE [default: the registry's default].")(f)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@model_option
@click.option("--roles", default=",".join(config.DEFAULT_ROLES), show_default=True, callback=parse_roles,
              help="Help-seeker and helper, e.g. client,therapist.")
@click.option("--min-words", default=config.DEFAULT_MIN_WORDS, show_default=True, type=click.IntRange(0))
@click.option("--min-words-mode", type=click.Choice(wordfilter.MODES), default="each", show_default=True,
              help="each: question and answer each need --min-words; total: together.")
@click.option("--page-tokens", default=700, show_default=True, type=click.IntRange(64),
              help="Transcript tokens per page when the file has no page breaks.")
@click.option("--pii-style", type=click.Choice(["placeholder", "surrogate"]), default="placeholder",
              show_default=True, help="How identifiers are replaced before the model sees a page.")
@click.option("--strict", **STRICT_ATTRS)
@click.option("--pii-model", metavar="NAME",
              help="Also ask this local instruct model what in each redacted page still looks identifying; its "
                   "answers join the uncertain findings (never redacted without --strict).")
@click.option("--min-grounding", default=config.DEFAULT_MIN_GROUNDING, show_default=True, type=click.FloatRange(0, 1),
              help="Flag pairs for review when less than this share of their content words is on the page.")
@click.option("--seed", **seed_attrs())
@click.option("--temperature", default=Sampling.temperature, show_default=True, type=float)
@click.option("--max-tokens", default=Sampling.max_tokens, show_default=True, type=click.IntRange(32),
              help="Most tokens the model may write per page.")
@click.option("--retries", default=2, show_default=True, type=click.IntRange(0, 10),
              help="Extra attempts when the output is invalid.")
@click.option("--n-ctx", default=4096, show_default=True, type=click.IntRange(512), help="Model context size.")
@click.option("--threads", type=click.IntRange(1), help="CPU threads for the model [default: $ONPREM_THREADS or all cores].")
@click.option("--verify", **VERIFY_ATTRS)
@click.option(*PARALLEL_DECLS, **parallel_attrs())
@click.option("--workers", **workers_attrs())
@click.option("--encoding", help="Read transcripts in this encoding instead of UTF-8.")
@click.option("--force", is_flag=True, help="Redo pages already done (earlier pairs are kept as superseded).")
@progress_option
@click.pass_context
def paraphrase(ctx, paths, model_name, roles, min_words, min_words_mode, page_tokens, pii_style, strict, pii_model,
               min_grounding, seed,
               temperature, max_tokens, retries, n_ctx, threads, verify, parallel, workers, encoding, force, progress_mode):
    """Paraphrase transcripts page by page into question-answer pairs."""
    from onprem.model.factory import open_model
    from onprem.pipeline import paraphrase as pp
    from onprem.store.pages import pages_to_do
    from onprem.pipeline.ingest import find_transcripts
    from onprem.pipeline.workers import Choice, Workers, choose, ingest_files
    import dataclasses

    from onprem.allowed import terms as allowed_terms
    from onprem.runs import recorded_run, slow_note
    import prompts

    files = find_transcripts(list(paths))
    if not files:
        raise UserError(f"no .txt or .md transcripts found in {', '.join(paths)}")
    opts = options_from(click.get_current_context().params)
    pages_guess = estimate_pages(files, page_tokens)
    model = open_model(model_name, role="paraphrase", n_ctx=n_ctx, threads=threads, parallel=parallel,
                       verify=verify, items=pages_guess)  # before any work: a bad model writes nothing
    checker = open_model(pii_model, role="pii", threads=threads) if pii_model else None
    store = ctx.obj.store()
    opts = dataclasses.replace(opts, allowed=tuple(allowed_terms(store)))
    budget = pp.page_budget(model, opts)
    failed_files, tally = 0, pp.new_tally()
    procs = (Choice(1, "in this process: a second-look --pii-model cannot be sent to a worker") if checker
             else choose(workers, pages_guess))
    with recorded_run(store, "paraphrase", models={"paraphrase": model, **({"pii": checker} if checker else {})}, seed=seed,
                      prompts=[prompts.load(pp.PROMPT_NAME), *([prompts.load("pii_check")] if checker else [])],
                      params={**opts.params(), "pii_style": pii_style, "strict": strict, "n_ctx": model.n_ctx,
                              "workers": procs.workers, "workers_from": procs.why}) as run, \
            progress("paraphrase", "paraphrase", pp.STATUSES, progress_mode) as bar, \
            Workers(procs.workers) as pool:
        run.stats = {"files": len(files)}

        def unreadable(e: InputError) -> None:
            nonlocal failed_files
            failed_files += 1
            click.echo(f"onprem: {e}", err=True)

        source_ids = ingest_files(store, files, pool, encoding=encoding, budget=budget, count_tokens=model.count_tokens,
                                  pii_style=pii_style, force=force, strict=strict, on_error=unreadable,
                                  pii_model=checker, note=bar.note)
        run.stats["files_failed"] = failed_files
        if model.backend == "llama":
            pool.in_this_process()      # the local model decodes on every core; its checks are a sliver
        pages = pages_to_do(store, source_ids, force)
        bar.start(len(pages))

        def on_page(page, outcome, tally):
            # the source's number, never its file name: progress lines, JSONL events and the TUI's job
            # log outlive the run, and file names often carry a client's name (`onprem stats`, the
            # TUI's Browse map numbers to files on this machine)
            line = f"source {page['source_id']} page {page['seq'] + 1}: {outcome.status}"
            if outcome.reason:
                line += f" ({outcome.reason})"
            bar.item(line, status=outcome.status, counts=tally.counts(), rate=f"{tally.tokens_per_second:.0f} tok/s")

        try:
            pp.run_pages(store, model, None, pages, opts, run.id, on_page=on_page, tally=tally, workers=pool)
        finally:
            run.stats.update(tally.as_dict())
        slow = slow_note(store, run.id, model, tally.tokens_per_second) if tally.tokens else None
        if slow:
            bar.note(f"note: {slow}")
        run.status = "partial" if (failed_files or tally.failed) else "done"
        code = EXIT_PARTIAL if (failed_files or tally.failed) else 0
        bar.done(f"run {run.id}: {len(files) - failed_files}/{len(files)} files, {tally.pages} pages: "
                 f"{tally.kept} kept, {tally.filtered} filtered, {tally.flagged} flagged, {tally.failed} failed; "
                 f"{tally.tokens} tokens at {tally.tokens_per_second:.1f} tokens/s; next: {next_step(tally)}",
                 counts=tally.counts(), run_id=run.id, exit_code=code)
    if code:
        ctx.exit(code)


def estimate_pages(files, page_tokens: int) -> int:
    """Pages the files will give, before they are read (for --parallel auto): a page per form feed,
    else about four characters a token."""
    total = 0
    for f in files:
        try:
            size = f.stat().st_size
            breaks = f.read_bytes().count(b"\f") if size < 50_000_000 else 0
        except OSError:
            continue
        total += max(breaks + 1, -(-size // (page_tokens * 4)))
    return max(1, total)


def options_from(values: dict):
    """The pipeline's Options from this command's parsed values (also read by `eval quality`)."""
    from onprem.pipeline import paraphrase as pp

    return pp.Options(roles=values["roles"], min_words=values["min_words"], min_words_mode=values["min_words_mode"],
                      page_tokens=values["page_tokens"], seed=values["seed"], retries=values["retries"],
                      force=values["force"], min_grounding=values["min_grounding"],
                      sampling=Sampling(temperature=values["temperature"], max_tokens=values["max_tokens"]))


def next_step(tally) -> str:
    """What a person does after a run: decide on flagged pairs and findings first, then release."""
    if tally.flagged:
        return f"onprem review (decide on {tally.flagged} flagged pairs and their findings), then onprem export"
    return "onprem review (check the identifier findings), then onprem export --out FILE"


COMMANDS = [paraphrase]
