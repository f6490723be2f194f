"""Recompute every entity from the stored observations, in a fixed order.

Incremental merging decides each article against what is already stored, so in rare
ambiguous cases the outcome can depend on arrival order. ``remerge_all`` removes that
dependence: it sorts all observations (full names, then initials, then bare surnames;
then by name, date and article id) and resolves them afresh, so the same set of
analyses always yields the same entities, names and roles. It also applies a changed
alias file to everything already stored, and rebuilds the speaker and chain aggregates
(``store.aggregates``) for the new entity ids. One transaction, run by ``Store.remerge``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from saidwhat.linking.aliases import Aliases
from saidwhat.linking.entity_stats import entity_stats, role_stats
from saidwhat.linking.names import FUZZY_MIN_SURNAME, spelling_variants
from saidwhat.linking.resolver import Observation, Resolver
from saidwhat.store.aggregates import rebuild
from saidwhat.store.observations import (
    observation_from_row,
    repoint_references,
    sync_claim_speakers,
)
from saidwhat.store.tables import (
    article_entities,
    entities,
    entity_roles,
    surname_variants,
)


def remerge_all(conn: sa.Connection, aliases: Aliases) -> int:
    """Rebuild ``entities``, ``entity_roles`` and ``surname_variants`` (and the surname
    keys of the observations); returns the number of live entities."""
    rows = conn.execute(sa.select(article_entities)).all()
    obs = sorted((observation_from_row(r, aliases) for r in rows), key=Observation.sort_key)
    start = (conn.execute(sa.select(sa.func.max(entities.c.id))).scalar() or 0) + 1
    created: list[Observation] = []

    def create(o: Observation) -> int:
        created.append(o)
        return start + len(created) - 1

    resolver = Resolver([], create=create)
    assigned: dict[tuple[str, str], tuple[int, str]] = {}
    members: dict[int, list[Observation]] = defaultdict(list)
    for o in obs:
        eid, reason, _ = resolver.resolve(o)
        assigned[(o.article_id, o.local_id)] = (eid, reason)
        members[eid].append(o)

    new_rows, role_rows = [], []
    for offset, first in enumerate(created):
        eid = start + offset
        group = members[eid]
        new_rows.append({"id": eid, "type": first.type, **entity_stats(group, aliases)})
        role_rows += [{"entity_id": eid, **r} for r in role_stats(group)]
    if new_rows:
        conn.execute(sa.insert(entities), new_rows)
    keys = {(o.article_id, o.local_id): o.person.key if o.type == "PERSON" else "" for o in obs}
    moves: list[dict[str, Any]] = [
        {"b_a": a, "b_l": loc, "b_new": eid, "b_match": why, "b_key": keys[(a, loc)]}
        for (a, loc), (eid, why) in assigned.items()
    ]
    if moves:
        conn.execute(
            sa.update(article_entities)
            .where(
                article_entities.c.article_id == sa.bindparam("b_a"),
                article_entities.c.local_id == sa.bindparam("b_l"),
            )
            .values(
                entity_id=sa.bindparam("b_new"),
                match=sa.bindparam("b_match"),
                surname_key=sa.bindparam("b_key"),  # name rules may have changed since
            ),
            moves,
        )
        repoint_references(conn, [{k: m[k] for k in ("b_a", "b_l", "b_new")} for m in moves])
    sync_claim_speakers(conn)
    old = entities.c.id < start
    conn.execute(sa.delete(entity_roles).where(entity_roles.c.entity_id < start))
    conn.execute(sa.update(entities).where(old).values(merged_into=None))
    conn.execute(sa.delete(entities).where(old))
    if role_rows:
        conn.execute(sa.insert(entity_roles), role_rows)
    conn.execute(sa.delete(surname_variants))
    variants = [
        {"variant": v, "surname_key": k}
        for k in sorted({k for k in keys.values() if len(k) >= FUZZY_MIN_SURNAME})
        for v in sorted(spelling_variants(k))
    ]
    if variants:
        conn.execute(sa.insert(surname_variants), variants)
    rebuild(conn)  # every speaker id is new
    if conn.dialect.name == "postgresql":  # explicit ids do not advance the serial
        conn.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('entities', 'id'), "
            "GREATEST((SELECT max(id) FROM entities), 1))"
        )
    return len(new_rows)
