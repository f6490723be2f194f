"""The corpus as a whole and single articles: ``get_article``, ``source_chains``,
``stats``, ``list_outlets``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import sqlalchemy as sa
from typing_extensions import TypedDict  # pydantic needs it for TypedDicts before 3.12

from saidwhat.query.common import Readable, described, engine_of
from saidwhat.query.filters import QueryFilters, where_clauses
from saidwhat.query.statements import StatementRow, row_from, statements_select
from saidwhat.store.tables import (
    article_entities,
    articles,
    chain_counts,
    claims,
    entities,
    errors,
    mentions,
    outlets,
    speaker_stats,
    statements,
)


class SpanDict(TypedDict):
    """A span as the store keeps it in JSON: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass
class ArticleEntity:
    """An entity of one article: its local id, the merged entity it belongs to, its
    mention spans in this article's text. In API JSON ``local_id`` is ``id``, as in the
    extraction schema's ``Entity``."""

    local_id: str = described("Article-local entity id", api_name="id")
    entity_id: int = described("The merged entity across the corpus")
    name: str = described("The merged entity's canonical name")
    name_here: str = described("The name as this article gives it")
    type: str
    roles: list[str]
    mentions: list[SpanDict]


class ArticleCopy(TypedDict):
    """Another outlet's copy of the same story."""

    id: str
    title: str | None
    date: str | None
    reported_by: str | None


@dataclass
class ArticleDetail:
    """An article with its text (all offsets point into it), statements and entities."""

    id: str
    title: str | None
    date: str | None
    url: str | None
    path: str | None
    source: str | None
    agency: str | None
    reported_by: str | None
    dateline_place: str | None
    story_id: str
    text: str
    spans: dict[str, Any]
    statements: list[StatementRow]
    entities: list[ArticleEntity]
    copies: list[ArticleCopy] = field(default_factory=list)  # same story, other outlets

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["statements"] = [s.to_dict() for s in self.statements]
        return d


@dataclass
class ChainRow:
    """How often an outlet reported a speaker through an intermediary chain."""

    outlet: str | None
    via: list[str] = described("Intermediaries, outermost first; [] = direct")
    speaker_id: int | None
    speaker: str | None
    count: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class OutletRow:
    name: str
    articles: int
    statements: int
    first_date: str | None
    last_date: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Stats:
    """Corpus totals; ``copies`` = articles that are syndicated copies of another.
    ``statements`` counts every kind, ``kinds`` splits it (statement, belief, hedge: the
    beliefs among them are not in default listings, nor in ``speakers``)."""

    articles: int
    stories: int
    copies: int
    statements: int
    claims: int
    entities: int
    people: int
    speakers: int
    outlets: int
    errors: int
    first_date: str | None
    last_date: str | None
    acts: dict[str, int]
    kinds: dict[str, int] = described("Statements per kind: statement, belief, hedge")
    speaker_kinds: dict[str, int] = described(
        "Statements per speaker kind: named, described, anonymous, unresolved (hedges, "
        "the author's voice and rows stored before the kind was decided have none)"
    )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class StatsDocument(Stats):
    """The totals and the outlets with most articles: what ``stats --json`` prints and
    ``/api/stats`` answers, built in one place so the two never differ."""

    top_outlets: list[OutletRow] = field(default_factory=list)


def stats_document(source: Readable, top_outlets: int = 10) -> StatsDocument:
    totals = stats(source)
    return StatsDocument(
        **{f.name: getattr(totals, f.name) for f in fields(totals)},
        top_outlets=list_outlets(source, limit=top_outlets),
    )


