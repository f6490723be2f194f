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
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from saidwhat.linking.names import normalise
from saidwhat.query.common import Readable, engine_of, until_bound
from saidwhat.query.filters import (
    QueryFilters,
    UnknownValue,
    filtered_ids,
    many,
    speaker_entity_ids,
    where_clauses,
)
from saidwhat.store.tables import articles, entities, outlets, statements

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
DAYS_BY_DAY = 62  # a span up to this many days is counted per day, up to a year per week
DAYS_BY_WEEK = 366

Memo = Callable[[str, Callable[[], Any]], Any]
T = TypeVar("T")


@dataclass
class FacetValue:
    """One value of a facet: ``value`` is what to filter by (an entity id for a speaker),
    ``label`` what to show, ``count`` the statements it would match, ``selected`` whether
    the current filters already choose it."""

    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class DateBucket:
    """A bar of the histogram: ``since`` / ``until`` are the filter values that choose
    exactly its days (a day, a Monday-to-Sunday week, or a month)."""

    since: str
    until: str
    count: int
    selected: bool = False


@dataclass
class DateHistogram:
    unit: str  # day | week | month
    buckets: list[DateBucket] = field(default_factory=list)


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
    with engine_of(source).connect() as conn:
        for name in check_facets(names):
            mine = f.replace(**dict.fromkeys(OWN_FILTERS[name]))

            def compute(name: str = name, mine: QueryFilters = mine) -> Any:
                return _COUNTERS[name](conn, _matching(conn, mine))

            if memo is not None and not mine.narrows() and not mine.distinct_claims:
                counted = memo(f"facet:{name}:{mine.all_kinds}", compute)
            else:
                counted = compute()
            if name == "speaker":
                out.speaker = _speakers(conn, counted, many(f.speaker), top)
            elif name == "outlet":
                out.outlet = _outlets(counted, many(f.outlet), top)
            elif name == "via":
                out.via = _vias(counted, many(f.via), top)
            elif name == "date":
                out.date = _histogram(counted, f.since, f.until)
            else:
                setattr(out, name, _column(counted, getattr(f, name)))
    return out


def _matching(conn: sa.Connection, f: QueryFilters) -> list[Any]:
    if f.distinct_claims:
        return [statements.c.id.in_(filtered_ids(conn, f))]
    return where_clauses(conn, f)


def _ranked(values: list[FacetValue], top: int | None) -> list[FacetValue]:
    """Most statements first (then by label); past ``top``, only the chosen ones."""
    values.sort(key=lambda v: (-v.count, v.label.lower()))
    if top is None:
        return values
    return values[:top] + [v for v in values[top:] if v.selected]


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


def _column(counts: dict[str, int], chosen: str | Sequence[str] | None) -> list[FacetValue]:
    """A facet over a column with a fixed set of values (act, type, speaker_kind): all
    of them, the chosen ones even where they match nothing."""
    picked = {p.strip().lower() for c in many(chosen) for p in str(c).split(",") if p.strip()}
    counts = dict(counts)
    for value in picked - set(counts):
        counts[value] = 0
    values = [FacetValue(v, v, n, v in picked) for v, n in counts.items()]
    return _ranked(values, None)


def _speakers(
    conn: sa.Connection, counts: dict[int, int], chosen: list[str | int], top: int
) -> list[FacetValue]:
    picked = {i for value in chosen for i in speaker_entity_ids(conn, value)}
    best = sorted(counts, key=lambda i: (-counts[i], i))[:top]
    shown = list(dict.fromkeys([*best, *sorted(picked)]))
    q = sa.select(entities.c.id, entities.c.name).where(entities.c.id.in_(shown))
    names = dict(conn.execute(q).all())
    values = [
        FacetValue(str(i), names.get(i, f"#{i}"), counts.get(i, 0), i in picked) for i in shown
    ]
    return _ranked(values, top)


def _outlets(
    counted: tuple[dict[str, int], dict[str, str]], chosen: list[str], top: int
) -> list[FacetValue]:
    counts, labels = counted[0], dict(counted[1])
    picked = {normalise(o) for o in chosen}
    for key in picked:
        labels.setdefault(key, next(o for o in chosen if normalise(o) == key))
    values = [FacetValue(labels[k], labels[k], counts.get(k, 0), k in picked) for k in labels]
    return _ranked([v for v in values if v.count or v.selected], top)


def _vias(chains: list[tuple[str, int]], chosen: list[str], top: int) -> list[FacetValue]:
    """Intermediaries of the source chains. The via filter matches a substring of the
    chain ("Tass" also finds "Tass; local media"), so each one's count is that of its
    name anywhere in a chain, as the filter would find it."""
    exact: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for text, n in chains:
        for name in {part.strip() for part in text.split(";") if part.strip()}:
            exact[name.lower()] += n
            labels.setdefault(name.lower(), name)
    picked = {c.lower() for c in chosen}
    for c in chosen:
        labels.setdefault(c.lower(), c)
    # counting substrings over every chain for every name is quadratic: only the names
    # that can make the list (by their exact count) are counted so
    candidates = [k for k, _ in exact.most_common(2 * top)] + sorted(picked)
    lowered = [(text.lower(), n) for text, n in chains]
    values = [
        FacetValue(labels[k], labels[k], sum(n for text, n in lowered if k in text), k in picked)
        for k in dict.fromkeys(candidates)
    ]
    return _ranked(values, top)


def _histogram(rows: list[tuple[str, int]], since: str | None, until: str | None) -> DateHistogram:
    """Statements per day, week or month (by the span), every bucket from the first
    statement's day to the last one's (empty ones too), each by its first day."""
    days = [(date.fromisoformat(d[:10]), n) for d, n in rows if _iso_day(d)]
    if not days:
        return DateHistogram("day")
    first, last = min(d for d, _ in days), max(d for d, _ in days)
    span = (last - first).days
    unit = "day" if span < DAYS_BY_DAY else "week" if span < DAYS_BY_WEEK else "month"
    counts: Counter[date] = Counter()
    for d, n in days:
        counts[_bucket_start(d, unit)] += n
    buckets = []
    start = _bucket_start(first, unit)
    lo, hi = since or "", until_bound(until) if until else "9999"
    while start <= last:
        end = _bucket_end(start, unit)
        a, b = start.isoformat(), end.isoformat()
        chosen = bool(since or until) and a >= lo and b <= hi
        if unit == "month":
            a = b = a[:7]
        buckets.append(DateBucket(a, b, counts.get(start, 0), chosen))
        start = end + timedelta(days=1)
    return DateHistogram(unit, buckets)


def _iso_day(value: str | None) -> bool:
    try:
        date.fromisoformat((value or "")[:10])
    except ValueError:
        return False
    return True


def _bucket_start(d: date, unit: str) -> date:
    if unit == "week":
        return d - timedelta(days=d.weekday())
    if unit == "month":
        return d.replace(day=1)
    return d


def _bucket_end(start: date, unit: str) -> date:
    if unit == "week":
        return start + timedelta(days=6)
    if unit == "month":
        following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        return following - timedelta(days=1)
    return start
