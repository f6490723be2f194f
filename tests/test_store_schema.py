"""The Alembic migrations and store/tables.py describe the same schema (no drift)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import store_support as sup
from saidwhat.store import open_store
from saidwhat.store.engine import DEFAULT_DB, alembic_config, create_engine, resolve_url
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
        assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()
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


@pytest.fixture
def fresh_url(store_url):
    """An empty database (not even migrated): a new file, or a new PostgreSQL database."""
    if store_url.startswith("postgresql"):
        with sup.postgres_database() as url:
            yield url
    else:
        yield store_url


def test_upgrade_from_0001_keeps_data_and_fills_surname_variants(fresh_url):
    store_url = fresh_url
    engine = create_engine(resolve_url(store_url))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO articles (id, text, story_id, statement_count, schema_version, "
                "ingested_at, analysis) VALUES ('a1', 'x', 'a1', 0, '1.0', :now, '{}')"
            ),
            {"now": datetime.now(UTC)},
        )
        conn.execute(
            sa.text(
                "INSERT INTO entities (type, name, key, first_name, surname_key, key_head, "
                "key_tail, aliases, name_counts, article_count) VALUES ('PERSON', "
                "'Volodymyr Zelensky', 'volodymyr zelensky', 'volodymyr', 'zelensky', 'zel', "
                "'sky', '[]', '{}', 1)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO article_entities (article_id, local_id, entity_id, name, type, "
                "roles, aliases, surname_key, match) VALUES ('a1', 'e1', 1, "
                "'Volodymyr Zelensky', 'PERSON', '[]', '[]', 'zelensky', 'new')"
            )
        )
    engine.dispose()
    store = open_store(store_url)  # upgrades to head
    with store.engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM entities")) == 1
        variants = set(conn.scalars(sa.text("SELECT variant FROM surname_variants")))
    assert {"zelensky", "zelensy", "elensky"} <= variants
    # ...and the upgraded store matches a spelling variant against the old entity.
    from store_support import make_analysis

    store.add_analysis(
        make_analysis(
            "Volodymyr Zelenski spoke at length about the grid and the winter ahead of the talks.",
            people=[("e1", "Volodymyr Zelenski", [])],
        )
    )
    assert store.counts()["entities"] == 1
    store.close()


def _open_and_count(url: str) -> int:
    s = open_store(url)
    n = s.counts()["articles"]
    s.close()
    return n


def test_processes_opening_a_new_store_at_once_all_succeed(fresh_url):
    """Web workers and an ingest may create the schema concurrently: one migrates, the
    others wait and find it done."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert pool.map(_open_and_count, [fresh_url] * 4) == [0, 0, 0, 0]
