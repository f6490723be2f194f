"""Which ANN library serves statement neighbours: usearch, hnswlib, faiss-cpu (HNSW).

Each builds an HNSW index over the same vectors with the same graph settings (16 links
per node, 128 candidates while adding, ``--ef`` while searching), then answers the same
queries; the script prints build time, search time per query and recall@10 against
exact search (brute force in numpy). Ties are counted as found: a neighbour no farther
than the exact 10th is a right answer (the synthetic store repeats texts).

Vectors (``--vectors``):

* ``random``: unit vectors drawn uniformly in 384 dimensions, the hard case for HNSW
  (no clusters to follow);
* ``store``: the vectors of a store (``--db``), e.g. the synthetic 50,000-article one
  after ``bench/synthetic_vectors.py``; queries are stored vectors with noise added;
* ``texts``: the embeddings of real sentences, the sentences of the text files under
  ``--src`` (up to ``--n``), encoded once and kept in ``--cache`` (a .npy file of
  vectors: no text is kept); queries are held-out sentences of the same files.

    .venv/bin/python bench/vector_index.py --vectors random --n 175000
    .venv/bin/python bench/vector_index.py --vectors store --db /tmp/meaning_bench.db
    .venv/bin/python bench/vector_index.py --vectors texts --src ../shared/corpus/bbc \
        --n 20000 --cache /tmp/bbc_vectors.npy

hnswlib and faiss-cpu are not dependencies of saidwhat; the script skips a library that
is not installed (``pip install hnswlib==0.8.0 faiss-cpu==1.15.1`` to compare).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from saidwhat.store.vector_index import CONNECTIVITY, EXPANSION_ADD  # noqa: E402

DIM = 384
K = 10


def random_vectors(n: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def store_vectors(db: str) -> np.ndarray:
    import sqlalchemy as sa

    from saidwhat.query import open_reader
    from saidwhat.store.tables import statement_vectors

    store = open_reader(db)
    with store.engine.connect() as conn:
        blobs = conn.scalars(
            sa.select(statement_vectors.c.vector).order_by(statement_vectors.c.statement_id)
        ).all()
    return np.frombuffer(b"".join(blobs), dtype="<f4").reshape(-1, DIM)


def text_vectors(src: str, n: int, cache: str | None) -> np.ndarray:
    """Sentence embeddings of the first ``n`` sentences (8 words or more) under ``src``."""
    import re

    if cache and Path(cache).exists():
        return np.load(cache)
    from saidwhat.encoder.sentences import load_sentence_encoder

    sentences: list[str] = []
    for path in sorted(Path(src).rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
            if len(s.split()) >= 8:
                sentences.append(s)
        if len(sentences) >= n:
            break
    encoder = load_sentence_encoder()
    vectors = np.concatenate(
        [encoder.encode(sentences[i : i + 512]) for i in range(0, min(n, len(sentences)), 512)]
    )
    if cache:
        np.save(cache, vectors)
    return vectors


def build_usearch(data: np.ndarray, ef: int) -> Callable[[np.ndarray], np.ndarray]:
    from usearch.index import Index

    index = Index(
        ndim=DIM,
        metric="cos",
        dtype="f32",
        connectivity=CONNECTIVITY,
        expansion_add=EXPANSION_ADD,
        expansion_search=ef,
    )
    index.add(np.arange(len(data), dtype=np.uint64), data)
    return lambda q: np.asarray(index.search(q, K).keys, dtype=np.int64)


def build_hnswlib(data: np.ndarray, ef: int) -> Callable[[np.ndarray], np.ndarray]:
    import hnswlib

    index = hnswlib.Index(space="cosine", dim=DIM)
    index.init_index(max_elements=len(data), ef_construction=EXPANSION_ADD, M=CONNECTIVITY)
    index.add_items(data, np.arange(len(data)))
    index.set_ef(ef)
    return lambda q: index.knn_query(q, k=K)[0][0].astype(np.int64)


def build_faiss(data: np.ndarray, ef: int) -> Callable[[np.ndarray], np.ndarray]:
    import faiss

    index = faiss.IndexHNSWFlat(DIM, CONNECTIVITY, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = EXPANSION_ADD
    index.add(data)
    index.hnsw.efSearch = ef
    return lambda q: index.search(q[None, :], K)[1][0].astype(np.int64)


LIBRARIES = {"usearch": build_usearch, "hnswlib": build_hnswlib, "faiss": build_faiss}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vectors", choices=("random", "store", "texts"), default="random")
    parser.add_argument("--src", help="a folder of .txt files (--vectors texts)")
    parser.add_argument("--cache", help="a .npy file keeping the text vectors")
    parser.add_argument("--db", help="the store whose vectors to index (--vectors store)")
    parser.add_argument("--n", type=int, default=175_000, help="vectors (at most)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--ef", type=int, default=256, help="candidates while searching")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed + 1)
    if args.vectors == "texts":
        every = text_vectors(args.src, args.n, args.cache)
        held = rng.permutation(len(every))
        queries, data = every[held[: args.queries]], every[held[args.queries :]]
    elif args.vectors == "store":
        data = store_vectors(args.db)[: args.n]
    else:
        data = random_vectors(args.n, args.seed)
    if args.vectors == "texts":
        pass
    elif args.vectors == "store":
        picks = data[rng.integers(0, len(data), args.queries)]
        noisy = picks + 0.05 * rng.standard_normal(picks.shape).astype(np.float32)
        queries = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
    else:
        queries = random_vectors(args.queries, args.seed + 1)
    sims = queries @ data.T
    tenth = np.sort(sims, axis=1)[:, -K]  # the exact 10th best similarity per query
    print(f"{len(data):,} vectors ({args.vectors}), {len(queries)} queries, ef {args.ef}")
    print(f"{'library':<8} {'build s':>8} {'ms/query':>9} {'recall@10':>10}")
    for name, build in LIBRARIES.items():
        try:
            started = time.perf_counter()
            search = build(data, args.ef)
        except ImportError:
            print(f"{name:<8} not installed")
            continue
        built = time.perf_counter() - started
        found, started = 0, time.perf_counter()
        results = [search(q) for q in queries]
        per_query = (time.perf_counter() - started) / len(queries) * 1000
        for i, ids in enumerate(results):
            ids = ids[ids >= 0]
            found += int(np.sum(sims[i, ids] >= tenth[i] - 1e-6))
        recall = found / (K * len(queries))
        print(f"{name:<8} {built:>8.1f} {per_query:>9.2f} {recall:>10.3f}")


if __name__ == "__main__":
    main()
