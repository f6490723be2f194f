"""The corpus store: articles, merged entities and statements in SQLite or PostgreSQL.

Public API: ``open_store(url_or_path) -> Store`` (see ``store.writer``), the tables in
``store.tables`` and the full-text helper ``store.fts.search_clause``. docs/store.md
describes every table.
"""

from saidwhat.store.engine import DB_ENV, DEFAULT_DB, resolve_url

__all__ = ["DB_ENV", "DEFAULT_DB", "resolve_url"]
