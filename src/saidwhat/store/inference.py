"""Speakers inferred from dated roles: "the Kremlin spokesman said", nobody named.

An article that quotes "the Kremlin spokesman" without naming him leaves a described
speaker (``schema.SPEAKER_KINDS``). A reader knows who that was on that day; the store
may too: the roles it has seen with full names (``entity_roles``, with the first and
last article dates). When exactly one live person was named with that very role within
``WINDOW_DAYS`` of the statement's day, the statement is credited to that person, its
speaker kind becomes ``inferred`` and ``speaker_evidence`` keeps why (the role, the days
it was seen, in how many articles with the full name). Two people with the role in the
window (a spokesman replaced), an indefinite description ("a minister") or a role never
seen with a full name infer nobody: precision before recall.

Two entry points: ``infer_speakers`` on an article's planned statement rows, before the
writer inserts them (so the speaker aggregates count them from the start), and
``reinfer_all`` inside the full re-merge, after the roles are rebuilt (a person named
later makes earlier described rows inferable; a re-merge that splits a role undoes them).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from saidwhat.linking.names import normalise
from saidwhat.store.tables import entities, entity_roles, statements

WINDOW_DAYS = 60  # how far outside the days a role was seen it still counts as held
_INDEFINITE = ("a ", "an ", "one ", "some ", "two ", "three ", "several ", "former ")


def role_key(description: str | None) -> str | None:
    """The role a definite description names, normalised (``the Kremlin spokesman`` ->
    ``kremlin spokesman``); None for an indefinite or plural one, which names nobody in
    particular (``a minister``, ``officials``)."""
    if not description:
        return None
    text = description.strip().casefold().replace("’", "'")
    if text.startswith(_INDEFINITE) or not text.startswith("the "):
        return None
    key = normalise(text[4:])
    return key if key and not key.endswith("s") or key.endswith("ss") else None


def _within(day: str | None, first: str | None, last: str | None) -> bool:
    if not day or not first or not last:
        return False
    try:
        d, lo, hi = date.fromisoformat(day), date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        return False
    margin = timedelta(days=WINDOW_DAYS)
    return lo - margin <= d <= hi + margin


def _holders(conn: sa.Connection, keys: set[str]) -> dict[str, list[Any]]:
    """Role key -> the live people named with that role (one query)."""
    if not keys:
        return {}
    words = {k.split()[-1] for k in keys}
    like = [sa.func.lower(entity_roles.c.role).like(f"%{w}%") for w in sorted(words)]
    q = (
        sa.select(
            entity_roles.c.entity_id,
            entity_roles.c.role,
            entity_roles.c.first_seen,
            entity_roles.c.last_seen,
            entity_roles.c.named_count,
            entities.c.name,
        )
        .select_from(entity_roles.join(entities, entities.c.id == entity_roles.c.entity_id))
        .where(
            entities.c.type == "PERSON",
            entities.c.merged_into.is_(None),
            entity_roles.c.named_count > 0,
            sa.or_(*like),
        )
    )
    out: dict[str, list[Any]] = defaultdict(list)
    for r in conn.execute(q):
        key = normalise(r.role.removeprefix("the ").removeprefix("The "))
        if key in keys:
            out[key].append(r)
    return out


def infer_speakers(conn: sa.Connection, rows: list[dict[str, Any]]) -> int:
    """Credit, in place, each described row (``statements`` columns) whose title exactly
    one person held around its day; returns how many were inferred."""
    wanted = {
        i: role_key(r.get("speaker_text"))
        for i, r in enumerate(rows)
        if r.get("speaker_kind") == "described" and r.get("speaker_entity_id") is None
    }
    holders = _holders(conn, {k for k in wanted.values() if k})
    done = 0
    for i, key in wanted.items():
        row = rows[i]
        found = [
            h
            for h in holders.get(key or "", ())
            if _within(row.get("day"), h.first_seen, h.last_seen)
        ]
        if len({h.entity_id for h in found}) != 1:
            continue
        h = found[0]
        row["speaker_entity_id"] = h.entity_id
        row["speaker_kind"] = "inferred"
        row["speaker_evidence"] = {
            "role": h.role,
            "first_seen": h.first_seen,
            "last_seen": h.last_seen,
            "articles": h.named_count,
            "window_days": WINDOW_DAYS,
            "rule": f"the only person named as {h.role!r} within {WINDOW_DAYS} days",
        }
        done += 1
    return done


def reinfer_all(conn: sa.Connection) -> int:
    """Undo every inference and infer again from the roles as they are now (inside the
    re-merge's transaction, before the aggregates are rebuilt); returns how many rows it
    touched (undone plus inferred: zero means no statement changed speaker)."""
    s = statements.c
    reset = conn.execute(
        sa.update(statements)
        .where(s.speaker_kind == "inferred")
        .values(speaker_entity_id=None, speaker_kind="described", speaker_evidence=None)
    )
    rows = [
        dict(r._mapping)
        for r in conn.execute(
            sa.select(s.id, s.speaker_text, s.speaker_kind, s.speaker_entity_id, s.day).where(
                s.speaker_kind == "described", s.speaker_entity_id.is_(None)
            )
        )
    ]
    n = infer_speakers(conn, rows)
    changed = [r for r in rows if r["speaker_kind"] == "inferred"]
    if changed:
        conn.execute(
            sa.update(statements)
            .where(s.id == sa.bindparam("b_id"))
            .values(
                speaker_entity_id=sa.bindparam("b_entity"),
                speaker_kind="inferred",
                speaker_evidence=sa.bindparam("b_evidence"),
            ),
            [
                {
                    "b_id": r["id"],
                    "b_entity": r["speaker_entity_id"],
                    "b_evidence": r["speaker_evidence"],
                }
                for r in changed
            ],
        )
    return (reset.rowcount or 0) + n
