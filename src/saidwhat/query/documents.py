"""Statements and articles under the extraction schema's field names, as the API serves them.

The query rows are shaped for tables: ``StatementRow.content`` is the text, ``speaker``
the name. The REST API promises the field names of ``Analysis.to_dict()`` instead
(``content`` = spans, ``content_text`` = text, ``speaker`` = entity id, ``speaker_name``
= name, ``cue`` / ``speaker_mention`` = spans), so a client reads an API statement and
an ``extract --format json`` statement with the same code; what only the store knows
(the article, how many outlets carried the claim) comes under its own names.

These dataclasses are the API's response models as they stand (FastAPI reads their
fields, and each field's ``described`` text for ``/docs``); spans and source-chain links
are the schema's own ``Span`` and ``ViaLink``. Rows that need no renaming (``SpeakerRow``,
``ChainRow``, ``Stats``, ...) are response models themselves, so only the two shapes
that differ from a query row are declared here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from saidwhat.query.common import Readable, described
from saidwhat.query.corpus import ArticleCopy, ArticleDetail, ArticleEntity, get_article
from saidwhat.query.speakers import (
    SpeakerDetail,
    TimelinePoint,
    get_speaker,
    speaker_timeline,
    speaker_topics,
)
from saidwhat.query.statements import StatementRow
from saidwhat.schema import Span, ViaLink


def span_of(stored: Mapping[str, Any] | None) -> Span | None:
    """A stored span (JSON ``{"start", "end", "text"}``) as the schema's ``Span``."""
    if not stored:
        return None
    return Span(stored["start"], stored["end"], stored["text"])


def _span(bounds: tuple[int, int] | None, text: str | None) -> Span | None:
    return Span(bounds[0], bounds[1], text or "") if bounds else None


@dataclass
class ArticleRef:
    """The article a statement was reported in."""

    id: str
    title: str | None
    date: str | None
    outlet: str | None
    url: str | None = None  # the original address, where known


@dataclass(kw_only=True)
class ReportedStatement:
    """One stored statement in the extraction schema's shape, plus where it was reported.

    A statement found by a search names its ``article``; one listed inside its article
    has ``article_id`` instead (the other of the two is null).
    """

    id: int = described("Statement id in the store")
    type: str = described("direct | indirect | mixed")
    act: str = described("Speech act: assert, deny, reject, propose, warn, …")
    kind: str = described(
        "statement (words said or written) | belief (a feeling, perception or intention: "
        "not in default listings, all_kinds=true lists it) | hedge (an agentless "
        "report, `it is understood that`: never has a speaker)",
        default="statement",
    )
    content: list[Span] = described("Content spans in the article text")
    content_text: str
    cue: Span | None
    speaker_mention: Span | None
    speaker: int | None = described("Entity id of the speaker (/api/speakers/{id})")
    speaker_name: str | None
    speaker_kind: str | None = described(
        "named | described (a person known by a description, `a resident of Izium`: "
        "speaker_name is that description) | anonymous (`diplomatic sources`) | "
        "unresolved; null where there is no speaker (a hedge, the author's voice) or the "
        "kind was never decided",
        default=None,
    )
    described_by: int | None = described(
        "Entity a described or anonymous speaker's phrase names (Izium in `a resident of "
        "Izium`): never the speaker (/api/speakers/{id})",
        default=None,
    )
    speaker_evidence: dict[str, Any] | None = described(
        "With speaker_kind inferred: why the store credits the statement to `speaker`, "
        "a person the article does not name (`the Kremlin spokesman`): the role, the "
        "first and last day the store saw it with that person's full name, in how many "
        "articles, and the window allowed around them",
        default=None,
    )
    via: list[ViaLink] = described("Source chain, outermost intermediary first")
    reported_by: str | None
    date: str | None = described("Day said (else range start, else article date)")
    date_range: list[str] | None
    date_text: str | None
    cites: list[str] = described("People whose remarks are cited", default_factory=list)
    denies: Span | None = described("The claim a denial denies", default=None)
    target: int | None = described(
        "Entity thanked, praised, accused or urged (/api/speakers/{id})", default=None
    )
    occasion: str | None = None
    confidence: float | None = described(
        "The engine's estimate, 0 to 1, that this statement is right (of those at 0.9 and "
        "above at least 90 % are, on PolNeAR dev); null where the engine gave none",
        default=None,
    )
    outlet_count: int = described("Distinct outlets carrying the same claim")
    report_count: int
    story_id: str
    article: ArticleRef | None = None
    article_id: str | None = None
    similarity: float | None = described(
        "Search by meaning (like, like_id): cosine of this statement's embedding to the "
        "query's; null otherwise",
        default=None,
    )

    @classmethod
    def of(cls, row: StatementRow, *, in_article: bool = False) -> ReportedStatement:
        """The row's statement; ``in_article``: listed inside its article (``article_id``
        only, no ``article``)."""
        links = row.via_links or [{"name": name} for name in row.via]
        return cls(
            id=row.id,
            type=row.type,
            act=row.act,
            kind=row.kind,
            content=[Span(s["start"], s["end"], s["text"]) for s in row.content_spans],
            content_text=row.content,
            cue=_span(row.cue_span, row.cue),
            speaker_mention=_span(row.speaker_span, row.speaker_text),
            speaker=row.speaker_id,
            speaker_name=row.speaker,
            speaker_kind=row.speaker_kind,
            described_by=row.described_by_id,
            speaker_evidence=row.speaker_evidence,
            via=[ViaLink(v.get("name"), span_of(v.get("span")), v.get("entity")) for v in links],
            reported_by=row.reported_by,
            date=row.date,
            date_range=[row.date_from, row.date_to] if row.date_from and row.date_to else None,
            date_text=row.date_text,
            cites=list(row.cites or []),
            denies=span_of(row.denies),
            target=row.target_id,
            occasion=row.occasion,
            confidence=row.confidence,
            outlet_count=row.outlet_count,
            report_count=row.report_count,
            story_id=row.story_id,
            article=None
            if in_article
            else ArticleRef(row.article_id, row.title, row.article_date, row.outlet, row.url),
            article_id=row.article_id if in_article else None,
            similarity=row.similarity,
        )


