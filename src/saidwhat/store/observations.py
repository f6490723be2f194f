"""Stored observations (``article_entities``) and the entities recomputed from them.

An observation is one article's entity; an entity is the observations that joined it.
When observations move between entities (a re-evaluation in ``store.entities``, or the
full re-merge in ``store.remerge``), everything naming them is repointed and the
entities involved are recomputed from their observations with ``linking.entity_stats``,
the same functions the incremental writer uses.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import sqlalchemy as sa

from saidwhat.linking.aliases import Aliases
from saidwhat.linking.entity_stats import entity_stats, role_stats
from saidwhat.linking.resolver import Observation, prepare
from saidwhat.store.aggregates import refresh_speakers
from saidwhat.store.tables import (
    article_entities,
    claims,
    entities,
    entity_roles,
    mentions,
    statements,
)


def observation_from_row(row: Any, aliases: Aliases) -> Observation:
    """A stored ``article_entities`` row as the resolver sees it (alias rules applied)."""
    return prepare(
        Observation(
            article_id=row.article_id,
            local_id=row.local_id,
            name=row.name,
            type=row.type,
            roles=list(row.roles or []),
            aliases=list(row.aliases or []),
            date=row.date,
        ),
        aliases,
    )


def update_entities(conn: sa.Connection, updates: list[dict[str, Any]]) -> None:
    """New columns for entities, each update naming its entity as ``b_id``."""
    if updates:
        stmt = sa.update(entities).where(entities.c.id == sa.bindparam("b_id"))
        conn.execute(stmt, updates)


def move_observations(
    conn: sa.Connection, moves: list[tuple[str, str, int, int, str]], aliases: Aliases
) -> None:
    """Repoint observations ``(article, local id, old entity, new entity, reason)`` and
    everything that names them, then recompute the entities involved."""
    conn.execute(
        sa.update(article_entities).where(
            article_entities.c.article_id == sa.bindparam("b_a"),
            article_entities.c.local_id == sa.bindparam("b_l"),
        ),
        [
            {"b_a": a, "b_l": loc, "entity_id": new, "match": why}
            for a, loc, _old, new, why in moves
        ],
    )
    repoint_references(
        conn, [{"b_a": a, "b_l": loc, "b_new": new} for a, loc, _old, new, _why in moves]
    )
    old_ids = {old for _a, _l, old, _n, _w in moves}
    new_ids = {new for _a, _l, _o, new, _w in moves}
    sync_claim_speakers(conn, old_ids)
    refresh_speakers(conn, old_ids | new_ids)  # their statements changed hands
    dest = Counter((old, new) for _a, _l, old, new, _w in moves)
    refresh_entities(conn, old_ids | new_ids, aliases, dest)


def sync_claim_speakers(conn: sa.Connection, entity_ids: set[int] | None = None) -> None:
    """A claim's speaker is its first statement's: re-read it for the claims of
    ``entity_ids`` (all claims when None) after observations moved."""
    first = (
        sa.select(statements.c.speaker_entity_id)
        .where(statements.c.id == claims.c.first_statement_id)
        .scalar_subquery()
    )
    update = sa.update(claims)
    if entity_ids is not None:
        update = update.where(claims.c.speaker_entity_id.in_(entity_ids))
    conn.execute(update.values(speaker_entity_id=first))


def refresh_entities(
    conn: sa.Connection,
    ids: set[int],
    aliases: Aliases,
    dest: Counter[tuple[int, int]] | None = None,
) -> None:
    """Recompute names, counts, dates and roles of ``ids`` from their observations; an
    entity left with none is marked merged into where most of its observations went."""
    rows = conn.execute(
        sa.select(article_entities).where(article_entities.c.entity_id.in_(ids))
    ).all()
    groups: dict[int, list[Any]] = defaultdict(list)
    for r in rows:
        groups[r.entity_id].append(r)
    updates, role_rows = [], []
    for eid in sorted(ids):
        group = groups.get(eid)
        if not group:
            targets = [(n, new) for (old, new), n in (dest or Counter()).items() if old == eid]
            if targets:
                target = max(targets)[1]
                conn.execute(
                    sa.update(entities).where(entities.c.id == eid).values(merged_into=target)
                )
                conn.execute(
                    sa.update(entities)
                    .where(entities.c.merged_into == eid)
                    .values(merged_into=target)
                )
                conn.execute(sa.delete(entity_roles).where(entity_roles.c.entity_id == eid))
            continue
        obs = [observation_from_row(r, aliases) for r in group]
        updates.append({"b_id": eid, **entity_stats(obs, aliases)})
        role_rows += [{"entity_id": eid, **r} for r in role_stats(obs)]
    update_entities(conn, updates)
    live = [u["b_id"] for u in updates]
    if live:
        conn.execute(sa.delete(entity_roles).where(entity_roles.c.entity_id.in_(live)))
    if role_rows:
        conn.execute(sa.insert(entity_roles), role_rows)


def repoint_references(conn: sa.Connection, params: list[dict[str, object]]) -> None:
    """Point an article's mentions, speakers and targets that refer to its local entity
    ``b_l`` (in article ``b_a``) at the stored entity ``b_new``."""
    for table, ref, col in (
        (mentions, mentions.c.local_entity, "entity_id"),
        (statements, statements.c.speaker_local, "speaker_entity_id"),
        (statements, statements.c.target_local, "target_entity_id"),
        (statements, statements.c.described_by_local, "described_by_id"),
    ):
        conn.execute(
            sa.update(table)
            .where(table.c.article_id == sa.bindparam("b_a"), ref == sa.bindparam("b_l"))
            .values({col: sa.bindparam("b_new")}),
            params,
        )
