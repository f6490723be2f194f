"""Search by meaning: statements ranked by full text and by vector, fused by rank.

``like_ranking`` ranks the statements that pass every other filter two ways, each up to
``CANDIDATES`` deep: by full text (any of the query's content words, bm25 on SQLite,
``ts_rank`` on PostgreSQL) and by the cosine of their embedding to the query's (the
nearest neighbours of the vector index, re-scored exactly from the stored vectors). The
two lists are fused by reciprocal rank (``1 / (RRF_K + rank)`` summed over the lists a
statement is in), which needs no calibration between a bm25 score and a cosine: the
hybrid finds a paraphrase that shares no word (vector) and keeps an exact wording at
the top (both). ``mode`` runs one side alone, for the benchmark that compares them.

Filters narrow the vector side exactly when at most ``EXACT_MAX`` statements pass them
(their vectors are all compared, no index); otherwise the index is asked for
``OVERSAMPLE`` times the candidates and the filters keep those that pass.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sqlalchemy as sa

from saidwhat.query.filters import QueryFilters
from saidwhat.store.fts import fts5_query
from saidwhat.store.tables import statements
from saidwhat.store.vector_index import IndexOptions, vector_index
from saidwhat.store.vectors import read_vectors

LIKE_MODES = ("hybrid", "vector", "text")
RRF_K = 60  # the usual constant of reciprocal rank fusion (Cormack et al. 2009)
CANDIDATES = 100  # ranks taken from each side
OVERSAMPLE = 20  # index neighbours asked per candidate when filters narrow the search
EXACT_MAX = 2000  # filtered sets up to this size are compared exactly
# A word in more than this share of the statements (and more than COMMON_MIN of them)
# ranks nothing on the full-text side: ranking the 20,000 statements "truce" is in cost
# 200 ms on the 175,000-statement store and told the vector side nothing it lacked.
COMMON_SHARE = 0.01
COMMON_MIN = 200

# Words that carry no meaning for the full-text side (which matches *any* word).
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves said says say""".split()
)
_WORD = re.compile(r"\w+", re.UNICODE)


class UnknownStatement(LookupError):
    """``like_id`` names no stored statement."""


@dataclass
class Ranking:
    """Statement ids best first, and the cosine of each to the query."""

    ids: list[int] = field(default_factory=list)
    similarity: dict[int, float] = field(default_factory=dict)

    def page(self, offset: int, limit: int | None) -> list[int]:
        return self.ids[offset : None if limit is None else offset + limit]


def content_words(text: str) -> list[str]:
    """The words of ``text`` the full-text side searches for (stop words left out)."""
    seen: dict[str, None] = {}
    for w in _WORD.findall(text.lower()):
        if w not in STOP_WORDS and len(w) > 1:
            seen.setdefault(w, None)
    return list(seen)[:32]


def encode_query(text: str) -> np.ndarray:
    """The query's sentence vector (the encoder loads once per process)."""
    from saidwhat.encoder.sentences import load_sentence_encoder

    return load_sentence_encoder().encode([text], one_thread=True)[0]


def _query(conn: sa.Connection, f: QueryFilters) -> tuple[str, np.ndarray]:
    """The query text and vector of ``f.like`` or of the statement ``f.like_id``."""
    if f.like_id is None:
        return str(f.like), encode_query(str(f.like))
    text = conn.scalar(sa.select(statements.c.content_text).where(statements.c.id == f.like_id))
    if text is None:
        raise UnknownStatement(f"like_id: no statement {f.like_id}")
    stored = read_vectors(conn, [int(f.like_id)]).get(int(f.like_id))
    return text, stored if stored is not None else encode_query(text)


def _matches_up_to(conn: sa.Connection, word: str, cap: int) -> int:
    """How many statements hold ``word`` (stemmed), counted no further than ``cap``."""
    if conn.dialect.name == "sqlite":
        inner = (
            sa.text("SELECT 1 AS one FROM statements_fts WHERE statements_fts MATCH :w LIMIT :cap")
            .bindparams(w=fts5_query(word), cap=cap)
            .columns(one=sa.Integer)
        )
    else:
        search = sa.literal_column("statements.search")
        inner = (
            sa.select(sa.literal(1))
            .select_from(statements)
            .where(search.op("@@")(sa.func.plainto_tsquery("english", word)))
            .limit(cap)
        )
    return int(conn.scalar(sa.select(sa.func.count()).select_from(inner.subquery())) or 0)


