"""Many rows in one statement: ``INSERT ... SELECT * FROM unnest(arrays)`` on PostgreSQL.

An executemany through psycopg's pipeline still sends, binds and executes every row on
its own, and an article brings about a hundred (mentions, MinHash bands, observations);
that per-row work was a large part of what the store cost on top of extraction. One
column array per column makes it a single statement, whatever the row count. Rows come
out of ``unnest`` in array order, so serial ids follow the row order as before. SQLite
(in-process, no round trips) keeps the plain executemany.

Inside ``copy_mode()`` (what ``saidwhat load`` uses for a bulk load) the rows of tables
whose ids nobody reads back go to PostgreSQL by ``COPY ... FROM STDIN`` instead: the
fastest way in, through the same connection and the same per-article transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sqlalchemy as sa

_COPY: ContextVar[bool] = ContextVar("saidwhat_copy", default=False)


@contextmanager
def copy_mode() -> Iterator[None]:
    """Within this block, ``insert_rows`` on PostgreSQL uses COPY (bulk loads)."""
    token = _COPY.set(True)
    try:
        yield
    finally:
        _COPY.reset(token)


def insert_rows(
    conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]], skip_existing: str = ""
) -> None:
    """Insert ``rows`` (dicts with the same keys, every column without a server default
    given) into ``table``; ``skip_existing`` (key columns, "a, b"): rows whose key is
    already stored are skipped (ON CONFLICT DO NOTHING, on both dialects)."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        if _COPY.get() and not skip_existing:
            copy_rows(conn, table, rows)
            return
        sql, params = unnest_insert(conn, table, rows)
        if skip_existing:
            sql += f" ON CONFLICT ({skip_existing}) DO NOTHING"
        conn.exec_driver_sql(sql, params)
        return
    stmt = sa.insert(table)
    if skip_existing:
        from sqlalchemy.dialects.sqlite import insert

        keys = [k.strip() for k in skip_existing.split(",")]
        stmt = insert(table).on_conflict_do_nothing(index_elements=keys)
    conn.execute(stmt, rows)


def copy_rows(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: ``COPY table (columns) FROM STDIN`` on the connection's own transaction.
    Rows go in in list order, so serial ids follow it as with the other paths."""
    from psycopg.types.json import Jsonb

    cols = list(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    jsonb = {c for c in cols if table.c[c].type.compile(dialect=conn.dialect) == "JSONB"}
    sql = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in cols)}) FROM STDIN"
    raw = conn.connection.dbapi_connection
    with raw.cursor() as cur, cur.copy(sql) as copy:
        for row in rows:
            copy.write_row([Jsonb(row[c]) if c in jsonb else row[c] for c in cols])


def unnest_insert(
    conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]], returning: str = ""
) -> tuple[str, tuple[list[Any], ...]]:
    """PostgreSQL: the SQL and parameters inserting ``rows`` with one statement
    (``returning``: a RETURNING column list, e.g. ``"id, local_id"``)."""
    from psycopg.types.json import Jsonb  # only PostgreSQL stores need psycopg

    cols = list(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    arrays, casts = [], []
    for col in cols:
        kind = table.c[col].type.compile(dialect=conn.dialect)
        values = [r[col] for r in rows]
        if kind == "JSONB":  # as SQLAlchemy's JSON type does, None is JSON null
            values = [Jsonb(v) for v in values]
        arrays.append(values)
        casts.append(f"%s::{kind}[]")
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in cols)}) "
        f"SELECT * FROM unnest({', '.join(casts)})"
    )
    if returning:
        sql += f" RETURNING {returning}"
    return sql, tuple(arrays)
