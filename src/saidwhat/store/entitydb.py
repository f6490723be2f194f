"""Entity merging against the database, inside the caller's transaction.

``assign_entities`` is the incremental path (one article): it loads only the candidate
entities for the article's names (two indexed queries), decides with ``Resolver``, writes
``article_entities`` and updates the touched entities in batches. When a new full-name
person appears, earlier bare-surname observations of that surname are re-decided, so
"Peskov" stored before "Dmitry Peskov" ends up in the same entity as the other order.

``remerge_all`` recomputes every entity from the stored observations in a fixed order;
the bulk loader calls it so that any load order gives the same entities.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from saidwhat.linking.aliases import Aliases
from saidwhat.linking.names import (
    FUZZY_MIN_SURNAME,
    REEVALUATE,
    canonical_name,
    entity_key,
    parse_person,
    spelling_variants,
)
from saidwhat.linking.resolver import Known, Observation, Resolver, person_candidate, prepare
from saidwhat.store.bulk import insert_rows
from saidwhat.store.tables import (
    article_entities,
    claims,
    entities,
    entity_roles,
    mentions,
    statements,
    surname_variants,
)


def _name_fields(name: str, type_: str) -> dict[str, str]:
    if type_ != "PERSON":
        return {"key": entity_key(type_, name), "first_name": "", "surname_key": ""}
    p = parse_person(name)
    return {"key": entity_key(type_, name), "first_name": p.first, "surname_key": p.key}


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
        **_name_fields(obs.match_name, obs.type),
    }
    return conn.execute(sa.insert(entities).returning(entities.c.id), row).scalar_one()


def _renumber(resolver: Resolver, real: dict[int, int]) -> None:
    """Give the resolver's pending entities their real ids (re-evaluation uses them)."""
    for k in [*resolver.people, *resolver.others.values()]:
        if k.id in real:
            k.id = real[k.id]
            if k.candidate is not None:
                k.candidate.id = k.id


def assign_entities(
    conn: sa.Connection, obs: list[Observation], aliases: Aliases
) -> dict[str, int]:
    """Give each observation of one article its entity; returns local id -> entity id."""
    if not obs:
        return {}
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
    stats = _entity_stats(obs, ids, rows_by_id, aliases)
    real = new.insert(conn, {eid: _new_row(obs, ids, eid, stats) for eid, _ in new.created})
    if real:
        ids = {local: real.get(eid, eid) for local, eid in ids.items()}
        _renumber(resolver, real)
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
    _update_entities(conn, [{"b_id": eid, **row} for eid, row in stats.items() if eid not in real])
    _add_roles(conn, obs, ids)
    if changed:
        resolver.create = lambda o: _insert_entity(conn, o)  # from here on, one at a time
        _reevaluate(conn, resolver, changed, obs[0].article_id, aliases)
    return ids


def _entity_stats(
    obs: list[Observation],
    ids: dict[str, int],
    rows_by_id: dict[int, Any],
    aliases: Aliases,
) -> dict[int, dict[str, Any]]:
    """The new columns of every entity this article touches (known ones updated with
    its observations, new ones from them alone)."""
    by_entity: dict[int, list[Observation]] = defaultdict(list)
    for o in obs:
        by_entity[ids[o.local_id]].append(o)
    stats = {}
    for eid, group in by_entity.items():
        row = rows_by_id.get(eid)
        counts = Counter(dict(row.name_counts)) if row is not None else Counter()
        names = set(row.aliases) if row is not None else set()
        for name in {o.display for o in group}:
            counts[name] += 1
        for o in group:
            names.add(o.display)
            names.update(a for a in o.aliases if a)
        dates = [d for d in [o.date for o in group] if d]
        if row is not None:
            dates += [d for d in (row.first_seen, row.last_seen) if d]
        type_ = group[0].type
        name = aliases.pinned_name(sorted(counts), type_) or canonical_name(dict(counts), type_)
        stats[eid] = {
            "name": name,
            **_name_fields(name, type_),
            "aliases": sorted(names),
            "name_counts": dict(sorted(counts.items())),
            "article_count": (row.article_count if row is not None else 0) + 1,
            "first_seen": min(dates) if dates else None,
            "last_seen": max(dates) if dates else None,
        }
    return stats


def _new_row(
    obs: list[Observation], ids: dict[str, int], eid: int, stats: dict[int, dict[str, Any]]
) -> dict[str, Any]:
    """The row of a new entity: its type, and the columns its observations give it."""
    type_ = next(o.type for o in obs if ids[o.local_id] == eid)
    return {"type": type_, **stats[eid]}


