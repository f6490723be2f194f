"""Opening a store: URL resolution, engine set-up and migrations to ``head``.

A plain path (or nothing) means SQLite; ``postgresql://`` URLs use psycopg 3. The schema
is only ever changed by the Alembic migrations in ``store/migrations``, run on open, so an
old database file is brought up to date the first time a newer saidwhat touches it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

DB_ENV = "SAIDWHAT_DB"
DEFAULT_DB = "saidwhat.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 7_244_000  # PostgreSQL advisory lock id held while migrating


def resolve_url(url_or_path: str | os.PathLike[str] | None = None) -> str:
    """``--db`` value, else ``$SAIDWHAT_DB``, else ``saidwhat.db`` in the current directory."""
    value = str(url_or_path) if url_or_path else os.environ.get(DB_ENV) or DEFAULT_DB
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    if "://" in value:  # already a full SQLAlchemy URL (sqlite:///..., postgresql+psycopg://...)
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def create_engine(url: str) -> sa.Engine:
    """An engine with the connection settings the store relies on."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 60})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; take control so that each
        # ``engine.begin()`` is one real transaction (one article = one transaction).
        sa.event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see create_engine)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the ingesting writer
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across app crashes
    cur.close()


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


class ForeignDatabase(Exception):
    """A SQLite file that holds tables of something else: saidwhat will not add its own
    tables to it unless asked (``saidwhat migrate --allow-foreign-tables``), because a
    mistyped ``--db`` pointing at another program's database should not change it."""


def refuse_foreign_sqlite(url: str, allow_foreign_tables: bool = False) -> None:
    """Raise ``ForeignDatabase`` for an existing SQLite file of another program, looking
    through a read-only connection before any engine opens it (the engine's own connect
    switches the file to WAL, which would already be a change to someone else's file)."""
    parsed = sa.make_url(url)
    if allow_foreign_tables or parsed.get_backend_name() != "sqlite":
        return
    path = Path(parsed.database or "")
    if not parsed.database or parsed.database == ":memory:" or not path.is_file():
        return
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        ) as conn:
            names = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
    except sqlite3.DatabaseError:
        return  # not SQLite at all: the engine reports that in its own words
    if "alembic_version" in names:
        return
    others = sorted(n for n in names if not n.startswith("sqlite_"))
    if others:
        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        raise ForeignDatabase(
            f"{path}: not a saidwhat store (it holds the tables {shown}); nothing was "
            "changed. Use another --db, or add saidwhat's tables to it with "
            "`saidwhat migrate --db FILE --allow-foreign-tables`"
        )


def head_revision() -> str:
    """The newest schema revision this saidwhat ships (what a current store is at)."""
    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())


def migrate(engine: sa.Engine) -> str | None:
    """Upgrade the database to the newest migration (no-op when already there).

    Returns the revision it started from (None for a new store). Whoever opens a SQLite
    file for writing checks it with ``refuse_foreign_sqlite`` first (``open_store`` and
    ``saidwhat migrate`` do), before the engine's connection has touched the file."""
    cfg = alembic_config()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head_revision():
        return current
    with engine.begin() as conn:
        # Several processes may open a new store at once (web workers, an ingest): take
        # a lock first, so the later ones find the schema done and upgrade nothing.
        # (SQLite's BEGIN IMMEDIATE already is that lock.)
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return current
