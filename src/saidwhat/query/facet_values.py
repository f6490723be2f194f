"""The values a facet lists, from its counts: ranked, cut to the top, the chosen ones
marked and always kept, and the date histogram's buckets.

Apart from ``facets`` (which counts) because this part is pure: counts in, the
``FacetValue`` lists and ``DateHistogram`` the page, API and CLI show out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from saidwhat.linking.names import normalise
from saidwhat.query.common import until_bound
from saidwhat.query.filters import many, speaker_entity_ids
from saidwhat.store.tables import entities

DAYS_BY_DAY = 62  # a span up to this many days is counted per day, up to a year per week
DAYS_BY_WEEK = 366


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


def ranked(values: list[FacetValue], top: int | None) -> list[FacetValue]:
    """Most statements first (then by label); past ``top``, only the chosen ones."""
    values.sort(key=lambda v: (-v.count, v.label.lower()))
    if top is None:
        return values
    return values[:top] + [v for v in values[top:] if v.selected]


def column_values(counts: dict[str, int], chosen: str | Sequence[str] | None) -> list[FacetValue]:
    """A facet over a column with a fixed set of values (act, type, speaker_kind): all
    of them, the chosen ones even where they match nothing."""
    picked = {p.strip().lower() for c in many(chosen) for p in str(c).split(",") if p.strip()}
    counts = dict(counts)
    for value in picked - set(counts):
        counts[value] = 0
    values = [FacetValue(v, v, n, v in picked) for v, n in counts.items()]
    return ranked(values, None)


def speaker_values(
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
    return ranked(values, top)


def outlet_values(
    counted: tuple[dict[str, int], dict[str, str]], chosen: list[str], top: int
) -> list[FacetValue]:
    counts, labels = counted[0], dict(counted[1])
    picked = {normalise(o) for o in chosen}
    for key in picked:
        labels.setdefault(key, next(o for o in chosen if normalise(o) == key))
    values = [FacetValue(labels[k], labels[k], counts.get(k, 0), k in picked) for k in labels]
    return ranked([v for v in values if v.count or v.selected], top)


def via_values(chains: list[tuple[str, int]], chosen: list[str], top: int) -> list[FacetValue]:
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
    return ranked(values, top)


def histogram(rows: list[tuple[str, int]], since: str | None, until: str | None) -> DateHistogram:
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
