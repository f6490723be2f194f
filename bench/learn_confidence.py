"""Fit the confidence model on PolNeAR train and calibrate it on dev (data/confidence_model.json).

    .venv/bin/python bench/learn_confidence.py --train ../shared/eval/polnear/train \
        --dev ../shared/eval/polnear/dev [--engine rules]

Every statement the engine extracts from a train document is one example, labelled
right when its content is paired with a gold attribution (the scorer's one-to-one
matching) and, where that attribution has a source, the statement's speaker mention
overlaps it. A logistic regression over ``attribution.confidence.statement_features`` is
fitted by SGD (``learn_models.fit_averaged``). Then on dev the log-odds are rescaled by
two numbers (Platt scaling: ``a * z + b``, fitted by Newton's method) so that the
confidence reads as the share of rows that are right; the script prints the reliability
table on dev (per band: statements, share right) and the share right at 0.9 and above.
Only feature names and weights are written: no text of the corpus.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path

from learn_models import fit_averaged, parsed  # bench/ is on sys.path

from saidwhat.attribution.component import analyse_parsed
from saidwhat.attribution.confidence import probability, raw_score, statement_features
from saidwhat.attribution.options import AttributionModels, AttributionOptions
from saidwhat.evaluation.gold import GoldDoc, read_gold
from saidwhat.evaluation.scoring import from_statement, match, overlap
from saidwhat.schema import Article

OUT = Path(__file__).resolve().parents[1] / "src" / "saidwhat" / "data" / "confidence_model.json"


def labelled(gold_docs: list[GoldDoc], docs, models: AttributionModels):  # type: ignore[no-untyped-def]
    """(features, right) for every statement the engine extracts from the documents."""
    out = []
    for gold, doc in zip(gold_docs, docs, strict=True):
        analysis = analyse_parsed(Article(text=gold.text, id=gold.id), doc, models)
        types = {e.id: e.type for e in analysis.entities}
        statements = [st for st in analysis.statements if st.content]
        preds = [from_statement(st) for st in statements]
        right = [False] * len(preds)
        for i, j, _exact in match(gold.text, preds, gold.attributions):
            g, p = gold.attributions[j], preds[i]
            right[i] = g.source is None or bool(p.source and overlap(p.source, g.source) > 0)
        for st, ok in zip(statements, right, strict=True):
            out.append((statement_features(doc, st, types), ok))
    return out


def platt(scores: list[float], labels: list[bool], steps: int = 50) -> tuple[float, float]:
    """(a, b) maximising the likelihood of ``labels`` under sigmoid(a * z + b)."""
    a, b = 1.0, 0.0
    for _ in range(steps):
        ga = gb = haa = hab = hbb = 0.0
        for z, y in zip(scores, labels, strict=True):
            p = probability(z, (a, b))
            d = p - (1.0 if y else 0.0)
            w = max(p * (1 - p), 1e-9)
            ga, gb = ga + d * z, gb + d
            haa, hab, hbb = haa + w * z * z, hab + w * z, hbb + w
        det = haa * hbb - hab * hab
        if abs(det) < 1e-12:
            break
        a -= (hbb * ga - hab * gb) / det
        b -= (haa * gb - hab * ga) / det
    return round(a, 4), round(b, 4)


def reliability(probs: list[float], labels: list[bool]) -> list[tuple[str, int, float]]:
    bands = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]
    rows = []
    for lo, hi in bands:
        hits = [y for p, y in zip(probs, labels, strict=True) if lo <= p < hi]
        share = sum(hits) / len(hits) if hits else math.nan
        rows.append((f"{lo:.1f}-{min(hi, 1.0):.1f}", len(hits), share))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", default="../shared/eval/polnear/train")
    ap.add_argument("--dev", default="../shared/eval/polnear/dev")
    ap.add_argument("--engine", default="rules")
    ap.add_argument("--cache", default="/tmp/saidwhat-train.spacy")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--rate", type=float, default=0.1)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump({"weights": {"bias": 0.0}}, fh)  # no confidence while fitting one
    models = AttributionModels.load(
        AttributionOptions(engine=args.engine, confidence_model=fh.name)
    )
    train = [d for split in read_gold(args.train).values() for d in split]
    dev = [d for split in read_gold(args.dev).values() for d in split]
    data = labelled(train, parsed(train, Path(args.cache), args.jobs), models)
    print(f"{len(data)} train statements, {sum(y for _, y in data)} right", file=sys.stderr)
    weights = fit_averaged(data, args.epochs, args.l2, args.rate, args.seeds)
    held = labelled(dev, parsed(dev, Path(args.cache).with_suffix(".dev.spacy"), args.jobs), models)
    z = [raw_score(f, weights) for f, _ in held]
    labels = [y for _, y in held]
    a, b = platt(z, labels)
    probs = [probability(v, (a, b)) for v in z]
    print(f"dev: {len(held)} statements, {sum(labels)} right; platt a={a} b={b}")
    print("band       statements  right")
    for band, n, share in reliability(probs, labels):
        print(f"{band:<10} {n:>10}  {share:6.1%}")
    top = [y for p, y in zip(probs, labels, strict=True) if p >= 0.9]
    if top:
        print(f"at 0.9 and above: {len(top)} statements, {sum(top) / len(top):.1%} right")
    model = {
        "about": "Logistic regression over finished-statement features (see "
        "saidwhat.attribution.confidence), fitted on PolNeAR train and Platt-scaled on dev "
        "by bench/learn_confidence.py.",
        "engine": args.engine,
        "trained_on": f"{len(train)} documents, {len(data)} statements",
        "platt": [a, b],
        "weights": dict(sorted(weights.items())),
    }
    Path(args.out).write_text(json.dumps(model, indent=0, ensure_ascii=False) + "\n")
    print(f"{len(weights)} weights written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
