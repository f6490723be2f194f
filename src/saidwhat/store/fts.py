"""Full-text search over statement content, one call for both databases.

SQLite searches the FTS5 table ``statements_fts``; PostgreSQL the generated ``tsvector``
column ``statements.search``. Readers build their query with SQLAlchemy Core and add
``search_clause(dialect_name, words)`` as a filter on ``statements``; they never write
dialect-specific SQL themselves.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from saidwhat.store.tables import statements

_WORD = re.compile(r"\w+", re.UNICODE)


def fts5_query(words: str) -> str:
    """User words -> an FTS5 query: every word must occur (quoted, so no syntax errors)."""
    return " ".join(f'"{w}"' for w in _WORD.findall(words))


def search_clause(dialect: str, words: str) -> sa.ColumnElement[bool]:
    """A WHERE clause on ``statements`` matching every word of ``words`` (stemmed)."""
    if dialect == "sqlite":
        match = sa.text("SELECT rowid FROM statements_fts WHERE statements_fts MATCH :fts_q")
        return statements.c.id.in_(match.bindparams(fts_q=fts5_query(words) or '""'))
    if dialect == "postgresql":
        return sa.literal_column("statements.search").op("@@")(
            sa.func.plainto_tsquery("english", words)
        )
    raise ValueError(f"full-text search is not supported on {dialect}")


def match_count(dialect: str, words: str) -> sa.TextClause | None:
    """SQLite: how many statements match ``words``, counted in the FTS index alone (it
    holds one row per statement, kept by triggers), without reading the statements.
    None elsewhere: PostgreSQL counts through ``search_clause``."""
    if dialect != "sqlite":
        return None
    return sa.text(
        "SELECT count(*) FROM statements_fts WHERE statements_fts MATCH :fts_q"
    ).bindparams(fts_q=fts5_query(words) or '""')


def relevance(dialect: str, words: str) -> tuple[sa.Subquery | None, sa.ColumnElement[float]]:
    """How well each statement matches ``words``, to sort by (higher is better): a table
    to join on ``statements.id`` (None: none needed) and the score over it.

    SQLite: FTS5's ``bm25`` (lower is better, so negated), read from the FTS table,
    which must be joined as it is the only place the score exists; PostgreSQL:
    ``ts_rank`` over the ``tsvector`` column, on the statement row itself."""
    if dialect == "sqlite":
        ranked = (
            sa.text(
                "SELECT rowid AS id, bm25(statements_fts) AS score FROM statements_fts "
                "WHERE statements_fts MATCH :fts_rank_q"
            )
            .bindparams(fts_rank_q=fts5_query(words) or '""')
            .columns(id=sa.Integer, score=sa.Float)
            .subquery("fts_rank")
        )
        return ranked, -ranked.c.score
    return None, rank_expression(dialect, words)


def rank_expression(dialect: str, words: str) -> sa.ColumnElement[float]:
    """A relevance score to ORDER BY (higher is better) alongside ``search_clause``."""
    if dialect == "postgresql":
        return sa.func.ts_rank(
            sa.literal_column("statements.search"), sa.func.plainto_tsquery("english", words)
        )
    # SQLite: bm25 needs the FTS table in the FROM clause; date order is the simple fallback.
    return sa.literal(0.0)
