"""The statement vectors in the store: written with the statements, read for search.

Ingest writes a statement's vector in the statement's own transaction (``writer``) when
the analysis carries one; ``fill_missing`` (``saidwhat reindex``) computes the vectors of
statements stored without one, a batch per transaction, so an interrupted reindex keeps
what it did and a re-run carries on. Identical contents (a wire story carried by ten
outlets) are encoded once per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol

import numpy as np
import sqlalchemy as sa

from saidwhat.encoder.sentences import DIMENSIONS, from_bytes, to_bytes
from saidwhat.store.bulk import insert_rows
from saidwhat.store.generation import bump_generation
from saidwhat.store.tables import statement_vectors, statements


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def missing_count(conn: sa.Connection) -> int:
    """How many statements have no vector yet."""
    v = statement_vectors.c
    return int(
        conn.scalar(
            sa.select(sa.func.count())
            .select_from(statements.outerjoin(statement_vectors, v.statement_id == statements.c.id))
            .where(v.statement_id.is_(None))
        )
    )


def _missing(conn: sa.Connection, after: int, batch: int) -> list[Any]:
    v = statement_vectors.c
    return conn.execute(
        sa.select(statements.c.id, statements.c.content_text)
        .select_from(statements.outerjoin(statement_vectors, v.statement_id == statements.c.id))
        .where(v.statement_id.is_(None), statements.c.id > after)
        .order_by(statements.c.id)
        .limit(batch)
    ).all()


def fill_missing(
    engine: sa.Engine,
    encoder: Encoder,
    batch: int = 256,
    on_batch: Callable[[int], None] = lambda n: None,
) -> int:
    """Compute and store the vector of every statement that has none; the number added.
    ``on_batch`` hears how many were added after each committed batch."""
    added, after = 0, 0
    while True:
        with engine.connect() as conn:
            rows = _missing(conn, after, batch)
        if not rows:
            return added
        texts = sorted({r.content_text for r in rows})
        vectors = dict(zip(texts, encoder.encode(texts), strict=True))
        with engine.begin() as conn:
            write_vectors(conn, ((r.id, vectors[r.content_text]) for r in rows))
            bump_generation(conn)  # searches by meaning answer differently now
        added += len(rows)
        after = rows[-1].id
        on_batch(len(rows))


def write_vectors(conn: sa.Connection, pairs: Iterable[tuple[int, np.ndarray]]) -> None:
    """Store (statement id, vector) pairs."""
    insert_rows(
        conn, statement_vectors, [{"statement_id": i, "vector": to_bytes(v)} for i, v in pairs]
    )


def read_vectors(conn: sa.Connection, ids: Sequence[int]) -> dict[int, np.ndarray]:
    """The stored vectors of ``ids`` (statements without one are left out)."""
    if not ids:
        return {}
    v = statement_vectors.c
    rows = conn.execute(sa.select(v.statement_id, v.vector).where(v.statement_id.in_(list(ids))))
    return {i: from_bytes(blob) for i, blob in rows}


def newest_vector_id(conn: sa.Connection) -> int:
    """The highest statement id with a vector (0 when none)."""
    return int(conn.scalar(sa.select(sa.func.max(statement_vectors.c.statement_id))) or 0)


def vectors_after(
    conn: sa.Connection, after: int, batch: int = 20_000
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(ids, vectors) of the statements with an id above ``after``, in id order, in
    batches: what a vector index adds to catch up with the store."""
    v = statement_vectors.c
    while True:
        rows = conn.execute(
            sa.select(v.statement_id, v.vector)
            .where(v.statement_id > after)
            .order_by(v.statement_id)
            .limit(batch)
        ).all()
        if not rows:
            return
        ids = np.fromiter((r[0] for r in rows), dtype=np.uint64, count=len(rows))
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(-1, DIMENSIONS)
        yield ids, matrix
        after = int(ids[-1])
