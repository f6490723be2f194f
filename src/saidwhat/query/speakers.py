"""Who speaks: rankings, one speaker's profile, timeline and topics.

Speakers are live entities (``merged_into IS NULL``) that statements are attributed to;
statements whose speaker was never resolved to an entity are not ranked here (they are
still found by ``search_statements`` with a ``speaker`` name). What is counted is what a
default listing lists: every kind but beliefs (``QueryFilters.kind``), unless the
filters say otherwise; a profile (``get_speaker``, ``speaker_topics``) counts the same,
so its totals are the ranking's and its statements link's.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from saidwhat.query.common import Page, Readable, described, engine_of
from saidwhat.query.days import statement_date
from saidwhat.query.filters import QueryFilters, kind_clause, speaker_entity_ids, where_clauses
from saidwhat.query.names import top_roles
from saidwhat.query.topics import top_terms
from saidwhat.store.tables import entities, entity_roles, speaker_stats, statements

#: Statements read (newest first) to find a speaker's topics: enough for a stable
#: picture, bounded so a very prolific speaker stays fast.
TOPIC_SAMPLE = 5000


@dataclass
class RoleSpan:
    """A role and the article dates it was seen with (``Kremlin spokesman``)."""

    role: str
    first_seen: str | None
    last_seen: str | None
    count: int = described("Articles naming the role")


@dataclass
class SpeakerRow:
    """A speaker in a ranking: statement and claim counts, first and last statement day."""

    id: int
    name: str
    type: str
    statements: int
    claims: int
    first_date: str | None
    last_date: str | None
    roles: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SpeakerDetail:
    """One speaker: names, dated roles, counts by act, outlets and intermediaries."""

    id: int
    name: str
    type: str
    aliases: list[str]
    article_count: int
    first_seen: str | None
    last_seen: str | None
    statements: int
    claims: int
    first_date: str | None
    last_date: str | None
    roles: list[RoleSpan] = described("Roles and titles over time, oldest first")
    acts: dict[str, int]
    outlets: dict[str, int]
    via: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class TimelinePoint:
    """Statements by one speaker on one day with one speech act."""

    day: str
    act: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def list_speakers(
    source: Readable,
    filters: QueryFilters | None = None,
    *,
    entity_type: str | None = None,
    with_total: bool = True,
    precomputed: bool = True,
) -> Page[SpeakerRow]:
    """Speakers ranked by how many matching statements they made (most first).

    ``filters`` narrows the statements counted (``about="ceasefire"``: who speaks most
    about it); ``entity_type`` keeps one kind (``PERSON``, ``ORG``).

    With no filter that narrows the statements, the ranking is read from the store's
    ``speaker_stats`` (kept current by every write; ``precomputed=False`` recomputes it
    from the statements instead, the same answer, which the tests hold it to). With
    one, the matching statements are grouped by speaker once (counts, claims, first and
    last day together), and the page and its total come from that one pass.
    """
    f = filters or QueryFilters()
    s = statements.c
    n = sa.func.count().label("n")
    with engine_of(source).connect() as conn:
        if precomputed and not f.narrows():
            return _ranked(conn, f, entity_type, with_total)
        where = [s.speaker_entity_id.is_not(None), *where_clauses(conn, f)]
        grouped = (
            sa.select(
                s.speaker_entity_id.label("eid"),
                n,
                sa.func.count(sa.distinct(s.fingerprint)).label("claims"),
                sa.func.min(s.day).label("first_day"),
                sa.func.max(s.day).label("last_day"),
            )
            .where(*where)
            .group_by(s.speaker_entity_id)
            .subquery()
        )
        joined = grouped.join(entities, entities.c.id == grouped.c.eid)
        live = _live(entity_type)
        q = (
            sa.select(
                entities.c.id,
                entities.c.name,
                entities.c.type,
                grouped.c.n.label("statements"),
                grouped.c.claims,
                grouped.c.first_day,
                grouped.c.last_day,
                sa.func.count().over().label("total"),
            )
            .select_from(joined)
            .where(*live)
            .order_by(grouped.c.n.desc(), entities.c.name, entities.c.id)
        )
        if f.limit is not None:
            q = q.limit(f.limit)
        if f.offset:
            q = q.offset(f.offset)
        rows = conn.execute(q).all()
        total = None
        if with_total:
            total = (
                rows[0].total
                if rows
                else conn.scalar(sa.select(sa.func.count()).select_from(joined).where(*live))
            )
        return _speaker_page(conn, rows, f, total)


def _live(entity_type: str | None) -> list[Any]:
    live = [entities.c.merged_into.is_(None)]
    if entity_type:
        live.append(entities.c.type == entity_type.upper())
    return live


def _speaker_page(
    conn: sa.Connection, rows: list[Any], f: QueryFilters, total: int | None
) -> Page[SpeakerRow]:
    """Rows of (id, name, type, statements, claims, first_day, last_day) as the page."""
    roles = top_roles(conn, [r.id for r in rows])
    items = [
        SpeakerRow(
            r.id,
            r.name,
            r.type,
            r.statements,
            r.claims,
            r.first_day,
            r.last_day,
            roles.get(r.id, []),
        )
        for r in rows
    ]
    return Page(items=items, total=total, limit=f.limit, offset=f.offset)


def _ranked(
    conn: sa.Connection, f: QueryFilters, entity_type: str | None, with_total: bool
) -> Page[SpeakerRow]:
    """The unfiltered ranking from ``speaker_stats``: the page's rows are found by
    walking its ``statements`` index down to the count at the page's last place (ties
    with it included, so the full order by name and id below is exact)."""
    sp = speaker_stats.c
    joined = speaker_stats.join(entities, entities.c.id == sp.entity_id)
    live = _live(entity_type)
    q = (
        sa.select(
            entities.c.id,
            entities.c.name,
            entities.c.type,
            sp.statements,
            sp.claims,
            sp.first_day,
            sp.last_day,
        )
        .select_from(joined)
        .where(*live)
        .order_by(sp.statements.desc(), entities.c.name, entities.c.id)
    )
    if f.limit is not None:
        if f.limit > 0:
            floor = conn.scalar(
                sa.select(sp.statements)
                .select_from(joined)
                .where(*live)
                .order_by(sp.statements.desc())
                .limit(1)
                .offset(f.offset + f.limit - 1)
            )
            if floor is not None:
                q = q.where(sp.statements >= floor)
        q = q.limit(f.limit)
    if f.offset:
        q = q.offset(f.offset)
    rows = conn.execute(q).all()
    total = None
    if with_total:
        total = conn.scalar(sa.select(sa.func.count()).select_from(joined).where(*live))
    return _speaker_page(conn, rows, f, total)


def find_speaker(source: Readable, id_or_name: str | int) -> int | None:
    """The entity a name or id means (None: no such speaker); ``AmbiguousSpeaker`` for a
    name that means several."""
    with engine_of(source).connect() as conn:
        return _one(speaker_entity_ids(conn, id_or_name))


def _one(ids: list[int]) -> int | None:
    """The entity of a resolved speaker (``speaker_entity_ids`` never returns more)."""
    return ids[0] if ids else None


def _listed_by(entity_id: int) -> list[Any]:
    """The speaker's statements a default listing shows (every kind but beliefs)."""
    return [statements.c.speaker_entity_id == entity_id, kind_clause(QueryFilters())]