def rare_words(conn: sa.Connection, words: list[str]) -> list[str]:
    """The words that are not common in the store (see ``COMMON_SHARE``). Whether a word
    is common is remembered per engine while the store stays within the same thousand
    statements: a word's share moves slowly, and counting it costs a query."""
    total = int(conn.scalar(sa.select(sa.func.max(statements.c.id))) or 0)
    cap = max(COMMON_MIN, int(total * COMMON_SHARE))
    seen = _COMMON_SEEN.setdefault(conn.engine, {})
    if len(seen) > 4096:
        seen.clear()
    rare = []
    for w in words:
        key = (total // 1000, cap, w)
        if key not in seen:
            seen[key] = _matches_up_to(conn, w, cap + 1) > cap
        if not seen[key]:
            rare.append(w)
    return rare


# engine -> {(thousands of statements, cap, word): common?}; gone with the engine
_COMMON_SEEN: weakref.WeakKeyDictionary[sa.Engine, dict[tuple[int, int, str], bool]] = (
    weakref.WeakKeyDictionary()
)


def text_ranking(conn: sa.Connection, words: list[str], where: list[Any], n: int) -> list[int]:
    """Ids of the ``n`` best full-text matches among the filtered: any of the query's
    uncommon words, or, when every word is common, all of them."""
    if not words:
        return []
    rare = rare_words(conn, words)
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        joined = " OR ".join(fts5_query(w) for w in rare) if rare else fts5_query(" ".join(words))
    else:
        joined = " | ".join(rare) if rare else " & ".join(words)
    if sqlite:
        fts = (
            sa.text(
                "SELECT rowid AS id, bm25(statements_fts) AS score FROM statements_fts "
                "WHERE statements_fts MATCH :like_q"
            )
            .bindparams(like_q=joined)
            .columns(id=sa.Integer, score=sa.Float)
            .subquery("like_fts")
        )
        q = (
            sa.select(statements.c.id)
            .join_from(statements, fts, fts.c.id == statements.c.id)
            .where(*where)
            .order_by(fts.c.score, statements.c.id)
        )
    else:
        search = sa.literal_column("statements.search")
        tsq = sa.func.to_tsquery("english", joined)
        q = (
            sa.select(statements.c.id)
            .where(*where, search.op("@@")(tsq))
            .order_by(sa.func.ts_rank(search, tsq).desc(), statements.c.id)
        )
    return list(conn.scalars(q.limit(n)))


def vector_ranking(
    conn: sa.Connection,
    vector: np.ndarray,
    where: list[Any],
    narrowed: bool,
    n: int,
    options: IndexOptions | None = None,
) -> dict[int, float]:
    """The ``n`` filtered statements nearest ``vector``: id -> cosine, nearest first."""
    passing: list[int] = []
    if narrowed:  # few statements pass the filters: compare them all (ids first, no join:
        # PostgreSQL would scan every vector)
        ids = conn.scalars(sa.select(statements.c.id).where(*where).limit(EXACT_MAX + 1)).all()
        passing = list(ids) if len(ids) <= EXACT_MAX else []
    if not passing:
        index = vector_index(conn.engine, options)
        index.catch_up(conn)
        found = index.search(vector, n * (OVERSAMPLE if narrowed else 2))
        passing = list(
            conn.scalars(sa.select(statements.c.id).where(statements.c.id.in_(found), *where))
        )
    sims = {i: float(vec @ vector) for i, vec in read_vectors(conn, passing).items()}
    return dict(sorted(sims.items(), key=lambda kv: -kv[1])[:n])


def like_ranking(
    conn: sa.Connection,
    f: QueryFilters,
    where: list[Any],
    mode: str = "hybrid",
    options: IndexOptions | None = None,
) -> Ranking:
    """The filtered statements ranked by meaning (see the module docstring)."""
    if mode not in LIKE_MODES:
        raise ValueError(f"mode: {mode!r} is not one of {', '.join(LIKE_MODES)}")
    text, vector = _query(conn, f)
    if f.like_id is not None:
        where = [*where, statements.c.id != int(f.like_id)]
    narrowed = f.replace(like=None, like_id=None, all_kinds=False).narrows()
    lists: list[list[int]] = []
    sims: dict[int, float] = {}
    if mode != "text":
        sims = vector_ranking(conn, vector, where, narrowed, CANDIDATES, options)
        lists.append(list(sims))
    if mode != "vector":
        lists.append(text_ranking(conn, content_words(text), where, CANDIDATES))
    score: dict[int, float] = {}
    for ranked in lists:
        for rank, i in enumerate(ranked, start=1):
            score[i] = score.get(i, 0.0) + 1.0 / (RRF_K + rank)
    ids = sorted(score, key=lambda i: (-score[i], i))
    missing = [i for i in ids if i not in sims]
    for i, vec in read_vectors(conn, missing).items():
        sims[i] = float(vec @ vector)
    return Ranking(ids=ids, similarity={i: sims[i] for i in ids if i in sims})
