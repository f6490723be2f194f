"""The corpus store: articles, merged entities and statements in SQLite or PostgreSQL.

Public API: ``open_store(url_or_path, aliases) -> Store`` with ``Store.add_analysis``,
``add_analyses``, ``known_ids``, ``record_error``, ``errors``, ``counts``, ``remerge``
and ``use_aliases``; ``migrate(engine)`` (readers never migrate: ``saidwhat migrate``); the tables in ``store.tables``; full-text search through
``store.fts.search_clause``. docs/store.md describes every table.

Inside: ``database`` (the ``Store``), ``writer`` (plan an article's rows, then write
them), ``rows`` (the one Analysis -> rows mapping, shared with the batch), ``entities``
/ ``observations`` / ``remerge`` (the database side of entity linking; the decisions
are in ``saidwhat.linking``), ``engine`` + ``migrations``, ``bulk``, ``fts``.
"""

from saidwhat.store.database import ErrorRecord, Store, open_store
from saidwhat.store.engine import DB_ENV, DEFAULT_DB, ForeignDatabase, migrate, resolve_url
from saidwhat.store.writer import AddResult, count_result

__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "AddResult",
    "ErrorRecord",
    "ForeignDatabase",
    "Store",
    "count_result",
    "migrate",
    "open_store",
    "resolve_url",
]
