"""The store generation: a number in ``meta`` that changes with every visible write.

Why: readers that cache answers (the web app's ETag / 304) need to know, with one cheap
query, whether anything they could have shown has changed since. Every write that
changes what a reader sees (an article stored, a re-merge, a recorded error) calls
``bump_generation`` inside its own transaction, so the new number commits with the
rows it stands for and a reader never sees new rows under an old number (or the
reverse). Writes by another process (an ``ingest`` while ``serve`` runs) go through the
same call, so they are seen too. Reading is ``saidwhat.query.store_generation``.

The first bump of a store starts the counter at the current time in microseconds rather
than at 1: a store deleted and rebuilt under a running server then does not count
through the same numbers again (a client's cached ETag from the old store would
otherwise match). After that it is a plain ``+ 1`` under the writer's lock.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa

from saidwhat.store.tables import meta

GENERATION_KEY = "generation"

_UPSERT: dict[str, Any] = {}  # dialect name -> statement (built once: building costs)


def _upsert(dialect: str) -> Any:
    if dialect not in _UPSERT:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(meta).values(key=GENERATION_KEY, value=sa.bindparam("seed"))
        _UPSERT[dialect] = stmt.on_conflict_do_update(
            index_elements=["key"],
            set_={"value": sa.cast(sa.cast(meta.c.value, sa.BigInteger) + 1, sa.Text)},
        )
    return _UPSERT[dialect]


def bump_generation(conn: sa.Connection) -> None:
    """Advance the generation inside ``conn``'s (writing) transaction: one statement."""
    conn.execute(_upsert(conn.dialect.name), {"seed": str(time.time_ns() // 1000)})