def get_article(source: Readable, article_id: str) -> ArticleDetail | None:
    """Everything about one article, or None when the id is unknown. Its statements are
    all of them, beliefs too (each row says its ``kind``): the article is read whole."""
    with engine_of(source).connect() as conn:
        a = conn.execute(sa.select(articles).where(articles.c.id == article_id)).first()
        if a is None:
            return None
        f = QueryFilters(article_id=article_id, all_kinds=True, limit=None)
        stmts = [row_from(r) for r in conn.execute(statements_select(conn, f, oldest_first=True))]
        stmts.sort(key=lambda s: (s.start, s.id))
        spans: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for m in conn.execute(
            sa.select(mentions.c.local_entity, mentions.c.start, mentions.c.end, mentions.c.text)
            .where(mentions.c.article_id == article_id)
            .order_by(mentions.c.start)
        ):
            spans[m.local_entity].append({"start": m.start, "end": m.end, "text": m.text})
        ents = [
            ArticleEntity(
                r.local_id,
                r.entity_id,
                r.canonical,
                r.name,
                r.type,
                list(r.roles or []),
                spans.get(r.local_id, []),
            )
            for r in conn.execute(
                sa.select(article_entities, entities.c.name.label("canonical"))
                .join(entities, entities.c.id == article_entities.c.entity_id)
                .where(article_entities.c.article_id == article_id)
                .order_by(article_entities.c.local_id)
            )
        ]
        copies = [
            ArticleCopy(id=r.id, title=r.title, date=r.date, reported_by=r.reported_by)
            for r in conn.execute(
                sa.select(articles.c.id, articles.c.title, articles.c.date, articles.c.reported_by)
                .where(articles.c.story_id == a.story_id, articles.c.id != article_id)
                .order_by(articles.c.date, articles.c.id)
            )
        ]
    return ArticleDetail(
        id=a.id,
        title=a.title,
        date=a.date,
        url=a.url,
        path=a.path,
        source=a.source,
        agency=a.agency,
        reported_by=a.reported_by,
        dateline_place=a.dateline_place,
        story_id=a.story_id,
        text=a.text,
        spans={k: v for k, v in (a.spans or {}).items() if v},
        statements=stmts,
        entities=ents,
        copies=copies,
    )


def source_chains(
    source: Readable,
    filters: QueryFilters | None = None,
    *,
    min_count: int = 1,
    precomputed: bool = True,
) -> list[ChainRow]:
    """Which outlets report whom through which intermediaries, most frequent first.

    ``via`` is outermost first (``["Tass"]`` for IANS <- Tass <- Lavrov); an empty list
    means the outlet reported the speaker directly. With no filter that narrows the
    statements, the counts are the store's ``chain_counts`` (kept current by every
    write; ``precomputed=False`` groups the statements instead, the same answer).
    """
    f = filters or QueryFilters(limit=100)
    with engine_of(source).connect() as conn:
        if precomputed and not f.narrows():
            q = _chains_precomputed(conn, f, min_count)
        else:
            q = _chains_grouped(conn, f, min_count)
        if f.limit is not None:
            q = q.limit(f.limit)
        if f.offset:
            q = q.offset(f.offset)
        rows = conn.execute(q).all()
    return [
        ChainRow(
            r.reported_by,
            [v for v in (r.via_text or "").split("; ") if v],
            r.speaker_entity_id,
            r.speaker,
            r.n,
        )
        for r in rows
    ]


def count_chains(
    source: Readable,
    filters: QueryFilters | None = None,
    *,
    min_count: int = 1,
    precomputed: bool = True,
) -> int:
    """How many chains ``source_chains`` would list without limit and offset: a count of
    ``chain_counts`` rows when no filter narrows, else of the matching groups."""
    f = filters or QueryFilters()
    with engine_of(source).connect() as conn:
        if precomputed and not f.narrows():
            q = sa.select(sa.func.count()).where(chain_counts.c.n >= min_count)
        else:
            groups = _chains_grouped(conn, f, min_count).order_by(None).subquery()
            q = sa.select(sa.func.count()).select_from(groups)
        return int(conn.scalar(q) or 0)


def _chains_grouped(conn: sa.Connection, f: QueryFilters, min_count: int) -> Any:
    """The chains of the matching statements, grouped from the statements."""
    s = statements.c
    n = sa.func.count().label("n")
    speaker = sa.func.coalesce(entities.c.name, s.speaker_name).label("speaker")
    return (
        sa.select(s.reported_by, s.via_text, s.speaker_entity_id, speaker, n)
        .select_from(statements.outerjoin(entities, entities.c.id == s.speaker_entity_id))
        .where(*where_clauses(conn, f))
        .group_by(s.reported_by, s.via_text, s.speaker_entity_id, speaker)
        .having(sa.func.count() >= min_count)
        .order_by(n.desc(), s.reported_by, s.via_text, speaker, s.speaker_entity_id)
    )


