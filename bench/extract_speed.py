"""Extraction speed as a ratio to bare spaCy on the same texts, in one run.

    .venv/bin/python bench/extract_speed.py [--corpus ../shared/corpus/bbc] [--limit 600]

    .venv/bin/python bench/extract_speed.py --engines rules,neural --limit 400

"bare spaCy" is ``spacy.load(model)`` and ``nlp.pipe``: parsing and NER only. Each engine
is ``saidwhat.analyse.analyse_many`` with that engine: the same parse plus the place
gazetteer, attribution (for ``neural`` the MiniLM tagger too), entities, dates and the
Analysis object per article. Runs alternate (bare, engine 1, engine 2, bare, ...) and the
best of each is kept, because shared machines are noisy; the ratio is what to compare
across machines, not the absolute rates. The peak RSS of the process is printed at the
end (every engine's models loaded: the neural one's alone is less).
"""

from __future__ import annotations

import argparse
import resource
import time

import spacy
from bench_corpus import DEFAULT_CORPUS, corpus_articles  # bench/ is on sys.path

from saidwhat.analyse import AnalysisFailed, analyse_many, with_settings
from saidwhat.nlp import load_pipeline, model_name


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--limit", type=int, default=600, help="articles (0: all)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--engines", default="rules", help="comma-separated: rules,neural")
    args = ap.parse_args()
    articles, corpus = corpus_articles(args.corpus, args.limit)
    texts = [a.text for a in articles]
    chars = sum(len(t) for t in texts)
    print(f"{len(articles)} articles, {chars / 1e6:.2f} M characters from {corpus}")

    bare = spacy.load(model_name())
    full = load_pipeline()
    engines = args.engines.split(",")
    options = {e: with_settings(full, None, e) for e in engines}
    bare_times: list[float] = []
    times: dict[str, list[float]] = {e: [] for e in engines}
    statements: dict[str, int] = {}
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for _doc in bare.pipe(texts, n_process=args.jobs, batch_size=16):
            pass
        bare_times.append(time.perf_counter() - t0)
        for engine in engines:
            t0 = time.perf_counter()
            count = 0
            results = analyse_many(
                articles, nlp=full, n_process=args.jobs, batch_size=16, options=options[engine]
            )
            for result in results:
                if not isinstance(result, AnalysisFailed):
                    count += len(result.statements)
            times[engine].append(time.perf_counter() - t0)
            statements[engine] = count
    b = min(bare_times)
    n = len(articles)
    print(f"bare spaCy : {n / b:7.1f} articles/s ({b:.1f} s)")
    for engine in engines:
        f = min(times[engine])
        print(
            f"{engine:<11}: {n / f:7.1f} articles/s ({f:.1f} s), {statements[engine]} statements; "
            f"{f / b:.2f}x bare spaCy ({(f / b - 1) * 100:+.0f}%)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS   : {peak:.0f} MB")


if __name__ == "__main__":
    main()
