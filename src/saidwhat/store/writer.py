"""``Store``: writing analyses into the database, one transaction per article.

Each ``add_analysis`` is a single transaction: article row, MinHash bands, entities,
mentions, statements and claims commit together or not at all, so a crash (even
``kill -9``) never leaves a half-written article, and re-running skips what is stored.
Each table's rows go in with one statement (PostgreSQL: ``INSERT ... SELECT FROM
unnest(arrays)``, see store/bulk.py; SQLite: ``executemany``), new entities with one
INSERT, candidate entities and copy candidates are fetched with one indexed query each:
about 17 statements per article on PostgreSQL, so the store adds little to extraction
time (``bench/ingest_throughput.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import numpy as np
import sqlalchemy as sa

from saidwhat.linking.aliases import NO_ALIASES, Aliases
from saidwhat.linking.copies import (
    MIN_ESTIMATE,
    MIN_SHINGLES,
    band_keys,
    estimated_jaccard,
    is_copy,
    prose,
    shingles,
    signature,
    signature_bytes,
    signature_from_bytes,
)
from saidwhat.linking.names import normalise
from saidwhat.linking.resolver import observe
from saidwhat.schema import Analysis, Span
from saidwhat.store.bulk import insert_rows, unnest_insert
from saidwhat.store.engine import create_engine, migrate, resolve_url
from saidwhat.store.entities import assign_entities
from saidwhat.store.remerge import remerge_all
from saidwhat.store.rows import article_row, mention_rows, statement_row
from saidwhat.store.tables import (
    article_entities,
    article_minhash,
    articles,
    claims,
    entities,
    errors,
    mentions,
    meta,
    minhash_bands,
    outlets,
    statements,
)

WRITER_LOCK = 7_244_001  # PostgreSQL advisory lock id: one writer at a time, like SQLite


@dataclass(frozen=True)
class AddResult:
    status: str  # added | duplicate | copy
    article_id: str
    story_id: str
    statements: int


class StoreCounts(Protocol):
    """The counters a report keeps of what the store did with each article."""

    added: int
    copies: int
    duplicates: int
    statements: int


def count_result(counts: StoreCounts, result: AddResult) -> None:
    """Add one article's outcome to ``counts`` (ingest and load report the same four)."""
    if result.status == "duplicate":
        counts.duplicates += 1
    else:
        counts.added += result.status == "added"
        counts.copies += result.status == "copy"
        counts.statements += result.statements


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
        # Outlet key -> id, for outlets found already committed (outlets are never
        # deleted or renumbered): saves a lookup per article from a known outlet.
        self._outlet_ids: dict[str, int] = {}

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

    def add_analysis(self, analysis: Analysis) -> AddResult:
        """Store one article's analysis in one transaction; same text twice adds nothing."""
        art = analysis.article
        own = shingles(prose(art.text, art.boilerplate_spans()))
        sig = signature(own) if len(own) >= MIN_SHINGLES else None
        bands = band_keys(sig) if sig is not None else []
        try:
            with self._begin() as conn:
                self._lock(conn)
                if conn.scalar(sa.select(articles.c.id).where(articles.c.id == art.id)):
                    return _duplicate(conn, art.id)
                story_id, others = self._find_story(conn, art.id, own, sig, bands)
                outlet_id = self._outlet(conn, art.source or art.agency)
                conn.execute(sa.insert(articles), article_row(analysis, story_id, outlet_id))
                if others:  # this article links stories: they become one, named by min id
                    for table in (articles, statements):
                        conn.execute(
                            sa.update(table)
                            .where(table.c.story_id.in_(others))
                            .values(story_id=story_id)
                        )
                if sig is not None:
                    conn.execute(
                        sa.insert(article_minhash),
                        {"article_id": art.id, "signature": signature_bytes(sig)},
                    )
                    insert_rows(
                        conn,
                        minhash_bands,
                        [{"band_key": k, "article_id": art.id} for k in sorted(set(bands))],
                    )
                entity_ids = assign_entities(conn, observe(analysis, self.aliases), self.aliases)
                m_rows = mention_rows(analysis, entity_ids)
                insert_rows(conn, mentions, m_rows)
                s_rows = [
                    statement_row(analysis, st, story_id, entity_ids) for st in analysis.statements
                ]
                if s_rows:
                    self._add_claims(conn, s_rows, _insert_statements(conn, s_rows))
                copied = story_id != art.id or bool(others)
                return AddResult("copy" if copied else "added", art.id, story_id, len(s_rows))
        except sa.exc.IntegrityError:
            # Another writer stored the same article between our check and insert.
            with self.engine.connect() as conn:
                if conn.scalar(sa.select(articles.c.id).where(articles.c.id == art.id)):
                    return _duplicate(conn, art.id)
            raise

    def add_analyses(self, analyses: Iterable[Analysis], remerge: bool = True) -> list[AddResult]:
        """Bulk path (the batch loader): each article in its own transaction, then one
        deterministic re-merge so the entities do not depend on the load order."""
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

    # -- helpers -----------------------------------------------------------------------

    def _find_story(
        self,
        conn: sa.Connection,
        article_id: str,
        own: set[str],
        mine: np.ndarray | None,
        bands: list[int],
    ) -> tuple[str, set[str]]:
        """The story id for a new article, and other story ids it joins together.

        A story is a connected group of copies; its id is the smallest article id in it,
        so the result does not depend on the order articles arrive in.
        """
        if mine is None or not bands:
            return article_id, set()
        in_band = (
            sa.select(minhash_bands.c.article_id)
            .where(minhash_bands.c.band_key.in_(bands))
            .distinct()
        )
        sigs = conn.execute(
            sa.select(article_minhash).where(article_minhash.c.article_id.in_(in_band))
        ).all()
        likely = [
            r.article_id
            for r in sigs
            if estimated_jaccard(mine, signature_from_bytes(r.signature)) >= MIN_ESTIMATE
        ]
        if not likely:
            return article_id, set()
        cands = conn.execute(
            sa.select(articles.c.id, articles.c.story_id, articles.c.text, articles.c.spans)
            .where(articles.c.id.in_(likely))
            .order_by(articles.c.id)
        ).all()
        stories = set()
        for c in cands:
            if is_copy(own, shingles(prose(c.text, _spans(c.spans)))):
                stories.add(c.story_id)
        if not stories:
            return article_id, set()
        story_id = min(stories | {article_id})
        return story_id, stories - {story_id}

    def _outlet(self, conn: sa.Connection, name: str | None) -> int | None:
        if not name or not name.strip():
            return None
        key = normalise(name)
        if key in self._outlet_ids:
            return self._outlet_ids[key]
        found = conn.scalar(sa.select(outlets.c.id).where(outlets.c.key == key))
        if found is not None:
            self._outlet_ids[key] = found
            return found
        return conn.execute(
            sa.insert(outlets).returning(outlets.c.id), {"key": key, "name": name.strip()}
        ).scalar_one()

    def _add_claims(self, conn: sa.Connection, rows: list[dict[str, Any]], ids: list[int]) -> None:
        """Create the claims first reported here, then recount reports and outlets of
        every claim this article reports (two statements, whatever the article size)."""
        new: dict[str, dict[str, Any]] = {}
        for row, statement_id in zip(rows, ids, strict=True):
            new.setdefault(
                row["fingerprint"],
                {
                    "fingerprint": row["fingerprint"],
                    "first_statement_id": statement_id,
                    "speaker_entity_id": row["speaker_entity_id"],
                    "speaker_name": row["speaker_name"],
                    "content_text": row["content_text"],
                    "first_date": row["date"],
                    "report_count": 0,
                    "outlet_count": 0,
                },
            )
        insert_rows(conn, claims, list(new.values()), skip_existing="fingerprint")
        conn.execute(_RECOUNT_CLAIMS, {"fingerprints": list(new)})


