"""What statement embeddings cost on top of extraction, on the same articles.

Runs ``analyse_many`` over the same articles with ``AttributionOptions(embeddings=
False)`` and ``embeddings=True`` (the rules engine, one process), alternating rounds and
keeping the best of each (shared machines are noisy), and prints the extra time as a
share of extraction, in wall time and in the process's CPU time (the figure a busy shared
machine moves least). It also times the encoder alone per statement.

    .venv/bin/python bench/embed_cost.py                        # examples/articles
    .venv/bin/python bench/embed_cost.py --corpus ../shared/corpus/bbc --limit 200
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_corpus import corpus_articles  # noqa: E402

from saidwhat.analyse import analyse_many, with_settings  # noqa: E402
from saidwhat.encoder.sentences import load_sentence_encoder  # noqa: E402
from saidwhat.nlp import load_pipeline  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(ROOT / "examples" / "articles"))
    parser.add_argument("--limit", type=int, default=0, help="articles (0: all)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--engine", choices=("rules", "neural"), default="rules")
    args = parser.parse_args()
    articles, _ = corpus_articles(args.corpus, args.limit)
    nlp = load_pipeline()
    plain = with_settings(nlp, None, args.engine)
    embedded = dataclasses.replace(plain, embeddings=True)
    load_sentence_encoder()  # loaded once per process, as in ingest: not counted
    best = {"plain": float("inf"), "embeddings": float("inf")}
    cpu = {"plain": float("inf"), "embeddings": float("inf")}
    statements = 0
    for _ in range(args.rounds):
        for name, options in (("plain", plain), ("embeddings", embedded)):
            started, started_cpu = time.perf_counter(), time.process_time()
            results = list(analyse_many(articles, nlp=nlp, options=options))
            best[name] = min(best[name], time.perf_counter() - started)
            cpu[name] = min(cpu[name], time.process_time() - started_cpu)
            statements = sum(len(getattr(r, "statements", [])) for r in results)
    texts = [s.content_text for r in results for s in getattr(r, "statements", [])]
    encoder = load_sentence_encoder()
    encode = float("inf")
    for _ in range(args.rounds):
        started = time.perf_counter()
        for r in results:  # one batch per article, as the analysis does
            batch = [s.content_text for s in getattr(r, "statements", [])]
            if batch:
                encoder.encode(batch)
        encode = min(encode, time.perf_counter() - started)
    extra = best["embeddings"] - best["plain"]
    extra_cpu = cpu["embeddings"] - cpu["plain"]
    print(f"{len(articles)} articles, {statements} statements, {args.engine} engine")
    print(f"extraction alone      {best['plain']:.2f}s")
    print(f"with embeddings       {best['embeddings']:.2f}s")
    print(f"extra                 {extra:.2f}s = {extra / best['plain']:.1%} of extraction")
    print(
        f"CPU time (all threads) {cpu['plain']:.2f}s and {cpu['embeddings']:.2f}s: extra "
        f"{extra_cpu / cpu['plain']:.1%} of extraction (less moved by other processes)"
    )
    print(
        f"encoder alone, article by article {encode:.2f}s = {encode / best['plain']:.1%} of extraction, "
        f"{encode / max(len(texts), 1) * 1000:.1f} ms per statement"
    )


if __name__ == "__main__":
    main()
