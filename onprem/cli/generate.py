"""`onprem generate sqpsych`: questionnaire-grounded CBT dialogues from client records."""

from __future__ import annotations

from pathlib import Path

import click

from onprem import config
from onprem.cli.progress import progress
from onprem.errors import EXIT_PARTIAL, UserError


def load_models(therapist: str | None, client: str | None, n_ctx: int):
    """Both agents' models, loaded once when they are the same file; fail before any work."""
    from onprem.model.registry import resolve
    from onprem.model.runtime import LlamaModel

    t_entry, c_entry = resolve(therapist), resolve(client)
    t_model = LlamaModel(t_entry, n_ctx=n_ctx)
    same = t_entry.sha256 == c_entry.sha256
    return t_model, (t_model if same else LlamaModel(c_entry, n_ctx=n_ctx))


@click.group()
def generate():
    """Generate synthetic therapy dialogues on local models."""


@generate.command()
@click.option("--profiles", "profiles_file", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Client records: CSV (client_id, age, gender, condition, phq9_1...) or JSONL.")
@click.option("--therapist-model", metavar="NAME|PATH", help="Model for the therapist [default: the registry's default].")
@click.option("--client-model", metavar="NAME|PATH", help="Model for the client [default: the registry's default].")
@click.option("--max-turns", default=30, show_default=True, type=click.IntRange(2, 200), help="Turn cap per dialogue.")
@click.option("--min-turns", default=10, show_default=True, type=click.IntRange(1),
              help="An end signal counts only from this many turns on (capped at --max-turns).")
@click.option("--max-words", default=60, show_default=True, type=click.IntRange(5, 300), help="Word limit per utterance.")
@click.option("--min-words", default=2, show_default=True, type=click.IntRange(1, 50), help="Word minimum per utterance.")
@click.option("--retries", default=2, show_default=True, type=click.IntRange(0, 10),
              help="Extra draws for an empty, repeated or invalid turn.")
@click.option("--seed", default=config.DEFAULT_SEED, show_default=True, type=int)
@click.option("--temperature", default=0.7, show_default=True, type=float)
@click.option("--n-ctx", default=4096, show_default=True, type=click.IntRange(512), help="Model context size.")
@click.option("--questionnaires", "extra", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Another folder of instrument files.")
@click.option("--force", is_flag=True, help="Redo clients that already have a dialogue (old ones are kept as superseded).")
@click.pass_context
def sqpsych(ctx, profiles_file, therapist_model, client_model, max_turns, min_turns, max_words, min_words,
            retries, seed, temperature, n_ctx, extra, force):
    """CBT sessions role-played from client questionnaire records (SQPsych)."""
    from onprem.dialogue import store as dstore
    from onprem.dialogue.profiles import build_profile
    from onprem.dialogue.roleplay import Limits
    from onprem.dialogue.runner import Tally, run_dialogues
    from onprem.generators import sqpsych as gen
    from onprem.pipeline.runs import finish_run, start_run
    from onprem.questionnaires import Catalog, read_records

    if min_words > max_words:
        raise UserError(f"--min-words {min_words} is more than --max-words {max_words}")
    catalog = Catalog.load([extra] if extra else None)
    read = read_records(profiles_file, catalog)
    for w in read.warnings:
        click.echo(f"warning: {w}", err=True)
    for e in read.errors:
        click.echo(f"onprem: {profiles_file}: {e}", err=True)
    if not read.records:
        click.echo(f"onprem: {profiles_file}: no valid client records; nothing to generate", err=True)
        ctx.exit(EXIT_PARTIAL)

    limits = Limits(max_turns=max_turns, min_turns=min(min_turns, max_turns), min_words=min_words,
                    max_words=max_words, retries=retries)
    opts = gen.Options(limits=limits, temperature=temperature, seed=seed, force=force)
    t_model, c_model = load_models(therapist_model, client_model, n_ctx)
    from onprem.dialogue.scan import load_analyzer

    analyze = load_analyzer()  # each dialogue is stored with its identifier findings, ready for review
    store = ctx.obj.store()
    prompt_files = gen.prompt_files()
    params = {**opts.params(), "n_ctx": n_ctx, "profiles_file": str(profiles_file),
              "therapist_model": t_model.name, "client_model": c_model.name, "client_model_sha256": c_model.sha256,
              "prompts": {p.label: p.sha256 for p in prompt_files}}
    run_id = start_run(store, f"generate {gen.NAME}", model=t_model, seed=seed, prompt=prompt_files[0], params=params)
    status, tally = "interrupted", Tally()
    try:
        # Profiles are stored once per distinct record: a re-run finds them and skips finished dialogues.
        dstore.save_questionnaires(store, catalog.entries.values())
        instruments = {n: e.sha256 for n, e in catalog.entries.items()}
        items = [(dstore.save_profile(store, p, str(profiles_file), {k: instruments[k] for k in p.responses}), p)
                 for p in (build_profile(catalog, r) for r in read.records)]
        fields = {"ended": 0, "capped": 0, "failed": 0, "turns": 0, "findings": 0, "tok_s": 0}
        with progress(len(items), gen.NAME, fields) as bar:
            def on_done(profile, result, tally, found):
                line = f"{profile.client_id}: " + (
                    "already done" if result is None else
                    f"{result.status}, {len(result.good_turns())} turns"
                    + (f" ({len(result.turns) - len(result.good_turns())} unusable)" if result.good_turns() != result.turns else "")
                    + (f"; {result.reason}" if result.status == "failed" else "")
                    + (f"; {found} findings" if found is not None else ""))
                bar.advance(line, ended=tally.ended, capped=tally.capped, failed=tally.failed, turns=tally.turns,
                            findings=tally.findings, tok_s=f"{tally.tokens_per_second:.0f}")

            tally = run_dialogues(store, gen.NAME, items, make_agents=gen.make_agents(t_model, c_model, opts),
                                  limits=limits, seed=seed, run_id=run_id,
                                  models={"therapist": t_model, "client": c_model}, prompts=prompt_files,
                                  params=params, force=force, on_done=on_done, scan=analyze)
        status = "partial" if (read.errors or tally.failed) else "done"
    finally:
        finish_run(store, run_id, status, {**tally.as_dict(), "rows_rejected": len(read.errors),
                                           "rows_valid": len(read.records)})
    click.echo(f"run {run_id}: {len(read.records)} clients ({len(read.errors)} rows rejected), "
               f"{tally.skipped} already done; {tally.ended} ended, {tally.capped} reached the turn cap, "
               f"{tally.failed} failed; {tally.turns} turns, {tally.findings} identifier findings to review, "
               f"{tally.turns_per_minute:.1f} turns/min, "
               f"{tally.tokens_per_second:.1f} tokens/s")
    if read.errors or tally.failed:
        ctx.exit(EXIT_PARTIAL)


COMMANDS = [generate]
