"""Median and p95 latency of typical read queries on one or more stores.

Build the stores first (see generate_corpus.py), then:

    .venv/bin/python bench/query_latency.py --db /tmp/bench.db \
        --db postgresql://postgres@127.0.0.1:5432/saidwhat_bench

Each query runs ``--repeat`` times with its parameters rotating over several speakers,
words and months (so the figures are not one cached answer), after one warm-up round.
Page queries ask for 50 rows *and* the total count, as the API and CLI do.
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

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from saidwhat.query import (  # noqa: E402
    QueryFilters,
    count_statements,
    get_speaker,
    list_speakers,
    open_reader,
    search_statements,
    source_chains,
    speaker_timeline,
    stats,
)

WORDS = ["pipeline", "truce", "harvest", "sanctions", "monitors", "blockade", "reactor", "railway"]
MONTHS = ["2024-03", "2024-07", "2024-11", "2025-02", "2025-06", "2025-09"]


def queries(store: Any) -> dict[str, Callable[[int], Any]]:
    """name -> f(i): the i-th run of that query."""
    top = [s.name for s in list_speakers(store, QueryFilters(limit=40)).items]
    if not top:
        raise SystemExit("the store has no speakers: build it with bench/generate_corpus.py")
    # some from the top, some from the middle of the ranking
    names = top[:4] + top[-4:]

    def pick(seq: list[str], i: int) -> str:
        return seq[i % len(seq)]

    return {
        "latest, no filter (page + total)": lambda i: search_statements(
            store, QueryFilters(offset=50 * (i % 4))
        ),
        "speaker filter (page + total)": lambda i: search_statements(
            store, QueryFilters(speaker=pick(names, i))
        ),
        "full-text about (page + total)": lambda i: search_statements(
            store, QueryFilters(about=pick(WORDS, i))
        ),
        "date range, one month": lambda i: search_statements(
            store, QueryFilters(since=pick(MONTHS, i), until=pick(MONTHS, i))
        ),
        "combined speaker+about+dates+act": lambda i: search_statements(
            store,
            QueryFilters(
                speaker=pick(names, i),
                about=pick(WORDS, i + 1),
                since="2024-06-01",
                until="2025-06-30",
                act=("assert", "warn", "deny"),
            ),
        ),
        "outlet + via": lambda i: search_statements(
            store, QueryFilters(outlet="Reuters", via="local media")
        ),
        "distinct claims count, one month": lambda i: count_statements(
            store, QueryFilters(since=pick(MONTHS, i), until=pick(MONTHS, i), distinct_claims=True)
        ),
        "speakers list (top 30)": lambda i: list_speakers(store, QueryFilters(limit=30)),
        "speakers about a word": lambda i: list_speakers(
            store, QueryFilters(about=pick(WORDS, i), limit=30)
        ),
        "speaker profile": lambda i: get_speaker(store, pick(names, i)),
        "speaker timeline": lambda i: speaker_timeline(store, pick(names, i)),
        "source chains (top 30)": lambda i: source_chains(store, QueryFilters(limit=30)),
        "stats": lambda i: stats(store),
    }


def measure(fn: Callable[[int], Any], repeat: int) -> tuple[float, float]:
    """(median, p95) in milliseconds."""
    fn(0)  # warm-up
    times = []
    for i in range(repeat):
        t = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", action="append", required=True, help="store (repeatable)")
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args(argv)

    results: dict[str, dict[str, tuple[float, float]]] = {}
    labels = []
    for db in args.db:
        store = open_reader(db)
        s = stats(store)
        label = f"{store.dialect} ({s.articles:,} art., {s.statements:,} st.)"
        labels.append(label)
        for name, fn in queries(store).items():
            results.setdefault(name, {})[label] = measure(fn, args.repeat)
        store.close()

    table = Table(title=f"query latency, ms (median / p95 of {args.repeat} runs)")
    table.add_column("query")
    for label in labels:
        table.add_column(label, justify="right")
    for name, by_store in results.items():
        cells = [f"{by_store[lb][0]:.1f} / {by_store[lb][1]:.1f}" for lb in labels]
        table.add_row(name, *cells)
    Console(width=160).print(table)


if __name__ == "__main__":
    main()
