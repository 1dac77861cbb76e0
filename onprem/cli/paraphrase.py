"""`onprem paraphrase PATH...`: transcripts -> redacted pages -> question-answer pairs."""

from __future__ import annotations

import click

from onprem import config
from onprem.cli.options import PARALLEL_DECLS, STRICT_ATTRS, VERIFY_ATTRS, parallel_attrs, workers_attrs, seed_attrs
from onprem.events import progress_option
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
def paraphrase(ctx, paths, progress_mode, **_options):
    """Paraphrase transcripts page by page into question-answer pairs."""
    from onprem.job_frame import run_job
    from onprem.pipeline.paraphrase_job import ParaphraseJob

    ctx.exit(run_job(ctx.obj.store, ParaphraseJob(paths, options_from(ctx.params), ctx.params), progress_mode))


def options_from(values: dict):
    """The pipeline's Options from this command's parsed values (also read by `eval quality`)."""
    from onprem.pipeline import paraphrase as pp

    return pp.Options(roles=values["roles"], min_words=values["min_words"], min_words_mode=values["min_words_mode"],
                      page_tokens=values["page_tokens"], seed=values["seed"], retries=values["retries"],
                      force=values["force"], min_grounding=values["min_grounding"],
                      sampling=Sampling(temperature=values["temperature"], max_tokens=values["max_tokens"]))


COMMANDS = [paraphrase]
