"""A speaker name that means several people is a question back, never a silent merge.

Why: ``quotes --speaker Orlov`` used to return Pavel Orlov's, Irina Orlov's and an
organisation's statements together, and ``speaker Orlov`` silently showed whichever had
most statements. A reader checking a quote cannot tell from such a listing that three
people were mixed, so a name that matches more than one live entity raises
``AmbiguousSpeaker`` with the candidates (id, name, type, main roles, statements), and
each face turns it into its own answer: the CLI exits 2 listing them, the API answers 409
with them, the web shows a page to choose from. An id always means one entity.

The same for article ids shortened as tables show them: a prefix that several ids start
with is ``AmbiguousArticle`` listing them, not "no article".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from saidwhat.query.common import Readable, engine_of
from saidwhat.store.tables import articles, entities, entity_roles, outlets, speaker_stats
from saidwhat.wording import counted

#: Candidates listed at most (a one-letter name can match hundreds of entities).
MAX_CANDIDATES = 20


@dataclass(frozen=True)
class SpeakerCandidate:
    """One entity a name may mean, with what tells namesakes apart."""

    id: int
    name: str
    type: str
    statements: int
    roles: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        """``12  Pavel Orlov  PERSON  14 statements  mayor of Kharkiv``: one CLI row."""
        roles = f"  {', '.join(self.roles)}" if self.roles else ""
        return (
            f"{self.id}  {self.name}  {self.type}  {counted(self.statements, 'statement')}{roles}"
        )


class Ambiguous(LookupError):
    """A name or id prefix that means several things: ``name`` as given, ``candidates``
    (at most ``MAX_CANDIDATES``), ``more`` counting the rest, ``question`` the line that
    asks which (the CLI prints it above the candidates' ``line()``). ``KEY``: the name's
    key in ``to_dict`` (the API's 409 body)."""

    KEY = "name"

    def __init__(
        self, name: str, candidates: list[Any], more: int, message: str, question: str
    ) -> None:
        self.name = name
        self.candidates = candidates
        self.more = more
        self.question = question
        super().__init__(message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "detail": str(self),
            self.KEY: self.name,
            "candidates": [c.to_dict() for c in self.candidates],
            "more": self.more,
        }


class AmbiguousSpeaker(Ambiguous):
    """A speaker name matched several entities; ``candidates`` lists them (most
    statements first)."""

    def __init__(self, name: str, candidates: list[SpeakerCandidate], more: int = 0) -> None:
        super().__init__(
            name,
            candidates,
            more,
            f"speaker {name!r} matches {len(candidates) + more} entities; name one by its id: "
            + "; ".join(f"{c.id} {c.name} ({c.type})" for c in candidates)
            + (f"; and {more} more" if more else ""),
            f"speaker {name!r} matches more than one entity; name one by its id:",
        )


def top_roles(conn: sa.Connection, ids: list[int], per: int = 3) -> dict[int, list[str]]:
    """The most frequent roles of each entity (ranking tables, candidate lists)."""
    out: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return out
    rows = conn.execute(
        sa.select(entity_roles.c.entity_id, entity_roles.c.role)
        .where(entity_roles.c.entity_id.in_(ids))
        .order_by(entity_roles.c.entity_id, entity_roles.c.count.desc(), entity_roles.c.role)
    )
    for r in rows:
        if len(out[r.entity_id]) < per:
            out[r.entity_id].append(r.role)
    return out


def candidates(conn: sa.Connection, ids: list[int]) -> list[SpeakerCandidate]:
    """The entities ``ids`` as candidates, most statements first (then most articles)."""
    n = sa.func.coalesce(speaker_stats.c.statements, 0).label("n")
    rows = conn.execute(
        sa.select(entities.c.id, entities.c.name, entities.c.type, n)
        .select_from(entities.outerjoin(speaker_stats, speaker_stats.c.entity_id == entities.c.id))
        .where(entities.c.id.in_(ids))
        .order_by(n.desc(), entities.c.article_count.desc(), entities.c.id)
    ).all()
    roles = top_roles(conn, [r.id for r in rows])
    return [SpeakerCandidate(r.id, r.name, r.type, int(r.n), roles.get(r.id, [])) for r in rows]


def only_one(conn: sa.Connection, name: str, ids: list[int]) -> list[int]:
    """``ids`` if they are at most one entity, else ``AmbiguousSpeaker`` for ``name``."""
    if len(ids) <= 1:
        return ids
    found = candidates(conn, ids)
    shown = found[:MAX_CANDIDATES]
    raise AmbiguousSpeaker(name, shown, more=len(found) - len(shown))


@dataclass(frozen=True)
class ArticleCandidate:
    """One article an id prefix may mean."""

    id: str
    title: str | None
    outlet: str | None
    date: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        return "  ".join(x for x in (self.id, self.date, self.outlet, self.title) if x)


class AmbiguousArticle(Ambiguous):
    """An article id prefix that several ids start with; ``candidates`` lists them
    (newest first)."""

    KEY = "prefix"

    def __init__(self, prefix: str, candidates: list[ArticleCandidate], more: int = 0) -> None:
        super().__init__(
            prefix,
            candidates,
            more,
            f"article id {prefix!r} is the start of {len(candidates) + more} ids; give more of "
            "it: " + ", ".join(c.id for c in candidates) + (f" and {more} more" if more else ""),
            f"article id {prefix!r} is the start of several ids; give more of it:",
        )


def find_article(source: Readable, id_or_prefix: str) -> str | None:
    """The full id of the article ``id_or_prefix`` names: the id itself, or a prefix
    that only one article id starts with (as tables show ids shortened); None if none
    does, ``AmbiguousArticle`` listing them if several do."""
    key = id_or_prefix.strip().lower()
    with engine_of(source).connect() as conn:
        if conn.scalar(sa.select(articles.c.id).where(articles.c.id == key)):
            return key
        if not key or not key.isalnum():
            return None
        a = articles.c
        found = conn.execute(
            sa.select(a.id, a.title, outlets.c.name.label("outlet"), a.date)
            .select_from(articles.outerjoin(outlets, outlets.c.id == a.outlet_id))
            .where(a.id.startswith(key, autoescape=True))
            .order_by(a.date.desc(), a.id)
            .limit(MAX_CANDIDATES + 1)
        ).all()
        if len(found) <= 1:
            return found[0].id if found else None
        more = 0
        if len(found) > MAX_CANDIDATES:
            total = conn.scalar(
                sa.select(sa.func.count()).where(a.id.startswith(key, autoescape=True))
            )
            more = int(total or 0) - MAX_CANDIDATES
    shown = [ArticleCandidate(r.id, r.title, r.outlet, r.date) for r in found[:MAX_CANDIDATES]]
    raise AmbiguousArticle(key, shown, more)
