"""Facets of a statement search: counts per speaker, act, type, outlet, via, speaker kind
and a date histogram, over the current result.

Each facet is counted with every filter but its own (the usual faceted-search rule):
with ``act=deny`` chosen, the act facet still lists ``reject`` with the count that
checking it too would add, so several values of one facet can be chosen (OR within a
facet, AND across them). Every count is what the filter for that value would match, so
a link from a facet value lands on exactly that many statements; the exceptions are
said where they are (``via`` is a substring filter; the histogram counts a statement
said over a range of days by its first day).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from saidwhat.linking.names import normalise
from saidwhat.query.common import Readable, engine_of
from saidwhat.query.facet_values import (
    DateHistogram,
    FacetValue,
    column_values,
    histogram,
    outlet_values,
    speaker_values,
    via_values,
)
from saidwhat.query.filters import (
    QueryFilters,
    UnknownValue,
    filtered_ids,
    many,
    where_clauses,
)
from saidwhat.query.similar import like_ranking
from saidwhat.store.tables import articles, outlets, statements

#: every facet, in the order pages show them; ``date`` is the histogram
FACETS = ("speaker", "speaker_kind", "act", "type", "outlet", "via", "date")
#: the filter fields each facet leaves out when it is counted (its own)
OWN_FILTERS = {
    "speaker": ("speaker",),
    "speaker_kind": ("speaker_kind",),
    "act": ("act",),
    "type": ("type",),
    "outlet": ("outlet",),
    "via": ("via",),
    "date": ("since", "until"),
}
DEFAULT_TOP = 10

Memo = Callable[[str, Callable[[], Any]], Any]
T = TypeVar("T")


@dataclass
class FacetSet:
    """The facets asked for (the others stay None)."""

    speaker: list[FacetValue] | None = None
    speaker_kind: list[FacetValue] | None = None
    act: list[FacetValue] | None = None
    type: list[FacetValue] | None = None
    outlet: list[FacetValue] | None = None
    via: list[FacetValue] | None = None
    date: DateHistogram | None = None


@dataclass
class FacetedPage(Generic[T]):
    """One page of a search, the whole result's ``total`` and, when asked for, its
    ``facets`` (``/api/statements?facets=...``)."""

    items: list[T]
    total: int | None
    limit: int | None
    offset: int = 0
    facets: FacetSet | None = None


def check_facets(names: Iterable[str] | str | None) -> list[str]:
    """The facet names asked for (a comma list or several), in ``FACETS`` order;
    ``UnknownValue`` naming the valid ones for anything else."""
    given = [names] if isinstance(names, str) else list(names or [])
    wanted = [n.strip().lower() for item in given for n in item.split(",") if n.strip()]
    for name in wanted:
        if name not in FACETS:
            raise UnknownValue("facets", name, FACETS)
    return [n for n in FACETS if n in wanted]


def facet_counts(
    source: Readable,
    filters: QueryFilters | None = None,
    names: Sequence[str] = FACETS,
    top: int = DEFAULT_TOP,
    memo: Memo | None = None,
) -> FacetSet:
    """The facets ``names`` over the statements ``filters`` match (paging ignored):
    speakers, outlets and intermediaries the ``top`` most frequent (plus any chosen),
    acts, types and speaker kinds all, the histogram over the whole span.

    ``memo(key, compute)``: where a facet is counted over no filter at all (the first
    page; a facet whose own filter is the only one), its counts are the same for every
    request until the store changes, so a caller that keeps answers per store
    generation (the web app) passes its memo and they are counted once."""
    f = (filters or QueryFilters()).replace(limit=None, offset=0)
    out = FacetSet()
    wanted = check_facets(names)
    with engine_of(source).connect() as conn:
        # the facets whose own filter is not set are all counted over the same matches:
        # when those are few enough to read, in one pass over them instead of one each
        alike = [n for n in wanted if not any(getattr(f, o) for o in OWN_FILTERS[n])]
        shared: dict[str, Any] = {}
        if len(alike) > 1 and f.narrows():
            outlet_of = None
            if memo is not None:
                outlet_of = partial(memo, "facet:article_outlets", partial(_article_outlets, conn))
            shared = _one_pass(conn, _matching(conn, f), alike, outlet_of)
        for name in wanted:
            mine = f.replace(**dict.fromkeys(OWN_FILTERS[name]))

            def compute(name: str = name, mine: QueryFilters = mine) -> Any:
                return _COUNTERS[name](conn, _matching(conn, mine))

            if name in shared:
                counted = shared[name]
            elif memo is not None and not mine.narrows() and not mine.distinct_claims:
                counted = memo(f"facet:{name}:{mine.all_kinds}", compute)
            else:
                counted = compute()
            if name == "speaker":
                out.speaker = speaker_values(conn, counted, many(f.speaker), top)
            elif name == "outlet":
                out.outlet = outlet_values(counted, many(f.outlet), top)
            elif name == "via":
                out.via = via_values(counted, many(f.via), top)
            elif name == "date":
                out.date = histogram(counted, f.since, f.until)
            else:
                setattr(out, name, column_values(counted, getattr(f, name)))
    return out


ONE_PASS_ROWS = 30_000  # past this many matches, a GROUP BY per facet is quicker


def _one_pass(
    conn: sa.Connection,
    where: list[Any],
    names: list[str],
    outlet_of: Callable[[], dict[str, int | None]] | None = None,
) -> dict[str, Any]:
    """The counts of several facets over the same matches from one read of their rows,
    counted here (each facet's own query would find the matches again, full-text search
    and all), in the shapes ``_COUNTERS`` give; {} when the matches are more than
    ``ONE_PASS_ROWS`` (each facet is then counted by its own query, from its index).
    ``outlet_of()``: each article's outlet id (the web app keeps it per store
    generation), so the rows need no join with ``articles``."""
    s = statements.c
    columns = {
        "speaker": s.speaker_entity_id,
        "speaker_kind": s.speaker_kind,
        "act": s.act,
        "type": s.type,
        "via": s.via_text,
        "date": s.day,
    }
    plain = [n for n in names if n in columns]
    picked = [columns[n] for n in plain]
    outlet = "outlet" in names
    if outlet:
        picked += [s.reported_by, s.article_id if outlet_of else articles.c.outlet_id]
    q = sa.select(*picked).where(*where).limit(ONE_PASS_ROWS + 1)
    if outlet and outlet_of is None:
        q = q.select_from(statements.join(articles, articles.c.id == s.article_id))
    rows = conn.execute(q).all()
    if len(rows) > ONE_PASS_ROWS:
        return {}
    totals: dict[str, Counter[Any]] = {name: Counter() for name in names}
    for i, name in enumerate(plain):
        totals[name].update(row[i] for row in rows)
    if outlet:
        published = outlet_of() if outlet_of else {}
        totals["outlet"].update(
            (row[-2], published.get(row[-1]) if outlet_of else row[-1]) for row in rows
        )
    out: dict[str, Any] = {}
    for name, counted in totals.items():
        if name == "outlet":
            out[name] = _outlet_totals(conn, [(r, o, c) for (r, o), c in counted.items()])
        elif name in ("via", "date"):
            out[name] = [(v, c) for v, c in counted.items() if v]
        else:
            out[name] = {v: c for v, c in counted.items() if v is not None}
    return out


def _article_outlets(conn: sa.Connection) -> dict[str, int | None]:
    """Every article's outlet id (for ``_one_pass``)."""
    q = sa.select(articles.c.id, articles.c.outlet_id).where(articles.c.outlet_id.is_not(None))
    return dict(conn.execute(q).all())


