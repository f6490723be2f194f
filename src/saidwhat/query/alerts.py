"""Reading what ``saidwhat watch`` keeps: the watched sources, saved searches and their
alerts (for ``saidwhat searches``, the API and each search's Atom feed)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from saidwhat.query.common import Readable, engine_of
from saidwhat.store.tables import alerts, saved_searches, watch_sources


@dataclass(frozen=True)
class SavedSearch:
    """A saved filter set; ``filters`` as ``QueryFilters`` field names and values."""

    id: int
    name: str
    filters: dict[str, Any]
    webhook: str | None
    created_at: datetime
    last_statement_id: int
    alerts: int


@dataclass(frozen=True)
class AlertRow:
    """One statement that matched a saved search when it was stored, as it was then."""

    id: int
    search_id: int
    statement_id: int
    article_id: str
    speaker: str | None
    act: str | None
    content: str
    date: str | None
    created_at: datetime
    webhook_status: str | None


@dataclass(frozen=True)
class WatchedSource:
    url: str
    last_polled: datetime | None
    last_status: str | None
    failures: int
    next_poll: datetime | None
    last_error: str | None
    items_new: int


def _search(row: Any, count: int) -> SavedSearch:
    return SavedSearch(
        row.id,
        row.name,
        json.loads(row.filters),
        row.webhook,
        row.created_at,
        row.last_statement_id,
        count,
    )


def list_searches(source: Readable) -> list[SavedSearch]:
    n = (
        sa.select(sa.func.count())
        .where(alerts.c.search_id == saved_searches.c.id)
        .scalar_subquery()
    )
    with engine_of(source).connect() as conn:
        rows = conn.execute(sa.select(saved_searches, n.label("n")).order_by(saved_searches.c.name))
        return [_search(r, r.n) for r in rows]


def get_search(source: Readable, name_or_id: str | int) -> SavedSearch | None:
    """A saved search by id or exact name."""
    key = str(name_or_id).strip()
    for s in list_searches(source):
        if s.name == key or (key.isdigit() and s.id == int(key)):
            return s
    return None


def list_alerts(source: Readable, search_id: int, limit: int = 50) -> list[AlertRow]:
    """The search's alerts, newest first."""
    with engine_of(source).connect() as conn:
        rows = conn.execute(
            sa.select(alerts)
            .where(alerts.c.search_id == search_id)
            .order_by(alerts.c.id.desc())
            .limit(limit)
        )
        return [AlertRow(**r._mapping) for r in rows]


def pending_webhooks(source: Readable) -> list[tuple[AlertRow, str]]:
    """Alerts of searches with a webhook that have not been delivered yet (never sent,
    or failed last time), oldest first, with the webhook's URL."""
    with engine_of(source).connect() as conn:
        rows = conn.execute(
            sa.select(alerts, saved_searches.c.webhook.label("hook"))
            .join(saved_searches, saved_searches.c.id == alerts.c.search_id)
            .where(
                saved_searches.c.webhook.is_not(None),
                sa.or_(alerts.c.webhook_status.is_(None), alerts.c.webhook_status.like("failed%")),
            )
            .order_by(alerts.c.id)
        )
        out = []
        for r in rows:
            fields = {k: v for k, v in r._mapping.items() if k != "hook"}
            out.append((AlertRow(**fields), r.hook))
        return out


def list_watched(source: Readable) -> list[WatchedSource]:
    with engine_of(source).connect() as conn:
        rows = conn.execute(sa.select(watch_sources).order_by(watch_sources.c.url))
        return [
            WatchedSource(
                r.url,
                r.last_polled,
                r.last_status,
                r.failures,
                r.next_poll,
                r.last_error,
                r.items_new,
            )
            for r in rows
        ]
