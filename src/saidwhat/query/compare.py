"""Speakers side by side on a topic: what each said, when, and with which acts.

A journalist asks "what have Peskov and Zelensky each said about the ceasefire since
March?". The answer is one column per speaker over the same filters: the speaker's
statements (newest first, one page), how many there are in all, the acts they used
counted over *every* match (not only the page shown), and the first and last day. Each
speaker is resolved the way every other filter resolves one: an id or a name, and a name
that means several people raises ``AmbiguousSpeaker`` instead of merging them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from saidwhat.query.common import Readable, engine_of
from saidwhat.query.days import statement_date
from saidwhat.query.documents import ReportedStatement
from saidwhat.query.filters import QueryFilters, speaker_entity_ids, where_clauses
from saidwhat.query.statements import StatementRow, search_statements
from saidwhat.store.tables import entities, statements

MAX_SPEAKERS = 6

T = TypeVar("T")


class UnknownSpeaker(LookupError):
    """A speaker to compare that matches no entity of the store."""

    def __init__(self, speaker: str | int) -> None:
        self.speaker = speaker
        super().__init__(f"no speaker matches {str(speaker)!r}")


@dataclass(frozen=True)
class SpeakerSide(Generic[T]):
    """One speaker's column: who (as asked and as resolved), how much, which acts; the
    statements as the CLI lists them (``StatementRow``) or as the API serves them
    (``ReportedStatement``, see ``Comparison.document``)."""

    asked: str
    id: int
    name: str
    type: str
    total: int
    acts: dict[str, int]
    first_date: str | None
    last_date: str | None
    statements: list[T]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Comparison(Generic[T]):
    """The sides in the order asked, over the same filters (``about``, dates, acts...)."""

    about: str | None
    since: str | None
    until: str | None
    sides: list[SpeakerSide[T]]

    def document(self) -> Comparison[ReportedStatement]:
        """The same comparison with each statement in the API's document form."""
        sides = [
            replace(side, statements=[ReportedStatement.of(r) for r in side.statements])
            for side in self.sides
        ]
        return Comparison(self.about, self.since, self.until, sides)

    def to_dict(self) -> dict[str, Any]:
        return {
            "about": self.about,
            "since": self.since,
            "until": self.until,
            "sides": [s.to_dict() for s in self.sides],
        }


def compare_speakers(
    source: Readable, speakers: Sequence[str | int], filters: QueryFilters | None = None
) -> Comparison[StatementRow]:
    """Each of ``speakers`` (2 to ``MAX_SPEAKERS`` ids or names) over ``filters``.

    ``filters.speaker`` is ignored (the speakers are the columns); its ``limit`` is the
    number of statements shown per speaker. Raises ``ValueError`` for too few, too many or
    repeated speakers, ``UnknownSpeaker`` for a name that matches nobody and
    ``AmbiguousSpeaker`` for one that matches several.
    """
    f = (filters or QueryFilters()).replace(speaker=None)
    asked = [str(s).strip() for s in speakers if str(s).strip()]
    if not 2 <= len(asked) <= MAX_SPEAKERS:
        raise ValueError(f"compare takes 2 to {MAX_SPEAKERS} speakers, not {len(asked)}")
    engine = engine_of(source)
    with engine.connect() as conn:
        ids = []
        for name in asked:
            found = speaker_entity_ids(conn, name)
            if not found:
                raise UnknownSpeaker(name)
            ids.append(found[0])
        if len(set(ids)) < len(ids):
            raise ValueError("the same speaker is asked for twice")
        heads = {
            r.id: r
            for r in conn.execute(
                sa.select(entities.c.id, entities.c.name, entities.c.type).where(
                    entities.c.id.in_(ids)
                )
            )
        }
        summaries = [_summary(conn, f.replace(speaker=entity_id)) for entity_id in ids]
    sides = []
    for name, entity_id, (total, acts, first, last) in zip(asked, ids, summaries, strict=True):
        page = search_statements(engine, f.replace(speaker=entity_id), with_total=False)
        head = heads[entity_id]
        sides.append(
            SpeakerSide(name, entity_id, head.name, head.type, total, acts, first, last, page.items)
        )
    return Comparison(f.about, f.since, f.until, sides)


def _summary(
    conn: sa.Connection, f: QueryFilters
) -> tuple[int, dict[str, int], str | None, str | None]:
    """Total, statements per act (most used first) and the day range of every match."""
    day = statement_date()
    # one per claim with distinct_claims, as the listing counts them
    n = (
        sa.func.count(sa.distinct(statements.c.fingerprint))
        if f.distinct_claims
        else sa.func.count()
    )
    rows = conn.execute(
        sa.select(statements.c.act, n.label("n"), sa.func.min(day).label("lo"), sa.func.max(day))
        .where(*where_clauses(conn, f))
        .group_by(statements.c.act)
        .order_by(n.desc(), statements.c.act)
    ).all()
    acts = {r[0]: r[1] for r in rows}
    firsts = [r[2] for r in rows if r[2]]
    lasts = [r[3] for r in rows if r[3]]
    return (
        sum(acts.values()),
        acts,
        min(firsts) if firsts else None,
        max(lasts) if lasts else None,
    )