def _matching(conn: sa.Connection, f: QueryFilters) -> list[Any]:
    """WHERE terms for the result ``f`` describes: a search by meaning's result is the
    statements it ranks (``like_ranking``), not every one its other filters pass."""
    if f.like or f.like_id is not None:
        return [statements.c.id.in_(like_ranking(conn, f, where_clauses(conn, f)).ids)]
    if f.distinct_claims:
        return [statements.c.id.in_(filtered_ids(conn, f))]
    return where_clauses(conn, f)


def _column_counts(column: sa.Column[Any]) -> Callable[[sa.Connection, list[Any]], Any]:
    def count(conn: sa.Connection, where: list[Any]) -> dict[Any, int]:
        q = sa.select(column, sa.func.count()).where(*where, column.is_not(None)).group_by(column)
        return dict(conn.execute(q).all())

    return count


def _speaker_counts(conn: sa.Connection, where: list[Any]) -> dict[int, int]:
    """Statements per speaker entity (unresolved speakers have none to list)."""
    s = statements.c
    q = (
        sa.select(s.speaker_entity_id, sa.func.count())
        .where(*where, s.speaker_entity_id.is_not(None))
        .group_by(s.speaker_entity_id)
    )
    return dict(conn.execute(q).all())


def _outlet_counts(conn: sa.Connection, where: list[Any]) -> tuple[dict[str, int], dict[str, str]]:
    """Statements per outlet as the outlet filter reads them (by normalised name, with
    the name to show): a statement counts for who reported it (``reported_by``) and
    for the outlet that published its article, once if both are the same outlet."""
    s = statements.c
    rows = conn.execute(
        sa.select(s.reported_by, articles.c.outlet_id, sa.func.count())
        .select_from(statements.join(articles, articles.c.id == s.article_id))
        .where(*where)
        .group_by(s.reported_by, articles.c.outlet_id)
    ).all()
    return _outlet_totals(conn, [tuple(r) for r in rows])


