"""Which statements a ``speaker`` filter means: names and ids to live entity ids.

Apart from ``filters`` (which re-exports these) because it is its own job: resolving a
name against canonical names and aliases, following merges, and refusing a name that
means several people (``AmbiguousSpeaker``), for one speaker or several (the
multi-select of the faceted search).
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from saidwhat.linking.names import normalise
from saidwhat.query.common import Readable, engine_of
from saidwhat.query.names import Ambiguous, only_one
from saidwhat.store.tables import entities, statements

#: How many entities a loose (substring) speaker name is checked against (past one, the
#: name is ambiguous; these are the candidates listed).
MAX_LOOSE_SPEAKERS = 50


MAX_ENTITY_ID = 2**31 - 1  # entity ids are 32-bit integers in the store


def _speaker_id(value: str | int) -> int | None:
    """The entity id a speaker filter names, if it is one the store can hold: digits past
    the 32-bit ids are no id (PostgreSQL would refuse them with an error, not a miss)."""
    as_id = value if isinstance(value, int) else int(value) if value.isdigit() else None
    return as_id if as_id is not None and 0 <= as_id <= MAX_ENTITY_ID else None


def live_entity_id(conn: sa.Connection, entity_id: int) -> int | None:
    """Follow ``merged_into`` so an old id still finds the entity it was folded into."""
    seen: set[int] = set()
    current: int | None = entity_id
    while current is not None and current not in seen:
        seen.add(current)
        row = conn.execute(
            sa.select(entities.c.id, entities.c.merged_into).where(entities.c.id == current)
        ).first()
        if row is None:
            return None
        if row.merged_into is None:
            return row.id
        current = row.merged_into
    return None


def _alias_needle(dialect: str, name: str) -> str:
    """The alias as it appears inside the JSON text of ``entities.aliases``.

    SQLite stores ``json.dumps`` output (non-ASCII escaped); PostgreSQL renders JSONB
    with the characters themselves. LIKE wildcards in the name are escaped.
    """
    quoted = json.dumps(name.lower()) if dialect == "sqlite" else '"' + name.lower() + '"'
    escaped = quoted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "%" + escaped + "%"


def speaker_entity_ids(conn: sa.Connection, value: str | int) -> list[int]:
    """The live entity a ``speaker`` filter means, as a list of at most one id ([] if
    none; see ``QueryFilters``); ``AmbiguousSpeaker`` if a name matches several."""
    as_id = _speaker_id(value)
    if as_id is not None:
        found = live_entity_id(conn, as_id)
        return [found] if found is not None else []
    name = str(value)
    key = normalise(name)
    live = entities.c.merged_into.is_(None)
    aliases_text = sa.func.lower(sa.cast(entities.c.aliases, sa.Text))
    exact = conn.scalars(
        sa.select(entities.c.id).where(
            live,
            sa.or_(
                entities.c.key == key,
                sa.func.lower(entities.c.name) == name.lower(),
                aliases_text.like(_alias_needle(conn.dialect.name, name), escape="\\"),
            ),
        )
    ).all()
    if exact or not key:
        return only_one(conn, name, list(exact))
    loose = conn.scalars(
        sa.select(entities.c.id)
        .where(live, entities.c.key.contains(key, autoescape=True))
        .order_by(entities.c.article_count.desc(), entities.c.id)
        .limit(MAX_LOOSE_SPEAKERS)
    ).all()
    return only_one(conn, name, list(loose))


def speaker_clause(conn: sa.Connection, speakers: list[str | int]) -> sa.ColumnElement[bool]:
    """Said by any of ``speakers`` (see ``QueryFilters.speaker``): the entities they
    name, and for a name that names none, unresolved statements under that name."""
    s = statements.c
    ids: list[int] = []
    terms: list[sa.ColumnElement[bool]] = []
    for value in speakers:
        found = speaker_entity_ids(conn, value)
        ids += found
        if not found and _speaker_id(value) is None:
            terms.append(
                sa.and_(
                    s.speaker_entity_id.is_(None),
                    sa.func.lower(s.speaker_name) == str(value).lower(),
                )
            )
    if ids:
        terms.insert(0, s.speaker_entity_id.in_(sorted(set(ids))))
    return sa.or_(*terms) if terms else sa.false()


def resolve_speakers(source: Readable, values: list[str | int]) -> dict[str, list[int]]:
    """Each speaker filter value (as text) with the entity ids it means; a value that
    names several people or none means none here (the search says why)."""
    out: dict[str, list[int]] = {}
    with engine_of(source).connect() as conn:
        for value in values:
            try:
                out[str(value)] = speaker_entity_ids(conn, value)
            except Ambiguous:
                out[str(value)] = []
    return out
