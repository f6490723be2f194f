"""Sweep the cue-lexicon thresholds on a gold split (dev): parse once, score many times.

    .venv/bin/python bench/tune_thresholds.py --gold ../shared/eval/polnear/dev

Prints content (overlap, exact), source and cue F1 for each decision threshold of the
cue model (``data/cue_model.json``), so its ``threshold`` is chosen on measurements.
Each threshold is an argument (``AttributionOptions(threshold=...)``): the models are
loaded once per threshold and passed to the extraction; nothing is patched.
Tune on train and dev only: the test split is held out.
"""

from __future__ import annotations

import argparse

from saidwhat.attribution import AttributionModels, AttributionOptions, extract
from saidwhat.evaluation.gold import read_gold
from saidwhat.evaluation.scoring import evaluate
from saidwhat.nlp import load_pipeline
from saidwhat.schema import Article


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", required=True)
    ap.add_argument("--thresholds", default="0.25,0.3,0.35,0.4,0.45,0.5,0.55")
    args = ap.parse_args()
    golds = [d for docs in read_gold(args.gold).values() for d in docs]
    nlp = load_pipeline()
    docs = list(nlp.pipe((g.text for g in golds), n_process=2, batch_size=8))
    print("threshold  overlap exact source cue")
    for value in map(float, args.thresholds.split(",")):
        models = AttributionModels.load(AttributionOptions(threshold=value))
        preds = {
            g.id: extract(doc, Article(text=g.text, id=g.id), models)[1]
            for g, doc in zip(golds, docs, strict=True)
        }
        m = evaluate(golds, preds).metrics
        print(
            f"{value:9.2f}  {m['content_overlap'].f1:.3f}   "
            f"{m['content_exact'].f1:.3f} {m['source'].f1:.3f}  {m['cue'].f1:.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
