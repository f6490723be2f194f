"""Median and p95 latency of the faceted search page: one page of results and its total
plus every facet (speaker, speaker kind, act, type, outlet, via, date histogram).

Build the stores first (see generate_corpus.py), then:

    .venv/bin/python bench/facet_latency.py --db /tmp/bench.db \
        --db postgresql://postgres@127.0.0.1:5432/saidwhat_bench

Each search runs ``--repeat`` times, its parameters rotating over words, acts, speakers,
months and outlets (so no figure is one cached answer), after one warm-up round. Three
ways, per store:

* ``page``: ``GET /?...`` through the web app (``create_app``, its whole answer cache
  turned off), HTML rendered: what a reader waits for;
* ``library``: ``search_statements`` + ``facet_counts`` with the app's per-generation
  memo (facets counted over no filter at all are kept until the store changes);
* ``cold``: the same without the memo (every facet counted on every request: the first
  request after a write).
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

from fastapi.testclient import TestClient  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from saidwhat.query import QueryFilters, list_speakers, open_reader, search_statements  # noqa: E402
from saidwhat.query.facets import FACETS, facet_counts  # noqa: E402
from saidwhat.web import create_app  # noqa: E402
from saidwhat.web.cache import GenerationMemo  # noqa: E402
from saidwhat.web.options import WebOptions  # noqa: E402

WORDS = ["pipeline", "truce", "harvest", "sanctions", "monitors", "blockade", "reactor", "railway"]
ACTS = ["deny", "warn", "propose", "reject", "promise", "accuse"]
MONTHS = ["2024-03", "2024-07", "2024-11", "2025-02", "2025-06", "2025-09"]
OUTLETS = ["Reuters", "AFP", "TASS", "IANS", "Capital Post", "Island Dispatch"]


def searches(store: Any) -> dict[str, Callable[[int], tuple[dict[str, Any], str]]]:
    """name -> f(i): the i-th run's (query parameters, sort)."""
    top = [str(s.id) for s in list_speakers(store, QueryFilters(limit=40)).items]
    names = top[:4] + top[-4:]

    def pick(seq: list[str], i: int) -> str:
        return seq[i % len(seq)]

    return {
        "first page, no filter": lambda i: ({}, "newest"),
        "words": lambda i: ({"about": pick(WORDS, i)}, "newest"),
        "words, by relevance": lambda i: ({"about": pick(WORDS, i)}, "relevance"),
        "one act": lambda i: ({"act": [pick(ACTS, i)]}, "newest"),
        "two acts (multi-select)": lambda i: (
            {"act": [pick(ACTS, i), pick(ACTS, i + 1)]},
            "newest",
        ),
        "speaker": lambda i: ({"speaker": [pick(names, i)]}, "newest"),
        "one month, oldest first": lambda i: (
            {"since": pick(MONTHS, i), "until": pick(MONTHS, i)},
            "oldest",
        ),
        "outlet": lambda i: ({"outlet": [pick(OUTLETS, i)]}, "newest"),
        "words + two acts + a year": lambda i: (
            {
                "about": pick(WORDS, i),
                "act": [pick(ACTS, i), pick(ACTS, i + 2)],
                "since": "2024-06",
                "until": "2025-05",
            },
            "newest",
        ),
    }


def filters_of(params: dict[str, Any]) -> QueryFilters:
    return QueryFilters(**params)


def measure(fn: Callable[[int], Any], repeat: int, rounds: int) -> list[float]:
    """Milliseconds of ``repeat`` runs, after ``rounds`` warm-up runs (one per rotation)."""
    for i in range(rounds):
        fn(i)
    times = []
    for i in range(repeat):
        t = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t) * 1000)
    return times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def bench_store(db: str, repeat: int, warm: int) -> Table:
    """The table of one store: each search three ways, then all of them together."""
    store = open_reader(db)
    app = create_app(store.url, options=WebOptions(answer_cache_mb=0))
    memo = GenerationMemo()

    def keep(key: str, compute: Callable[[], Any]) -> Any:
        return memo.get(key, 0, compute)

    table = Table(title=f"{store.dialect}: ms, median / p95 of {repeat} runs")
    for col in ("search (page of 50 + total + 7 facets)", "page (HTTP, HTML)", "library", "cold"):
        table.add_column(col, justify="left" if col.startswith("search") else "right")
    every: dict[str, list[float]] = {"page": [], "library": [], "cold": []}
    with TestClient(app) as client:
        for name, make in searches(store).items():

            def page(i: int, make: Any = make) -> None:
                params, sort = make(i)
                r = client.get("/", params={**params, "sort": sort})
                assert r.status_code == 200, r.text[:300]

            def library(i: int, make: Any = make, cached: bool = True) -> None:
                params, sort = make(i)
                f = filters_of(params)
                search_statements(store, f, sort=sort)
                facet_counts(store, f, FACETS, memo=keep if cached else None)

            cells = [name]
            for how, run in (
                ("page", page),
                ("library", library),
                ("cold", lambda i, lib=library: lib(i, cached=False)),
            ):
                times = measure(run, repeat, warm)
                every[how] += times
                cells.append(f"{statistics.median(times):.0f} / {p95(times):.0f}")
            table.add_row(*cells)
    table.add_row(
        "all searches together",
        *(f"{statistics.median(t):.0f} / {p95(t):.0f}" for t in every.values()),
    )
    store.close()
    return table


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", action="append", required=True, help="store (repeatable)")
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--warm", type=int, default=1, help="warm-up runs per search")
    args = ap.parse_args(argv)
    for db in args.db:
        Console(width=160).print(bench_store(db, args.repeat, args.warm))


if __name__ == "__main__":
    main()
