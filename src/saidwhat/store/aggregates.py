"""Speaker and source-chain aggregates, kept current by every write that changes them.

Why: the speaker ranking and the source chains were a GROUP BY over every statement
on each request (0.1 to 0.7 s on a 175,000-statement store). ``speaker_stats`` (one row
per speaker entity: statements, distinct claims, first and last day) and
``chain_counts`` (one row per outlet, intermediary chain and speaker, with its count)
hold those answers, and the read API takes them from here when no filter narrows the
statements (``saidwhat.query``; with a filter it still groups the matching statements).

Kept current in the writer's transaction, in three ways:

* ``add_statements``: an article's new statements are added to the counts (a few upserts
  per article; the speaker's claims grow only by fingerprints the speaker had not said
  before, which ``prior_claims`` reads before the statements are written);
* ``refresh_speakers``: after observations move between entities (a re-evaluation in
  ``store.entities``), the rows of the entities involved are recomputed from their
  statements;
* ``rebuild``: everything from the statements (``remerge``, migration 0006).

They count only the statements a default listing shows: every kind but beliefs
(``schema.UNLISTED_KINDS``; ``QueryFilters``). So the unfiltered ranking read from here
and the default statement listing it links to agree, and the most common views keep
their precomputed answer; a reader that includes beliefs (or picks kinds) groups the
statements instead, as it does for any other filter.

The rows hold no entity names (names change as entities grow); readers join them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from saidwhat.schema import UNLISTED_KINDS
from saidwhat.store.tables import chain_counts, speaker_stats, statements


def chain_key(
    reported_by: str | None, via_text: str | None, entity_id: int | None, name: str | None
) -> str:
    """The row id of one chain: outlet, intermediaries and the speaker (its entity, or
    its name when unresolved). A hash, because the parts may be NULL and a primary key
    cannot be; migration 0006 stored keys made by this function, so it must not change."""
    parts = [reported_by, via_text, entity_id, None if entity_id is not None else name]
    return hashlib.sha1(json.dumps(parts).encode("utf-8")).hexdigest()


def _earlier(new: Any, old: Any) -> Any:
    """The earlier of two nullable ISO days (NULL only when both are)."""
    return sa.case((old.is_(None), new), (sa.and_(new.is_not(None), new < old), new), else_=old)


def _later(new: Any, old: Any) -> Any:
    return sa.case((old.is_(None), new), (sa.and_(new.is_not(None), new > old), new), else_=old)


_UPSERTS: dict[str, tuple[Any, Any]] = {}  # dialect -> (speaker upsert, chain upsert)


def _upserts(dialect: str) -> tuple[Any, Any]:
    if dialect not in _UPSERTS:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        sp = insert(speaker_stats)
        old, new = speaker_stats.c, sp.excluded
        speakers = sp.on_conflict_do_update(
            index_elements=["entity_id"],
            set_={
                "statements": old.statements + new.statements,
                "claims": old.claims + new.claims,
                "first_day": _earlier(new.first_day, old.first_day),
                "last_day": _later(new.last_day, old.last_day),
            },
        )
        ch = insert(chain_counts)
        chains = ch.on_conflict_do_update(
            index_elements=["key"], set_={"n": chain_counts.c.n + ch.excluded.n}
        )
        _UPSERTS[dialect] = (speakers, chains)
    return _UPSERTS[dialect]


def prior_claims(conn: sa.Connection, rows: list[dict[str, Any]]) -> set[tuple[int, str]]:
    """(speaker entity, fingerprint) pairs among ``rows`` already stored: those add no
    claim to their speaker. Read before the rows are written (one indexed query)."""
    fps = {r["fingerprint"] for r in counted(rows) if r["speaker_entity_id"] is not None}
    if not fps:
        return set()
    s = statements.c
    found = conn.execute(
        sa.select(s.speaker_entity_id, s.fingerprint)
        .where(s.fingerprint.in_(fps), s.speaker_entity_id.is_not(None), listed())
        .distinct()
    )
    return {(eid, fp) for eid, fp in found}


def listed() -> sa.ColumnElement[bool]:
    """The statements the aggregates count: every kind a default listing shows."""
    return statements.c.kind.not_in(UNLISTED_KINDS)


def counted(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The statement rows (as written) that the aggregates count (``listed``)."""
    return [r for r in rows if r.get("kind", "statement") not in UNLISTED_KINDS]