def _update_entities(conn: sa.Connection, updates: list[dict[str, Any]]) -> None:
    if updates:
        stmt = sa.update(entities).where(entities.c.id == sa.bindparam("b_id"))
        conn.execute(stmt, updates)


def _named(o: Observation) -> bool:
    """Does this observation name the entity in full (role evidence for namesakes)?"""
    return o.type != "PERSON" or not o.person.is_bare


def _add_roles(conn: sa.Connection, obs: list[Observation], ids: dict[str, int]) -> None:
    """Upsert (entity, role) with the article date widening first/last seen."""
    seen: dict[tuple[int, str], tuple[str | None, bool]] = {}
    for o in obs:
        for role in o.roles:
            key = (ids[o.local_id], role.strip())
            named = _named(o) or (key in seen and seen[key][1])
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


def _observation(row: Any, aliases: Aliases) -> Observation:
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
        obs = _observation(row, aliases)
        eid, reason, _ = resolver.resolve(obs)
        if eid != row.entity_id or reason != row.match:
            moves.append((row, eid, reason))
    if moves:
        move_observations(
            conn, [(r.article_id, r.local_id, r.entity_id, e, m) for r, e, m in moves], aliases
        )


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
    _sync_claims(conn, old_ids)
    dest = Counter((old, new) for _a, _l, old, new, _w in moves)
    refresh_entities(conn, old_ids | new_ids, aliases, dest)


def _sync_claims(conn: sa.Connection, entity_ids: set[int]) -> None:
    first = (
        sa.select(statements.c.speaker_entity_id)
        .where(statements.c.id == claims.c.first_statement_id)
        .scalar_subquery()
    )
    conn.execute(
        sa.update(claims)
        .where(claims.c.speaker_entity_id.in_(entity_ids))
        .values(speaker_entity_id=first)
    )


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
        stats, roles = entity_stats(group, aliases)
        updates.append({"b_id": eid, **stats})
        role_rows += [{"entity_id": eid, **r} for r in roles]
    _update_entities(conn, updates)
    live = [u["b_id"] for u in updates]
    if live:
        conn.execute(sa.delete(entity_roles).where(entity_roles.c.entity_id.in_(live)))
    if role_rows:
        conn.execute(sa.insert(entity_roles), role_rows)


def entity_stats(group: list[Any], aliases: Aliases) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """An entity's columns and role rows from all its observations (rows or Observations)."""
    type_ = group[0].type
    obs = [o if isinstance(o, Observation) else _observation(o, aliases) for o in group]
    counts: Counter[str] = Counter()
    names: set[str] = set()
    for article in {o.article_id for o in obs}:
        counts.update({o.display for o in obs if o.article_id == article})
    for o in obs:
        names.add(o.display)
        names.update(a for a in o.aliases if a)
    dates = sorted(d for d in (o.date for o in obs) if d)
    name = aliases.pinned_name(sorted(counts), type_) or canonical_name(dict(counts), type_)
    stats = {
        "name": name,
        **_name_fields(name, type_),
        "aliases": sorted(names),
        "name_counts": dict(sorted(counts.items())),
        "article_count": len({o.article_id for o in obs}),
        "first_seen": dates[0] if dates else None,
        "last_seen": dates[-1] if dates else None,
    }
    per_role: dict[str, dict[str, str | None]] = {}
    role_articles: dict[str, set[str]] = defaultdict(set)
    named_articles: dict[str, set[str]] = defaultdict(set)
    for o in obs:
        for role in {r.strip() for r in o.roles if r.strip()}:
            role_articles[role].add(o.article_id)
            if _named(o):
                named_articles[role].add(o.article_id)
            cur = per_role.setdefault(role, {"first_seen": None, "last_seen": None})
            if o.date:
                cur["first_seen"] = min(filter(None, [cur["first_seen"], o.date]))
                cur["last_seen"] = max(filter(None, [cur["last_seen"], o.date]))
    roles = [
        {
            "role": role,
            **v,
            "count": len(role_articles[role]),
            "named_count": len(named_articles[role]),
        }
        for role, v in sorted(per_role.items())
    ]
    return stats, roles


def repoint_references(conn: sa.Connection, params: list[dict[str, object]]) -> None:
    """Point an article's mentions, speakers and targets that refer to its local entity
    ``b_l`` (in article ``b_a``) at the stored entity ``b_new``."""
    for table, ref, col in (
        (mentions, mentions.c.local_entity, "entity_id"),
        (statements, statements.c.speaker_local, "speaker_entity_id"),
        (statements, statements.c.target_local, "target_entity_id"),
    ):
        conn.execute(
            sa.update(table)
            .where(table.c.article_id == sa.bindparam("b_a"), ref == sa.bindparam("b_l"))
            .values({col: sa.bindparam("b_new")}),
            params,
        )
