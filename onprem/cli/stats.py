"""`onprem stats [--json]`: what is in the database."""

from __future__ import annotations

import json

import click


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of tables.")
@click.pass_context
def stats(ctx, as_json):
    """Counts of sources, pages, pairs by status and dialogues; word-count distributions."""
    from onprem import plugins
    from onprem.store.dialogue_stats import dialogue_text
    from onprem.store.dialogue_queries import topic_distribution
    from onprem.store.overview import PAIR_STATUSES, overview

    store = ctx.obj.store(reading=True)
    data = overview(store)
    data["dialogue_text"] = dialogue_text(store)
    sections = {}
    for key, reg in plugins.stats_sections().items():      # what each paper adds (e.g. personas)
        section = reg.load()(store)
        if section is not None:
            sections[key] = section
            data[key] = section.data
    from onprem.generators import topic_weights

    data["topics"] = {}
    for name, reg in plugins.generators().items():
        weights = topic_weights(reg.component)
        if weights and (dist := topic_distribution(store, name, weights)) is not None:
            data["topics"][name] = dist
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    counts = Table("what", "count", title="onprem database")
    for key in ("sources", "pages", "pages_pending", *(f"pairs_{s}" for s in PAIR_STATUSES), "dialogues", "runs"):
        counts.add_row(key.replace("_", " "), str(data[key]))
    words = Table("field", "n", "min", "p25", "median", "p75", "max", "mean", title="words per pair")
    for field in ("question_words", "answer_words"):
        d = data[field]
        words.add_row(field.split("_")[0], *(str(d.get(k, "-")) for k in ("n", "min", "p25", "median", "p75", "max", "mean")))
    pii = Table("entity type", "findings", title="identifier findings")
    for entity, n in data["pii_findings"].items():
        pii.add_row(entity, str(n))
    unc = data["uncertain_findings"]
    pii.caption = (f"uncertain findings (kept in the text until a person decides): {unc['pending']} pending, "
                   f"{unc['accepted']} accepted as identifiers, {unc['kept']} kept")
    console = Console()
    console.print(counts, words, pii)
    for generator, text in data["dialogue_text"].items():
        roles = Table("speaker", "turns", "words per turn", "vocabulary",
                      title=f"{generator} dialogues ({text['dialogues']}): text statistics")
        for sp, d in text["speakers"].items():
            roles.add_row(sp, str(d["turns"]), str(d["words_per_turn"]), str(d["vocabulary"]))
        groups = Table("group", "words per exchange", title=f"{generator}: words per exchange (therapist + client)")
        for g, v in text["words_per_exchange"].items():
            groups.add_row(g, str(v))
        console.print(roles, groups)
    for section in sections.values():
        console.print(*section.tables())
    for generator, dist in data["topics"].items():
        chi = "" if dist["chi2"] is None else f"; chi-square {dist['chi2']}, p = {dist['p']:.3g}"
        topics = Table("topic", "n", "expected", "share", "expected share",
                       title=f"{generator}: topics of {dist['n']} drawn items{chi}")
        for t, d in sorted(dist["topics"].items(), key=lambda kv: -kv[1]["expected"]):
            if d["n"] or d["expected"] >= 0.5:
                topics.add_row(t, str(d["n"]), f"{d['expected']:.1f}", f"{d['share']:.3f}", f"{d['expected_share']:.3f}")
        console.print(topics)


COMMANDS = [stats]
