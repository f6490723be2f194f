"""Extraction speed as a ratio to bare spaCy on the same texts, in one run.

    .venv/bin/python bench/extract_speed.py [--corpus ../shared/corpus/bbc] [--limit 600]

"bare spaCy" is ``spacy.load(model)`` and ``nlp.pipe``: parsing and NER only. "full" is
``saidwhat.analyse.analyse_many``: the same parse plus the place gazetteer, attribution,
entities, dates and the Analysis object per article. Runs alternate (bare, full, bare,
full, ...) and the best of each is kept, because shared machines are noisy; the ratio is
what to compare across machines, not the absolute rates.
"""

from __future__ import annotations

import argparse
import time

import spacy
from bench_corpus import DEFAULT_CORPUS, corpus_articles  # bench/ is on sys.path

from saidwhat.analyse import AnalysisFailed, analyse_many
from saidwhat.nlp import load_pipeline, model_name


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--limit", type=int, default=600, help="articles (0: all)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    articles, corpus = corpus_articles(args.corpus, args.limit)
    texts = [a.text for a in articles]
    chars = sum(len(t) for t in texts)
    print(f"{len(articles)} articles, {chars / 1e6:.2f} M characters from {corpus}")

    bare = spacy.load(model_name())
    full = load_pipeline()
    bare_times, full_times = [], []
    statements = 0
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for _doc in bare.pipe(texts, n_process=args.jobs, batch_size=16):
            pass
        bare_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        statements = 0
        for result in analyse_many(articles, nlp=full, n_process=args.jobs, batch_size=16):
            if not isinstance(result, AnalysisFailed):
                statements += len(result.statements)
        full_times.append(time.perf_counter() - t0)
    b, f = min(bare_times), min(full_times)
    n = len(articles)
    print(f"bare spaCy : {n / b:7.1f} articles/s ({b:.1f} s)")
    print(f"saidwhat   : {n / f:7.1f} articles/s ({f:.1f} s), {statements} statements")
    print(f"ratio      : extraction takes {f / b:.2f}x bare spaCy ({(f / b - 1) * 100:+.0f}%)")


if __name__ == "__main__":
    main()
