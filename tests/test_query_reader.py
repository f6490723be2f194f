"""``open_reader``: the read door opens a store without ever writing to it.

Reading must not migrate (a reader that upgrades the schema is a writer in disguise), so
a store at an older schema revision is refused with a message naming what upgrades it,
and the file is left exactly as it was. PostgreSQL gets the same checks on its own
database, so the shared test database keeps its schema.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa

import query_corpus as qc
import store_support as sup
from saidwhat.query import QueryFilters, StoreOutdated, count_statements, open_reader
from saidwhat.store import open_store
from saidwhat.store.tables import statements
from store_support import OLD_REVISION, migrate_to, revision_of

pg_database = sup.pg_database  # fixture: a PostgreSQL database of the test's own


def fingerprint(path: Path) -> tuple[str, int, int]:
    """The file's bytes (hashed), modification time and size."""
    stat = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_mtime_ns, stat.st_size


def test_old_sqlite_store_is_refused_and_left_untouched(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    migrate_to(str(db), OLD_REVISION)
    before = fingerprint(db)
    with pytest.raises(StoreOutdated, match=r"revision 0003.*saidwhat migrate") as err:
        open_reader(db)
    assert str(db) in str(err.value)
    assert fingerprint(db) == before
    assert revision_of(str(db)) == OLD_REVISION


def test_sqlite_file_without_a_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    with pytest.raises(StoreOutdated, match="no saidwhat schema"):
        open_reader(db)
    assert db.stat().st_size == 0


def test_reader_of_a_current_store_cannot_write(tmp_path: Path) -> None:
    db = tmp_path / "current.db"
    with open_store(db) as store:
        qc.load(store)
    before = fingerprint(db)
    with open_reader(db) as reader:
        assert count_statements(reader, QueryFilters()) == 8
        refused = pytest.raises(sa.exc.OperationalError, match="readonly|query_only")
        with refused, reader.engine.begin() as conn:
            conn.execute(sa.delete(statements))
    assert fingerprint(db)[0] == before[0]  # same bytes: nothing was deleted or migrated
    with open_reader(db) as reader:
        assert count_statements(reader, QueryFilters()) == 8


@pytest.mark.postgres
def test_old_postgres_store_is_refused_and_left_untouched(pg_database: str) -> None:
    migrate_to(pg_database, OLD_REVISION)
    with pytest.raises(StoreOutdated, match=r"revision 0003.*saidwhat migrate"):
        open_reader(pg_database)
    assert revision_of(pg_database) == OLD_REVISION


@pytest.mark.postgres
def test_postgres_reader_cannot_write(pg_database: str) -> None:
    with open_store(pg_database) as store:
        qc.load(store)
    with open_reader(pg_database) as reader:
        assert count_statements(reader, QueryFilters()) == 8
        refused = pytest.raises(sa.exc.InternalError, match="read-only transaction")
        with refused, reader.engine.begin() as conn:
            conn.execute(sa.delete(statements))
    with open_reader(pg_database) as reader:
        assert count_statements(reader, QueryFilters()) == 8


def test_read_only_web_app_opens_the_store_as_a_reader(tmp_path: Path) -> None:
    """Without a token the web app only reads, so it does not upgrade an old store."""
    from saidwhat.web import create_app

    db = tmp_path / "old.db"
    migrate_to(str(db), OLD_REVISION)
    before = fingerprint(db)
    with pytest.raises(StoreOutdated):
        create_app(db)
    assert fingerprint(db) == before
