"""``QueryFilters``: the one description of "which statements" every reader accepts.

The same filters drive the quote search, speaker rankings, source chains and exports,
so ``saidwhat quotes --speaker X --since D`` and ``GET /api/statements?speaker=X&since=D``
can never disagree about what matches. User text is only ever bound as a parameter
(never spliced into SQL), and full-text input is reduced to quoted words first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import sqlalchemy as sa

from saidwhat.linking.names import normalise
from saidwhat.query.common import check_date
from saidwhat.query.days import date_branches, date_clause, date_row_clause
from saidwhat.query.speaker_match import (  # noqa: F401  (re-exported: where they were)
    MAX_ENTITY_ID,
    MAX_LOOSE_SPEAKERS,
    live_entity_id,
    speaker_clause,
    speaker_entity_ids,
)
from saidwhat.schema import (
    SPEAKER_KINDS,
    SPEECH_ACTS,
    STATEMENT_KINDS,
    STATEMENT_TYPES,
    UNLISTED_KINDS,
)
from saidwhat.store.fts import match_count, search_clause
from saidwhat.store.tables import articles, chain_counts, outlets, statements

# No reader pages past ten million rows; a 20-digit offset would overflow the database's
# integers and end in an error instead of an empty page.
MAX_ROWS = 10_000_000


class UnknownValue(ValueError):
    """A filter value outside its fixed set (``act``, ``type``, ``kind``): an error naming the valid
    ones, never a silently empty result (``--act lie`` used to list nothing, status 0)."""

    def __init__(self, field_name: str, value: str, allowed: Sequence[str]) -> None:
        self.field = field_name
        self.value = value
        self.allowed = list(allowed)
        super().__init__(f"{field_name}: {value!r} is not one of: {', '.join(allowed)}")


@dataclass(frozen=True)
class QueryFilters:
    """Which statements to read; every field is optional and they combine with AND.

    * ``speaker``: an entity id (int or digits) or a name, matched case-insensitively
      against canonical names and every alias seen; a name that matches no entity exactly
      falls back to entities whose name contains it ("Peskov" -> "Dmitry Peskov") and then
      to the raw speaker text of unresolved statements. A name that matches several
      entities (two Orlovs) raises ``AmbiguousSpeaker`` listing them: people are never
      merged silently; an id names one.
    * ``about``: words searched in the statement text (FTS5 / tsvector, stemmed; every
      word must occur). Punctuation and search syntax in the input are ignored.
    * ``act`` / ``type``: one value or several (any of them), e.g. ``("deny", "reject")``.
    * ``kind``: ``statement`` (words said or written), ``belief`` (a feeling, perception
      or intention) or ``hedge`` (an agentless report), one or several; exactly those.
      Left out (None), every kind but ``belief``: beliefs are kept but not listed by
      default, since a reader checking quotes mostly does not want "she fears" among
      them; ``all_kinds`` lists them too. With an explicit ``kind``,
      ``all_kinds`` changes nothing (the kinds named are the kinds listed).
    * ``speaker_kind``: ``named``, ``described`` (`a resident of Izium`), ``anonymous``
      (`diplomatic sources`) or ``unresolved``, one or several (``schema.SPEAKER_KINDS``).
      Rows with no speaker (hedges, the author's voice) have no speaker kind, and rows
      stored before the kind existed without a speaker entity have none either: neither
      matches any speaker kind.
    * ``speaker``, ``outlet``, ``via``: one value or several (a list or tuple), any of
      them matching (OR within a filter, AND across filters: the multi-select of the
      faceted search, ``query.facets``).
    * ``since`` / ``until``: ISO dates (YYYY[-MM[-DD]]), inclusive. A statement dated only
      by a range matches when its range overlaps; an undated one uses its article's date.
    * ``outlet``: who reported it (``reported_by``, the article's source or agency).
    * ``via``: an intermediary of the source chain (substring, case-insensitive).
    * ``min_confidence``: statements whose ``confidence`` (the engine's estimate that the
      row is right, in [0, 1]) is at least this. A statement with no confidence (NULL:
      the engine gave none, or it was stored before there was one) does NOT pass:
      precision before recall, since a threshold is asked for to get rows one can trust.
      A value outside [0, 1] is a ``ValueError`` (80 meant as 80 % would match nothing).
    * ``distinct_claims``: count a claim carried by several outlets once (its first report
      among the matches).
    """

    speaker: str | int | Sequence[str | int] | None = None
    about: str | None = None
    act: str | Sequence[str] | None = None
    type: str | Sequence[str] | None = None
    kind: str | Sequence[str] | None = None
    speaker_kind: str | Sequence[str] | None = None
    since: str | None = None
    until: str | None = None
    outlet: str | Sequence[str] | None = None
    via: str | Sequence[str] | None = None
    min_confidence: float | None = None
    article_id: str | None = None
    story_id: str | None = None
    limit: int | None = 50
    offset: int = 0
    distinct_claims: bool = False
    all_kinds: bool = False
    # Search by meaning (``query.similar``): rank by similarity to this text, or to the
    # statement with this id ("more like this"), fused with full-text rank; the other
    # filters apply as they are.
    like: str | None = None
    like_id: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.like, str):
            object.__setattr__(self, "like", self.like.strip() or None)
        object.__setattr__(self, "since", check_date(self.since, "since"))
        object.__setattr__(self, "until", check_date(self.until, "until"))
        object.__setattr__(self, "min_confidence", check_confidence(self.min_confidence))
        if self.limit is not None and self.limit < 0:
            raise ValueError(f"limit: {self.limit} is negative")
        if self.offset < 0:
            raise ValueError(f"offset: {self.offset} is negative")
        for name in ("limit", "offset"):
            value = getattr(self, name)
            if value is not None and value > MAX_ROWS:
                raise ValueError(f"{name}: {value} is over {MAX_ROWS:,}")
        for name in ("speaker", "about", "outlet", "via", "article_id", "story_id"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, value.strip() or None)
        for name in ("speaker", "outlet", "via"):
            value = getattr(self, name)
            if isinstance(value, list | tuple):  # several: blanks and repeats dropped
                given = tuple(dict.fromkeys(v.strip() if isinstance(v, str) else v for v in value))
                given = tuple(v for v in given if v != "")
                object.__setattr__(self, name, given or None)
        for name, allowed in (
            ("act", SPEECH_ACTS),
            ("type", STATEMENT_TYPES),
            ("kind", STATEMENT_KINDS),
            ("speaker_kind", SPEAKER_KINDS),
        ):
            unknown = [v for v in _values(getattr(self, name)) if v not in allowed]
            if unknown:
                raise UnknownValue(name, unknown[0], allowed)

    def narrows(self) -> bool:
        """True when the statements picked are not those the store's precomputed
        aggregates count, which are every statement of a default listing (all kinds but
        beliefs; ``store.aggregates``): some filter picks statements out, or beliefs are
        included (``limit``, ``offset`` and ``distinct_claims`` pick none). Without one,
        rankings and chains are read from the aggregates instead of grouping every
        statement."""
        return self.all_kinds or any(
            getattr(self, name) not in (None, "", (), [])
            for name in (
                "speaker",
                "about",
                "act",
                "type",
                "kind",
                "speaker_kind",
                "since",
                "until",
                "outlet",
                "via",
                "min_confidence",
                "article_id",
                "story_id",
                "like",
                "like_id",
            )
        )

    def replace(self, **changes: Any) -> QueryFilters:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def check_confidence(value: float | None, name: str = "min_confidence") -> float | None:
    """A confidence threshold as a float in [0, 1] (None: no threshold); anything else is
    a ``ValueError`` naming the filter, never a silently empty (or full) result."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name}: {value!r} is not a number between 0 and 1")
    if not 0 <= value <= 1:  # NaN fails this too
        raise ValueError(f"{name}: {value} is not between 0 and 1")
    return float(value)


def _values(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        out += [v.strip().lower() for v in str(item).split(",") if v.strip()]
    return out


def many(value: Any) -> list[Any]:
    """The values of a filter that takes one or several (``speaker``, ``outlet``,
    ``via``), as a list ([] when unset). Commas are not split here: a name may hold one."""
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def kind_clause(f: QueryFilters) -> sa.ColumnElement[bool] | None:
    """The WHERE term for the kinds listed: those ``kind`` names, else every kind but
    beliefs (``schema.UNLISTED_KINDS``), else (``all_kinds``) None: every kind."""
    kinds = _values(f.kind)
    if kinds:
        return statements.c.kind.in_(kinds)
    if f.all_kinds:
        return None
    return statements.c.kind.not_in(UNLISTED_KINDS)


def lists_unlisted(f: QueryFilters) -> bool:
    """Whether the filters may list a kind the aggregates leave out (a belief)."""
    kinds = _values(f.kind)
    return bool(set(kinds) & set(UNLISTED_KINDS)) if kinds else f.all_kinds


def dates_alone(f: QueryFilters) -> bool:
    """Only ``since`` / ``until`` pick the statements, beside the kinds listed (what
    ``date_branches`` answers alone, with ``kind_clause`` as its ``also``)."""
    if not (f.since or f.until):
        return False
    return not f.replace(since=None, until=None, kind=None, all_kinds=False).narrows()


def index_count(dialect: str, f: QueryFilters) -> sa.Executable | None:
    """A COUNT of the matches that reads few or no statement rows, for the filters most
    often used alone (a page's total costs as much as the page otherwise): dates alone
    (the disjoint ``date_branches``: index-only with every kind, else driven by the
    index) and, on SQLite, words alone with every kind (the FTS index counts its own
    matches, beliefs among them). None for anything else."""
    if f.distinct_claims:
        return None
    count = sa.func.count()
    kinds = kind_clause(f)
    if dates_alone(f):
        parts = date_branches(f.since, f.until, also=[] if kinds is None else [kinds])
        ids = parts[0] if len(parts) == 1 else sa.union_all(*parts)
        return sa.select(count).select_from(ids.subquery())
    if f.about and dialect == "sqlite" and kinds is None and not f.replace(about=None).narrows():
        return match_count(dialect, f.about)
    return None


def outlet_clause(
    conn: sa.Connection, outlet: str, beliefs: bool = False
) -> sa.ColumnElement[bool]:
    """Reported by this outlet or agency (``statements.reported_by``), or published by it
    (``articles.outlet_id``); names compare normalised ("the associated press" ~ "AP"
    only if stored that way). Resolved to exact stored values first so both branches
    use their indexes. ``beliefs``: the reporters of beliefs count too (the chain
    aggregate leaves them out)."""
    key = normalise(outlet)
    s = statements.c
    # the distinct reporters from the chain aggregate (one row per outlet, chain and
    # speaker, kept current by the writer) instead of a DISTINCT over every statement
    stored: Any = sa.select(chain_counts.c.reported_by).where(chain_counts.c.n > 0).distinct()
    if beliefs:  # few rows, through the kind index
        unlisted = sa.select(s.reported_by).where(s.kind.in_(UNLISTED_KINDS)).distinct()
        stored = sa.union(stored, unlisted)
    reporters = [r for r in conn.scalars(stored) if r and normalise(r) == key]
    outlet_ids = sa.select(outlets.c.id).where(outlets.c.key == key)
    branches = sa.union_all(
        sa.select(s.id).where(s.reported_by.in_(reporters)),
        sa.select(s.id)
        .select_from(articles.join(statements, s.article_id == articles.c.id))
        .where(articles.c.outlet_id.in_(outlet_ids)),
    )
    return s.id.in_(branches)


def where_clauses(conn: sa.Connection, f: QueryFilters) -> list[sa.ColumnElement[bool]]:
    """WHERE terms on ``statements`` alone (no join needed) for the filters.

    Needs a connection to resolve speaker names to entity ids and outlet names to stored
    values first (indexed lookups), which keeps the statement query itself a set of
    ``IN`` terms on indexed columns.
    """
    where: list[sa.ColumnElement[bool]] = []
    s = statements.c
    if f.speaker is not None:
        where.append(speaker_clause(conn, many(f.speaker)))
    if f.about:
        where.append(search_clause(conn.dialect.name, f.about))
    acts = _values(f.act)
    if acts:
        where.append(s.act.in_(acts))
    types = _values(f.type)
    if types:
        where.append(s.type.in_(types))
    speaker_kinds = _values(f.speaker_kind)
    if speaker_kinds:
        where.append(s.speaker_kind.in_(speaker_kinds))
    if f.since or f.until:
        # With a selective filter beside it, test dates row by row; alone, use the
        # index-driven form (see date_clause).
        narrow = f.speaker is not None or f.about or f.article_id or f.story_id
        where.append(date_row_clause(f.since, f.until) if narrow else date_clause(f.since, f.until))
    if f.outlet:
        beliefs = lists_unlisted(f)
        where.append(sa.or_(*(outlet_clause(conn, o, beliefs) for o in many(f.outlet))))
    if f.via:
        where.append(sa.or_(*(s.via_text.icontains(v, autoescape=True) for v in many(f.via))))
    if f.min_confidence is not None:
        # NULL >= x is not true: statements without a confidence are left out
        where.append(s.confidence >= f.min_confidence)
    kinds = kind_clause(f)
    if kinds is not None:
        where.append(kinds)
    if f.article_id:
        where.append(s.article_id == f.article_id)
    if f.story_id:
        where.append(s.story_id == f.story_id)
    return where


def filtered_ids(
    conn: sa.Connection, f: QueryFilters, where: list[sa.ColumnElement[bool]] | None = None
) -> sa.Select[Any]:
    """``SELECT statements.id`` of the matches (one per claim with ``distinct_claims``);
    ``where``: the filters' ``where_clauses`` when the caller has them already."""
    if where is None:
        where = where_clauses(conn, f)
    if f.distinct_claims:
        return (
            sa.select(sa.func.min(statements.c.id)).where(*where).group_by(statements.c.fingerprint)
        )
    return sa.select(statements.c.id).where(*where)
