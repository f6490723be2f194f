"""Latency of search by meaning (``--like``) and of the quote check on a large store.

For each store (``--db``, repeatable: SQLite and PostgreSQL), runs each query kind over
ten query texts, ``--repeat`` times, in one process (the encoder and the vector index
loaded once, as in a web server; the first search's index load or build is printed on
its own) and prints the median and 95th percentile in milliseconds. Every time includes
encoding the query text.

    .venv/bin/python bench/generate_corpus.py --fast --db /tmp/meaning_bench.db
    .venv/bin/python bench/synthetic_vectors.py --db /tmp/meaning_bench.db
    .venv/bin/python bench/like_latency.py --db /tmp/meaning_bench.db \\
        --db postgresql://postgres@127.0.0.1:5432/meaning_bench --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from saidwhat.query import QueryFilters, open_reader, search_statements  # noqa: E402
from saidwhat.query.check import check_quote  # noqa: E402
from saidwhat.query.similar import encode_query  # noqa: E402
from saidwhat.store.vector_index import vector_index  # noqa: E402

TEXTS = [
    "the truce will survive the cold months",
    "the pipeline deal fell apart during the night",
    "the grain corridor has to be extended before spring",
    "negotiations on prisoners should restart soon",
    "sanctions relief was never on the table",
    "the ceasefire collapsed overnight",
    "monitors must be allowed into the region",
    "the gas pipeline would hold through the winter",
    "a new round of talks is planned for next month",
    "the energy truce had collapsed overnight",
]


def kinds(store: Any, speaker: str) -> dict[str, Callable[[str], object]]:
    return {
        "--like (page of 20 + total)": lambda t: search_statements(
            store, QueryFilters(like=t, limit=20)
        ),
        "--like --speaker": lambda t: search_statements(
            store, QueryFilters(like=t, speaker=speaker, limit=20)
        ),
        "--like --since --until (one month)": lambda t: search_statements(
            store, QueryFilters(like=t, since="2025-03", until="2025-03", limit=20)
        ),
        "--like --act deny": lambda t: search_statements(
            store, QueryFilters(like=t, act="deny", limit=20)
        ),
        "check": lambda t: check_quote(store, t),
        "check --speaker": lambda t: check_quote(store, t, speaker=speaker),
        "encode the query alone": encode_query,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", action="append", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for db in args.db:
        store = open_reader(db)
        speaker = search_statements(store, QueryFilters(limit=1)).items[0].speaker or ""
        encode_query("warm up")
        started = time.perf_counter()
        with store.engine.connect() as conn:
            index = vector_index(store.engine)
            added = index.catch_up(conn)
        cold = time.perf_counter() - started
        print(
            f"{store.url}: index of {len(index):,} vectors ready in {cold:.1f}s "
            f"({added:,} added to what was on disk); speaker {speaker!r}"
        )
        for name, run in kinds(store, speaker).items():
            times = []
            for _ in range(args.repeat):
                for text in TEXTS:
                    t0 = time.perf_counter()
                    run(text)
                    times.append((time.perf_counter() - t0) * 1000)
            p95 = statistics.quantiles(times, n=20)[-1]
            print(f"  {name:<38} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms")
        store.close()


if __name__ == "__main__":
    main()
