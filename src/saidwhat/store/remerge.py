"""Recompute every entity from the stored observations, in a fixed order.

Incremental merging decides each article against what is already stored, so in rare
ambiguous cases the outcome can depend on arrival order. ``remerge_all`` removes that
dependence: it sorts all observations (full names, then initials, then bare surnames;
then by name, date and article id) and resolves them afresh, so the same set of
analyses always yields the same entities, names and roles. It also applies a changed
alias file to everything already stored, and rebuilds the speaker and chain aggregates
(``store.aggregates``). Entity ids stay: each re-merged entity keeps the id most of its
observations had (``kept_ids``), and an id that is not kept answers for the entity its
observations went to (``merged_into``), so saved links and scripts keep working. One
transaction, run by ``Store.remerge``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import sqlalchemy as sa

from saidwhat.linking.aliases import Aliases
from saidwhat.linking.entity_stats import entity_stats, role_stats
from saidwhat.linking.names import FUZZY_MIN_SURNAME, spelling_variants
from saidwhat.linking.resolver import Observation, Resolver
from saidwhat.linking.types import vote_across
from saidwhat.store.aggregates import rebuild
from saidwhat.store.inference import reinfer_all
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
    every = [observation_from_row(r, aliases) for r in rows]
    vote_across(every)  # one person is a PERSON wherever the model typed her otherwise
    obs = sorted(every, key=Observation.sort_key)
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

    columns = {
        start + i: {"type": first.type, **entity_stats(members[start + i], aliases)}
        for i, first in enumerate(created)
    }
    old_rows = conn.execute(
        sa.select(entities.c.id, entities.c.merged_into, entities.c.type, entities.c.key).where(
            entities.c.id < start
        )
    ).all()
    prior = {(r.article_id, r.local_id): r.entity_id for r in rows}
    final = kept_ids(members, prior)
    # an entity no stored id is left for takes back the id of one merged away before under
    # its name (an alias merge undone gives the person their old id again)
    taken = set(final.values())
    tombstones: dict[tuple[str, str], int] = {}
    for r in sorted(old_rows, key=lambda r: r.id):
        if r.merged_into is not None and r.id not in taken:
            tombstones.setdefault((r.type, r.key), r.id)
    for eid in sorted(columns):
        if final[eid] == eid:
            reused = tombstones.pop((columns[eid]["type"], columns[eid]["key"]), None)
            final[eid] = eid if reused is None else reused
    assigned = {k: (final[eid], why) for k, (eid, why) in assigned.items()}

    new_rows, role_rows = [], []
    for eid, values in columns.items():
        new_rows.append({"id": final[eid], **values})
        role_rows += [{"entity_id": final[eid], **r} for r in role_stats(members[eid])]
    conn.execute(sa.delete(entity_roles).where(entity_roles.c.entity_id < start))
    fresh = [r for r in new_rows if r["id"] >= start]
    if fresh:
        conn.execute(sa.insert(entities), fresh)
    kept = [r for r in new_rows if r["id"] < start]
    if kept:
        names = [c for c in kept[0] if c != "id"]
        conn.execute(
            sa.update(entities)
            .where(entities.c.id == sa.bindparam("b_id"))
            .values(merged_into=None, **{c: sa.bindparam(f"b_{c}") for c in names}),
            [{"b_id": r["id"], **{f"b_{c}": r[c] for c in names}} for r in kept],
        )
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
    _redirect_old_ids(conn, old_rows, {r["id"] for r in kept}, prior, assigned)
    if role_rows:
        conn.execute(sa.insert(entity_roles), role_rows)
    # roles may have changed: who held `the Kremlin spokesman` on the day it was said
    if reinfer_all(conn):
        sync_claim_speakers(conn)
    conn.execute(sa.delete(surname_variants))
    variants = [
        {"variant": v, "surname_key": k}
        for k in sorted({k for k in keys.values() if len(k) >= FUZZY_MIN_SURNAME})
        for v in sorted(spelling_variants(k))
    ]
    if variants:
        conn.execute(sa.insert(surname_variants), variants)
    rebuild(conn)  # speakers may have gained or lost statements
    if conn.dialect.name == "postgresql":  # explicit ids do not advance the serial
        conn.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('entities', 'id'), "
            "GREATEST((SELECT max(id) FROM entities), 1))"
        )
    return len(new_rows)


def kept_ids(
    members: dict[int, list[Observation]], prior: dict[tuple[str, str], int]
) -> dict[int, int]:
    """Each re-merged entity's id: the stored id most of its observations had before
    (larger entities choose first, each old id kept once), else its new one. So a saved
    ``/speakers/12`` link or an id in a script still means the same person afterwards."""
    final: dict[int, int] = {}
    taken: set[int] = set()
    for eid in sorted(members, key=lambda e: (-len(members[e]), e)):
        votes = Counter(prior[(o.article_id, o.local_id)] for o in members[eid])
        choice = next(
            (
                old
                for old, _ in sorted(votes.items(), key=lambda v: (-v[1], v[0]))
                if old not in taken
            ),
            None,
        )
        if choice is None:
            final[eid] = eid
        else:
            final[eid] = choice
            taken.add(choice)
    return final


def _redirect_old_ids(
    conn: sa.Connection,
    old_rows: list[Any],
    kept: set[int],
    prior: dict[tuple[str, str], int],
    assigned: dict[tuple[str, str], tuple[int, str]],
) -> None:
    """Old ids not kept answer for the entity most of their observations went to
    (``merged_into``, which readers follow); an old id whose observations all went
    elsewhere before (a tombstone) follows its own chain; one that leads nowhere (no
    observation at all) is deleted."""
    went: dict[int, Counter[int]] = defaultdict(Counter)
    for key, old in prior.items():
        went[old][assigned[key][0]] += 1
    chain = {r.id: r.merged_into for r in old_rows}
    target: dict[int, int | None] = {}

    def resolve(old: int, seen: frozenset[int] = frozenset()) -> int | None:
        if old in kept:
            return old
        if old in target:
            return target[old]
        if went.get(old):
            found = sorted(went[old].items(), key=lambda v: (-v[1], v[0]))[0][0]
        elif chain.get(old) is not None and old not in seen:
            found = resolve(chain[old], seen | {old})  # type: ignore[arg-type]
        else:
            found = None
        target[old] = found
        return found

    moves = [{"b_id": old, "b_to": resolve(old)} for old in chain if old not in kept]
    if not moves:
        return
    conn.execute(
        sa.update(entities)
        .where(entities.c.id == sa.bindparam("b_id"))
        .values(merged_into=sa.bindparam("b_to")),
        moves,
    )
    gone = [m["b_id"] for m in moves if m["b_to"] is None]
    if gone:
        conn.execute(sa.delete(entities).where(entities.c.id.in_(gone)))
