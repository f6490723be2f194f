"""The database side of entity linking for one article, inside the writer's transaction.

``assign_entities`` is the incremental path: it loads only the candidate entities for
the article's names (two indexed queries), lets ``linking.resolver.Resolver`` decide,
writes ``article_entities`` and updates the touched entities in batches, with their
columns from ``linking.entity_stats``. When a new full-name person appears, earlier
bare-surname observations of that surname are re-decided, so "Peskov" stored before
"Dmitry Peskov" ends up in the same entity as the other order.

What to decide lives in ``linking`` (pure); this module only reads candidates and writes
the outcome. Moving stored observations and recomputing entities from them is
``store.observations``; the full, order-independent re-merge is ``store.remerge``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from saidwhat.linking.aliases import Aliases
from saidwhat.linking.entity_stats import entity_stats, name_fields
from saidwhat.linking.names import FUZZY_MIN_SURNAME, REEVALUATE, spelling_variants
from saidwhat.linking.resolver import Known, Observation, Resolver, person_candidate
from saidwhat.linking.types import CONFUSABLE, person_like_names, vote_against_stored
from saidwhat.store.bulk import insert_rows
from saidwhat.store.observations import move_observations, observation_from_row, update_entities
from saidwhat.store.tables import article_entities, entities, entity_roles, surname_variants


def fuzzy_keys(conn: sa.Connection, keys: set[str]) -> set[str]:
    """Stored surname keys within one edit of ``keys`` (long keys only), recording the
    variants of keys not seen before so later lookups find them."""
    variants = {k: spelling_variants(k) for k in keys if len(k) >= FUZZY_MIN_SURNAME}
    if not variants:
        return set()
    wanted = set().union(*variants.values())
    found = conn.execute(
        sa.select(surname_variants.c.surname_key)
        .where(surname_variants.c.variant.in_(wanted))
        .distinct()
    ).scalars()
    found = set(found)
    new = [
        {"variant": v, "surname_key": k}
        for k, vs in variants.items()
        if k not in found
        for v in sorted(vs)
    ]
    insert_rows(conn, surname_variants, new)
    return found


def stored_type_counts(conn: sa.Connection, names: set[str]) -> dict[tuple[str, str], int]:
    """(type, key) -> articles, for the live entities named ``names`` as a person or as
    one of the types the model confuses with people (one indexed query)."""
    if not names:
        return {}
    q = sa.select(entities.c.type, entities.c.key, entities.c.article_count).where(
        entities.c.merged_into.is_(None),
        entities.c.type.in_({"PERSON", *CONFUSABLE}),
        entities.c.key.in_(names),
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for type_, key, n in conn.execute(q):
        counts[(type_, key)] += n or 0
    return dict(counts)


def _known(row: Any, roles: Iterable[str], aliases: Aliases) -> Known:
    names = list(row.name_counts or {}) or [row.name]
    split = aliases.is_split(row.name) and not row.first_name
    k = Known(row.id, row.type, row.key, row.name, split=split)
    if row.type == "PERSON":
        k.candidate = person_candidate(
            row.id, row.name, row.first_name, row.surname_key, names, roles, split
        )
    k.extra["row"] = row
    return k


def load_known(conn: sa.Connection, obs: list[Observation], aliases: Aliases) -> list[Known]:
    """The live entities any of ``obs`` could join (people by surname, others by key)."""
    people = [o for o in obs if o.type == "PERSON"]
    others = [o for o in obs if o.type != "PERSON"]
    wanted = []  # one SELECT for people and the rest
    if people:
        keys = {o.person.key for o in people if o.person.key}
        keys |= fuzzy_keys(conn, keys)
        conds = [entities.c.surname_key.in_(keys), entities.c.key.in_({o.key for o in people})]
        wanted.append(sa.and_(entities.c.type == "PERSON", sa.or_(*conds)))
    if others:
        wanted.append(
            sa.and_(
                entities.c.type.in_({o.type for o in others}),
                entities.c.key.in_({o.key for o in others}),
            )
        )
    q = sa.select(entities).where(entities.c.merged_into.is_(None), sa.or_(*wanted))
    rows: list[Any] = list(conn.execute(q).all())
    roles: dict[int, list[str]] = defaultdict(list)
    person_ids = [r.id for r in rows if r.type == "PERSON"]
    if person_ids:
        q = sa.select(entity_roles.c.entity_id, entity_roles.c.role).where(
            entity_roles.c.entity_id.in_(person_ids), entity_roles.c.named_count > 0
        )
        for eid, role in conn.execute(q):
            roles[eid].append(role)
    return [_known(r, roles[r.id], aliases) for r in sorted(rows, key=lambda r: r.id)]


# Ids handed to entities created while an article is resolved, until the batch INSERT
# gives the real ones. They are above any real id and increase in creation order, as
# the real ids will, so "smallest id wins" tie-breaks decide exactly as with real ids.
PENDING = 1 << 62


class _NewEntities:
    """Entities an article creates: pending ids now, one INSERT for all of them later
    (instead of one INSERT ... RETURNING round trip per new entity)."""

    def __init__(self) -> None:
        self.created: list[tuple[int, Observation]] = []

    def create(self, obs: Observation) -> int:
        pending = PENDING + len(self.created)
        self.created.append((pending, obs))
        return pending

    def insert(self, conn: sa.Connection, rows: dict[int, dict[str, Any]]) -> dict[int, int]:
        """Insert the new entities (``rows``: pending id -> final columns) in creation
        order; returns pending id -> real id."""
        if not self.created:
            return {}
        stmt = sa.insert(entities).returning(entities.c.id, sort_by_parameter_order=True)
        params = [rows[pending] for pending, _ in self.created]
        real = conn.execute(stmt, params).scalars().all()
        return {pending: rid for (pending, _), rid in zip(self.created, real, strict=True)}


def _insert_entity(conn: sa.Connection, obs: Observation) -> int:
    """An entity created on its own (re-evaluation): its columns are filled in by
    ``refresh_entities`` once observations move into it."""
    row = {
        "type": obs.type,
        "name": obs.match_name,
        "aliases": [],
        "name_counts": {},
        "article_count": 0,
        **name_fields(obs.match_name, obs.type),
    }
    return conn.execute(sa.insert(entities).returning(entities.c.id), row).scalar_one()


def assign_entities(
    conn: sa.Connection, obs: list[Observation], aliases: Aliases
) -> dict[str, int]:
    """Give each observation of one article its entity; returns local id -> entity id."""
    if not obs:
        return {}
    vote_against_stored(obs, stored_type_counts(conn, person_like_names(obs)))
    known = load_known(conn, obs, aliases)
    rows_by_id = {k.id: k.extra["row"] for k in known}
    new = _NewEntities()
    resolver = Resolver(known, create=new.create)
    ids: dict[str, int] = {}
    reasons: dict[str, str] = {}
    roles_before = {k.id: k.candidate.roles for k in known if k.candidate is not None}
    # Full names that change what bare surnames could match: new people, or a known
    # person seen with a role not seen before (role evidence decides between namesakes).
    changed: list[Observation] = []
    for o in sorted(obs, key=Observation.sort_key):
        eid, reason, created = resolver.resolve(o)
        ids[o.local_id], reasons[o.local_id] = eid, reason
        new_roles = set(o.roles) - roles_before.get(eid, frozenset())
        if o.type == "PERSON" and o.person.first and (created or new_roles):
            changed.append(o)
    by_entity: dict[int, list[Observation]] = defaultdict(list)
    for o in obs:
        by_entity[ids[o.local_id]].append(o)
    # Every entity this article touches: known ones updated with its observations,
    # new ones from them alone.
    stats = {
        eid: entity_stats(group, aliases, stored=rows_by_id.get(eid))
        for eid, group in by_entity.items()
    }
    real = new.insert(conn, {eid: _new_row(obs, ids, eid, stats) for eid, _ in new.created})
    if real:
        ids = {local: real.get(eid, eid) for local, eid in ids.items()}
        resolver.renumber(real)
    insert_rows(
        conn,
        article_entities,
        [
            {
                "article_id": o.article_id,
                "local_id": o.local_id,
                "entity_id": ids[o.local_id],
                "name": o.name,
                "type": o.type,
                "roles": o.roles,
                "aliases": o.aliases,
                "surname_key": o.person.key if o.type == "PERSON" else "",
                "match": reasons[o.local_id],
                "date": o.date,
            }
            for o in obs
        ],
    )
    update_entities(conn, [{"b_id": eid, **row} for eid, row in stats.items() if eid not in real])
    _add_roles(conn, obs, ids)
    if changed:
        resolver.create = lambda o: _insert_entity(conn, o)  # from here on, one at a time
        _reevaluate(conn, resolver, changed, obs[0].article_id, aliases)
    return ids


def _new_row(
    obs: list[Observation], ids: dict[str, int], eid: int, stats: dict[int, dict[str, Any]]
) -> dict[str, Any]:
    """The row of a new entity: its type, and the columns its observations give it."""
    type_ = next(o.type for o in obs if ids[o.local_id] == eid)
    return {"type": type_, **stats[eid]}


def _add_roles(conn: sa.Connection, obs: list[Observation], ids: dict[str, int]) -> None:
    """Upsert (entity, role) with the article date widening first/last seen."""
    seen: dict[tuple[int, str], tuple[str | None, bool]] = {}
    for o in obs:
        for role in o.roles:
            key = (ids[o.local_id], role.strip())
            named = o.names_in_full or (key in seen and seen[key][1])
            seen[key] = (o.date, named)
    if not seen:
        return
    rows = [
        {
            "entity_id": eid,
            "role": role,
            "first_seen": date,
            "last_seen": date,
            "count": 1,
            "named_count": int(named),
        }
        for (eid, role), (date, named) in seen.items()
    ]
    conn.execute(_role_upsert(conn), rows)


_ROLE_UPSERT: dict[str, Any] = {}  # dialect name -> statement (built once: building costs)


def _role_upsert(conn: sa.Connection) -> Any:
    """INSERT a role row, or widen the stored one's dates and add to its counts (one
    statement instead of a SELECT and then an INSERT or UPDATE). A stored row has both
    dates or neither, so keeping the earlier/later non-null date is min/max over them."""
    name = conn.dialect.name
    if name not in _ROLE_UPSERT:
        _ROLE_UPSERT[name] = _build_role_upsert(name)
    return _ROLE_UPSERT[name]


def _build_role_upsert(dialect: str) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(entity_roles)
    new, old = stmt.excluded, entity_roles.c

    def keep(col: str, newer_wins: Any) -> Any:
        return sa.case(
            (old[col].is_(None), new[col]),
            (sa.and_(new[col].is_not(None), newer_wins(new[col], old[col])), new[col]),
            else_=old[col],
        )

    return stmt.on_conflict_do_update(
        index_elements=["entity_id", "role"],
        set_={
            "first_seen": keep("first_seen", lambda n, o: n < o),
            "last_seen": keep("last_seen", lambda n, o: n > o),
            "count": old["count"] + 1,
            "named_count": old["named_count"] + new["named_count"],
        },
    )


def _reevaluate(
    conn: sa.Connection,
    resolver: Resolver,
    created: list[Observation],
    article_id: str,
    aliases: Aliases,
) -> None:
    """Re-decide stored bare-surname observations now that a new full name (or a
    known one with a new role) exists."""
    keys: set[str] = set()
    for o in created:
        keys |= resolver.compatible_keys(o.person.key)
    q = (
        sa.select(article_entities)
        .where(
            article_entities.c.type == "PERSON",
            article_entities.c.surname_key.in_(keys),
            article_entities.c.match.in_(REEVALUATE),
            article_entities.c.article_id != article_id,
        )
        .order_by(
            article_entities.c.date, article_entities.c.article_id, article_entities.c.local_id
        )
    )
    moves = []
    for row in conn.execute(q).all():
        obs = observation_from_row(row, aliases)
        eid, reason, _ = resolver.resolve(obs)
        if eid != row.entity_id or reason != row.match:
            moves.append((row, eid, reason))
    if moves:
        move_observations(
            conn, [(r.article_id, r.local_id, r.entity_id, e, m) for r, e, m in moves], aliases
        )
