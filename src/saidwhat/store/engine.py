"""Opening a store: URL resolution, engine set-up and migrations to ``head``.

A plain path (or nothing) means SQLite; ``postgresql://`` URLs use psycopg 3. The schema
is only ever changed by the Alembic migrations in ``store/migrations``, run on open, so an
old database file is brought up to date the first time a newer saidwhat touches it.
"""

from __future__ import annotations

import os
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


def migrate(engine: sa.Engine) -> None:
    """Upgrade the database to the newest migration (no-op when already there)."""
    cfg = alembic_config()
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    with engine.begin() as conn:
        # Several processes may open a new store at once (web workers, an ingest): take
        # a lock first, so the later ones find the schema done and upgrade nothing.
        # (SQLite's BEGIN IMMEDIATE already is that lock.)
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