def _outlet_totals(
    conn: sa.Connection, rows: list[tuple[Any, ...]]
) -> tuple[dict[str, int], dict[str, str]]:
    """(reported_by, article outlet id, statements) rows as counts per outlet key."""
    ids = {outlet_id for _, outlet_id, _ in rows if outlet_id is not None}
    published = {
        r.id: (r.key, r.name)
        for r in conn.execute(
            sa.select(outlets.c.id, outlets.c.key, outlets.c.name).where(outlets.c.id.in_(ids))
        )
    }
    counts: Counter[str] = Counter()
    labels: dict[str, str] = {key: name for key, name in published.values()}
    for reported_by, outlet_id, n in rows:
        keys = set()
        if reported_by and normalise(reported_by):
            keys.add(normalise(reported_by))
            labels.setdefault(normalise(reported_by), reported_by)
        if outlet_id in published:
            keys.add(published[outlet_id][0])
        for key in keys:
            counts[key] += n
    return dict(counts), labels


def _via_counts(conn: sa.Connection, where: list[Any]) -> list[tuple[str, int]]:
    """Statements per source chain (``via_text``, "Tass; local media")."""
    s = statements.c
    q = sa.select(s.via_text, sa.func.count()).where(*where, s.via_text != "").group_by(s.via_text)
    return [(text, n) for text, n in conn.execute(q).all()]


def _day_counts(conn: sa.Connection, where: list[Any]) -> list[tuple[str, int]]:
    """Statements per first day (``statements.day``)."""
    day = statements.c.day
    q = sa.select(day, sa.func.count()).where(*where, day.is_not(None)).group_by(day)
    return [(d, n) for d, n in conn.execute(q).all()]


_COUNTERS: dict[str, Callable[[sa.Connection, list[Any]], Any]] = {
    "speaker": _speaker_counts,
    "speaker_kind": _column_counts(statements.c.speaker_kind),
    "act": _column_counts(statements.c.act),
    "type": _column_counts(statements.c.type),
    "outlet": _outlet_counts,
    "via": _via_counts,
    "date": _day_counts,
}
