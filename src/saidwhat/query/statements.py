"""Statement search: ``search_statements``, ``count_statements``, ``iter_statements``.

Rows come back as ``StatementRow``: the statement with enough of its article (title,
outlet, date) and of its claim (how many outlets carry it) to show or export it without
another query.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from saidwhat.query.common import Page, Readable, engine_of
from saidwhat.query.days import date_branches, statement_date
from saidwhat.query.filters import (
    QueryFilters,
    dates_alone,
    filtered_ids,
    index_count,
    kind_clause,
    where_clauses,
)
from saidwhat.query.similar import like_ranking
from saidwhat.query.sorting import by_relevance, check_sort, date_order, sorted_select
from saidwhat.store.tables import articles, claims, entities, outlets, statements


@dataclass
class StatementRow:
    """One reported statement, flattened for tables, JSON and CSV.

    ``date`` is the day it was said (or the start of its range, or the article's date);
    ``via`` is the source chain outermost first, as in the Analysis; ``outlet_count`` is
    how many outlets reported the same claim (1 for an exclusive); ``kind`` is
    ``statement``, ``belief`` or ``hedge`` (``schema.STATEMENT_KINDS``).
    """

    id: int
    article_id: str
    title: str | None
    date: str | None
    date_from: str | None
    date_to: str | None
    date_text: str | None
    article_date: str | None
    speaker_id: int | None
    speaker: str | None
    speaker_text: str | None
    act: str
    type: str
    content: str
    cue: str | None
    via: list[str]
    reported_by: str | None
    outlet: str | None
    outlet_count: int
    report_count: int
    story_id: str
    fingerprint: str
    start: int
    end: int
    content_spans: list[dict[str, Any]] = field(default_factory=list)
    cue_span: tuple[int, int] | None = None
    speaker_span: tuple[int, int] | None = None
    local_id: str = ""  # Statement.id within its article ("s3")
    via_links: list[dict[str, Any]] = field(default_factory=list)  # [{"name","span","entity"}]
    cites: list[str] = field(default_factory=list)
    denies: dict[str, Any] | None = None  # the span of the claim a denial rejects
    target_id: int | None = None  # entity thanked, praised, accused, urged
    occasion: str | None = None
    confidence: float | None = None  # the engine's estimate that the row is right, or None
    kind: str = "statement"  # schema.STATEMENT_KINDS
    # named | described | anonymous | unresolved (schema.SPEAKER_KINDS); None: no speaker
    # (a hedge, the author's voice) or a row stored before the kind was decided
    speaker_kind: str | None = None
    described_by_id: int | None = None  # the entity a described speaker's phrase names
    # why the store credits an ``inferred`` speaker: role, days seen, articles (0016)
    speaker_evidence: dict[str, Any] | None = None
    url: str | None = None  # the article's original address, where known
    similarity: float | None = None  # cosine to a ``like`` query (search by meaning only)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["cue_span"] = list(self.cue_span) if self.cue_span else None
        d["speaker_span"] = list(self.speaker_span) if self.speaker_span else None
        return d


def _read_as_is() -> dict[str, Any]:
    """The ``StatementRow`` fields that are one column or expression each, by field name.

    Every one is selected under its field's name (``_columns``), so ``row_from`` copies
    them across by name; the few fields built from several columns or normalised on the
    way are the ``_read_to_build`` inputs and are made in ``row_from`` itself.
    """
    s = statements.c
    return {
        "id": s.id,
        "article_id": s.article_id,
        "title": articles.c.title,
        "date": statement_date(),
        "date_from": s.date_from,
        "date_to": s.date_to,
        "date_text": s.date_text,
        "article_date": articles.c.date,
        "speaker_id": s.speaker_entity_id,
        "speaker": sa.func.coalesce(entities.c.name, s.speaker_name),
        "speaker_text": s.speaker_text,
        "act": s.act,
        "type": s.type,
        "content": s.content_text,
        "cue": s.cue_text,
        "reported_by": s.reported_by,
        "outlet": sa.func.coalesce(outlets.c.name, articles.c.source, articles.c.agency),
        "story_id": s.story_id,
        "fingerprint": s.fingerprint,
        "start": s.start,
        "end": s.end,
        "local_id": s.local_id,
        "denies": s.denies,
        "target_id": s.target_entity_id,
        "occasion": s.occasion,
        "confidence": s.confidence,
        "kind": s.kind,
        "speaker_kind": s.speaker_kind,
        "described_by_id": s.described_by_id,
        "speaker_evidence": s.speaker_evidence,
        "url": articles.c.url,
    }


def _read_to_build() -> list[Any]:
    """The columns ``row_from`` builds the other fields from (``via``, spans, counts)."""
    s = statements.c
    return [
        s.via,
        s.content_spans,
        s.cites,
        s.cue_start,
        s.cue_end,
        s.speaker_start,
        s.speaker_end,
        claims.c.outlet_count,
        claims.c.report_count,
    ]


_AS_IS = tuple(_read_as_is())


def _columns() -> list[Any]:
    return [col.label(name) for name, col in _read_as_is().items()] + _read_to_build()


def _from() -> Any:
    return (
        statements.join(articles, articles.c.id == statements.c.article_id)
        .outerjoin(entities, entities.c.id == statements.c.speaker_entity_id)
        .outerjoin(outlets, outlets.c.id == articles.c.outlet_id)
        .outerjoin(claims, claims.c.fingerprint == statements.c.fingerprint)
    )


def row_from(r: Any) -> StatementRow:
    """A ``StatementRow`` from one row of ``_columns()``."""
    m = r._mapping
    links = [v for v in (m["via"] or []) if isinstance(v, dict)]
    return StatementRow(
        **{name: m[name] for name in _AS_IS},
        via=[v.get("name", "") for v in links],
        via_links=links,
        content_spans=list(m["content_spans"] or []),
        cites=list(m["cites"] or []),
        cue_span=(m["cue_start"], m["cue_end"]) if m["cue_start"] is not None else None,
        speaker_span=(
            (m["speaker_start"], m["speaker_end"]) if m["speaker_start"] is not None else None
        ),
        outlet_count=m["outlet_count"] or 1,  # no claim row: reported once, by this outlet
        report_count=m["report_count"] or 1,
    )


def _matching(conn: sa.Connection, f: QueryFilters, where: list[Any] | None = None) -> list[Any]:
    """WHERE terms for the filters; ``where``: ``where_clauses`` already resolved (a
    search resolves speaker and outlet names once for its page and its total)."""
    if f.distinct_claims:
        return [statements.c.id.in_(filtered_ids(conn, f, where))]
    return where if where is not None else where_clauses(conn, f)


def statements_select(
    conn: sa.Connection, f: QueryFilters, oldest_first: bool = False, sort: str | None = None
) -> Any:
    """The full row SELECT for the filters, unpaged: newest reports first (by the
    article's date, then article, then position in it), or oldest first, or as ``sort``
    names (``query.sorting``).

    Ordering by the article's date rather than the statement's own day keeps the order
    index-friendly; the two differ by days at most for nearly all statements, and
    ``date`` in each row is still the day it was said.
    """
    q = sa.select(*_columns()).select_from(_from()).where(*_matching(conn, f))
    return sorted_select(q, conn.dialect.name, f, check_sort(sort, oldest_first))


def page_ids(
    conn: sa.Connection,
    f: QueryFilters,
    oldest_first: bool = False,
    where: list[Any] | None = None,
    sort: str | None = None,
) -> list[int]:
    """The ids of one page of matches, in order: sorting needs only statements; the
    joins are done afterwards for the page's rows alone."""
    kinds = kind_clause(f)
    sort = check_sort(sort, oldest_first)
    oldest_first = sort == "oldest"
    if by_relevance(f, sort):
        q = sorted_select(
            sa.select(statements.c.id).where(*_matching(conn, f, where)), conn.dialect.name, f, sort
        )
    elif dates_alone(f) and not f.distinct_claims:
        # Dates alone: the page straight from the day indexes, which hold its order.
        s = statements.c
        also = [] if kinds is None else [kinds]
        parts = date_branches(f.since, f.until, s.id, s.article_date, s.article_id, also=also)
        rows = (parts[0] if len(parts) == 1 else sa.union_all(*parts)).subquery()
        q = sa.select(rows.c.id).order_by(*date_order(oldest_first, rows.c))
    else:
        q = (
            sa.select(statements.c.id)
            .where(*_matching(conn, f, where))
            .order_by(*date_order(oldest_first))
        )
    if f.offset:
        q = q.offset(f.offset)
    if f.limit is None:
        return list(conn.scalars(q))
    q = q.limit(f.limit)
    if _unfiltered(f) and sort == "newest":
        cutoff = recent_cutoff(conn, f.offset + f.limit)
        if cutoff is not None:
            ids = list(conn.scalars(q.where(statements.c.article_date >= cutoff)))
            # The cutoff counts statements of every kind: with beliefs left out, the
            # recent articles may hold too few for the page, which is then read in full.
            if len(ids) == f.limit or kinds is None:
                return ids
    return list(conn.scalars(q))


def _unfiltered(f: QueryFilters) -> bool:
    """No filter but the default choice of kinds (every kind but beliefs, or every kind
    with ``all_kinds``)."""
    return f.kind is None and not f.replace(all_kinds=False).narrows() and not f.distinct_claims


def recent_cutoff(conn: sa.Connection, n: int) -> str | None:
    """The article date from which on the store holds at least ``n`` statements (None if
    it holds fewer). Lets the unfiltered newest-first page read only recent articles
    through the date index instead of sorting every statement."""
    seen, offset, chunk = 0, 0, 500
    while True:
        rows = conn.execute(
            sa.select(articles.c.date, articles.c.statement_count)
            .where(articles.c.date.is_not(None))
            .order_by(articles.c.date.desc())
            .limit(chunk)
            .offset(offset)
        ).all()
        for day, count in rows:
            seen += count or 0
            if seen >= n:
                return day
        if len(rows) < chunk:
            return None
        offset += chunk


def search_statements(
    source: Readable,
    filters: QueryFilters | None = None,
    *,
    with_total: bool = True,
    oldest_first: bool = False,
    sort: str | None = None,
) -> Page[StatementRow]:
    """The statements matching ``filters`` (newest reports first, or as ``sort`` says:
    ``query.sorting.SORTS``), one page of them.

    ``with_total=False`` skips the extra COUNT query when the caller only needs rows.
    """
    f = filters or QueryFilters()
    sort = check_sort(sort, oldest_first)
    with engine_of(source).connect() as conn:
        where = where_clauses(conn, f)  # names resolved once, for the page and the total
        total: int | None = None
        similarity: dict[int, float] = {}
        if f.like or f.like_id is not None:  # ranked by meaning, not by ``sort``
            ranking = like_ranking(conn, f, where)
            ids, total = ranking.page(f.offset, f.limit), len(ranking.ids)
            similarity = ranking.similarity
        elif with_total and _sorted_in_full(conn.dialect.name, f):
            ids, total = _page_and_total(conn, f, sort, where)
        else:
            ids = page_ids(conn, f, where=where, sort=sort)
        rows = conn.execute(
            sa.select(*_columns()).select_from(_from()).where(statements.c.id.in_(ids))
        )
        by_id = {r.id: row_from(r) for r in rows}
        items = [by_id[i] for i in ids]
        for item in items:
            item.similarity = similarity.get(item.id)
        if with_total and total is None:
            total = _count(conn, f, where)
    return Page(items=items, total=total, limit=f.limit, offset=f.offset)


def _sorted_in_full(dialect: str, f: QueryFilters) -> bool:
    """Whether the page needs every match read and sorted anyway (no index holds the
    page order for words, an outlet or an intermediary), so that counting them in the
    same pass is free, where a separate COUNT would find them all a second time. Not
    when an index counts them alone (``index_count``)."""
    if f.distinct_claims or dates_alone(f) or f.limit is None:
        return False
    return bool(f.about or f.outlet or f.via) and index_count(dialect, f) is None


def _page_and_total(
    conn: sa.Connection, f: QueryFilters, sort: str, where: list[Any]
) -> tuple[list[int], int]:
    """One page of ids and the number of all matches, from one query (``COUNT(*) OVER
    ()`` is taken over the matches before LIMIT cuts them)."""
    q = sorted_select(
        sa.select(statements.c.id, sa.func.count().over().label("total")).where(*where),
        conn.dialect.name,
        f,
        sort,
    )
    q = q.limit(f.limit).offset(f.offset or None)
    rows = conn.execute(q).all()
    if rows:
        return [r.id for r in rows], int(rows[0].total)
    # no row: no match at all, or a page past the last one (which still has a total)
    return [], _count(conn, f, where) if f.offset else 0


def get_statement(source: Readable, statement_id: int) -> StatementRow | None:
    """One statement by its store id, as a search would list it (None: no such id)."""
    with engine_of(source).connect() as conn:
        row = conn.execute(
            sa.select(*_columns()).select_from(_from()).where(statements.c.id == statement_id)
        ).first()
    return row_from(row) if row is not None else None


def _count(conn: sa.Connection, f: QueryFilters, where: list[Any] | None = None) -> int:
    quick = index_count(conn.dialect.name, f)
    if quick is not None:
        return int(conn.execute(quick).scalar_one())
    sub = filtered_ids(conn, f, where).subquery()
    return conn.execute(sa.select(sa.func.count()).select_from(sub)).scalar_one()


def count_statements(source: Readable, filters: QueryFilters | None = None) -> int:
    """How many statements (claims, with ``distinct_claims``) match; ignores limit/offset."""
    with engine_of(source).connect() as conn:
        return _count(conn, filters or QueryFilters())


def iter_statements(
    source: Readable,
    filters: QueryFilters | None = None,
    *,
    batch: int = 2000,
    oldest_first: bool = True,
    sort: str | None = None,
) -> Iterator[StatementRow]:
    """Every match (``limit``/``offset`` honoured when set), streamed in batches so an
    export of the whole store does not hold it in memory; oldest first unless ``sort``
    says otherwise (the order of the pages a download repeats)."""
    f = filters or QueryFilters(limit=None)
    with engine_of(source).connect() as conn:
        q = statements_select(conn, f, oldest_first, sort)
        if f.limit is not None:
            q = q.limit(f.limit)
        if f.offset:
            q = q.offset(f.offset)
        result = conn.execution_options(yield_per=batch).execute(q)
        for r in result:
            yield row_from(r)
