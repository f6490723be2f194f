"""Polling one source: a conditional GET, the readers, the ingest, the backoff.

A source is an RSS/Atom feed or a page (HTML or text): the bytes go to the same readers
as an upload (``ingest.upload.articles_from_upload``, which sniffs the kind from the
content). The ETag and Last-Modified of the last 200 are sent back, so an unchanged feed
costs one 304. A failing source (a connection error, a timeout, a 4xx/5xx, a body the
readers refuse) is recorded (the store's ``errors`` and the source's row) and backed off
(``every`` x 2^(failures-1), at most ``max_backoff``); the other sources go on.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import httpx
from spacy.language import Language

from saidwhat.attribution.options import AttributionOptions
from saidwhat.ingest.upload import BadInput, articles_from_upload, store_articles
from saidwhat.store.database import Store
from saidwhat.store.watching import SourceState, record_poll, source_state
from saidwhat.watch.alerts import check_searches, deliver_webhooks

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_BODY = 10 * 1024 * 1024  # bytes read of one response; a feed is far smaller


def parse_every(text: str) -> float:
    """``10m``, ``30s``, ``1h``, ``90`` (seconds) -> seconds; anything else a ValueError."""
    m = _EVERY.match(text)
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"--every: {text!r} is not a duration such as 30s, 10m or 1h")
    return float(m.group(1)) * _UNITS[m.group(2)]


@dataclass(frozen=True)
class WatchOptions:
    """How to poll: the interval, the request timeout, the longest backoff."""

    every: float = 600.0
    timeout: float = 20.0
    max_backoff: float = 6 * 3600.0
    user_agent: str = "saidwhat-watch (+https://example.invalid/saidwhat)"


@dataclass
class PollResult:
    """One poll of one source: ``status`` new | not-modified | error."""

    url: str
    status: str
    stored: list[str] = field(default_factory=list)  # article ids stored by this poll
    known: int = 0  # items already in the store
    errors: list[str] = field(default_factory=list)
    alerts: int = 0

    def line(self) -> str:
        if self.status == "error":
            return f"{self.url}: error: {'; '.join(self.errors)}"
        if self.status == "not-modified":
            return f"{self.url}: not modified"
        extra = f", {len(self.errors)} unreadable" if self.errors else ""
        return f"{self.url}: {len(self.stored)} new, {self.known} already stored{extra}, {self.alerts} alerts"


def _filename(url: str, content_type: str) -> str:
    """A name whose extension tells the readers what came (the content decides too)."""
    name = PurePosixPath(urlsplit(url).path).name or "index"
    kind = content_type.split(";")[0].strip().lower()
    if "rss" in kind or "atom" in kind or kind.endswith("/xml"):
        return name if name.endswith((".xml", ".rss", ".atom")) else name + ".xml"
    if "html" in kind:
        return name if name.endswith((".html", ".htm")) else name + ".html"
    if "json" in kind:
        return name if name.endswith((".json", ".jsonl")) else name + ".json"
    return name if "." in name else name + ".txt"


def _failed(state: SourceState, options: WatchOptions, now: datetime) -> SourceState:
    failures = state.failures + 1
    wait = min(options.every * 2 ** (failures - 1), options.max_backoff)
    return replace(state, failures=failures, next_poll=now + timedelta(seconds=wait))


def poll_source(
    client: httpx.Client,
    store: Store,
    url: str,
    *,
    nlp: Language | None = None,
    options: WatchOptions | None = None,
    attribution: AttributionOptions | None = None,
) -> PollResult:
    """Poll ``url`` once, store what is new and check the saved searches against it.
    Never raises for the source's own failure (it is the result); a lost database does."""
    options = options or WatchOptions()
    state = source_state(store, url)
    now = datetime.now(UTC)
    headers = {"User-Agent": options.user_agent}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    try:
        with client.stream("GET", url, headers=headers, timeout=options.timeout) as response:
            if response.status_code == 304:
                ok = replace(state, failures=0, next_poll=now + timedelta(seconds=options.every))
                record_poll(store, ok, "not-modified", now)
                return PollResult(url, "not-modified")
            if response.status_code >= 400:
                raise _SourceError(f"HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_BODY:
                    raise _SourceError(f"response over {MAX_BODY // (1024 * 1024)} MiB")
            name = _filename(str(response.url), response.headers.get("content-type", ""))
            etag = response.headers.get("etag")
            modified = response.headers.get("last-modified")
        articles, unreadable = articles_from_upload(name, bytes(body))
    except (httpx.HTTPError, _SourceError, BadInput) as exc:
        reason = str(exc).replace(f"upload:{name}", url) if "name" in locals() else str(exc)
        reason = " ".join(reason.split()) or type(exc).__name__
        store.record_error(url, reason, "watch")
        record_poll(store, _failed(state, options, now), "error", now, error=reason)
        return PollResult(url, "error", errors=[reason])
    where = f"upload:{name}"
    for article in articles:
        article.path = (article.path or where).replace(where, url)
        if article.url is None and len(articles) == 1:
            article.url = url  # a page is its own URL; a feed entry has its link
    outcome = store_articles(store, articles, nlp, attribution)
    errors = [e.replace(where, url) for e in [*unreadable, *outcome.errors]]
    for e in unreadable:
        store.record_error(url, e.replace(where, url), "watch")
    stored = [s.article_id for s in outcome.stored if s.status != "duplicate" and s.article_id]
    known = sum(1 for s in outcome.stored if s.status == "duplicate")
    ok = SourceState(url, etag, modified, 0, now + timedelta(seconds=options.every))
    record_poll(store, ok, "new", now, items_new=len(stored))
    alerts = check_searches(store, stored, now)
    return PollResult(url, "new", stored, known, errors, len(alerts))


class _SourceError(Exception):
    """A response the source should not have sent (an error status, a huge body)."""


def watch(
    store: Store,
    urls: Sequence[str],
    *,
    once: bool = False,
    nlp: Language | None = None,
    options: WatchOptions | None = None,
    attribution: AttributionOptions | None = None,
    on_result: Callable[[PollResult], None] = lambda r: None,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Poll every source, then (unless ``once``) each again when it is due, until
    interrupted. With ``once`` every source is polled exactly once, whatever its backoff
    (cron decides the cadence); the loop honours each source's ``next_poll``. After each
    round the alerts not yet delivered go to their webhooks."""
    options = options or WatchOptions()
    own = client is None
    client = client or httpx.Client(follow_redirects=True)
    try:
        while True:
            now = datetime.now(UTC)
            for url in urls:
                due = source_state(store, url).next_poll
                if once or due is None or _aware(due) <= now:
                    on_result(
                        poll_source(
                            client, store, url, nlp=nlp, options=options, attribution=attribution
                        )
                    )
            deliver_webhooks(store, client, timeout=options.timeout)
            if once:
                return
            dues = [source_state(store, u).next_poll for u in urls]
            soonest = min((_aware(d) for d in dues if d), default=now)
            sleep(max((soonest - datetime.now(UTC)).total_seconds(), 1.0))
    finally:
        if own:
            client.close()


def _aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back without a zone: they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
