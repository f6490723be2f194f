"""Learn the cue and boundary models from PolNeAR's train split (src/saidwhat/data/).

Every attribution candidate the parse proposes (``find_candidates``: a lemma in a
construction such as ccomp, xcomp, dobj, noun_that) becomes one training example, labelled
true when its cue and content overlap a gold attribution. A logistic regression over
``attribution.features.candidate_features`` is fitted by SGD with L2 regularisation. Only
feature names (words, tags) and weights are written: no text of the corpus.

    .venv/bin/python bench/learn_models.py --gold ../shared/eval/polnear/train

The boundary model (``data/boundary_model.json``) is fitted on the candidates the cue
model keeps: each proposes a few ends for its content (``attribution.boundaries``), labelled
true when the content then equals a gold content exactly (after the scorer's normalising).
Only candidates with at least one exact end are used, so the model learns which end to
prefer, not whether the candidate is right.

The parsed documents are cached (``--cache``) so that refits take seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

from spacy.tokens import DocBin

from saidwhat.attribution.candidates import find_candidates
from saidwhat.attribution.features import candidate_features
from saidwhat.attribution.options import AttributionModels
from saidwhat.attribution.quotes import find_quotes, quoted_fraction
from saidwhat.evaluation.gold import read_gold
from saidwhat.nlp import load_pipeline

DATA = Path(__file__).resolve().parents[1] / "src" / "saidwhat" / "data"
OUT = DATA / "cue_model.json"
BOUNDARY_OUT = DATA / "boundary_model.json"


def overlaps(a: tuple[int, int], spans) -> bool:  # type: ignore[no-untyped-def]
    return any(a[0] < e and s < a[1] for s, e in spans)


def parsed(gold_docs, cache: Path, jobs: int):  # type: ignore[no-untyped-def]
    nlp = load_pipeline()
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(gold_docs):
            return docs
    docs = list(nlp.pipe((g.text for g in gold_docs), n_process=jobs, batch_size=8))
    DocBin(docs=docs, store_user_data=False).to_disk(cache)
    return docs


def examples(gold_docs, docs):  # type: ignore[no-untyped-def]
    for gold, doc in zip(gold_docs, docs, strict=True):
        quotes = find_quotes(doc.text)
        quoted = [(q.start, q.end) for q in quotes]
        for cand in find_candidates(doc):
            # The extractor never uses a cue inside a quote (`"I think ..."`): skip them.
            if not cand.content or any(s <= cand.cue.idx < e for s, e in quoted):
                continue
            frac = max(quoted_fraction(quotes, s, e) for s, e in cand.content)
            label = any(
                att.cue
                and overlaps(cand.cue_span, att.cue)
                and any(overlaps(c, att.content) for c in cand.content)
                for att in gold.attributions
            )
            yield candidate_features(cand, frac), label


def boundary_examples(gold_docs, docs, models: AttributionModels):  # type: ignore[no-untyped-def]
    """(features, exact?) for every end variant of every candidate ``models`` keep that
    has a choosable end."""
    from saidwhat.attribution.boundaries import CHOOSABLE, end_features, end_variants
    from saidwhat.attribution.chains import apply_report_frames
    from saidwhat.attribution.entities import build_entities
    from saidwhat.attribution.pipeline import select_candidates, share_participle_subjects
    from saidwhat.attribution.spans import token_range_chars
    from saidwhat.evaluation.scoring import normalise, normalise_pieces

    for gold, doc in zip(gold_docs, docs, strict=True):
        quotes = find_quotes(doc.text)
        cands = select_candidates(doc, find_candidates(doc), quotes, [], models)
        cands = apply_report_frames(doc, cands, build_entities(doc, outlets=models.outlets))
        share_participle_subjects(doc, cands)
        golds = {normalise_pieces(doc.text, a.content) for a in gold.attributions}
        other_cues = {t.i for c in cands for t in c.cue_tokens}
        for cand in cands:
            if cand.pattern not in CHOOSABLE or len(cand.content) != 1 or cand.start < cand.cue.idx:
                continue
            variants = end_variants(doc, cand, other_cues - {t.i for t in cand.cue_tokens})
            span = doc.char_span(cand.content[0][0], cand.content[0][1], alignment_mode="expand")
            if len(variants) < 2 or span is None:
                continue
            rows = []
            for end, kind in variants.items():
                chars = token_range_chars(doc, span.start, end)
                text = normalise(doc.text[chars[0] : chars[1]]) if chars else ""
                feats = end_features(doc, cand, span.start, end, span.end, kind)
                rows.append((feats, text in golds))
            if any(y for _, y in rows):
                yield from rows


def fit(data, epochs: int, l2: float, rate: float, seed: int = 0) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Logistic regression by SGD, L2 applied lazily per touched feature."""
    w: dict[str, float] = {}
    rng = random.Random(seed)
    order = list(range(len(data)))
    for epoch in range(epochs):
        rng.shuffle(order)
        lr = rate / (1 + epoch)
        for i in order:
            feats, y = data[i]
            z = sum(w.get(f, 0.0) for f in feats)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = p - (1.0 if y else 0.0)
            for f in feats:
                old = w.get(f, 0.0)
                w[f] = old - lr * (g + l2 * old)
    return {f: round(v, 4) for f, v in w.items() if abs(v) >= 1e-3}


