"""The data model every part of saidwhat shares: Article in, Analysis out.

Everything extracted points at character spans of ``Article.text`` (the body exactly as
read), the way spaCy's ``Span`` points into a ``Doc``. The JSON form (``to_dict``) is the
documented, versioned extraction schema; the store, the REST API and the Parquet batch
output all use the same field names.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from dataclasses import dataclass, field, fields
from typing import Any

# 1.1: ``Statement.confidence`` and ``Statement.kind``, ``Article.furniture`` (new
# optional fields: readers of 1.0 documents get None, "statement" and [])
# 1.2: ``Statement.speaker_kind`` and ``Statement.described_by`` (optional: readers of
# older documents get None for both, "kind not decided")
SCHEMA_VERSION = "1.2"

STATEMENT_TYPES = ("direct", "indirect", "mixed")
# ``statement``: words someone said or wrote. ``belief``: a feeling, perception or private
# intention (`she fears`, `he felt the ground shake`, `they want to leave`), which PolNeAR
# counts as an attribution but a reader checking quotes mostly does not want: kept, left
# out of default listings. ``hedge``: an agentless report (`it is understood that`, `is
# thought to`), which names no speaker and is never pinned on one. ``author``: the
# writer's own voice (a column's `I think`, a leader's `we believe`, outside any quote),
# never credited to a person the article names. ``action``: a deed told with a verb that
# PolNeAR counts as an attribution of an attitude but a reader does not take for words
# said (`refused to meet`, `sought a deal`, `imposed a boycott`): kept, not listed.
STATEMENT_KINDS = ("statement", "belief", "hedge", "author", "action")
# Who spoke, as far as the article tells. ``named``: an entity the article names (also
# when a pronoun or a role noun, `she`, `the envoy`, resolves to one). ``described``: a
# person the article knows only by a description (`a resident of Izium`, `the father of
# the missing sailor`): kept with that description, linked to the entity it mentions
# (``described_by``) and never replaced by it. ``anonymous``: an unnamed source
# (`diplomatic sources`, `a source familiar with the talks`, `officials`). ``unresolved``:
# a speaker phrase the engine could not tie to anyone (`he` with no antecedent). Hedges
# and the author's own voice have no speaker, so no speaker kind (None). ``inferred`` is
# the store's, never the extraction's: a described title (`the Kremlin spokesman`) that
# exactly one person the store names held around that day is credited to that person,
# with the evidence kept beside it (``store.inference``).
SPEAKER_KINDS = ("named", "described", "anonymous", "unresolved", "inferred")
# The kinds a listing leaves out unless asked for (``QueryFilters.all_kinds`` or an
# explicit ``kind``); the store's precomputed speaker and chain totals leave them out too,
# so a ranking and the default listing it links to count the same statements.
UNLISTED_KINDS = ("belief", "hedge", "author", "action")

SPEECH_ACTS = (
    "assert",
    "deny",
    "reject",
    "propose",
    "promise",
    "warn",
    "threaten",
    "appeal",
    "thank",
    "praise",
    "accuse",
    "confirm",
    "ask",
    "report",
    "believe",
)


@dataclass(frozen=True)
class Span:
    """A character span ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])


@dataclass
class Dateline:
    """``Moscow, Dec 11 (IANS)``: where and when the story was filed, and by whom."""

    span: Span
    place: str | None = None
    date_text: str | None = None
    agency: str | None = None


@dataclass
class Article:
    """One news article: the body exactly as read, plus metadata.

    Readers never rewrite ``text``: boilerplate (the ``date`` prefix, dateline, sign-off,
    editor slug) stays in the text and is recorded as spans, so offsets stay valid.
    """

    text: str
    id: str = ""
    path: str | None = None
    title: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD, the article's publication date
    url: str | None = None
    source: str | None = None  # outlet or agency that published the article
    agency: str | None = None  # wire agency from the dateline or sign-off
    dateline: Dateline | None = None
    date_prefix: Span | None = None
    title_span: Span | None = None
    signoff: Span | None = None
    slug: Span | None = None
    furniture: list[Span] = field(default_factory=list)  # READ MORE, captions, ads...

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)

    @property
    def reported_by(self) -> str | None:
        """The outlet or agency answerable for the article's statements."""
        return self.agency or self.source

    def boilerplate_spans(self) -> list[Span]:
        """Spans that are metadata, not prose: never part of a statement.

        The title is prose (headlines carry attributions: "X says Y"), so it is not here.
        """
        spans = [self.date_prefix, self.signoff, self.slug, *self.furniture]
        if self.dateline is not None:
            spans.append(self.dateline.span)
        return [s for s in spans if s is not None]


