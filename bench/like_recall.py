"""Search by meaning on the example corpus: recall@10 of full text, vector and hybrid.

Reads ``examples/like_queries.yaml`` (30 queries, each with the statements it should
bring back, named by article number and a phrase of their content), runs each query
through ``query.similar.like_ranking`` three ways (``text``: full text alone, any of the
query's content words, bm25; ``vector``: embeddings alone; ``hybrid``: the two fused by
reciprocal rank, what ``--like`` runs) and prints recall@10 (the share of the expected
statements among the first ten, averaged over the queries) for each, with the queries
the hybrid misses.

    .venv/bin/python bench/like_recall.py                 # ingests the examples first
    .venv/bin/python bench/like_recall.py --db /tmp/ex.db # a store that holds them
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from saidwhat.query import QueryFilters, open_reader  # noqa: E402
from saidwhat.query.filters import where_clauses  # noqa: E402
from saidwhat.query.similar import LIKE_MODES, like_ranking  # noqa: E402
from saidwhat.store.tables import articles, statements  # noqa: E402


def expected_ids(conn: sa.Connection, expect: list[dict[str, str]]) -> set[int]:
    """The store ids of the statements a query should find; an entry that names no
    statement, or several, is an error (the file must stay true to the corpus)."""
    found: set[int] = set()
    for e in expect:
        rows = conn.execute(
            sa.select(statements.c.id, articles.c.path, statements.c.content_text)
            .join_from(statements, articles, articles.c.id == statements.c.article_id)
            .where(statements.c.content_text.contains(e["phrase"], autoescape=True))
        ).all()
        ids = [r.id for r in rows if Path(r.path or "").name.startswith(e["article"] + "_")]
        if len(ids) != 1:
            raise SystemExit(f"{e}: {len(ids)} statements match (want exactly 1)")
        found.add(ids[0])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="a store holding examples/articles (default: ingest)")
    parser.add_argument("--queries", default=str(ROOT / "examples" / "like_queries.yaml"))
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    db = args.db
    if db is None:
        from saidwhat.analyse import AttributionOptions
        from saidwhat.ingest import ingest
        from saidwhat.store import open_store

        db = str(Path(tempfile.mkdtemp()) / "examples.db")
        with open_store(db) as store:
            ingest(
                [str(ROOT / "examples" / "articles")],
                store,
                progress=False,
                options=AttributionOptions(embeddings=True),
            )
    queries = yaml.safe_load(Path(args.queries).read_text(encoding="utf-8"))["queries"]
    store = open_reader(db)
    recall = {mode: 0.0 for mode in LIKE_MODES}
    misses: list[str] = []
    with store.engine.connect() as conn:
        for q in queries:
            want = expected_ids(conn, q["expect"])
            f = QueryFilters(like=q["query"])
            where = where_clauses(conn, f)
            for mode in LIKE_MODES:
                top = like_ranking(conn, f, where, mode=mode).ids[: args.k]
                share = len(want & set(top)) / len(want)
                recall[mode] += share
                if mode == "hybrid" and share < 1:
                    misses.append(f"  {share:.2f}  {q['query']}")
    n = len(queries)
    print(f"{n} queries, recall@{args.k} (share of the expected statements in the top {args.k})")
    for mode in ("text", "vector", "hybrid"):
        print(f"  {mode:<7} {recall[mode] / n:.3f}")
    if misses:
        print("hybrid misses:")
        print("\n".join(misses))


if __name__ == "__main__":
    main()