_same = statements.c.fingerprint == claims.c.fingerprint
# Built once (building a statement costs more than running it from the compiled cache).
_RECOUNT_CLAIMS = (
    sa.update(claims)
    .where(claims.c.fingerprint.in_(sa.bindparam("fingerprints", expanding=True)))
    .values(
        report_count=sa.select(sa.func.count()).where(_same).scalar_subquery(),
        outlet_count=sa.select(sa.func.count(sa.distinct(statements.c.reported_by)))
        .where(_same)
        .scalar_subquery(),
    )
)


def _insert_statements(conn: sa.Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Insert one article's statements; their ids in row order. PostgreSQL: one
    INSERT ... SELECT FROM unnest(...) RETURNING (ids by local id). SQLite: plain executemany, then one SELECT
    for the ids (RETURNING in row order would make SQLite insert row by row)."""
    if conn.dialect.name == "postgresql":
        sql, params = unnest_insert(conn, statements, rows, returning="local_id, id")
        ids = dict(conn.exec_driver_sql(sql, params).all())
        return [ids[r["local_id"]] for r in rows]
    conn.execute(sa.insert(statements), rows)
    local = dict(
        conn.execute(
            sa.select(statements.c.local_id, statements.c.id).where(
                statements.c.article_id == rows[0]["article_id"]
            )
        ).all()
    )
    return [local[r["local_id"]] for r in rows]


def _duplicate(conn: sa.Connection, article_id: str) -> AddResult:
    row = conn.execute(
        sa.select(articles.c.story_id, articles.c.statement_count).where(
            articles.c.id == article_id
        )
    ).one()
    return AddResult("duplicate", article_id, row.story_id, 0)


def _set_meta(conn: sa.Connection, key: str, value: str) -> None:
    conn.execute(sa.delete(meta).where(meta.c.key == key))
    conn.execute(sa.insert(meta), {"key": key, "value": value})


def _spans(spans: dict[str, Any] | None) -> list[Span]:
    return [Span(s["start"], s["end"], s["text"]) for s in (spans or {}).values() if s]


def open_store(
    url_or_path: str | os.PathLike[str] | None = None, aliases: Aliases = NO_ALIASES
) -> Store:
    """Open (creating or upgrading) the store at ``url_or_path``, ``$SAIDWHAT_DB`` or
    ``./saidwhat.db``. A plain path is SQLite; ``postgresql://`` uses psycopg 3."""
    engine = create_engine(resolve_url(url_or_path))
    migrate(engine)
    return Store(engine, aliases)
