"""`onprem eval ...`: measure the tool against ground truth.

`onprem eval redaction --truth FILE [TEXTS...]` scores the redaction package: precision, recall
and F2 per entity type, from a JSON truth file of spans or values (see redaction/evaluate.py for
the format). Truth-set type names are mapped to ours through the alias table
redaction/entity_aliases.json; `--alias NAME=TYPE` adds or overrides an entry for one run.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from onprem.cli.options import seed_attrs

from onprem.cli import PluginCommands
from onprem.errors import EXIT_PARTIAL, InputError, UserError
from onprem.fsutil import read_utf8


def parse_alias(_ctx, _param, values: tuple[str, ...]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for v in values:
        name, sep, target = v.partition("=")
        if not sep or not name.strip() or not target.strip():
            raise click.BadParameter(f"{v!r}: write NAME=TYPE, e.g. --alias GIVENNAME=PERSON or --alias TITLE=ignore")
        target = target.strip().upper()
        out[name.strip().upper()] = None if target == "IGNORE" else target
    return out


def _read_text(path: Path, encoding: str | None) -> str:
    """The file's text as decoded, without normalisation, so truth offsets line up. Bad input
    (empty, binary, undecodable) is refused with the same messages as `paraphrase`."""
    from onprem.pipeline.ingest import decode, read_document

    read_document(path, encoding)  # the checks and their one-line errors
    return decode(path, path.read_bytes(), encoding)[0]


class EvalGroup(PluginCommands):
    plugin_group = "eval"


@click.group(name="eval", cls=EvalGroup)
def eval_group():
    """Evaluations: redaction against ground truth, judges against people, models against each other,
    and each paper's benchmarks (e.g. trajectory)."""


@eval_group.command()
@click.argument("texts", nargs=-1, type=click.Path())
@click.option("--truth", "truth_path", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="JSON truth file: documents with text or file, and spans or values.")
@click.option("--alias", "aliases", multiple=True, callback=parse_alias, metavar="NAME=TYPE",
              help="Map a truth-set entity type to ours (or to 'ignore'); repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option("--show-misses", default=0, show_default=True, type=click.IntRange(0),
              help="List up to N identifiers that were not found (prints their text).")
@click.option("--encoding", help="Read the texts in this encoding instead of UTF-8.")
@click.pass_context
def redaction(ctx, texts, truth_path, aliases, as_json, show_misses, encoding):
    """Precision, recall and F2 per entity type of `onprem redact` against TRUTH.

    With TEXTS (files or folders), each text is scored against the truth document whose "file"
    has the same file name. Without TEXTS, the truth documents' own "text" is used, and "file"
    is read relative to the truth file."""
    from redaction import Redactor
    from redaction.evaluate import ANY, TruthError, aggregate, load_aliases, load_truth, misses, \
        resolve_values, score_document

    from onprem.pipeline.ingest import find_transcripts

    if not truth_path.is_file():
        raise UserError(f"{truth_path}: no such truth file")
    try:
        docs = load_truth(truth_path, load_aliases(aliases))
    except TruthError as e:
        raise UserError(str(e)) from e
    if not docs:
        raise UserError(f"{truth_path}: has no documents to score")

    # (label, truth document, path or None) for everything to score
    jobs: list[tuple[str, object, Path | None]] = []
    failures = 0
    if texts:
        by_name: dict[str, object] = {}
        for d in docs:
            if d.file is None:
                continue
            name = Path(d.file).name
            if name in by_name:
                raise UserError(f"{truth_path}: two truth documents name the file {name}; file names must be unique")
            by_name[name] = d
        files = find_transcripts(list(texts))
        if not files:
            raise UserError(f"no .txt or .md texts found in {', '.join(texts)}")
        for f in files:
            d = by_name.get(f.name)
            if d is None:
                failures += 1
                click.echo(f"onprem: {f}: no document in {truth_path} has \"file\": \"{f.name}\"; "
                           f"add its truth or leave it out", err=True)
                continue
            jobs.append((str(f), d, f))
        skipped = len(docs) - len(jobs)
    else:
        for d in docs:
            if d.text is not None:
                jobs.append((d.id, d, None))
            else:
                jobs.append((d.file, d, truth_path.parent / d.file))
        skipped = 0

    redactor = Redactor.load()

    per_doc, missed, words, seconds = [], [], 0, 0.0
    for label, d, path in jobs:
        try:
            text = d.text if path is None else _read_text(path, encoding)
            truth = resolve_values(d, text)
        except InputError as e:
            failures += 1
            click.echo(f"onprem: {e}", err=True)
            continue
        except TruthError as e:
            failures += 1
            click.echo(f"onprem: {truth_path}: {e}", err=True)
            continue
        t0 = time.perf_counter()
        predicted = redactor.analyze(text)
        seconds += time.perf_counter() - t0
        words += len(text.split())
        per_doc.append(score_document(predicted, truth, missing=[t for _, t in d.missing_values]))
        missed.extend(misses(label, text, predicted, truth))
        missed.extend({"doc": label, "entity_type": t, "text": v, "start": -1, "end": -1} for v, t in d.missing_values)

    if not per_doc:
        raise InputError("no document could be scored; see the errors above")
    scores = aggregate(per_doc)
    summary = {"truth": str(truth_path), "documents": len(per_doc), "failed": failures,
               "skipped_truth_documents": skipped, "ignored_truth_entries": sum(d.ignored for _, d, _ in jobs),
               "words": words, "seconds": round(seconds, 3),
               "words_per_second": round(words / seconds, 1) if seconds else None}
    shown = [m if isinstance(m, dict) else m.__dict__ for m in missed[:show_misses]]
    if as_json:
        out = {**summary, "scores": {k: c.as_dict() for k, c in scores.items()}}
        if show_misses:
            out["misses"] = shown
        click.echo(json.dumps(out, indent=2))
    else:
        from redaction.evaluate import format_table

        click.echo(format_table(scores))
        any_ = scores[ANY]
        click.echo(f"\n{summary['documents']} documents, {words} words, {seconds:.1f}s of analysis "
                   f"({summary['words_per_second'] or 0:.0f} words/s); ANY: recall {any_.recall:.3f}, "
                   f"precision {any_.precision:.3f}; {len(missed)} missed"
                   + (f"; {summary['ignored_truth_entries']} truth entries of unscored types left out"
                      if summary["ignored_truth_entries"] else "")
                   + (f"; {skipped} truth documents not among TEXTS" if skipped else ""))
        for m in shown:
            where = f"{m['start']}-{m['end']}" if m["start"] >= 0 else "value not in text"
            click.echo(f"missed {m['entity_type']} in {m['doc']} ({where}): {m['text']!r}")
    if failures:
        ctx.exit(EXIT_PARTIAL)


