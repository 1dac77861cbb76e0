"""Thousand Voices of Trauma's commands: `onprem profiles sample|validate` (client profiles) and
`onprem eval trajectory` (the emotional-trajectory benchmark)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from onprem.cli.options import seed_attrs

from onprem.errors import InputError, UserError
from onprem.fsutil import read_utf8


@click.group()
def profiles():
    """Sampled client profiles for the generators."""


@profiles.command()
@click.argument("kind", type=click.Choice(["pe"]))
@click.option("--n", "n", required=True, type=click.IntRange(1, 1_000_000), help="How many profiles.")
@click.option("--seed", **seed_attrs("The same seed and N give the same profiles."))
@click.option("--preset", type=click.Choice(["paper", "reported"]), default="paper", show_default=True,
              help="paper: the gender weights the paper states; reported: the shares of its 500 released profiles.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Also write them as JSONL (owner-only; an existing file only with --force).")
@click.option("--force", is_flag=True, help="Overwrite an existing --out file.")
@click.pass_context
def sample(ctx, kind, n, seed, preset, out, force):
    """Draw N profiles (client, therapist, session context) from the distributions in onprem/papers/thousand_voices/data."""
    from onprem.store import dialogues as dstore
    from onprem.fsutil import json_line, write_private
    from onprem.papers.thousand_voices import profiles as pe

    from onprem import config
    from onprem.fsutil import check_output

    if out:
        check_output(out, force=force, db=config.db_path(ctx.obj.db))
    drawn = pe.sample(n, seed, preset)
    store = ctx.obj.store()
    with store.atomic():
        for p in drawn:
            dstore.ensure_case(store, "pe", p["profile_id"], title=p["profile_id"], facts=p)
    if out:
        write_private(out, lambda f: sum(f.write(json_line(p)) > 0 for p in drawn))
    click.echo(f"{n} profiles (seed {seed}, preset {preset}) stored as cases of generator pe"
               + (f" and written to {out}" if out else ""))


@profiles.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.pass_context
def validate(ctx, file):
    """Check a profile file row by row (one line per bad row)."""
    from onprem.papers.thousand_voices import profiles as pe

    from onprem.cli.verdict import report

    report(ctx, file, *pe.read_file(file), noun="profiles")


PLOT_SUFFIXES = (".svg", ".png", ".pdf")


def _trajectory_source(ctx, spec: str, what: str):
    """`run:ID` (a stored judge run's segment scores) or a CSV file profile_id,phase,score."""
    from onprem.papers.thousand_voices import trajectory as tj

    if spec.startswith("run:"):
        try:
            run_id = int(spec[4:])
        except ValueError:
            raise UserError(f"{what} {spec!r}: write run:ID with the number of a judge run (onprem stats lists runs)") from None
        scores = tj.read_run(ctx.obj.store(), run_id)
        if not scores:
            raise UserError(f"{what} {spec}: run {run_id} stored no segment scores; give a distress-judge run")
        return scores
    path = Path(spec)
    if not path.is_file():
        raise UserError(f"{what} {spec}: no such file; give run:ID or a CSV file with profile_id,phase,score")
    return tj.read_csv(read_utf8(path), str(path))


def _groups(ctx, field: str) -> dict[str, str]:
    """profile_id -> the client's gender, age group or ethnicity, from the stored PE profiles."""
    from onprem.papers.thousand_voices.profiles import spec
    from onprem.store.dialogue_queries import case_facts

    bands = spec()["client"]["age_groups"]["groups"]
    out = {}
    for p in case_facts(ctx.obj.store(reading=True), "pe"):
        client = p.get("client") or {}
        if field == "age_group":
            value = next((f"{lo}-{hi}" for lo, hi in bands if lo <= client.get("age", -1) <= hi), None)
        else:
            value = client.get(field)
        if p.get("profile_id") and value:
            out[p["profile_id"]] = value
    if not out:
        raise UserError(f"--by {field}: no stored PE profiles to group by (onprem profiles sample pe stores them)")
    return out


@click.command()
@click.option("--scores", "scores_spec", metavar="run:ID|FILE", help="The model's distress ratings.")
@click.option("--baseline", "baseline_spec", metavar="run:ID|FILE", help="The baseline trajectory's ratings.")
@click.option("--from-averages", nargs=3, type=float, metavar="PEARSON DTW RMSE",
              help="Only print S_abs from three averages (e.g. a row of the paper's Table 1).")
@click.option("--dtw-cost", type=click.Choice(["euclidean", "abs"]), default="euclidean", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--plot", "plot_path", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE.svg",
              help="Also draw mean distress per phase with an SD band for both (.svg, .png or .pdf).")
@click.option("--reference", "reference_spec", metavar="run:ID|FILE",
              help="A separate reference run C (e.g. the baseline scorer sampled again): adds the paper's ratios "
                   "R_Corr, R_DTW, R_RMSE of --scores to C, both against --baseline.")
@click.option("--per-phase", is_flag=True, help="Also print distress per phase as a distribution (n, mean, SD, "
                                                 "quartiles, counts of 1-10) for --scores and --baseline.")
@click.option("--by", "by_field", type=click.Choice(["gender", "age_group", "ethnicity"]),
              help="Also the benchmark within each group of clients (the stored PE profiles' field).")
@click.pass_context
def trajectory(ctx, scores_spec, baseline_spec, from_averages, dtw_cost, as_json, plot_path, reference_spec,
               per_phase, by_field):
    """Emotional-trajectory benchmark: Pearson, DTW, RMSE per profile against a baseline, and S_abs."""
    from onprem.papers.thousand_voices import trajectory as tj

    if from_averages:
        value = tj.s_abs(*from_averages)
        click.echo(json.dumps({"s_abs": value}) if as_json else f"S_abs {value:.3f}")
        return
    if not scores_spec or not baseline_spec:
        raise click.UsageError("give --scores and --baseline (run:ID or CSV), or --from-averages P D R")
    if plot_path is not None and plot_path.suffix.lower() not in PLOT_SUFFIXES:
        raise UserError(f"--plot {plot_path}: name a .svg, .png or .pdf file")
    scores = _trajectory_source(ctx, scores_spec, "--scores")
    baseline = _trajectory_source(ctx, baseline_spec, "--baseline")
    summary = tj.compare(scores, baseline, dtw_cost)
    if summary.n == 0:
        raise InputError("no profile has all six phases in both --scores and --baseline; nothing to compare")
    if plot_path is not None:
        from onprem.papers.thousand_voices.plot import phase_curve, write_plot

        write_plot(plot_path, [phase_curve(scores_spec, scores), phase_curve(baseline_spec, baseline)])
        click.echo(f"plot: {plot_path}", err=True)
    out = summary.as_json()
    reference = None
    if reference_spec:
        reference = tj.compare(_trajectory_source(ctx, reference_spec, "--reference"), baseline, dtw_cost)
        if reference.n == 0:
            raise InputError(f"--reference {reference_spec}: no profile has all six phases in it and in --baseline")
        out["ratios"] = {"reference": reference_spec, **tj.ratios(summary, reference), "reference_summary": reference.as_json()}
    phases = {"scores": tj.per_phase(scores), "baseline": tj.per_phase(baseline)}
    if per_phase:                                         # the default JSON shape stays as it was
        out["per_phase"] = {side: {str(k): v for k, v in d.items()} for side, d in phases.items()}
    groups = _groups(ctx, by_field) if by_field else None
    if groups is not None:
        out["by"] = {"field": by_field, "groups": {g: s.as_json() for g, s in tj.by_group(scores, baseline, groups, dtw_cost).items()}}
    if as_json:
        click.echo(json.dumps(out))
        return
    click.echo("| scores | N | Pearson ↑ Avg ± SD | DTW ↓ Avg ± SD | RMSE ↓ Avg ± SD | S_abs ↑ |")
    click.echo("|---|---|---|---|---|---|")
    click.echo(tj.table_row(scores_spec, summary))
    if reference is not None:
        click.echo(tj.table_row(f"{reference_spec} (reference)", reference))
        r = out["ratios"]
        f = lambda x: "-" if x is None else f"{x:.3f}"  # noqa: E731
        click.echo(f"\nratios to the reference: R_Corr {f(r['r_corr'])}, R_DTW {f(r['r_dtw'])}, R_RMSE {f(r['r_rmse'])}")
    if per_phase:
        click.echo("\n| ratings | phase | n | mean | SD | min / p25 / median / p75 / max |")
        click.echo("|---|---:|---:|---:|---:|---|")
        for side, spec in (("scores", scores_spec), ("baseline", baseline_spec)):
            for k, d in phases[side].items():
                sd = "-" if d["sd"] is None else f"{d['sd']:.2f}"
                click.echo(f"| {spec} | {k} | {d['n']} | {d['mean']:.2f} | {sd} | "
                           f"{' / '.join(f'{q:g}' for q in d['quartiles'])} |")
    if groups is not None:
        click.echo(f"\n| {by_field} | N | Pearson ↑ Avg ± SD | DTW ↓ Avg ± SD | RMSE ↓ Avg ± SD | S_abs ↑ |")
        click.echo("|---|---|---|---|---|---|")
        for g, s in tj.by_group(scores, baseline, groups, dtw_cost).items():
            click.echo(tj.table_row(g, s))
    notes = []
    if summary.n_pearson_undefined:
        zero = summary.pearson_zero[0]
        notes.append(f"{summary.n_pearson_undefined} profiles with a constant sequence left out of the Pearson mean "
                     f"and of S_abs; counted as r = 0: Pearson {zero:.2f}, S_abs "
                     + ("-" if summary.s_abs_zero is None else f"{summary.s_abs_zero:.3f}"))
    if summary.left_out:
        notes.append(f"{summary.left_out} profiles without all six phases in both left out")
    for n in notes:
        click.echo(f"note: {n}", err=True)
