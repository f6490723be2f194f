"""The Alembic migrations and store/tables.py describe the same schema (no drift)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import store_support as sup
from saidwhat.store import open_store
from saidwhat.store.engine import DEFAULT_DB, resolve_url
from saidwhat.store.tables import metadata

pg_url, store_url = sup.pg_url, sup.store_url  # fixtures


def test_migrations_match_tables_and_add_fulltext(store_url):
    store = open_store(store_url)
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        # The full-text objects are dialect-specific and deliberately not in the MetaData.
        diffs = [
            d
            for d in compare_metadata(ctx, metadata)
            if "fts" not in str(d) and "search" not in str(d)
        ]
        assert diffs == []
        version = conn.scalar(sa.text("SELECT version_num FROM alembic_version"))
        assert version == "0001"
        if store.dialect == "sqlite":
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert "statements_fts" in sa.inspect(conn).get_table_names()
        else:
            cols = {c["name"] for c in sa.inspect(conn).get_columns("statements")}
            assert "search" in cols
    store.close()


def test_resolve_url(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SAIDWHAT_DB", raising=False)
    assert resolve_url(None) == f"sqlite:///{tmp_path / DEFAULT_DB}"
    assert resolve_url("x/y.db") == f"sqlite:///{tmp_path / 'x' / 'y.db'}"
    assert resolve_url("postgresql://u@h:5432/d") == "postgresql+psycopg://u@h:5432/d"
    monkeypatch.setenv("SAIDWHAT_DB", "postgresql://u@h/env")
    assert resolve_url(None) == "postgresql+psycopg://u@h/env"