COMMANDS = [eval_group]




@eval_group.command()
@click.argument("source", metavar="FILE|rankings|epitome|RUBRIC")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def agreement(ctx, source, as_json):
    """Cohen's kappa for every pair of raters and their mean, and Fleiss' kappa.

    FILE is CSV item_id,rater,label (ranks count as labels); or a paper's label source by name:
    `rankings` (the rankings people made in the TUI, each response's rank its label), `epitome` (the
    empathy labels of people and of the epitome judge, rater judge:MODEL, per dimension er, ip, ex);
    or any RUBRIC's ratings, per criterion: people's from the rating form or `labels import`, and
    the judges'."""
    from onprem import plugins
    from onprem.evals import agreement as ag
    from onprem.store.scores import labels_by_criterion, rubric_criteria

    sources = plugins.label_sources()            # people's (and judges') labels a paper keeps
    rated = source not in sources and not Path(source).is_file() and rubric_criteria(ctx.obj.store(reading=True), source)
    if source in sources or rated:
        reg = sources.get(source)
        found = reg.load()(ctx.obj.store()) if reg else labels_by_criterion(ctx.obj.store(reading=True), source)
        if rated or reg.details.get("per_dimension"):
            result = {dim: ag.agreement(labels) for dim, labels in found.items() if labels}
            if not result or all(len(r["raters"]) < 2 for r in result.values()):
                raise UserError(f"{source} agreement needs two raters (people in onprem tui, or a judge) on the "
                                f"same items")
            if as_json:
                click.echo(json.dumps(result))
                return
            for dim, r in result.items():
                click.echo(f"{dim}: mean pairwise Cohen's kappa {_kappa(r['mean_pairwise_kappa'])} over "
                           f"{r['n_items']} items; " + "; ".join(f"{p} {_kappa(k)}" for p, k in r["pairwise"].items()))
            return
        labels = found
    else:
        path = Path(source)
        if not path.is_file():
            raise UserError(f"{source}: no such file; give a CSV item_id,rater,label, a rubric with stored ratings, "
                            f"or one of: {', '.join(sources)}")
        labels = ag.read_csv(read_utf8(path), str(path))
    result = ag.agreement(labels)
    if len(result["raters"]) < 2:
        raise InputError(f"{source}: agreement needs at least two raters (found {len(result['raters'])})")
    if as_json:
        click.echo(json.dumps(result))
        return

    def f(x):
        return "undefined" if x is None else f"{x:.3f}"
    for pair, k in result["pairwise"].items():
        click.echo(f"Cohen's kappa {pair}: {f(k)}")
    click.echo(f"mean pairwise Cohen's kappa: {f(result['mean_pairwise_kappa'])} "
               f"({len(result['raters'])} raters, {result['n_items']} items)")
    click.echo(f"Fleiss' kappa (items every rater labelled): {f(result['fleiss_kappa'])}")


