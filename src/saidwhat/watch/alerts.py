"""Saved searches -> alerts -> webhooks.

A saved search is any filter set (``QueryFilters`` as JSON). After a poll stores new
articles, each search is run over the statements of those articles only (new matches
can only come from them, so the check costs the same on a store of fifty articles or
fifty thousand) and each statement not alerted before becomes one alert row. Alerts of a
search with a webhook are POSTed as JSON; one delivered is marked ``sent`` and never
sent again, one that failed is tried again after the next round.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import httpx

from saidwhat.query.alerts import list_searches, pending_webhooks
from saidwhat.query.filters import QueryFilters
from saidwhat.query.statements import iter_statements
from saidwhat.store.database import Store
from saidwhat.store.watching import record_alerts, set_webhook_status

#: fields of a saved filter set that a check replaces: paging, and the article picked
NOT_SAVED = ("limit", "offset", "article_id")


def search_filters(saved: dict[str, object]) -> QueryFilters:
    """The saved filter set as ``QueryFilters`` (a field it does not know is an error
    naming it, not a search quietly wider than the one saved)."""
    given = {k: v for k, v in saved.items() if k not in NOT_SAVED and v not in (None, "", [])}
    for key, value in given.items():
        if isinstance(value, list):
            given[key] = tuple(value)
    return QueryFilters(**given, limit=None)  # type: ignore[arg-type]


def check_searches(store: Store, article_ids: Sequence[str], now: datetime) -> list[int]:
    """Alerts for the statements of ``article_ids`` that match a saved search; the ids
    of the alerts raised."""
    raised: list[int] = []
    if not article_ids:
        return raised
    for search in list_searches(store):
        try:
            f = search_filters(search.filters)
        except (TypeError, ValueError) as exc:  # saved by another version, say
            store.record_error(f"saved search {search.name}", str(exc), "watch")
            continue
        matches = []
        try:
            rows = [
                r
                for article_id in dict.fromkeys(article_ids)
                for r in iter_statements(store, f.replace(article_id=article_id))
            ]
        except LookupError as exc:  # a speaker name that now means several people
            store.record_error(f"saved search {search.name}", str(exc), "watch")
            continue
        for r in rows:
            matches.append(
                {
                    "statement_id": r.id,
                    "article_id": r.article_id,
                    "speaker": r.speaker or r.speaker_text,
                    "act": r.act,
                    "content": r.content,
                    "date": r.date,
                }
            )
        raised += record_alerts(store, search.id, matches, now)
    return raised


def deliver_webhooks(store: Store, client: httpx.Client, timeout: float = 20.0) -> int:
    """POST every undelivered alert to its search's webhook; how many were delivered."""
    sent = 0
    for alert, hook in pending_webhooks(store):
        body = {
            "alert": alert.id,
            "search": alert.search_id,
            "statement": alert.statement_id,
            "article": alert.article_id,
            "speaker": alert.speaker,
            "act": alert.act,
            "content": alert.content,
            "date": alert.date,
        }
        try:
            response = client.post(hook, json=body, timeout=timeout)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            set_webhook_status(store, alert.id, f"failed: {' '.join(str(exc).split())[:300]}")
            continue
        set_webhook_status(store, alert.id, "sent")
        sent += 1
    return sent
