"""``Store``: one saidwhat database (SQLite or PostgreSQL), and ``open_store``.

The store's face for everything that writes: one transaction per article
(``add_analysis``, planned and written by ``store.writer``), the errors table, the
re-merge and the alias file. Each of those writes moves the store generation on
(``store.generation``) in its own transaction, so cached reads know they are stale. Writers are serialised (SQLite has one writer anyway; on
PostgreSQL an advisory lock does it), because entity merging reads then writes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from saidwhat.linking.aliases import NO_ALIASES, Aliases
from saidwhat.schema import Analysis
from saidwhat.store.engine import create_engine, migrate, refuse_foreign_sqlite, resolve_url
from saidwhat.store.generation import bump_generation
from saidwhat.store.remerge import remerge_all
from saidwhat.store.tables import (
    article_entities,
    articles,
    claims,
    entities,
    errors,
    meta,
    statements,
)
from saidwhat.store.writer import AddResult, OutletIds, copy_keys, stored_result, write_analysis

WRITER_LOCK = 7_244_001  # PostgreSQL advisory lock id: one writer at a time, like SQLite


@dataclass(frozen=True)
class ErrorRecord:
    path: str
    stage: str
    reason: str
    at: datetime


class Store:
    """A saidwhat database (SQLite or PostgreSQL). Create with ``open_store``."""

    def __init__(self, engine: sa.Engine, aliases: Aliases = NO_ALIASES) -> None:
        self.engine = engine
        self.aliases = aliases
        self._outlet_ids = OutletIds()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _begin(self):  # type: ignore[no-untyped-def]
        return self.engine.begin()

    def _lock(self, conn: sa.Connection) -> None:
        """PostgreSQL: serialise writers (entity merging reads then writes), and do not
        wait for the WAL flush on commit: a killed ingest still never leaves half an
        article, and a server crash can at worst lose the last commits, which re-running
        the ingest restores (SQLite gets the same trade-off from synchronous=NORMAL)."""
        if self.dialect == "postgresql":
            conn.exec_driver_sql(
                f"SELECT pg_advisory_xact_lock({WRITER_LOCK}); SET LOCAL synchronous_commit TO OFF"
            )

    # -- reading what is there ---------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        return bool(self.known_ids([article_id]))

    def known_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of these article ids are stored (one query per 500 ids)."""
        ids = list(dict.fromkeys(article_ids))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                found.update(conn.scalars(sa.select(articles.c.id).where(articles.c.id.in_(chunk))))
        return found

    def counts(self) -> dict[str, int]:
        """Rows per main table (live entities only); used by reports and tests."""
        with self.engine.connect() as conn:

            def n(q: Any) -> int:
                return conn.execute(q).scalar_one()

            return {
                "articles": n(sa.select(sa.func.count()).select_from(articles)),
                "stories": n(sa.select(sa.func.count(sa.distinct(articles.c.story_id)))),
                "statements": n(sa.select(sa.func.count()).select_from(statements)),
                "claims": n(sa.select(sa.func.count()).select_from(claims)),
                "entities": n(
                    sa.select(sa.func.count())
                    .select_from(entities)
                    .where(entities.c.merged_into.is_(None))
                ),
                "errors": n(sa.select(sa.func.count()).select_from(errors)),
            }

    def errors(self) -> list[ErrorRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(errors).order_by(errors.c.id)).all()
        return [ErrorRecord(r.path, r.stage, r.reason, r.at) for r in rows]

    def get_meta(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.scalar(sa.select(meta.c.value).where(meta.c.key == key))

    # -- writing -----------------------------------------------------------------------

    def record_error(self, path: str, reason: str, stage: str = "read") -> None:
        """Record a failed input; a re-run replaces the earlier row for the same path and
        stage, so `saidwhat errors` lists each failing input once, with its latest reason."""
        with self._begin() as conn:
            self._lock(conn)
            conn.execute(
                sa.delete(errors).where(errors.c.path == str(path), errors.c.stage == stage)
            )
            conn.execute(
                sa.insert(errors),
                {"path": str(path), "reason": reason, "stage": stage, "at": datetime.now(UTC)},
            )
            bump_generation(conn)  # `saidwhat errors` and the stats show it

    def add_analysis(self, analysis: Analysis) -> AddResult:
        """Store one article's analysis in one transaction; the same text twice (or again
        with other whitespace: CRLF, a trailing newline) adds nothing."""
        keys = copy_keys(analysis.article)  # the costly part, before taking the lock
        try:
            with self._begin() as conn:
                self._lock(conn)
                return write_analysis(conn, analysis, keys, self.aliases, self._outlet_ids)
        except sa.exc.IntegrityError:
            # Another writer stored the same article between our check and insert.
            with self.engine.connect() as conn:
                stored = stored_result(conn, analysis.article.id, keys.text_hash)
            if stored is None:
                raise
            return stored

    def add_analyses(self, analyses: Iterable[Analysis], remerge: bool = True) -> list[AddResult]:
        """Each article in its own transaction, then one deterministic re-merge so the
        entities do not depend on the load order."""
        results = [self.add_analysis(a) for a in analyses]
        if remerge and any(r.status != "duplicate" for r in results):
            self.remerge()
        return results

    def remerge(self) -> int:
        """Recompute all entities from the stored observations (see store/remerge.py)."""
        with self._begin() as conn:
            self._lock(conn)
            n = remerge_all(conn, self.aliases)
            _set_meta(conn, "aliases_sha1", self.aliases.digest)
            bump_generation(conn)  # entity ids, names and roles are all new
            return n

    def use_aliases(self, aliases: Aliases) -> bool:
        """Adopt an alias file; re-merge stored entities when it differs from the last one."""
        self.aliases = aliases
        if (self.get_meta("aliases_sha1") or "") == aliases.digest:
            return False
        with self._begin() as conn:
            self._lock(conn)
            if conn.scalar(sa.select(article_entities.c.article_id).limit(1)) is None:
                _set_meta(conn, "aliases_sha1", aliases.digest)  # nothing stored to re-merge
                return False
        self.remerge()
        return True


def _set_meta(conn: sa.Connection, key: str, value: str) -> None:
    conn.execute(sa.delete(meta).where(meta.c.key == key))
    conn.execute(sa.insert(meta), {"key": key, "value": value})


def open_store(
    url_or_path: str | os.PathLike[str] | None = None,
    aliases: Aliases = NO_ALIASES,
    allow_foreign_tables: bool = False,
) -> Store:
    """Open (creating or upgrading) the store at ``url_or_path``, ``$SAIDWHAT_DB`` or
    ``./saidwhat.db``. A plain path is SQLite; ``postgresql://`` uses psycopg 3. A SQLite
    file of another program is refused (``ForeignDatabase``) unless
    ``allow_foreign_tables``."""
    url = resolve_url(url_or_path)
    refuse_foreign_sqlite(url, allow_foreign_tables)
    engine = create_engine(url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, aliases)