def add_statements(
    conn: sa.Connection, rows: list[dict[str, Any]], prior: set[tuple[int, str]]
) -> None:
    """Add one article's statement rows (as written) to both aggregates (beliefs not:
    ``counted``)."""
    speakers: dict[int, dict[str, Any]] = {}
    seen: set[tuple[int, str]] = set(prior)
    chains: dict[str, dict[str, Any]] = {}
    for r in counted(rows):
        eid = r["speaker_entity_id"]
        if eid is not None:
            agg = speakers.setdefault(
                eid,
                {
                    "entity_id": eid,
                    "statements": 0,
                    "claims": 0,
                    "first_day": None,
                    "last_day": None,
                },
            )
            agg["statements"] += 1
            if (eid, r["fingerprint"]) not in seen:
                seen.add((eid, r["fingerprint"]))
                agg["claims"] += 1
            day = r["day"]
            if day is not None:
                agg["first_day"] = min(d for d in (agg["first_day"], day) if d is not None)
                agg["last_day"] = max(d for d in (agg["last_day"], day) if d is not None)
        _count_chain(chains, r["reported_by"], r["via_text"], eid, r["speaker_name"], 1)
    speaker_upsert, chain_upsert = _upserts(conn.dialect.name)
    if speakers:
        conn.execute(speaker_upsert, list(speakers.values()))
    if chains:
        conn.execute(chain_upsert, list(chains.values()))


def _count_chain(
    chains: dict[str, dict[str, Any]],
    reported_by: str | None,
    via_text: str | None,
    entity_id: int | None,
    name: str | None,
    n: int,
) -> None:
    key = chain_key(reported_by, via_text, entity_id, name)
    row = chains.setdefault(
        key,
        {
            "key": key,
            "reported_by": reported_by,
            "via_text": via_text,
            "speaker_entity_id": entity_id,
            "speaker_name": None if entity_id is not None else name,
            "n": 0,
        },
    )
    row["n"] += n


def refresh_speakers(conn: sa.Connection, entity_ids: Iterable[int]) -> None:
    """Recompute the rows of these speaker entities from their statements (after
    statements moved between entities)."""
    ids = sorted(set(entity_ids))
    if not ids:
        return
    conn.execute(sa.delete(speaker_stats).where(speaker_stats.c.entity_id.in_(ids)))
    conn.execute(sa.delete(chain_counts).where(chain_counts.c.speaker_entity_id.in_(ids)))
    _insert_from_statements(conn, sa.and_(statements.c.speaker_entity_id.in_(ids), listed()))


def rebuild(conn: sa.Connection, *, kinds: bool = True) -> None:
    """Both aggregates afresh from every statement they count. ``kinds=False``: a store
    from before migration 0008, which has no ``kind`` column (and so no belief): every
    statement counts."""
    conn.execute(sa.delete(speaker_stats))
    conn.execute(sa.delete(chain_counts))
    _insert_from_statements(conn, listed() if kinds else None)


def _insert_from_statements(conn: sa.Connection, where: Any) -> None:
    s = statements.c
    count = sa.func.count()
    speakers = (
        sa.select(
            s.speaker_entity_id,
            count,
            sa.func.count(sa.distinct(s.fingerprint)),
            sa.func.min(s.day),
            sa.func.max(s.day),
        )
        .where(s.speaker_entity_id.is_not(None))
        .group_by(s.speaker_entity_id)
    )
    # Unresolved speakers are chains of their own, one per name.
    name = sa.case((s.speaker_entity_id.is_(None), s.speaker_name), else_=None)
    chains = sa.select(s.reported_by, s.via_text, s.speaker_entity_id, name, count).group_by(
        s.reported_by, s.via_text, s.speaker_entity_id, name
    )
    if where is not None:
        speakers, chains = speakers.where(where), chains.where(where)
    cols = ["entity_id", "statements", "claims", "first_day", "last_day"]
    conn.execute(sa.insert(speaker_stats).from_select(cols, speakers))
    rows: dict[str, dict[str, Any]] = {}
    for rb, via, eid, who, n in conn.execute(chains):
        _count_chain(rows, rb, via, eid, who, n)
    batch = list(rows.values())
    for i in range(0, len(batch), 5000):
        conn.execute(sa.insert(chain_counts), batch[i : i + 5000])
