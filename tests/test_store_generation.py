"""The store generation: one cheap number that moves on with every write a reader sees.

The web app keys its ETags on ``store_generation``, so a write that leaves it unchanged
would serve stale pages (a 304 for changed data), and a bump outside the write's own
transaction could pair new rows with an old number. Each write path is checked on
SQLite and PostgreSQL, through a writer ``Store`` and a read-only ``open_reader``, and
a write by another process must be seen by a reader that stays open.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

import store_support as sup
from saidwhat.query import open_reader, store_generation
from saidwhat.query.common import engine_of
from saidwhat.store import open_store
from saidwhat.store.generation import bump_generation
from saidwhat.store.tables import meta
from store_support import wire_story

pg_url, store_url, store = sup.pg_url, sup.store_url, sup.store  # fixtures
TESTS = Path(__file__).resolve().parent


def test_every_visible_write_moves_the_generation_and_a_duplicate_does_not(
    store, store_url
) -> None:
    reader = open_reader(store_url)
    try:
        seen = [store_generation(store)]
        assert seen[0] == store_generation(reader) == 0  # nothing written yet

        def moved() -> int:
            now = store_generation(store)
            assert now == store_generation(reader)  # writer and reader agree
            assert now > seen[-1], f"generation did not move: {seen[-1]} -> {now}"
            seen.append(now)
            return now

        assert store.add_analysis(wire_story("IANS")).status == "added"
        moved()
        assert store.add_analysis(wire_story("IANS")).status == "duplicate"
        assert store_generation(store) == store_generation(reader) == seen[-1]
        assert store.add_analysis(wire_story("Reuters", "Reuters adds.")).status == "copy"
        moved()
        store.record_error("bad.txt", "not UTF-8 text")
        moved()
        store.remerge()
        moved()
    finally:
        reader.close()


def test_the_generation_commits_with_its_transaction_or_not_at_all(store) -> None:
    store.add_analysis(wire_story("IANS"))
    before = store_generation(store)
    with pytest.raises(RuntimeError), store.engine.begin() as conn:
        bump_generation(conn)
        raise RuntimeError("the write failed after the bump")
    assert store_generation(store) == before
    with store.engine.begin() as conn:
        bump_generation(conn)
    assert store_generation(store) == before + 1


def test_reading_the_generation_is_one_query(store) -> None:
    store.add_analysis(wire_story("IANS"))
    engine = engine_of(store)
    sqls: list[str] = []

    def seen(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        sqls.append(statement)

    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        store_generation(store)
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    reads = [q for q in sqls if q.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1 and "meta" in reads[0]


def test_a_write_by_another_process_is_seen_by_an_open_reader(store_url) -> None:
    with open_store(store_url) as writer:
        writer.add_analysis(wire_story("IANS"))
    reader = open_reader(store_url)
    try:
        before = store_generation(reader)
        code = (
            "import sys; from saidwhat.store import open_store; from store_support import "
            "wire_story; s = open_store(sys.argv[1]); "
            "print(s.add_analysis(wire_story('AFP', 'An AFP line.')).status); s.close()"
        )
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), *sys.path])}
        done = subprocess.run(
            [sys.executable, "-c", code, store_url],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        assert done.stdout.strip() == "copy"
        assert store_generation(reader) > before
    finally:
        reader.close()


def test_a_store_rebuilt_from_nothing_does_not_count_through_the_same_numbers(
    tmp_path: Path,
) -> None:
    """The counter starts from the clock, so a deleted and re-ingested store under a
    running server does not hand out an ETag an old client still holds."""
    first = tmp_path / "a.db"
    with open_store(first) as s:
        s.add_analysis(wire_story("IANS"))
        old = store_generation(s)
    for p in tmp_path.glob("a.db*"):
        p.unlink()
    with open_store(first) as s:
        s.add_analysis(wire_story("IANS"))
        new = store_generation(s)
        with s.engine.connect() as conn:
            assert conn.scalar(sa.select(meta.c.value).where(meta.c.key == "generation"))
    assert new > old
