"""The orders a statement listing can come in: newest, oldest, or by relevance.

One place so the page, its download and the CLI sort the same way: a download of "the
current result" must hold the rows the pages showed, in the order they showed them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from saidwhat.query.filters import QueryFilters, UnknownValue
from saidwhat.store.fts import relevance
from saidwhat.store.tables import statements

#: newest reports first (the default), oldest first, or best match first (with words)
SORTS = ("newest", "oldest", "relevance")


def check_sort(sort: str | None, oldest_first: bool = False) -> str:
    """The sort to use: ``sort`` if given (``UnknownValue`` for anything but ``SORTS``),
    else newest (oldest with ``oldest_first``, the older spelling)."""
    if sort is None or sort == "":
        return "oldest" if oldest_first else "newest"
    if sort not in SORTS:
        raise UnknownValue("sort", sort, SORTS)
    return sort


def date_order(oldest_first: bool, s: Any = None) -> list[Any]:
    """By the article's date (``statements.article_date``, a copy of it, so the sort
    reads only statements), then article, then position (``s``: those columns of a
    subquery instead)."""
    s = statements.c if s is None else s
    if oldest_first:
        return [s.article_date.asc().nulls_last(), s.article_id, s.id]
    return [s.article_date.desc().nulls_last(), s.article_id.desc(), s.id]


def by_relevance(f: QueryFilters, sort: str) -> bool:
    """Whether the rows are ranked by the text search: ``relevance`` with words to rank
    by (without ``about`` there is nothing to rank, and the order is newest first)."""
    return sort == "relevance" and bool(f.about)


def sorted_select(q: sa.Select[Any], dialect: str, f: QueryFilters, sort: str) -> sa.Select[Any]:
    """``q`` (a SELECT over ``statements``) in the order ``sort`` names. By relevance,
    ties (and statements equally relevant) fall back to newest first, so the order is
    total and paging is stable."""
    if not by_relevance(f, sort):
        return q.order_by(*date_order(sort == "oldest"))
    joined, score = relevance(dialect, str(f.about))
    if joined is not None:
        q = q.join(joined, joined.c.id == statements.c.id)
    return q.order_by(score.desc(), *date_order(False))