def fit_averaged(data, epochs: int, l2: float, rate: float, seeds: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The mean of ``seeds`` fits that differ only in the order SGD sees the examples: one
    run's weights move by a few tenths of a point of F1 with the order; the mean does not."""
    runs = [fit(data, epochs, l2, rate, seed=s) for s in range(seeds)]
    names = set().union(*runs)
    mean = {f: sum(r.get(f, 0.0) for r in runs) / len(runs) for f in names}
    return {f: round(v, 4) for f, v in mean.items() if abs(v) >= 1e-3}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", required=True, help="PolNeAR train split folder")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--cache", default="/tmp/saidwhat-train.spacy")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--l2", type=float, default=1e-4)
    ap.add_argument("--rate", type=float, default=0.2)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument(
        "--seeds",
        type=int,
        default=1,
        help="average the weights of this many SGD runs (shuffled differently): steadier",
    )
    args = ap.parse_args()
    gold_docs = [d for docs in read_gold(args.gold).values() for d in docs]
    docs = parsed(gold_docs, Path(args.cache), args.jobs)
    data = list(examples(gold_docs, docs))
    positives = sum(1 for _, y in data if y)
    print(f"{len(data)} candidates, {positives} positive", file=sys.stderr)
    weights = fit_averaged(data, args.epochs, args.l2, args.rate, args.seeds)
    model = {
        "about": "Logistic regression over attribution-candidate features (see "
        "saidwhat.attribution.features), fitted on PolNeAR train by bench/learn_models.py.",
        "trained_on": f"{len(gold_docs)} documents, {len(data)} candidates",
        "threshold": args.threshold,
        "weights": dict(sorted(weights.items())),
    }
    Path(args.out).write_text(json.dumps(model, indent=0, ensure_ascii=False) + "\n")
    print(f"{len(weights)} weights written to {args.out}", file=sys.stderr)
    # select with the model just fitted (passed in, not read back from a cache)
    fitted = AttributionModels(
        decision="learned", threshold=args.threshold, cue_weights=dict(model["weights"])
    )
    bdata = list(boundary_examples(gold_docs, docs, fitted))
    print(f"{len(bdata)} end variants, {sum(y for _, y in bdata)} exact", file=sys.stderr)
    bweights = fit_averaged(bdata, args.epochs, args.l2, args.rate, args.seeds)
    BOUNDARY_OUT.write_text(
        json.dumps(
            {
                "about": "Logistic regression over content-end features (see "
                "saidwhat.attribution.boundaries), fitted on PolNeAR train by "
                "bench/learn_models.py.",
                "weights": dict(sorted(bweights.items())),
            },
            indent=0,
        )
        + "\n"
    )
    print(f"{len(bweights)} boundary weights written to {BOUNDARY_OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
