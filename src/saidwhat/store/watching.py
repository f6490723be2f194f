"""The store's side of ``saidwhat watch``: each source's poll state, saved searches and
the alerts they raised. Writes only (and the small reads a write needs); listings are
read through ``query.alerts``.

Why in the store: a cron job running ``watch --once`` every ten minutes is a new process
each time, so the validators (ETag, Last-Modified) that make the next request
conditional, the failure count behind the backoff and the last statement a saved search
has seen must outlive the process.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from saidwhat.store.database import Store
from saidwhat.store.tables import alerts, saved_searches, statements, watch_sources


@dataclass(frozen=True)
class SourceState:
    """What the last poll of a URL left: validators, failures in a row, when next."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_poll: datetime | None = None


def source_state(store: Store, url: str) -> SourceState:
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(watch_sources).where(watch_sources.c.url == url)).first()
    if row is None:
        return SourceState(url)
    return SourceState(url, row.etag, row.last_modified, row.failures, row.next_poll)


def record_poll(
    store: Store, state: SourceState, status: str, polled: datetime, **values: Any
) -> None:
    """Upsert the source's row after a poll; ``values``: the columns that changed
    (``error``, ``items_new`` is added to the running total)."""
    new_items = values.pop("items_new", 0)
    row = {
        "etag": state.etag,
        "last_modified": state.last_modified,
        "failures": state.failures,
        "next_poll": state.next_poll,
        "last_polled": polled,
        "last_status": status,
        "last_error": values.pop("error", None),
    }
    with store.engine.begin() as conn:
        done = conn.execute(
            sa.update(watch_sources)
            .where(watch_sources.c.url == state.url)
            .values(**row, items_new=watch_sources.c.items_new + new_items)
        )
        if done.rowcount == 0:
            conn.execute(sa.insert(watch_sources).values(url=state.url, items_new=new_items, **row))


class SearchExists(ValueError):
    """A saved search of that name is there already."""


def save_search(
    store: Store, name: str, filters: Mapping[str, Any], webhook: str | None, now: datetime
) -> int:
    """Save a search; only statements stored after this moment raise alerts (its
    ``last_statement_id`` is the newest statement now), so saving one over a full store
    does not flood its feed with the past."""
    with store.engine.begin() as conn:
        if conn.execute(
            sa.select(saved_searches.c.id).where(saved_searches.c.name == name)
        ).first():
            raise SearchExists(f"a saved search named {name!r} exists")
        newest = conn.execute(sa.select(sa.func.max(statements.c.id))).scalar() or 0
        return conn.execute(
            sa.insert(saved_searches)
            .values(
                name=name,
                filters=json.dumps(dict(filters), sort_keys=True),
                webhook=webhook,
                created_at=now,
                last_statement_id=newest,
            )
            .returning(saved_searches.c.id)
        ).scalar_one()


def delete_search(store: Store, search_id: int) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.delete(alerts).where(alerts.c.search_id == search_id))
        conn.execute(sa.delete(saved_searches).where(saved_searches.c.id == search_id))


def record_alerts(
    store: Store, search_id: int, matches: Iterable[Mapping[str, Any]], now: datetime
) -> list[int]:
    """Insert one alert per matching statement not alerted before (the pair is unique, so
    a statement seen twice, or a poll run twice, never alerts twice); the ids of the new
    alerts, and the search's ``last_statement_id`` moved past the matches."""
    new_ids: list[int] = []
    with store.engine.begin() as conn:
        seen = set(
            conn.execute(
                sa.select(alerts.c.statement_id).where(alerts.c.search_id == search_id)
            ).scalars()
        )
        top = 0
        for m in matches:
            top = max(top, m["statement_id"])
            if m["statement_id"] in seen:
                continue
            seen.add(m["statement_id"])
            new_ids.append(
                conn.execute(
                    sa.insert(alerts)
                    .values(search_id=search_id, created_at=now, **m)
                    .returning(alerts.c.id)
                ).scalar_one()
            )
        if top:
            conn.execute(
                sa.update(saved_searches)
                .where(saved_searches.c.id == search_id, saved_searches.c.last_statement_id < top)
                .values(last_statement_id=top)
            )
    return new_ids


def set_webhook_status(store: Store, alert_id: int, status: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.update(alerts).where(alerts.c.id == alert_id).values(webhook_status=status))
