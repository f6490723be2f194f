"""What the store costs on top of extraction, for SQLite and PostgreSQL, in one run.

    .venv/bin/python bench/ingest_throughput.py [--corpus ../shared/corpus/bbc] [--limit 300]
        [--pg postgresql://postgres@127.0.0.1:5432/saidwhat_ingest_bench] [--rounds 2]

The articles are analysed once and the Analysis objects kept. Then, on the same
articles: extraction alone is timed (``analyse_many``, one process), and storing the kept
analyses is timed into a fresh SQLite store and a fresh PostgreSQL store
(``Store.add_analysis`` per article, as ``ingest`` does; opening and migrating the store
is not counted). Each round times extraction (again, from round 2 on) and storing into
each backend; the best time of each is kept, because a shared 2-core machine is noisy;
the ratio store / extraction is what to compare across machines (issue 3 asks for less
than 20%). Last, ``ingest()`` itself runs end to end into a fresh store of each backend
(reading, extraction, writer thread), each run right after a run of reading +
extraction alone, and its wall clock is reported as a ratio to that run.

The PostgreSQL database named in ``--pg`` is created for the run and dropped after it
(an existing one of that name is dropped first); ``--pg ''`` skips PostgreSQL. Nothing is
written into the repository: the SQLite stores live in a temporary directory.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from bench_corpus import DEFAULT_CORPUS, corpus_articles  # bench/ is on sys.path

from saidwhat.analyse import AnalysisFailed, analyse_many
from saidwhat.ingest import ingest
from saidwhat.linking.copies import warm_up
from saidwhat.nlp import load_pipeline
from saidwhat.reading.readers import iter_inputs
from saidwhat.reading.records import ReadError
from saidwhat.schema import Analysis, Article
from saidwhat.store import Store, open_store

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/saidwhat_ingest_bench"


def analyse_all(articles: list[Article], nlp) -> tuple[list[Analysis], float]:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = [r for r in analyse_many(articles, nlp=nlp) if not isinstance(r, AnalysisFailed)]
    return out, time.perf_counter() - t0


@contextmanager
def pg_database(url: str) -> Iterator[str]:
    """Create the bench database (dropping a leftover one first); drop it afterwards."""
    base, name = url.rsplit("/", 1)
    admin = sa.create_engine(
        base.replace("postgresql://", "postgresql+psycopg://", 1) + "/postgres",
        isolation_level="AUTOCOMMIT",
    )

    def run(sql: str) -> None:
        with admin.connect() as conn:
            conn.exec_driver_sql(sql)

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def fresh_pg(url: str) -> Store:
    """An empty PostgreSQL store: the bench database, schema dropped and re-migrated."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()
    return open_store(url)


def time_store(open_fresh: Callable[[], Store], analyses: list[Analysis]) -> tuple[float, int]:
    """Seconds to store ``analyses`` one by one, and the SQL statements sent."""
    store = open_fresh()
    sent = [0]

    def count(*_args: object) -> None:
        sent[0] += 1

    sa.event.listen(store.engine, "before_cursor_execute", count)
    try:
        t0 = time.perf_counter()
        for a in analyses:
            store.add_analysis(a)
        return time.perf_counter() - t0, sent[0]
    finally:
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--limit", type=int, default=300, help="articles (0: all)")
    ap.add_argument("--pg", default=PG_DEFAULT, help="bench database URL ('' to skip)")
    ap.add_argument("--rounds", type=int, default=2, help="rounds of extraction + storing")
    ap.add_argument("--no-ingest", action="store_true", help="skip the end-to-end ingest()")
    args = ap.parse_args()
    articles, corpus = corpus_articles(args.corpus, args.limit)
    chars = sum(len(a.text) for a in articles)
    print(f"{len(articles)} articles, {chars / 1e6:.2f} M characters from {corpus}")

    nlp = load_pipeline()
    warm_up()
    list(analyse_many(articles[:8], nlp=nlp))  # first-call costs out of the timings
    analyses, extract = analyse_all(articles, nlp)
    n = len(analyses)
    statements = sum(len(a.statements) for a in analyses)
    print(f"extraction: {n} analyses, {statements} statements, {extract:.1f} s")

    with (
        tempfile.TemporaryDirectory(prefix="saidwhat-ingest-bench-") as tmp,
        _maybe_pg(args.pg) as pg,
    ):
        counter = iter(range(1_000_000))

        def fresh_sqlite() -> Store:
            return open_store(Path(tmp) / f"store{next(counter)}.db")

        backends: dict[str, Callable[[], Store]] = {"sqlite": fresh_sqlite}
        if pg:
            backends["postgresql"] = lambda: fresh_pg(pg)
        best: dict[str, tuple[float, int]] = {}
        for round_no in range(args.rounds):
            if round_no:  # extraction again, between store rounds: the best one counts
                extract = min(extract, analyse_all(articles, nlp)[1])
            for name, opener in backends.items():
                secs, sent = time_store(opener, analyses)
                if name not in best or secs < best[name][0]:
                    best[name] = (secs, sent)

        e2e: dict[str, tuple[float, float]] = {}
        if not args.no_ingest:
            paths = list(dict.fromkeys(str(a.path) for a in articles))
            for name, opener in backends.items():
                read = time.perf_counter()
                again = [a for a in iter_inputs(paths) if not isinstance(a, ReadError)]
                analyse_all(again, nlp)
                base = time.perf_counter() - read  # reading + extraction alone
                store = opener()
                try:
                    report = ingest(paths, store, nlp=nlp, progress=False)
                finally:
                    store.close()
                e2e[name] = (report.seconds, base)

    print()
    print(
        f"{'backend':<11} {'store s':>8} {'ms/art':>7} {'SQL/art':>8} {'store/extract':>14}", end=""
    )
    print(f" {'ingest s':>9} {'read+extract s':>15} {'ratio':>6}" if e2e else "")
    for name, (secs, sent) in best.items():
        line = (
            f"{name:<11} {secs:8.2f} {secs / n * 1000:7.1f} {sent / n:8.1f} "
            f"{secs / extract * 100:13.1f}%"
        )
        if name in e2e:
            wall, base = e2e[name]
            line += f" {wall:9.1f} {base:15.1f} {wall / base:5.2f}x"
        print(line)
    print(f"extraction alone (best): {extract:.1f} s ({n / extract:.1f} articles/s)")


@contextmanager
def _maybe_pg(url: str) -> Iterator[str | None]:
    if not url:
        yield None
        return
    with pg_database(url) as pg:
        yield pg


if __name__ == "__main__":
    main()
