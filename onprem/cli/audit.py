"""`onprem audit sample` / `onprem audit report`: MentalChat16K's seeded random audit of synthetic
pairs. The sample is drawn with one seeded RNG from the kept synthetic pairs and put in the review
queue (flagged, so held from release until a person approves or rejects each); the report counts the
decisions and gives the share found acceptable with its exact (Clopper-Pearson) 95 % interval."""

from __future__ import annotations

import json

import click

from onprem.cli.options import seed_attrs

from onprem.errors import UserError


@click.group()
def audit():
    """A seeded random audit of synthetic pairs, decided in the review queue."""


@audit.command()
@click.option("--n", "n", default=100, show_default=True, type=click.IntRange(1), help="Pairs to draw.")
@click.option("--seed", **seed_attrs())
@click.option("--generator", help="Only pairs of this generator (paraphrase, counselling-qa, ...).")
@click.pass_context
def sample(ctx, n, seed, generator):
    """Draw N kept synthetic pairs at random (seeded) into the review queue."""
    import random

    from onprem.review import current_actor
    from onprem.store.audit_sample import candidates, flag_for_audit

    store = ctx.obj.store()
    pool = candidates(store, generator)
    if len(pool) < n:
        raise UserError(f"--n {n}: only {len(pool)} kept synthetic pairs{f' of {generator}' if generator else ''} "
                        f"to draw from; lower --n")
    drawn = sorted(random.Random(seed).sample(pool, n))
    flag_for_audit(store, drawn, seed, current_actor())
    click.echo(f"audit sample: {n} of {len(pool)} kept synthetic pairs (seed {seed}) are in the review queue "
               f"(onprem review); onprem audit report counts the decisions")


@audit.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def report(ctx, as_json):
    """The latest sample: approved, rejected and undecided, and the share acceptable with its 95 % interval."""
    from scipy import stats

    from onprem.store.audit_sample import latest_sample, statuses

    store = ctx.obj.store(reading=True)
    s = latest_sample(store)
    if s is None:
        raise UserError("no audit sample yet; onprem audit sample --n 100 --seed S draws one")
    st = statuses(store, s["pairs"])
    approved = sum(v == "approved" for v in st.values())
    rejected = sum(v == "rejected" for v in st.values())
    decided = approved + rejected
    ci = None
    if decided:
        lo, hi = stats.binomtest(approved, decided).proportion_ci(confidence_level=0.95, method="exact")
        ci = [round(float(lo), 4), round(float(hi), 4)]
    out = {"seed": s["seed"], "sampled": len(s["pairs"]), "approved": approved, "rejected": rejected,
           "undecided": len(s["pairs"]) - decided, "acceptable_share": round(approved / decided, 4) if decided else None,
           "ci95": ci, "drawn_at": s["at"], "drawn_by": s["actor"]}
    if as_json:
        click.echo(json.dumps(out))
        return
    share = "-" if ci is None else f"{out['acceptable_share']:.0%} acceptable (95 % CI {ci[0]:.0%}-{ci[1]:.0%})"
    click.echo(f"audit sample of {out['sampled']} pairs (seed {out['seed']}): {approved} approved, {rejected} rejected, "
               f"{out['undecided']} undecided; {share}")


COMMANDS = [audit]
