"""`onprem judge sqpsych`: a local-model rubric score (0-2 per criterion, with a reason) per dialogue."""

from __future__ import annotations

import json

import click

from onprem import config
from onprem.cli.paraphrase import load_model, model_option
from onprem.cli.progress import progress
from onprem.errors import EXIT_PARTIAL


def profile_text(row: dict) -> str:
    scores = "; ".join(f"{k.upper()} {v['total']} ({v['severity']})" for k, v in sorted(json.loads(row["scores"]).items()))
    return f"{row['age']}-year-old {row['gender']}, condition: {row['condition']}; {scores}.\n{row['persona']}"


@click.group()
def judge():
    """Score generated dialogues with a rubric on a local model."""


@judge.command()
@model_option
@click.option("--seed", default=config.DEFAULT_SEED, show_default=True, type=int)
@click.option("--temperature", default=0.2, show_default=True, type=float)
@click.option("--retries", default=2, show_default=True, type=click.IntRange(0, 10),
              help="Extra attempts when the output is invalid.")
@click.option("--n-ctx", default=8192, show_default=True, type=click.IntRange(1024), help="Model context size.")
@click.option("--limit", type=click.IntRange(1), help="Judge at most this many dialogues.")
@click.option("--criteria", metavar="KEY,...", help="Score only these criteria (see --list-criteria).")
@click.option("--list-criteria", is_flag=True, help="Print the rubric's criteria and exit.")
@click.option("--force", is_flag=True, help="Judge again dialogues that already have a judgment (old ones superseded).")
@click.pass_context
def sqpsych(ctx, model_name, seed, temperature, retries, n_ctx, limit, criteria, list_criteria, force):
    """Therapist, client and overall criteria of the SQPsych evaluation, each 0-2 with a short reason."""
    import prompts
    from onprem.dialogue import store as dstore
    from onprem.dialogue.judge import judge as run_judge, max_tokens_for
    from onprem.model.runtime import derive_seed
    from onprem.generators import sqpsych as gen
    from onprem.model.runtime import Sampling
    from onprem.pipeline.runs import finish_run, start_run

    rubric, prompt = gen.RUBRIC, prompts.load(gen.JUDGE_PROMPT)
    if list_criteria:
        for c in rubric.criteria:
            click.echo(f"{c.key:<22} {c.group:<10} {c.question}")
        return
    if criteria:
        try:
            rubric = rubric.subset([k.strip() for k in criteria.split(",") if k.strip()])
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--criteria") from e
    sampling = Sampling(temperature=temperature, max_tokens=max_tokens_for(rubric))
    model = load_model(model_name, n_ctx)
    store = ctx.obj.store()
    todo = dstore.dialogues_to_judge(store, rubric.name, gen.NAME, force)[:limit]
    run_id = start_run(store, f"judge {gen.NAME}", model=model, seed=seed, prompt=prompt,
                       params={"rubric": rubric.name, "criteria": rubric.keys(), "retries": retries,
                               "n_ctx": model.n_ctx, **sampling.as_dict()})
    status, stats = "interrupted", {"dialogues": 0, "done": 0, "failed": 0, "tokens": 0, "seconds": 0.0}
    try:
        with progress(len(todo), f"judge {gen.NAME}", {"done": 0, "failed": 0}) as bar:
            for row in todo:
                outcome = run_judge(model, rubric, prompt, turns=dstore.dialogue_turns(store, row["id"]),
                                    profile=profile_text(row), sampling=sampling,
                                    seed=derive_seed(seed, f"{row['id']}"), retries=retries)
                dstore.save_judgment(store, dialogue_id=row["id"], run_id=run_id, rubric=rubric, model=model,
                                     outcome=outcome)
                stats["dialogues"] += 1
                stats["done" if outcome.ok else "failed"] += 1
                stats["tokens"] += outcome.tokens
                stats["seconds"] += outcome.seconds
                detail = ", ".join(f"{k} {v}" for k, v in outcome.totals(rubric).items()) if outcome.ok else outcome.error
                bar.advance(f"dialogue {row['id']} ({row['client_id']}): {detail}",
                            done=stats["done"], failed=stats["failed"])
        status = "partial" if stats["failed"] else "done"
    finally:
        stats["seconds"] = round(stats["seconds"], 1)
        finish_run(store, run_id, status, stats)
    click.echo(f"run {run_id}: judged {stats['done']} dialogues, {stats['failed']} failed "
               f"({len(todo) and stats['tokens']} tokens in {stats['seconds']} s)")
    if stats["failed"]:
        ctx.exit(EXIT_PARTIAL)


COMMANDS = [judge]
