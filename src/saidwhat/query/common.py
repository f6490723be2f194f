"""What every reader shares: how to get an engine, pages of results, date checks.

The query functions take a ``Store`` (from ``open_store``) or a bare ``sa.Engine`` so
the CLI, the REST API and tests can all hand over whatever they already hold.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from saidwhat.store import Store
from saidwhat.store.engine import alembic_config, resolve_url

T = TypeVar("T")


class HasEngine(Protocol):
    engine: sa.Engine


Readable = sa.Engine | HasEngine


class StoreNotFound(Exception):
    """The SQLite file a reader was pointed at does not exist (nothing was ingested)."""


class StoreOutdated(Exception):
    """The store's schema is not the one this saidwhat reads (older, newer or none).

    Readers do not migrate (that would make reading a write), so the message says which
    command upgrades the store."""


def engine_of(source: Readable) -> sa.Engine:
    """The engine to read through, for a ``Store`` or an engine.

    On SQLite this is a separate read engine for the same file: the store's engine
    begins every transaction with ``BEGIN IMMEDIATE`` (right for the one-transaction-per-
    article writer), which would make every read take the write lock, so readers would
    queue behind each other and behind an ingest. Reads here use plain deferred ``BEGIN``
    (a consistent WAL snapshot for the page and its count, no write lock) on connections
    with ``PRAGMA query_only``, so nothing read through them can change the file.
    """
    engine = source if isinstance(source, sa.Engine) else getattr(source, "engine", None)
    if not isinstance(engine, sa.Engine):
        raise TypeError(f"expected a Store or an sa.Engine, got {type(source).__name__}")
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return engine
    key = engine.url.render_as_string(hide_password=False)
    reader = _READERS.get(key)
    if reader is None:
        reader = _READERS[key] = _sqlite_reader(engine.url)
    return reader


_READERS: dict[str, sa.Engine] = {}


def _sqlite_reader(url: sa.URL) -> sa.Engine:
    # NullPool: no connection outlives a query, so closed or deleted stores leak nothing.
    reader = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={"timeout": 60})

    def connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        dbapi_conn.execute("PRAGMA foreign_keys=ON")
        dbapi_conn.execute("PRAGMA query_only=ON")  # a reader never writes

    sa.event.listen(reader, "connect", connect)
    sa.event.listen(reader, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    return reader


def open_reader(url_or_path: str | os.PathLike[str] | None = None) -> Store:
    """Open an existing store for reading (``--db`` / ``$SAIDWHAT_DB`` / ``./saidwhat.db``).

    A reader never writes, not even a migration: SQLite connections are ``query_only``
    (see ``engine_of``) and PostgreSQL sessions ``default_transaction_read_only``, so
    reading a store can neither change it nor take the write lock an ingest needs.
    Hence two refusals that ``open_store`` (the writers' door, which creates and
    upgrades) does not make: a missing SQLite file is ``StoreNotFound`` (a typo in ``--db`` should say so, not show
    an empty corpus), and a store at another schema revision is ``StoreOutdated``.
    """
    url = sa.make_url(resolve_url(url_or_path))
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise StoreNotFound(f"{url}: an in-memory database holds no store to read")
        path = Path(url.database)
        if not path.exists():
            raise StoreNotFound(f"{path}: no such store (run `saidwhat ingest` first)")
        key = url.render_as_string(hide_password=False)
        engine = _READERS.get(key) or _READERS.setdefault(key, _sqlite_reader(url))
        where = str(path)
    else:
        engine = sa.create_engine(
            url,
            pool_pre_ping=True,
            connect_args={"options": "-c default_transaction_read_only=on"},
        )
        where = url.render_as_string(hide_password=True)
    try:
        check_schema(engine, where)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)


def check_schema(engine: sa.Engine, where: str) -> None:
    """Refuse a store whose schema is not the one this saidwhat's queries are written
    for (``StoreOutdated``), reading only its Alembic revision."""
    scripts = ScriptDirectory.from_config(alembic_config())
    head = scripts.get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    known = {rev.revision for rev in scripts.walk_revisions()}
    if current is None:
        state = "has no saidwhat schema"
    elif current in known:
        state = f"is at schema revision {current}, older than this saidwhat's {head}"
    else:
        raise StoreOutdated(
            f"{where}: schema revision {current} is newer than this saidwhat knows "
            f"({head}); upgrade saidwhat to read it"
        )
    raise StoreOutdated(
        f"{where}: the store {state}; reading never migrates, so upgrade it first "
        f"with `saidwhat migrate --db {where}` (ingest and load also migrate on open)"
    )


def described(text: str, *, api_name: str | None = None, **field_options: Any) -> Any:
    """A dataclass field with a description for ``/docs``.

    The query dataclasses are the REST API's response models, and pydantic (which
    FastAPI hands them to) reads ``description`` and ``serialization_alias`` from a
    field's metadata; ``api_name`` is the field's name in API JSON where that differs
    from the Python name. ``field_options`` go to ``dataclasses.field`` (``default``,
    ``default_factory``).
    """
    metadata: dict[str, str] = {"description": text}
    if api_name is not None:
        metadata["serialization_alias"] = api_name
    return field(metadata=metadata, **field_options)


@dataclass
class Page(Generic[T]):
    """One page of results; ``total`` counts all matches (None when not computed)."""

    items: list[T]
    total: int | None
    limit: int | None
    offset: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [_plain(i) for i in self.items],
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
        }


def _plain(item: Any) -> Any:
    return item.to_dict() if hasattr(item, "to_dict") else item


_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def check_date(value: str | None, name: str) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (stored dates are ISO strings, compared as
    text); anything else is a ``ValueError`` naming the option."""
    if value is None or value == "":
        return None
    value = value.strip()
    if not _ISO.match(value):
        raise ValueError(f"{name}: {value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise ValueError(f"{name}: {value!r} is not a real date ({exc})") from None
    return value


def until_bound(value: str) -> str:
    """The last ISO string inside a possibly partial date: ``2025-12`` -> ``2025-12-99``,
    so ``<=`` on ISO text includes the whole month or year."""
    return value + {4: "-99-99", 7: "-99"}.get(len(value), "")