def _counts(conn: sa.Connection, column: Any, entity_id: int, limit: int = 10) -> dict[str, int]:
    n = sa.func.count()
    rows = conn.execute(
        sa.select(column.label("k"), n.label("n"))
        .where(*_listed_by(entity_id), column.is_not(None), column != "")
        .group_by(column)
        .order_by(n.desc(), column)
        .limit(limit)
    )
    return {r.k: r.n for r in rows}


def get_speaker(source: Readable, id_or_name: str | int) -> SpeakerDetail | None:
    """A speaker's profile by entity id or name (None when nothing matches)."""
    with engine_of(source).connect() as conn:
        entity_id = _one(speaker_entity_ids(conn, id_or_name))
        if entity_id is None:
            return None
        e = conn.execute(sa.select(entities).where(entities.c.id == entity_id)).one()
        roles = [
            RoleSpan(r.role, r.first_seen, r.last_seen, r.count)
            for r in conn.execute(
                sa.select(entity_roles)
                .where(entity_roles.c.entity_id == entity_id)
                .order_by(
                    entity_roles.c.first_seen, entity_roles.c.count.desc(), entity_roles.c.role
                )
            )
        ]
        day = statement_date()
        agg = conn.execute(
            sa.select(
                sa.func.count(statements.c.id),
                sa.func.count(sa.distinct(statements.c.fingerprint)),
                sa.func.min(day),
                sa.func.max(day),
            ).where(*_listed_by(entity_id))
        ).one()
        return SpeakerDetail(
            id=e.id,
            name=e.name,
            type=e.type,
            aliases=list(e.aliases or []),
            article_count=e.article_count,
            first_seen=e.first_seen,
            last_seen=e.last_seen,
            statements=agg[0],
            claims=agg[1],
            first_date=agg[2],
            last_date=agg[3],
            roles=roles,
            acts=_counts(conn, statements.c.act, entity_id, limit=50),
            outlets=_counts(conn, statements.c.reported_by, entity_id),
            via=_counts(conn, statements.c.via_text, entity_id),
        )


def speaker_timeline(
    source: Readable, id_or_name: str | int, filters: QueryFilters | None = None
) -> list[TimelinePoint]:
    """Statements per day per act for one speaker (oldest day first); ``filters`` may
    narrow them further (dates, topic, outlet)."""
    f = filters or QueryFilters()
    day = statement_date().label("day")
    n = sa.func.count().label("n")
    with engine_of(source).connect() as conn:
        entity_id = _one(speaker_entity_ids(conn, id_or_name))
        if entity_id is None:
            return []
        rows = conn.execute(
            sa.select(day, statements.c.act, n)
            .where(*where_clauses(conn, f.replace(speaker=entity_id)))
            .group_by(day, statements.c.act)
            .order_by(day, statements.c.act)
        )
        return [TimelinePoint(r.day, r.act, r.n) for r in rows if r.day]


def speaker_topics(
    source: Readable, id_or_name: str | int, limit: int = 20, distinct_claims: bool = True
) -> list[tuple[str, int]]:
    """The speaker's most frequent content words and two-word phrases, with counts.

    A claim syndicated by ten outlets counts once by default, so wire copies do not
    drown out everything else said.
    """
    with engine_of(source).connect() as conn:
        entity_id = _one(speaker_entity_ids(conn, id_or_name))
        if entity_id is None:
            return []
        where = _listed_by(entity_id)
        if distinct_claims:
            q = (
                sa.select(sa.func.min(statements.c.content_text))
                .where(*where)
                .group_by(statements.c.fingerprint)
                .order_by(sa.func.max(statements.c.id).desc())
            )
        else:
            q = sa.select(statements.c.content_text).where(*where).order_by(statements.c.id.desc())
        texts = list(conn.scalars(q.limit(TOPIC_SAMPLE)))
    return top_terms(texts, limit)
