"""Response models of the REST API, so ``/docs`` and ``/openapi.json`` describe every field.

The field names are the extraction schema's (``Analysis.to_dict()``); see
``web/serialize.py`` for how query rows are mapped onto them. Extra store-only fields
(the article a statement was read in, how many outlets carried it) have their own names.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class SpanOut(BaseModel):
    start: int
    end: int
    text: str


class ViaOut(BaseModel):
    name: str | None
    span: SpanOut | None = None
    entity: str | None = Field(None, description="Article-local entity id, where known")


class ArticleRef(BaseModel):
    id: str
    title: str | None
    date: str | None
    outlet: str | None


class StatementOut(BaseModel):
    id: int = Field(description="Statement id in the store")
    type: str = Field(description="direct | indirect | mixed")
    act: str = Field(description="Speech act: assert, deny, reject, propose, warn, …")
    content: list[SpanOut] = Field(description="Content spans in the article text")
    content_text: str
    cue: SpanOut | None
    speaker_mention: SpanOut | None
    speaker: int | None = Field(description="Entity id of the speaker (/api/speakers/{id})")
    speaker_name: str | None
    via: list[ViaOut] = Field(description="Source chain, outermost intermediary first")
    reported_by: str | None
    date: str | None = Field(description="Day said (else range start, else article date)")
    date_range: list[str] | None
    date_text: str | None
    cites: list[str] = Field(default_factory=list, description="People whose remarks are cited")
    denies: SpanOut | None = Field(default=None, description="The claim a denial denies")
    target: int | None = Field(
        default=None, description="Entity thanked, praised, accused or urged (/api/speakers/{id})"
    )
    occasion: str | None = None
    outlet_count: int = Field(description="Distinct outlets carrying the same claim")
    report_count: int
    story_id: str
    article: ArticleRef | None = None
    article_id: str | None = None


class StatementPage(BaseModel):
    items: list[StatementOut]
    total: int | None
    limit: int | None
    offset: int


class SpeakerRowOut(BaseModel):
    id: int
    name: str
    type: str
    statements: int
    claims: int
    first_date: str | None
    last_date: str | None
    roles: list[str]


class SpeakerPage(BaseModel):
    items: list[SpeakerRowOut]
    total: int | None
    limit: int | None
    offset: int


class RoleOut(BaseModel):
    role: str
    first_seen: str | None
    last_seen: str | None
    count: int = Field(description="Articles naming the role")


class TimelineOut(BaseModel):
    day: str
    act: str
    count: int


class TopicOut(BaseModel):
    term: str
    count: int


class SpeakerOut(BaseModel):
    id: int
    name: str
    type: str
    aliases: list[str]
    article_count: int
    first_seen: str | None
    last_seen: str | None
    statements: int
    claims: int
    first_date: str | None
    last_date: str | None
    roles: list[RoleOut] = Field(description="Roles and titles over time, oldest first")
    acts: dict[str, int]
    outlets: dict[str, int]
    via: dict[str, int]
    timeline: list[TimelineOut] = Field(description="Statements per day per act")
    topics: list[TopicOut]


class DatelineOut(BaseModel):
    span: SpanOut
    place: str | None


class ArticleMetaOut(BaseModel):
    id: str
    path: str | None
    title: str | None
    date: str | None
    url: str | None
    source: str | None
    agency: str | None
    reported_by: str | None
    dateline: DatelineOut | None
    date_prefix: SpanOut | None
    title_span: SpanOut | None
    signoff: SpanOut | None
    slug: SpanOut | None
    story_id: str
    text: str | None = Field(None, description="The body exactly as read; offsets point here")


class EntityOut(BaseModel):
    id: str = Field(description="Article-local entity id")
    entity_id: int = Field(description="The merged entity across the corpus")
    name: str
    name_here: str
    type: str
    roles: list[str]
    mentions: list[SpanOut]


class CopyOut(BaseModel):
    id: str
    title: str | None
    date: str | None
    reported_by: str | None


class ArticleOut(BaseModel):
    article: ArticleMetaOut
    entities: list[EntityOut]
    statements: list[StatementOut]
    copies: list[CopyOut] = Field(description="The same story as other outlets carried it")


class ChainOut(BaseModel):
    outlet: str | None
    via: list[str] = Field(description="Intermediaries, outermost first; [] = direct")
    speaker_id: int | None
    speaker: str | None
    count: int


class ChainPage(BaseModel):
    items: list[ChainOut]
    limit: int | None
    offset: int


class OutletOut(BaseModel):
    name: str
    articles: int
    statements: int
    first_date: str | None
    last_date: str | None


class OutletList(BaseModel):
    items: list[OutletOut]


class StatsOut(BaseModel):
    articles: int
    stories: int
    copies: int
    statements: int
    claims: int
    entities: int
    people: int
    speakers: int
    outlets: int
    errors: int
    first_date: str | None
    last_date: str | None
    acts: dict[str, int]


class StoredOut(BaseModel):
    status: str = Field(description="added | copy | duplicate")
    article_id: str
    story_id: str | None
    statements: int
    title: str | None
    path: str | None


class IngestOut(BaseModel):
    stored: list[StoredOut]
    errors: list[str] = Field(description="One line per input that could not be read")
