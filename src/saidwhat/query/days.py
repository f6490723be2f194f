"""The statement's days as SQL: the day to show, and date ranges the indexes serve.

``statements.day`` / ``day_to`` (migration 0006) are the first and last day a statement
may have been made; these functions turn ``since`` / ``until`` into terms on them. Apart
from ``filters`` because they are pure SQL over two columns and their indexes (no
``QueryFilters``), which the readers that page by date (``statements``) and group by
day (``speakers``) use directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from saidwhat.query.common import until_bound
from saidwhat.store.tables import statements


def statement_date() -> sa.ColumnElement[Any]:
    """The day to show and group by: the stated day, else the range start, else the
    article's date (``statements.day``, filled in by the writer; no join needed)."""
    return statements.c.day


def date_clause(since: str | None, until: str | None) -> sa.ColumnElement[bool]:
    """Statements whose days [``day``, ``day_to``] overlap [since, until], as an ``IN``
    over index-driven branches (an OR of range tests is planned as a scan); see
    ``date_branches``."""
    branches = date_branches(since, until)
    ids = branches[0] if len(branches) == 1 else sa.union_all(*branches)
    return statements.c.id.in_(ids)


def date_branches(
    since: str | None,
    until: str | None,
    *columns: Any,
    also: Sequence[sa.ColumnElement[bool]] = (),
) -> list[sa.Select[Any]]:
    """The ids of statements whose days overlap [since, until], in disjoint parts:

    1. those whose first day is in the window (``(day, day_to)`` index; ``day_to >=
       since`` always holds there but for a range given backwards, so it is kept);
    2. with ``since``: those said over a range that starts before the window and reaches
       into it (the partial index on ``day_to`` of ranged statements, ``day < day_to``:
       few rows).

    Each selects ``columns`` (default the id): both indexes also hold the page order
    (``article_date``, ``article_id``, ``id``), so a page or a count of dates alone is
    read from the indexes without touching a statement row. ``also``: terms every part
    adds (the kinds listed: ``filters.kind_clause``), which the index range still
    drives, though each row in it is then read to test them.
    """
    s = statements.c
    cols = columns or (s.id,)
    hi = until_bound(until) if until else None
    first = [s.day.is_not(None), *also]
    if since:
        first += [s.day >= since, s.day_to >= since]
    if hi:
        first.append(s.day <= hi)
    if not since:
        return [sa.select(*cols).where(*first)]
    reaching = [s.day < s.day_to, s.day_to >= since, s.day < since, *also]
    if hi:
        reaching.append(s.day <= hi)  # an empty window (since after until) stays empty
    return [sa.select(*cols).where(*first), sa.select(*cols).where(*reaching)]


def date_row_clause(since: str | None, until: str | None) -> sa.ColumnElement[bool]:
    """The same overlap test as ``date_clause``, row by row: cheaper when other filters
    already pick out few statements."""
    s = statements.c
    terms = []
    if since:
        terms.append(s.day_to >= since)
    if until:
        terms.append(s.day <= until_bound(until))
    return sa.and_(*terms)
