"""The fast path of ``generate_corpus.py --fast``: bulk inserts for a synthetic store.

Why a separate path: ``Store.add_analysis`` does per-article work a benchmark corpus does
not need (MinHash copy search, incremental entity merging in its own transaction) and
runs at a few hundred articles a second; 50,000 articles would take many minutes per
backend. Here:

1. every article that introduces a speaker not seen before goes through the real
   ``Store.add_analysis`` (so entities, keys and merging come from the real code);
2. all other articles are inserted with ``executemany`` in large transactions, using the
   writer's own row mapping (``saidwhat.store.rows``) and the entity ids from step 1;
3. story ids (copies share the smallest article id of their group, as the writer does),
   entity counts and roles, and the ``claims`` table are then recomputed for the whole
   store, the claims with one ``INSERT ... SELECT``, and the speaker and chain
   aggregates rebuilt by the store's own ``aggregates.rebuild`` (what a re-merge does);
   the store generation is moved on, as after any write.

Not done: MinHash signatures for the bulk articles (copy detection against *later*
ingests); the query layer never reads them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from saidwhat.linking.names import normalise, parse_person
from saidwhat.schema import Analysis
from saidwhat.store import Store
from saidwhat.store.aggregates import rebuild
from saidwhat.store.engine import resolve_url
from saidwhat.store.generation import bump_generation
from saidwhat.store.rows import article_row, mention_rows, statement_row
from saidwhat.store.tables import (
    article_entities,
    articles,
    claims,
    entities,
    entity_roles,
    mentions,
    outlets,
    statements,
)

BATCH = 2000  # articles per bulk transaction


def reset_store(url_or_path: str) -> None:
    """Start from nothing: delete the SQLite file, or drop and create the PG database."""
    url = resolve_url(url_or_path)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
        return
    target = sa.engine.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    admin.dispose()


def _body(a: Analysis) -> str:
    """The story text without the outlet tags: equal for an original and its copies."""
    t = a.article.text
    return t[t.index(") ") + 2 : t.rindex(" --")]


def bulk_load(store: Store, make: Callable[[], Iterable[Analysis]]) -> int:
    """Store every analysis of ``make()`` (called twice: a planning pass, a loading pass)."""
    story: dict[str, str] = {}  # body -> smallest article id
    seen_speakers: set[str] = set()
    seed_body: dict[str, str] = {}
    for a in make():
        body = _body(a)
        story[body] = min(story.get(body, a.article.id), a.article.id)
        names = {e.name for e in a.entities}
        if names - seen_speakers:
            seed_body[a.article.id] = body
            seen_speakers |= names

    done: set[str] = set()
    for a in make():  # step 1: the real write path for articles with new speakers
        if a.article.id in seed_body and a.article.id not in done:
            store.add_analysis(a)
            done.add(a.article.id)

    with store.engine.connect() as conn:
        name_ids = dict(
            conn.execute(
                sa.select(article_entities.c.name, entities.c.id)
                .join(entities, entities.c.id == article_entities.c.entity_id)
                .where(entities.c.merged_into.is_(None))
            ).all()
        )
        outlet_ids = dict(conn.execute(sa.select(outlets.c.key, outlets.c.id)).all())

    roles: dict[tuple[int, str], list[Any]] = {}
    ent_stats: dict[int, list[Any]] = {}
    name_counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def flush() -> None:
        with store.engine.begin() as conn:
            for table in (articles, article_entities, mentions, statements):
                if rows[table.name]:
                    conn.execute(sa.insert(table), rows[table.name])
        rows.clear()

    n_bulk = 0
    for a in make():  # step 2: everything else in bulk
        art = a.article
        if art.id in done:
            continue
        done.add(art.id)
        key = normalise(art.source or "")
        if key not in outlet_ids:
            with store.engine.begin() as conn:
                outlet_ids[key] = conn.execute(
                    sa.insert(outlets).returning(outlets.c.id),
                    {"key": key, "name": art.source},
                ).scalar_one()
        ids = {e.id: name_ids[e.name] for e in a.entities}
        sid = story[_body(a)]
        rows["articles"].append(article_row(a, sid, outlet_ids[key]))
        for e in a.entities:
            eid = ids[e.id]
            rows["article_entities"].append(
                {
                    "article_id": art.id,
                    "local_id": e.id,
                    "entity_id": eid,
                    "name": e.name,
                    "type": e.type,
                    "roles": e.roles,
                    "aliases": e.aliases,
                    "surname_key": parse_person(e.name).key,
                    "match": "name",
                    "date": art.date,
                }
            )
            _seen(ent_stats, eid, art.date)
            name_counts[eid][e.name] += 1
            for role in e.roles:
                _seen(roles, (eid, role), art.date)
        rows["mentions"] += mention_rows(a, ids)
        rows["statements"] += [statement_row(a, st, sid, ids) for st in a.statements]
        n_bulk += 1
        if n_bulk % BATCH == 0:
            flush()
    flush()
    seed_story = {aid: story[body] for aid, body in seed_body.items()}
    _finish(store, seed_story, roles, ent_stats, name_counts)
    return len(done)


def _seen(acc: dict[Any, list[Any]], key: Any, day: str | None) -> None:
    """[first, last, count] of the dates a thing was seen with."""
    cur = acc.setdefault(key, [day, day, 0])
    cur[0] = min(d for d in (cur[0], day) if d) if (cur[0] or day) else None
    cur[1] = max(d for d in (cur[1], day) if d) if (cur[1] or day) else None
    cur[2] += 1


def _finish(store: Store, seed_story, roles, ent_stats, name_counts) -> None:  # type: ignore[no-untyped-def]
    """Story ids of the step-1 articles, entity counts and roles, and all claims."""
    with store.engine.begin() as conn:
        # step-1 articles may have copies (loaded in bulk) with a smaller id: the story
        # is named by its smallest article id, as the writer does.
        for aid, sid in seed_story.items():
            for table, col in ((articles, articles.c.id), (statements, statements.c.article_id)):
                conn.execute(sa.update(table).where(col == aid).values(story_id=sid))
        for eid, (first, last, n) in ent_stats.items():
            e = conn.execute(sa.select(entities).where(entities.c.id == eid)).one()
            counts = dict(e.name_counts or {})
            for name, k in name_counts[eid].items():
                counts[name] = counts.get(name, 0) + k
            conn.execute(
                sa.update(entities)
                .where(entities.c.id == eid)
                .values(
                    article_count=e.article_count + n,
                    first_seen=min(d for d in (e.first_seen, first) if d),
                    last_seen=max(d for d in (e.last_seen, last) if d),
                    name_counts=counts,
                )
            )
        for (eid, role), (first, last, n) in roles.items():
            old = conn.execute(
                sa.select(entity_roles).where(
                    entity_roles.c.entity_id == eid, entity_roles.c.role == role
                )
            ).first()
            if old is None:
                conn.execute(
                    sa.insert(entity_roles),
                    {
                        "entity_id": eid,
                        "role": role,
                        "first_seen": first,
                        "last_seen": last,
                        "count": n,
                    },
                )
            else:
                conn.execute(
                    sa.update(entity_roles)
                    .where(entity_roles.c.entity_id == eid, entity_roles.c.role == role)
                    .values(
                        first_seen=min(d for d in (old.first_seen, first) if d),
                        last_seen=max(d for d in (old.last_seen, last) if d),
                        count=old.count + n,
                    )
                )
        conn.execute(sa.delete(claims))
        s = statements.c
        g = (
            sa.select(
                s.fingerprint.label("fp"),
                sa.func.min(s.id).label("first"),
                sa.func.count().label("n"),
                sa.func.count(sa.distinct(s.reported_by)).label("o"),
            )
            .group_by(s.fingerprint)
            .subquery()
        )
        conn.execute(
            sa.insert(claims).from_select(
                [
                    "fingerprint",
                    "first_statement_id",
                    "speaker_entity_id",
                    "speaker_name",
                    "content_text",
                    "first_date",
                    "report_count",
                    "outlet_count",
                ],
                sa.select(
                    s.fingerprint,
                    s.id,
                    s.speaker_entity_id,
                    s.speaker_name,
                    s.content_text,
                    s.date,
                    g.c.n,
                    g.c.o,
                ).join(g, g.c.first == s.id),
            )
        )
        rebuild(conn)
        bump_generation(conn)
