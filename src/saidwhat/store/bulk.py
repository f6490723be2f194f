"""Many rows in one statement: ``INSERT ... SELECT * FROM unnest(arrays)`` on PostgreSQL.

An executemany through psycopg's pipeline still sends, binds and executes every row on
its own, and an article brings about a hundred (mentions, MinHash bands, observations);
that per-row work was a large part of what the store cost on top of extraction. One
column array per column makes it a single statement, whatever the row count. Rows come
out of ``unnest`` in array order, so serial ids follow the row order as before. SQLite
(in-process, no round trips) keeps the plain executemany.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def insert_rows(
    conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]], skip_existing: str = ""
) -> None:
    """Insert ``rows`` (dicts with the same keys, every column without a server default
    given) into ``table``; ``skip_existing`` (key columns, "a, b"): rows whose key is
    already stored are skipped (ON CONFLICT DO NOTHING, on both dialects)."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
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