def _kappa(x) -> str:
    return "undefined" if x is None else f"{x:.3f}"


@eval_group.command("judge-validity")
@click.option("--labels", "labels_spec", required=True, metavar="FILE|person:NAME",
              help="People's labels: a CSV item,label (0/1, or ordinal integers such as 1-10; items named as "
                   "`eval agreement` names them: dialogue:12, pair:3), or person:NAME for the ratings that "
                   "person made under the rubric (in the TUI or with onprem labels import), criterion by criterion.")
@click.option("--judge-model", "model", required=True, metavar="NAME",
              help="The judge model whose stored judgments are checked (onprem judge RUBRIC --model NAME first).")
@click.option("--rubric", help="The rubric judged [default: the one rubric the model judged the items under].")
@click.option("--seed", **seed_attrs("Seed of the bootstrap."))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def judge_validity(ctx, labels_spec, model, rubric, seed, as_json):
    """A judge's scores against people's labels, per criterion: ROC AUC for binary labels, Spearman
    and quadratic-weighted kappa for ordinal ones, each with a bootstrap 95 % interval, and the share
    of its judgments that did not parse."""
    from onprem.evals import validity as v
    from onprem.store.scores import (PERSON, judge_models, judge_rubrics, judgments_by_item, rubric_criteria,
                                     rubric_scale, scores)

    store = ctx.obj.store(reading=True)
    from_person = labels_spec.startswith(PERSON)
    flat: dict[str, int] = {}
    if not from_person:
        path = Path(labels_spec)
        if not path.is_file():
            raise UserError(f"--labels {labels_spec}: no such file; give a CSV item,label or person:NAME")
        flat = v.read_labels(read_utf8(path), str(path))
    rubrics = judge_rubrics(store, model)
    if not rubrics:
        known = ", ".join(judge_models(store)) or "none yet"
        raise UserError(f"--judge-model {model}: no judgments by this model (judge models here: {known}); "
                        f"run onprem judge RUBRIC --model {model} first")
    if rubric is None:
        touching = [r for r in rubrics if from_person or set(judgments_by_item(store, r, model)) & set(flat)]
        if len(touching) != 1:
            raise UserError(f"--judge-model {model} judged the labelled items under "
                            f"{', '.join(touching) or 'no rubric'}; name one with --rubric")
        rubric = touching[0]
    elif rubric not in rubrics:
        raise UserError(f"--rubric {rubric}: {model} has no judgments under it (it has: {', '.join(rubrics)})")
    judged = judgments_by_item(store, rubric, model)
    criteria = rubric_criteria(store, rubric) or list(dict.fromkeys(c for j in judged.values() for c in j["scores"]))
    if from_person:
        labels: dict[str, dict[str, int]] = {c: {} for c in criteria}
        for sc in scores(store, rubric, rater=labels_spec):
            labels.setdefault(sc.criterion, {})[sc.item] = sc.score
        if not any(labels.values()):
            raise UserError(f"--labels {labels_spec}: no ratings by this person under {rubric}")
    else:
        labels = {c: flat for c in criteria}
    labelled = {i for by in labels.values() for i in by}
    n_labelled = len(labelled)
    if not labelled & set(judged):
        raise InputError(f"--labels {labels_spec}: none of its {n_labelled} items was judged by {model} under "
                         f"{rubric}; run onprem judge {rubric} --model {model}")
    scale = rubric_scale(store, rubric) if from_person else None      # a person rated on the rubric's own scale
    result = v.validity(labels, judged, seed, binary=None if scale is None else (scale["lo"], scale["hi"]) == (0, 1))
    if as_json:
        click.echo(json.dumps(result))
        return
    any_row = next(iter(result.values()))
    click.echo(f"{model} as a {rubric} judge against {n_labelled} labelled items ({any_row['labels']} labels; "
               f"{any_row['not_judged']} not judged, "
               f"{'-' if any_row['unparsed'] is None else format(any_row['unparsed'], '.0%')} of judgments unparsed)")
    for criterion, r in result.items():
        ci = "-" if r["ci95"] is None else f"[{r['ci95'][0]:.2f}, {r['ci95'][1]:.2f}]"
        if r["labels"] == "binary":
            stat = "AUC undefined" if r["auc"] is None else f"AUC {r['auc']:.3f} {ci}"
        else:
            rho = "undefined" if r["spearman"] is None else f"{r['spearman']:.3f} {ci}"
            k = "undefined" if r["qwk"] is None else f"{r['qwk']:.3f}"
            stat = f"Spearman {rho}, QWK {k}"
        means = ", ".join(f"label {k}: {m}" for k, m in r.get("mean_score", {}).items())
        click.echo(f"  {criterion}: n {r['n']}, {stat}; mean score by label: {means or '-'}")
