"""``saidwhat watch``: poll feeds and pages, ingest what is new, raise saved-search alerts.

``polling`` fetches each source with conditional requests and backs off after errors;
what a poll brings goes through the one ingest path (``ingest.upload.store_articles``:
the same readers, the same "already stored?" check by text, so an item met again under
another URL is not stored twice). ``alerts`` then checks the saved searches against the
statements of the articles just stored and delivers each new alert to its webhook once.
"""

from saidwhat.watch.alerts import check_searches, deliver_webhooks
from saidwhat.watch.polling import PollResult, WatchOptions, parse_every, poll_source, watch

__all__ = [
    "PollResult",
    "WatchOptions",
    "check_searches",
    "deliver_webhooks",
    "parse_every",
    "poll_source",
    "watch",
]
