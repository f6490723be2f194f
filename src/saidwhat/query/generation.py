"""``store_generation``: has anything a reader could show changed since it last looked?

The store keeps a counter in ``meta`` that every visible write moves on in its own
transaction (``saidwhat.store.generation``); reading it is one primary-key lookup, cheap
enough to run before every cached answer (the web app keys its ETags on it).
"""

from __future__ import annotations

import sqlalchemy as sa

from saidwhat.query.common import Readable, engine_of
from saidwhat.store.generation import GENERATION_KEY
from saidwhat.store.tables import meta

_READ = sa.select(meta.c.value).where(meta.c.key == GENERATION_KEY)


def store_generation(source: Readable) -> int:
    """The store's current generation: equal numbers mean nothing a reader sees has
    changed in between (0 for a store never written since it had one). Works on a
    writer ``Store``, an ``open_reader`` store or an engine, and sees commits made by
    other processes (each call reads on a fresh transaction)."""
    with engine_of(source).connect() as conn:
        value = conn.scalar(_READ)
    return int(value) if value is not None else 0
