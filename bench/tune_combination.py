"""Choose how the neural engine combines the tagger with the rules, on PolNeAR dev.

    .venv/bin/python bench/tune_combination.py [--gold ../shared/eval/polnear/dev]
        [--tagger src/saidwhat/data/tagger] [--limit N]

Each document is parsed once and tagged once; then every setting of
``options.TaggerChoices`` in the grid runs the passes over the same parses and is scored
with ``saidwhat.evaluation`` (the figures of ``saidwhat eval``). The rules engine alone
is the first row, so every line reads as a gain or a loss against it. Where tagger and
rules disagree this measures which wins: ``reshape`` (the tagger's content span for
indirect statements), ``drop_below`` (the tagger vetoes candidates it does not believe)
and ``add_above`` (the tagger adds attributions the rules missed).
"""

from __future__ import annotations

import argparse
import itertools
import time

from saidwhat.attribution.component import analyse_parsed
from saidwhat.attribution.options import AttributionModels, TaggerChoices
from saidwhat.evaluation.gold import read_gold
from saidwhat.evaluation.scoring import METRICS, evaluate
from saidwhat.nlp import load_pipeline
from saidwhat.schema import Article
from saidwhat.tagger.model import TaggedText, Tagger


class CachedTagger:
    """The tagger's answers computed once per text, so a grid costs one tagging."""

    def __init__(self, tagger: Tagger) -> None:
        self.tagger = tagger
        self.cache: dict[str, TaggedText] = {}

    def tag(self, text: str) -> TaggedText:
        if text not in self.cache:
            self.cache[text] = self.tagger.tag(text)
        return self.cache[text]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default="../shared/eval/polnear/dev")
    ap.add_argument("--tagger", default=None, help="tagger files without suffix")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    docs = [d for split in read_gold(args.gold).values() for d in split]
    if args.limit:
        docs = docs[: args.limit]
    nlp = load_pipeline()
    started = time.perf_counter()
    parsed = list(zip(docs, nlp.pipe(d.text for d in docs), strict=True))
    print(f"{len(docs)} docs parsed in {time.perf_counter() - started:.0f} s")
    base = AttributionModels.load()
    tagger = CachedTagger(Tagger(args.tagger))
    started = time.perf_counter()
    for doc, _ in parsed:
        tagger.tag(doc.text)
    print(f"tagged in {time.perf_counter() - started:.0f} s")

    def run(models: AttributionModels) -> dict[str, float]:
        predictions = {}
        for gold, parse in parsed:
            article = Article(text=gold.text, id=gold.id)
            predictions[gold.id] = analyse_parsed(article, parse, models).statements
        scores = evaluate(docs, predictions)
        row = {m: round(100 * scores.metrics[m].f1, 1) for m in METRICS}
        row["pred"] = scores.metrics["content_overlap"].n_pred
        return row

    def show(label: str, row: dict[str, float]) -> None:
        figures = "  ".join(f"{m} {row[m]:5.1f}" for m in METRICS)
        print(f"{label:<40} {figures}  pred {row['pred']}")

    show("rules", run(base))
    grid = itertools.product((False, True), (0.0, 0.1, 0.2, 0.3), (1.01, 0.8, 0.6))
    for reshape, drop, add in grid:
        choices = TaggerChoices(drop_below=drop, add_above=add, reshape=reshape)
        models = AttributionModels(
            decision=base.decision,
            threshold=base.threshold,
            cue_weights=base.cue_weights,
            boundary_weights=base.boundary_weights,
            tagger=tagger,
            choices=choices,
        )
        show(f"reshape={reshape} drop<{drop} add>{add}", run(models))


if __name__ == "__main__":
    main()
