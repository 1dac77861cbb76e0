"""MentalChat16K's evaluation commands under `onprem eval`: `respond` (a model answers the benchmark
questions over several rounds), `compare` (two models' judge scores, t-tests) and `human-judge`
(people's rankings against the judges' scores)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from onprem.cli.options import PARALLEL_DECLS, parallel_attrs, seed_attrs
from onprem.errors import UserError
from onprem.events import progress_option
from onprem.fsutil import read_utf8


@click.command()
@click.option("--questions", "questions_path", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help='JSONL {"id": ..., "question": ...} per line, or CSV with the header id,question.')
@click.option("--model", "model_name", metavar="NAME|PATH", help="The model that answers [default: the registry's default].")
@click.option("--rounds", default=5, show_default=True, type=click.IntRange(1, 100), help="Inference rounds (the paper: 5).")
@click.option("--seed", **seed_attrs())
@click.option("--max-tokens", default=512, show_default=True, type=click.IntRange(16), help="Token limit of a response.")
@click.option("--threads", type=click.IntRange(1), help="CPU threads [default: $ONPREM_THREADS or all cores].")
@click.option(*PARALLEL_DECLS, **parallel_attrs())
@click.option("--n-ctx", default=4096, show_default=True, type=click.IntRange(512), help="Model context size.")
@progress_option
@click.pass_context
def respond(ctx, questions_path, model_name, rounds, seed, max_tokens, threads, parallel, n_ctx, progress_mode):
    """A model answers benchmark questions, every question once per round; responses are stored with
    their run, round and seed for `onprem judge mentalchat7`."""
    from onprem.job_frame import run_job
    from onprem.papers.mentalchat16k.respond import RespondJob

    job = RespondJob(questions_path, model_name, rounds, seed, max_tokens, threads, parallel, n_ctx)
    ctx.exit(run_job(ctx.obj.store(), job, progress_mode))


def _compare_source(ctx, spec: str):
    from onprem.papers.mentalchat16k import compare as cmp

    if spec.startswith("run:"):
        if not spec[4:].isdigit():
            raise UserError(f"{spec!r}: write run:ID with the number of an eval respond or judge mentalchat7 run")
        return cmp.read_run(ctx.obj.store(), int(spec[4:]))
    path = Path(spec)
    if not path.is_file():
        raise UserError(f"{spec}: no such file; give run:ID or a CSV file item_id,round,metric,score")
    return cmp.read_csv(read_utf8(path), str(path))


@click.command()
@click.argument("a")
@click.argument("b")
@click.option("--test", type=click.Choice(["welch", "student"]), default="welch", show_default=True)
@click.option("--unit", type=click.Choice(["response", "round"]), default="response", show_default=True,
              help="Test every response's score, or the per-round means.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def compare(ctx, a, b, test, unit, as_json):
    """Two models' judge scores per metric: n, mean, SD, t, two-sided p (scipy's ttest_ind).

    A and B: run:ID (an eval respond run, or a judge mentalchat7 run) or CSV item_id,round,metric,score."""
    from onprem.papers.mentalchat16k import compare as cmp

    result = cmp.compare(_compare_source(ctx, a), _compare_source(ctx, b), test, unit)
    if as_json:
        click.echo(json.dumps(result))
        return
    from rich.console import Console
    from rich.table import Table

    def f(x, fmt=".2f"):
        return "-" if x is None else format(x, fmt)
    table = Table("metric", "n A", "A mean ± SD", "n B", "B mean ± SD", "t", "p", "p<.05",
                  title=f"{a} vs {b}: {test} t-test per metric, unit {unit}")
    table.columns[0].no_wrap = True
    for m, r in result["metrics"].items():
        table.add_row(m, str(r["n_a"]), f"{f(r['mean_a'])} ± {f(r['sd_a'])}", str(r["n_b"]),
                      f"{f(r['mean_b'])} ± {f(r['sd_b'])}", f(r["t"]), f(r["p"], ".3g"), "•" if r["significant"] else "")
    console = Console(width=max(Console().width, 110))
    console.print(table)
    for judge, metrics in result.get("by_judge", {}).items():     # the paper's per-judge tests (Table 3)
        per = Table("metric", "n A", "A mean ± SD", "n B", "B mean ± SD", "t", "p", "p<.05",
                    title=f"judge {judge}: {test} t-test per metric, unit {unit}")
        per.columns[0].no_wrap = True
        for m, r in metrics.items():
            per.add_row(m, str(r["n_a"]), f"{f(r['mean_a'])} ± {f(r['sd_a'])}", str(r["n_b"]),
                        f"{f(r['mean_b'])} ± {f(r['sd_b'])}", f(r["t"]), f(r["p"], ".3g"), "•" if r["significant"] else "")
        console.print(per)
    if "average_14" in result:
        av = result["average_14"]
        console.print(f"average of the {7 * len(result['judges'])} scores ({', '.join(result['judges'])}): "
                      f"A {av['a']:.2f}, B {av['b']:.2f}")


@click.command(name="human-judge")
@click.option("--judge-model", metavar="NAME", help="Only this judge's scores [default: each judge apart].")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def human_judge(ctx, judge_model, as_json):
    """Pearson r per metric between people's rankings (8 - mean rank, so higher is better) and a judge's
    mentalchat7 scores, over every ranked (question, model) response, each judge apart; and the
    paper's Table 3 layout: per model, the people's mean rank beside each judge's mean score.

    --json: with --judge-model, {metric: {n, r}}; else {"judges": {JUDGE: {metric: {n, r}}}, "models": {...}}."""
    from onprem.papers.mentalchat16k import rankings

    store = ctx.obj.store()
    judges = [judge_model] if judge_model else rankings.judge_models(store)
    per_judge = {j: rankings.human_vs_judge(store, j) for j in judges}
    if not any(r["n"] for result in per_judge.values() for r in result.values()):
        raise UserError("no ranked response has a mentalchat7 judgment; rank in onprem tui and run onprem judge mentalchat7")
    table = rankings.model_table(store)
    if as_json:
        click.echo(json.dumps(per_judge[judge_model] if judge_model else {"judges": per_judge, "models": table}))
        return
    for judge, result in per_judge.items():
        click.echo(f"human (8 - mean rank) vs {judge}, Pearson r per metric:")
        for m, r in result.items():
            click.echo(f"  {m:<30} n {r['n']:>4}  r {'undefined' if r['r'] is None else format(r['r'], '.3f')}")
    if table:
        click.echo("\n| model | responses ranked | people's mean rank (1 best) | "
                   + " | ".join(f"{j} mean score" for j in judges) + " |")
        click.echo("|---|---:|---:|" + "---:|" * len(judges))
        for model, row in table.items():
            cells = ["-" if row["judges"].get(j, {}).get("mean_score") is None else f"{row['judges'][j]['mean_score']:.2f}"
                     for j in judges]
            click.echo(f"| {model} | {row['responses']} | {row['mean_rank']:.2f} | " + " | ".join(cells) + " |")