def content_id(text: str) -> str:
    """A stable id from the article text: re-reading the same article gives the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Mention:
    """One place an entity is referred to: a name, a pronoun or a role noun."""

    start: int
    end: int
    text: str
    kind: str = "name"  # name | pronoun | nominal


@dataclass
class Entity:
    """A person, organisation or place of the article, with every mention of it."""

    id: str
    name: str
    type: str  # PERSON | ORG | GPE | NORP | MEDIA | OTHER
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class ViaLink:
    """One intermediary of a source chain (``Tass`` in IANS <- Tass <- Lavrov)."""

    name: str
    span: Span | None = None
    entity: str | None = None  # entity id where the intermediary is an entity


@dataclass
class Statement:
    """Who said what: one attribution of the article."""

    id: str
    type: str  # direct | indirect | mixed
    act: str
    content: list[Span]
    cue: Span | None = None
    speaker_mention: Span | None = None
    speaker: str | None = None  # entity id
    speaker_name: str | None = None  # the entity's canonical name (or the mention text)
    via: list[ViaLink] = field(default_factory=list)
    reported_by: str | None = None
    date: str | None = None  # ISO day when one day is stated or implied
    date_range: tuple[str, str] | None = None  # when only a range is known
    date_text: str | None = None
    cites: list[str] = field(default_factory=list)  # names of people whose remarks are cited
    denies: Span | None = None  # the claim a denial rejects
    target: str | None = None  # who is thanked, praised, accused, urged (entity id)
    occasion: str | None = None
    # The engine's estimate, in [0, 1], that this row is right: calibrated so that of
    # statements at 0.9 and above at least 90 % are right on PolNeAR dev. None where the
    # engine gives none; a ``min_confidence`` filter leaves such rows out.
    confidence: float | None = None
    kind: str = "statement"  # one of STATEMENT_KINDS
    speaker_kind: str | None = None  # one of SPEAKER_KINDS; None: no speaker (hedge, author)
    described_by: str | None = None  # entity id a described speaker's description names

    @property
    def content_text(self) -> str:
        return " … ".join(s.text for s in self.content)

    @property
    def start(self) -> int:
        return min(s.start for s in self.content)

    @property
    def end(self) -> int:
        return max(s.end for s in self.content)


@dataclass
class Analysis:
    """Everything extracted from one article."""

    article: Article
    entities: list[Entity] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    model: str = ""
    schema_version: str = SCHEMA_VERSION
    # Statement id -> its content's sentence embedding (all-MiniLM-L6-v2, 384 float32,
    # little-endian bytes), when the analysis was asked for them
    # (``AttributionOptions.embeddings``). Kept beside the statements, not in them, so
    # the JSON document carries 2 KB per statement only when asked (``to_dict``).
    embeddings: dict[str, bytes] = field(default_factory=dict, repr=False)

    def entity(self, entity_id: str | None) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def to_dict(self, embeddings: bool = False) -> dict[str, Any]:
        """The JSON document of the extraction schema (see README, "Output schema");
        ``embeddings``: with the statements' vectors (base64), as a worker hands them on."""
        art = self.article
        doc: dict[str, Any] = {
            "schema_version": self.schema_version,
            "model": self.model,
            "article": {
                "id": art.id,
                "path": art.path,
                "title": art.title,
                "date": art.date,
                "url": art.url,
                "source": art.source,
                "agency": art.agency,
                "reported_by": art.reported_by,
                "dateline": _plain(art.dateline),
                "date_prefix": _plain(art.date_prefix),
                "title_span": _plain(art.title_span),
                "signoff": _plain(art.signoff),
                "slug": _plain(art.slug),
                "furniture": [_plain(f) for f in art.furniture],
                "text": art.text,
            },
            "entities": [_plain(e) for e in self.entities],
            "statements": [],
        }
        for st in self.statements:
            d = _plain(st)
            d["content_text"] = st.content_text
            d["date_range"] = list(st.date_range) if st.date_range else None
            doc["statements"].append(d)
        if embeddings and self.embeddings:
            doc["embeddings"] = {
                k: base64.b64encode(v).decode() for k, v in self.embeddings.items()
            }
        return doc

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Analysis:
        """Inverse of ``to_dict`` (used by the store, the API and the batch loader)."""
        a = dict(doc["article"])
        a.pop("reported_by", None)
        article = Article(
            text=a.pop("text"),
            dateline=_dateline(a.pop("dateline", None)),
            date_prefix=_span(a.pop("date_prefix", None)),
            title_span=_span(a.pop("title_span", None)),
            signoff=_span(a.pop("signoff", None)),
            slug=_span(a.pop("slug", None)),
            furniture=[f for f in map(_span, a.pop("furniture", None) or []) if f is not None],
            **{k: v for k, v in a.items() if k in _field_names(Article)},
        )
        entities = [
            Entity(
                id=e["id"],
                name=e["name"],
                type=e["type"],
                aliases=list(e.get("aliases", [])),
                roles=list(e.get("roles", [])),
                mentions=[Mention(**m) for m in e.get("mentions", [])],
            )
            for e in doc.get("entities", [])
        ]
        statements = []
        for s in doc.get("statements", []):
            statements.append(
                Statement(
                    id=s["id"],
                    type=s["type"],
                    act=s["act"],
                    content=[_span(c) for c in s["content"]],
                    cue=_span(s.get("cue")),
                    speaker_mention=_span(s.get("speaker_mention")),
                    speaker=s.get("speaker"),
                    speaker_name=s.get("speaker_name"),
                    via=[
                        ViaLink(name=v["name"], span=_span(v.get("span")), entity=v.get("entity"))
                        for v in s.get("via", [])
                    ],
                    reported_by=s.get("reported_by"),
                    date=s.get("date"),
                    date_range=tuple(s["date_range"]) if s.get("date_range") else None,
                    date_text=s.get("date_text"),
                    cites=list(s.get("cites", [])),
                    denies=_span(s.get("denies")),
                    target=s.get("target"),
                    occasion=s.get("occasion"),
                    confidence=_confidence(s.get("confidence")),
                    kind=s.get("kind") or "statement",
                    speaker_kind=s.get("speaker_kind"),
                    described_by=s.get("described_by"),
                )
            )
        return cls(
            article=article,
            entities=entities,
            statements=statements,
            model=doc.get("model", ""),
            schema_version=doc.get("schema_version", SCHEMA_VERSION),
            embeddings={k: base64.b64decode(v) for k, v in (doc.get("embeddings") or {}).items()},
        )


def _field_names(cls: type) -> set[str]:
    return {f.name for f in fields(cls)}


def _plain(obj: Any) -> Any:
    """Dataclasses to plain dicts and lists. ``dataclasses.asdict`` deep-copies every value
    and cost a store write about 1.5 ms per article; these values are immutable or fresh."""
    if obj is None or isinstance(obj, str | int | float | bool):
        return obj
    if isinstance(obj, list | tuple):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return {name: _plain(getattr(obj, name)) for name in _field_tuple(type(obj))}


@functools.cache
def _field_tuple(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _span(d: dict[str, Any] | None) -> Span | None:
    return None if d is None else Span(d["start"], d["end"], d["text"])


def _confidence(value: Any) -> float | None:
    """A stored confidence as a float; absent (a 1.0 document) or null is None."""
    return None if value is None else float(value)


def _dateline(d: dict[str, Any] | None) -> Dateline | None:
    if d is None:
        return None
    return Dateline(
        span=_span(d["span"]),
        place=d.get("place"),
        date_text=d.get("date_text"),
        agency=d.get("agency"),
    )