def _chains_precomputed(conn: sa.Connection, f: QueryFilters, min_count: int) -> Any:
    """All chains from ``chain_counts``, in the same order: only rows counted at least
    as often as the page's last place are read and sorted (found by walking the index
    on ``n``; ties with it included, so the order by name below stays exact)."""
    c = chain_counts.c
    n = c.n.label("n")
    speaker = sa.func.coalesce(entities.c.name, c.speaker_name).label("speaker")
    floor = min_count
    if f.limit:
        at_last_place = conn.scalar(
            sa.select(c.n).order_by(c.n.desc()).limit(1).offset(f.offset + f.limit - 1)
        )
        floor = max(floor, at_last_place or 0)
    return (
        sa.select(c.reported_by, c.via_text, c.speaker_entity_id, speaker, n)
        .select_from(chain_counts.outerjoin(entities, entities.c.id == c.speaker_entity_id))
        .where(c.n >= floor)
        .order_by(c.n.desc(), c.reported_by, c.via_text, speaker, c.speaker_entity_id)
    )


def stats(source: Readable) -> Stats:
    """Counts of everything stored, the date range, statements per act and per kind."""
    with engine_of(source).connect() as conn:

        def one(q: Any) -> Any:
            return conn.execute(q).scalar()

        count = sa.func.count()
        live = entities.c.merged_into.is_(None)
        n_articles = one(sa.select(count).select_from(articles)) or 0
        n_stories = one(sa.select(sa.func.count(sa.distinct(articles.c.story_id)))) or 0
        # Two queries: each is one step down the date index, where min and max in
        # one SELECT scan all of it.
        dates = (
            one(sa.select(sa.func.min(articles.c.date))),
            one(sa.select(sa.func.max(articles.c.date))),
        )

        def by(column: sa.Column) -> dict[str, int]:  # most frequent first
            rows = conn.execute(
                sa.select(column, count.label("n"))
                .where(column.is_not(None))
                .group_by(column)
                .order_by(count.desc(), column)
            )
            return {r[0]: r.n for r in rows}

        acts, kinds = by(statements.c.act), by(statements.c.kind)
        return Stats(
            articles=n_articles,
            stories=n_stories,
            copies=n_articles - n_stories,
            statements=sum(acts.values()),
            claims=one(sa.select(count).select_from(claims)) or 0,
            entities=one(sa.select(count).select_from(entities).where(live)) or 0,
            people=one(
                sa.select(count).select_from(entities).where(live, entities.c.type == "PERSON")
            )
            or 0,
            speakers=one(sa.select(count).select_from(speaker_stats)) or 0,
            outlets=one(sa.select(count).select_from(outlets)) or 0,
            errors=one(sa.select(count).select_from(errors)) or 0,
            first_date=dates[0],
            last_date=dates[1],
            acts=acts,
            kinds=kinds,
            speaker_kinds=by(statements.c.speaker_kind),
        )


def count_outlets(source: Readable) -> int:
    """How many outlets have at least one article (the rows ``list_outlets`` pages)."""
    with engine_of(source).connect() as conn:
        return int(conn.scalar(sa.select(sa.func.count(sa.distinct(articles.c.outlet_id)))) or 0)


def list_outlets(source: Readable, limit: int | None = None, offset: int = 0) -> list[OutletRow]:
    """Outlets (publishing source or agency of articles) by number of articles."""
    n = sa.func.count(articles.c.id).label("n")
    q = (
        sa.select(
            outlets.c.name,
            n,
            sa.func.coalesce(sa.func.sum(articles.c.statement_count), 0).label("st"),
            sa.func.min(articles.c.date).label("first"),
            sa.func.max(articles.c.date).label("last"),
        )
        .select_from(outlets.join(articles, articles.c.outlet_id == outlets.c.id))
        .group_by(outlets.c.id, outlets.c.name)
        .order_by(n.desc(), outlets.c.name)
    )
    if limit is not None:
        q = q.limit(limit)
    if offset:
        q = q.offset(offset)
    with engine_of(source).connect() as conn:
        return [OutletRow(r.name, r.n, int(r.st), r.first, r.last) for r in conn.execute(q)]