@dataclass
class DatelineRef:
    """Where the article's dateline is and the place it names."""

    span: Span
    place: str | None


@dataclass
class ArticleMeta:
    """The article itself, like ``Analysis.to_dict()["article"]``."""

    id: str
    path: str | None
    title: str | None
    date: str | None
    url: str | None
    source: str | None
    agency: str | None
    reported_by: str | None
    dateline: DatelineRef | None
    date_prefix: Span | None
    title_span: Span | None
    signoff: Span | None
    slug: Span | None
    story_id: str
    furniture: list[Span] = described(
        "Page furniture (READ MORE, captions, ads): metadata, never a statement",
        default_factory=list,
    )
    text: str | None = described("The body exactly as read; offsets point here", default=None)


@dataclass
class ArticleDocument:
    """``{"article", "entities", "statements", "copies"}``, like ``Analysis.to_dict()``."""

    article: ArticleMeta
    entities: list[ArticleEntity]
    statements: list[ReportedStatement]
    copies: list[ArticleCopy] = described("The same story as other outlets carried it")

    @classmethod
    def of(cls, a: ArticleDetail, *, text: bool = True) -> ArticleDocument:
        """The article's document; ``text=False`` leaves the body out (``text`` null)."""
        spans = a.spans or {}
        dateline = span_of(spans.get("dateline"))
        meta = ArticleMeta(
            id=a.id,
            path=a.path,
            title=a.title,
            date=a.date,
            url=a.url,
            source=a.source,
            agency=a.agency,
            reported_by=a.reported_by,
            dateline=DatelineRef(dateline, a.dateline_place) if dateline else None,
            date_prefix=span_of(spans.get("date_prefix")),
            title_span=span_of(spans.get("title_span")),
            signoff=span_of(spans.get("signoff")),
            slug=span_of(spans.get("slug")),
            story_id=a.story_id,
            furniture=[f for f in map(span_of, spans.get("furniture") or []) if f is not None],
            text=a.text if text else None,
        )
        return cls(
            article=meta,
            entities=list(a.entities),
            statements=[ReportedStatement.of(s, in_article=True) for s in a.statements],
            copies=list(a.copies),
        )


def article_document(
    source: Readable, article_id: str, *, text: bool = True
) -> ArticleDocument | None:
    """``get_article`` as an ``ArticleDocument`` (None when the id is unknown)."""
    detail = get_article(source, article_id)
    return None if detail is None else ArticleDocument.of(detail, text=text)


@dataclass
class TopicCount:
    """A frequent term of a speaker's statements."""

    term: str
    count: int


@dataclass
class SpeakerProfile(SpeakerDetail):
    """A speaker with the day-by-day timeline and topics the profile page shows."""

    timeline: list[TimelinePoint] = described("Statements per day per act", default_factory=list)
    topics: list[TopicCount] = field(default_factory=list)


def speaker_profile(
    source: Readable, speaker_id: int, *, topics: int = 20
) -> SpeakerProfile | None:
    """``get_speaker`` with ``speaker_timeline`` and the ``topics`` most frequent terms
    (None when no speaker has the id)."""
    detail = get_speaker(source, speaker_id)
    if detail is None:
        return None
    return SpeakerProfile(
        **{f.name: getattr(detail, f.name) for f in fields(detail)},
        timeline=speaker_timeline(source, detail.id),
        topics=[TopicCount(t, n) for t, n in speaker_topics(source, detail.id, limit=topics)],
    )
