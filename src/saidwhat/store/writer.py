"""Writing one analysis: decide its rows (a plain plan), then write them.

``write_analysis`` runs inside the caller's transaction (``Store.add_analysis``): article
row, MinHash bands, entities, mentions, statements and claims commit together or not at
all, so a crash (even ``kill -9``) never leaves a half-written article, and re-running
skips what is stored. The steps read top to bottom: is it stored? which story does it
join? (the only reads) -> ``plan_article`` -> write -> link its entities
(``store.entities``) -> ``plan_statements`` -> write. The plans are plain data built by
the row mapping (``store.rows``) with no database access, so what an article becomes can
be read, and tested, apart from how it is written.

Each table's rows go in with one statement (PostgreSQL: ``INSERT ... SELECT FROM
unnest(arrays)``, see store/bulk.py; SQLite: ``executemany``), new entities with one
INSERT, candidate entities and copy candidates are fetched with one indexed query each:
about 17 statements per article on PostgreSQL, so the store adds little to extraction
time (``bench/ingest_throughput.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import sqlalchemy as sa

from saidwhat.linking.aliases import Aliases
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
    text_hash,
)
from saidwhat.linking.names import normalise
from saidwhat.linking.resolver import observe
from saidwhat.schema import Analysis, Article, Span
from saidwhat.store.aggregates import add_statements, prior_claims
from saidwhat.store.bulk import insert_rows, unnest_insert
from saidwhat.store.entities import assign_entities
from saidwhat.store.generation import bump_generation
from saidwhat.store.inference import infer_speakers
from saidwhat.store.rows import article_row, mention_rows, statement_row
from saidwhat.store.tables import (
    article_minhash,
    articles,
    claims,
    mentions,
    minhash_bands,
    outlets,
    statement_vectors,
    statements,
)


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
    """Add one article's outcome to ``counts`` (every ingest door reports the same four)."""
    if result.status == "duplicate":
        counts.duplicates += 1
    else:
        counts.added += result.status == "added"
        counts.copies += result.status == "copy"
        counts.statements += result.statements


# -- the plans ------------------------------------------------------------------------


@dataclass(frozen=True)
class CopyKeys:
    """What duplicate and copy detection compare: the hash of the whitespace-normalised
    text (a twin of a stored article is that article), the article's prose shingles, and
    its MinHash signature and band keys when it is long enough to call a copy. Computed
    before the transaction (it is the costly part and needs no database)."""

    shingles: set[str]
    signature: np.ndarray | None
    bands: list[int]
    text_hash: str = ""


def copy_keys(article: Article) -> CopyKeys:
    own = shingles(prose(article.text, article.boilerplate_spans()))
    sig = signature(own) if len(own) >= MIN_SHINGLES else None
    return CopyKeys(own, sig, band_keys(sig) if sig is not None else [], text_hash(article.text))


@dataclass(frozen=True)
class Story:
    """The story a new article belongs to, and the other stories it links (copies of
    copies): those become one story, named by the smallest article id in it, so the
    result does not depend on the order articles arrive in."""

    story_id: str
    joined: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ArticlePlan:
    """The rows that place an article: its row, its story, its MinHash signature."""

    article: dict[str, Any]
    story: Story
    minhash: dict[str, Any] | None
    bands: list[dict[str, Any]]
    result: AddResult


def plan_article(
    analysis: Analysis, keys: CopyKeys, story: Story, outlet_id: int | None
) -> ArticlePlan:
    art = analysis.article
    copied = story.story_id != art.id or bool(story.joined)
    sig = keys.signature
    return ArticlePlan(
        article=article_row(analysis, story.story_id, outlet_id),
        story=story,
        minhash=None if sig is None else {"article_id": art.id, "signature": signature_bytes(sig)},
        bands=[{"band_key": k, "article_id": art.id} for k in sorted(set(keys.bands))],
        result=AddResult(
            "copy" if copied else "added", art.id, story.story_id, len(analysis.statements)
        ),
    )


@dataclass(frozen=True)
class StatementPlan:
    """The rows that need the article's stored entities: mentions, statements, and the
    claims first reported here (each naming its first statement by position, as the
    statement ids exist only once the statements are written)."""

    mentions: list[dict[str, Any]]
    statements: list[dict[str, Any]]
    claims: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    vectors: list[bytes | None] = field(default_factory=list)  # per statement, when embedded


def plan_statements(analysis: Analysis, story_id: str, entity_ids: dict[str, int]) -> StatementPlan:
    rows = [statement_row(analysis, st, story_id, entity_ids) for st in analysis.statements]
    first: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, row in enumerate(rows):
        first.setdefault(
            row["fingerprint"],
            (
                i,
                {
                    "fingerprint": row["fingerprint"],
                    "speaker_entity_id": row["speaker_entity_id"],
                    "speaker_name": row["speaker_name"],
                    "content_text": row["content_text"],
                    "first_date": row["date"],
                    "report_count": 0,
                    "outlet_count": 0,
                },
            ),
        )
    vectors = [analysis.embeddings.get(st.id) for st in analysis.statements]
    return StatementPlan(mention_rows(analysis, entity_ids), rows, list(first.values()), vectors)


# -- writing --------------------------------------------------------------------------


class OutletIds:
    """Outlet name -> id, creating outlets on first sight. Outlets are never deleted or
    renumbered, so ids found committed are kept: saves a lookup per article."""

    def __init__(self) -> None:
        self._known: dict[str, int] = {}

    def id_for(self, conn: sa.Connection, name: str | None) -> int | None:
        if not name or not name.strip():
            return None
        key = normalise(name)
        if key not in self._known:
            found = conn.scalar(sa.select(outlets.c.id).where(outlets.c.key == key))
            if found is None:
                return conn.execute(
                    sa.insert(outlets).returning(outlets.c.id), {"key": key, "name": name.strip()}
                ).scalar_one()
            self._known[key] = found
        return self._known[key]


