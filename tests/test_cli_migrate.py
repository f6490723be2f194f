"""``saidwhat migrate``: the explicit upgrade readers point to, and the refusal to write
saidwhat's tables into another program's SQLite file by accident."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from saidwhat.cli import main
from store_support import OLD_REVISION, migrate_to, revision_of

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "articles"


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_an_old_store_is_refused_by_readers_and_upgraded_by_migrate(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    migrate_to(str(db), OLD_REVISION)
    runner = CliRunner()
    refused = runner.invoke(main, ["stats", "--db", str(db)])
    assert refused.exit_code == 1
    assert f"saidwhat migrate --db {db}" in refused.output
    assert revision_of(str(db)) == OLD_REVISION

    done = runner.invoke(main, ["migrate", "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert f"upgraded from {OLD_REVISION} to revision" in done.output
    assert revision_of(str(db)) != OLD_REVISION
    again = runner.invoke(main, ["migrate", "--db", str(db)])
    assert again.exit_code == 0 and "already at schema revision" in again.output
    assert runner.invoke(main, ["stats", "--db", str(db)]).exit_code == 0


def test_migrate_refuses_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["migrate", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no such store" in result.output
    assert not (tmp_path / "none.db").exists()


def test_a_foreign_sqlite_file_is_left_alone_unless_asked(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    before = db.read_bytes()
    runner = CliRunner()
    ingest = runner.invoke(
        main, ["ingest", str(EXAMPLE / "006_geneva-talks-open.txt"), "--db", str(db), "--quiet"]
    )
    assert ingest.exit_code == 1
    assert "not a saidwhat store (it holds the tables invoices)" in ingest.output
    assert tables(db) == {"invoices"} and db.read_bytes() == before
    plain = runner.invoke(main, ["migrate", "--db", str(db)])
    assert plain.exit_code == 1 and tables(db) == {"invoices"}

    asked = runner.invoke(main, ["migrate", "--db", str(db), "--allow-foreign-tables"])
    assert asked.exit_code == 0, asked.output
    assert {"invoices", "articles", "statements"} <= tables(db)
    ingest = runner.invoke(
        main, ["ingest", str(EXAMPLE / "006_geneva-talks-open.txt"), "--db", str(db), "--quiet"]
    )
    assert ingest.exit_code == 0, ingest.output