def write_analysis(
    conn: sa.Connection,
    analysis: Analysis,
    keys: CopyKeys,
    aliases: Aliases,
    outlet_ids: OutletIds,
) -> AddResult:
    """Store one analysis inside ``conn``'s transaction; an article already stored (same
    text, so same id, or the same text but for whitespace) adds nothing. What it adds
    moves the store generation on, in the same transaction."""
    art = analysis.article
    stored = stored_result(conn, art.id, keys.text_hash)
    if stored is not None:
        return stored
    story = find_story(conn, art.id, keys)
    plan = plan_article(analysis, keys, story, outlet_ids.id_for(conn, art.source or art.agency))
    write_article(conn, plan)
    entity_ids = assign_entities(conn, observe(analysis, aliases), aliases)
    planned = plan_statements(analysis, story.story_id, entity_ids)
    if infer_speakers(conn, planned.statements):  # `the Kremlin spokesman`, nobody named
        for i, claim in planned.claims:
            claim["speaker_entity_id"] = planned.statements[i]["speaker_entity_id"]
    write_statements(conn, planned)
    bump_generation(conn)
    return plan.result


def write_article(conn: sa.Connection, plan: ArticlePlan) -> None:
    conn.execute(sa.insert(articles), plan.article)
    if plan.story.joined:  # this article links stories: they become one
        for table in (articles, statements):
            conn.execute(
                sa.update(table)
                .where(table.c.story_id.in_(plan.story.joined))
                .values(story_id=plan.story.story_id)
            )
    if plan.minhash is not None:
        conn.execute(sa.insert(article_minhash), plan.minhash)
        insert_rows(conn, minhash_bands, plan.bands)


def write_statements(conn: sa.Connection, plan: StatementPlan) -> None:
    """Mentions and statements; then the claims first reported here, a recount of the
    reports and outlets of every claim this article reports (two statements, whatever
    the article size), and the article's share of the speaker and chain aggregates
    (store.aggregates: one read before, two upserts after)."""
    insert_rows(conn, mentions, plan.mentions)
    if not plan.statements:
        return
    prior = prior_claims(conn, plan.statements)
    ids = _insert_statements(conn, plan.statements)
    # no vectors (analysed without embeddings): an empty list, so not strict
    pairs = zip(ids, plan.vectors, strict=False)
    vectors = [{"statement_id": i, "vector": v} for i, v in pairs if v is not None]
    insert_rows(conn, statement_vectors, vectors)
    new = [{**claim, "first_statement_id": ids[i]} for i, claim in plan.claims]
    insert_rows(conn, claims, new, skip_existing="fingerprint")
    conn.execute(_RECOUNT_CLAIMS, {"fingerprints": [c["fingerprint"] for c in new]})
    add_statements(conn, plan.statements, prior)


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
    INSERT ... SELECT FROM unnest(...) RETURNING (ids by local id). SQLite: plain
    executemany, then one SELECT for the ids (RETURNING in row order would make SQLite
    insert row by row)."""
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


# -- the reads a plan needs -----------------------------------------------------------


def stored_result(conn: sa.Connection, article_id: str, twin_hash: str = "") -> AddResult | None:
    """The ``duplicate`` outcome when the article is already stored (its id), or a
    whitespace twin of it is (``twin_hash``, ``linking.copies.text_hash``), else None.
    The result names the stored article: the twin itself is never stored."""
    a = articles.c
    found = a.id == article_id
    if twin_hash:
        found = sa.or_(found, a.text_hash == twin_hash)
    row = conn.execute(
        sa.select(a.id, a.story_id)
        .where(found)
        .order_by(sa.case((a.id == article_id, 0), else_=1), a.id)
        .limit(1)
    ).one_or_none()
    return None if row is None else AddResult("duplicate", row.id, row.story_id, 0)


def find_story(conn: sa.Connection, article_id: str, keys: CopyKeys) -> Story:
    """The story of a new article: the stories of the stored articles it copies (a
    story is a connected group of copies), or its own."""
    likely = _likely_copies(conn, keys)
    cands = (
        conn.execute(
            sa.select(articles.c.id, articles.c.story_id, articles.c.text, articles.c.spans)
            .where(articles.c.id.in_(likely))
            .order_by(articles.c.id)
        ).all()
        if likely
        else []
    )
    stories = {
        c.story_id
        for c in cands
        if is_copy(keys.shingles, shingles(prose(c.text, _spans(c.spans))))
    }
    story_id = min(stories | {article_id})
    return Story(story_id, frozenset(stories - {story_id}))


def _likely_copies(conn: sa.Connection, keys: CopyKeys) -> list[str]:
    """Stored articles sharing a MinHash band whose signatures estimate a Jaccard worth
    a text check (one indexed query)."""
    mine = keys.signature
    if mine is None or not keys.bands:
        return []
    in_band = (
        sa.select(minhash_bands.c.article_id)
        .where(minhash_bands.c.band_key.in_(keys.bands))
        .distinct()
    )
    sigs = conn.execute(
        sa.select(article_minhash).where(article_minhash.c.article_id.in_(in_band))
    ).all()
    return [
        r.article_id
        for r in sigs
        if estimated_jaccard(mine, signature_from_bytes(r.signature)) >= MIN_ESTIMATE
    ]


def _spans(spans: dict[str, Any] | None) -> list[Span]:
    return [Span(s["start"], s["end"], s["text"]) for s in (spans or {}).values() if s]
