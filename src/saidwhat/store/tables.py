"""The store's tables, as one SQLAlchemy Core ``MetaData`` shared by SQLite and PostgreSQL.

Why Core and not the ORM: ingest writes thousands of rows per second in batches
(``executemany`` inside one transaction per article), and the query layer composes
filters; neither wants identity maps. Every table here is portable; the only
dialect-specific objects are the full-text indexes, created by the migrations:

* SQLite: ``statements_fts``, an FTS5 table with external content ``statements``
  (rowid = ``statements.id``), kept in sync by triggers in the same transaction.
* PostgreSQL: ``statements.search``, a generated ``tsvector`` column with a GIN index.

``saidwhat.store.fts.search_clause`` hides the difference from readers.
See docs/store.md for what each column means.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# JSON everywhere; JSONB on PostgreSQL so the query layer can index into it.
JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

outlets = sa.Table(
    "outlets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.Text, nullable=False, unique=True),  # normalised name
    sa.Column("name", sa.Text, nullable=False),  # as first seen
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),  # schema.content_id(text)
    sa.Column("path", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("date", sa.String(10), index=True),  # ISO YYYY-MM-DD
    sa.Column("source", sa.Text),  # publishing outlet, as read
    sa.Column("agency", sa.Text),  # wire agency from dateline / sign-off
    sa.Column("reported_by", sa.Text, index=True),  # agency or source
    sa.Column("outlet_id", sa.Integer, sa.ForeignKey("outlets.id"), index=True),
    sa.Column("dateline_place", sa.Text),
    sa.Column("dateline_date_text", sa.Text),
    # {"dateline", "date_prefix", "title_span", "signoff", "slug", "furniture": [...]}
    sa.Column("spans", JSONType),
    sa.Column("text", sa.Text, nullable=False),
    # linking.copies.text_hash: equal for whitespace twins, which are duplicates (0005)
    sa.Column("text_hash", sa.String(32), index=True),
    sa.Column("story_id", sa.String(32), nullable=False, index=True),  # == id unless a copy
    sa.Column("statement_count", sa.Integer, nullable=False, default=0),
    sa.Column("model", sa.Text),
    sa.Column("schema_version", sa.String(16), nullable=False),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("analysis", JSONType, nullable=False),  # Analysis.to_dict() minus article text
)

article_minhash = sa.Table(
    "article_minhash",
    metadata,
    sa.Column(
        "article_id",
        sa.String(32),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("signature", sa.LargeBinary, nullable=False),  # num_perm x uint32, little endian
)

minhash_bands = sa.Table(
    "minhash_bands",
    metadata,
    sa.Column("band_key", sa.BigInteger, nullable=False, index=True),  # hash(band no, rows)
    sa.Column(
        "article_id",
        sa.String(32),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.PrimaryKeyConstraint("band_key", "article_id"),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("type", sa.String(16), nullable=False),  # PERSON | ORG | GPE | NORP | MEDIA | OTHER
    sa.Column("name", sa.Text, nullable=False),  # canonical name
    sa.Column("key", sa.Text, nullable=False, index=True),  # normalised canonical name
    sa.Column("first_name", sa.Text, nullable=False, default=""),  # PERSON: normalised
    sa.Column("surname_key", sa.Text, nullable=False, default="", index=True),
    sa.Column("aliases", JSONType, nullable=False),  # sorted list of names seen
    sa.Column("name_counts", JSONType, nullable=False),  # {name: articles}
    sa.Column("article_count", sa.Integer, nullable=False, default=0),
    sa.Column("first_seen", sa.String(10)),
    sa.Column("last_seen", sa.String(10)),
    sa.Column("merged_into", sa.Integer, sa.ForeignKey("entities.id"), index=True),
    sa.Index("ix_entities_type_key", "type", "key"),
)

# Spelling variants of PERSON surname keys (the key and its one-letter deletions, for keys
# of 7+ letters): finds "zelenski" from "zelensky" with one indexed lookup (linking/names.py).
surname_variants = sa.Table(
    "surname_variants",
    metadata,
    sa.Column("variant", sa.String(100), nullable=False),
    sa.Column("surname_key", sa.String(100), nullable=False),
    sa.PrimaryKeyConstraint("variant", "surname_key"),
)

entity_roles = sa.Table(
    "entity_roles",
    metadata,
    sa.Column(
        "entity_id", sa.Integer, sa.ForeignKey("entities.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("first_seen", sa.String(10)),  # article dates
    sa.Column("last_seen", sa.String(10)),
    sa.Column("count", sa.Integer, nullable=False, default=0),  # articles
    # Articles where the role came with the person's full name: the evidence that tells
    # namesakes apart (roles of bare-surname mentions would feed back on themselves).
    sa.Column("named_count", sa.Integer, nullable=False, default=0, server_default="0"),
    sa.PrimaryKeyConstraint("entity_id", "role"),
)

# One row per entity per article: the observation cross-article merging works from.
article_entities = sa.Table(
    "article_entities",
    metadata,
    sa.Column(
        "article_id",
        sa.String(32),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("local_id", sa.String(32), nullable=False),  # Entity.id within the Analysis
    sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id"), nullable=False, index=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("roles", JSONType, nullable=False),
    sa.Column("aliases", JSONType, nullable=False),
    sa.Column("surname_key", sa.Text, nullable=False, default="", index=True),
    sa.Column("match", sa.String(16), nullable=False),  # why it joined (linking/names.py)
    sa.Column("date", sa.String(10)),  # the article's date (dates roles)
    sa.PrimaryKeyConstraint("article_id", "local_id"),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "article_id",
        sa.String(32),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("local_entity", sa.String(32), nullable=False),
    sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id"), nullable=False, index=True),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # name | pronoun | nominal
)

statements = sa.Table(
    "statements",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),  # FTS rowid on SQLite
    sa.Column(
        "article_id",
        sa.String(32),
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("local_id", sa.String(32), nullable=False),  # Statement.id within the Analysis
    sa.Column("type", sa.String(16), nullable=False),  # direct | indirect | mixed
    sa.Column("act", sa.String(16), nullable=False, index=True),
    sa.Column("content_text", sa.Text, nullable=False),  # spans joined with " … "
    sa.Column("content_spans", JSONType, nullable=False),  # [{"start","end","text"}]
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("cue_start", sa.Integer),
    sa.Column("cue_end", sa.Integer),
    sa.Column("cue_text", sa.Text),
    sa.Column("speaker_start", sa.Integer),  # the speaker mention
    sa.Column("speaker_end", sa.Integer),
    sa.Column("speaker_text", sa.Text),
    sa.Column("speaker_local", sa.String(32)),  # Entity.id within the Analysis
    sa.Column("speaker_entity_id", sa.Integer, sa.ForeignKey("entities.id"), index=True),
    sa.Column("speaker_name", sa.Text, index=True),
    sa.Column("via", JSONType, nullable=False),  # [{"name","span","entity"}], outermost first
    sa.Column("via_text", sa.Text, nullable=False, default=""),  # "Tass; local media"
    sa.Column("reported_by", sa.Text, index=True),
    sa.Column("date", sa.String(10), index=True),
    sa.Column("date_from", sa.String(10)),
    sa.Column("date_to", sa.String(10)),
    sa.Column("date_text", sa.Text),
    # The day it was said: its own date, else the start of its range, else the article's
    # date; day_to the last day it may have been said (== day unless a range). What date
    # filters, timelines and first/last days read, without a join (0006).
    sa.Column("day", sa.String(10)),
    sa.Column("day_to", sa.String(10)),
    # The article's date, copied: the order readers list statements in (newest article
    # first), so a page is sorted without reading every matching article row.
    sa.Column("article_date", sa.String(10)),
    sa.Column("cites", JSONType, nullable=False),  # [names]
    sa.Column("denies_text", sa.Text),
    sa.Column("denies", JSONType),  # the span
    sa.Column("target_local", sa.String(32)),
    sa.Column("target_entity_id", sa.Integer, sa.ForeignKey("entities.id"), index=True),
    sa.Column("occasion", sa.Text),
    # Statement.confidence: the engine's estimate that the row is right, in [0, 1]; NULL
    # where it gave none (and for statements stored before 0007), which a
    # min_confidence filter leaves out.
    sa.Column("confidence", sa.Float),
    # Statement.kind: statement | belief | hedge (schema.STATEMENT_KINDS); 'statement'
    # for every row stored before 0008. Beliefs are left out of default listings and of
    # speaker_stats / chain_counts (store.aggregates).
    sa.Column("kind", sa.String(16), nullable=False, server_default="statement", index=True),
    # Statement.speaker_kind: named | described | anonymous (schema.SPEAKER_KINDS); NULL
    # when no kind was decided (rows without a speaker entity stored before 0013).
    sa.Column("speaker_kind", sa.String(16), index=True),
    # The entity a described speaker is described by ("a resident of Izium": Izium).
    sa.Column("described_by_local", sa.String(32)),  # Entity.id within the Analysis
    sa.Column("described_by_id", sa.Integer, index=True),
    # Speaker kind ``inferred``: the role, days and article count that credited a title
    # the article never ties to a name (`the Kremlin spokesman`) to one person (0016).
    sa.Column("speaker_evidence", JSONType),
    sa.Column("story_id", sa.String(32), nullable=False, index=True),
    sa.Column("fingerprint", sa.String(40), nullable=False, index=True),
    sa.UniqueConstraint("article_id", "local_id"),
    # Date filters: a day range on (day, day_to); statements said over a range that
    # starts before the filter's first day come from the small partial index.
    # Both carry the page order (article_date, article_id, id): a page of dates alone is
    # read from the index.
    sa.Index("ix_statements_day_day_to", "day", "day_to", "article_date", "article_id", "id"),
    sa.Index("ix_statements_article_order", "article_date", "article_id", "id"),
    sa.Index(
        "ix_statements_ranged_day_to",
        "day_to",
        "day",
        "article_date",
        "article_id",
        "id",
        sqlite_where=sa.text("day < day_to"),
        postgresql_where=sa.text("day < day_to"),
    ),
    # Facets (0015, query.facets): a count per act, type, speaker or day over every
    # statement of the kinds listed, read from these indexes alone instead of the rows.
    sa.Index("ix_statements_act_kind", "act", "kind"),
    sa.Index("ix_statements_type_kind", "type", "kind"),
    sa.Index("ix_statements_speaker_entity_kind", "speaker_entity_id", "kind"),
    sa.Index("ix_statements_day_kind", "day", "kind"),
    sa.Index("ix_statements_via_kind", "via_text", "kind"),
)

# One row per distinct statement (fingerprint): counts it once however many report it.
claims = sa.Table(
    "claims",
    metadata,
    sa.Column("fingerprint", sa.String(40), primary_key=True),
    # SET NULL: deleting an article (and its statements) must not be blocked by a claim.
    sa.Column(
        "first_statement_id", sa.Integer, sa.ForeignKey("statements.id", ondelete="SET NULL")
    ),
    sa.Column("speaker_entity_id", sa.Integer, sa.ForeignKey("entities.id"), index=True),
    sa.Column("speaker_name", sa.Text),
    sa.Column("content_text", sa.Text, nullable=False),
    sa.Column("first_date", sa.String(10)),
    sa.Column("report_count", sa.Integer, nullable=False, default=1),  # statements rows
    sa.Column("outlet_count", sa.Integer, nullable=False, default=1),  # distinct reported_by
)

# Statement embeddings (0014): all-MiniLM-L6-v2 of the content, 384 little-endian
# float32 (1,536 bytes). A table of its own so that reading statements never drags the
# vectors along; a statement without a row here has no vector yet (``saidwhat reindex``).
statement_vectors = sa.Table(
    "statement_vectors",
    metadata,
    sa.Column(
        "statement_id",
        sa.Integer,
        sa.ForeignKey("statements.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("vector", sa.LargeBinary, nullable=False),
)

# Precomputed for the speaker ranking and the source chains (store/aggregates.py): kept
# current in the writer's transaction, rebuilt by a re-merge. No foreign keys: derived
# rows, rebuilt wholesale while entities are renumbered.
speaker_stats = sa.Table(
    "speaker_stats",
    metadata,
    sa.Column("entity_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("statements", sa.Integer, nullable=False),
    sa.Column("claims", sa.Integer, nullable=False),  # distinct fingerprints
    sa.Column("first_day", sa.String(10)),
    sa.Column("last_day", sa.String(10)),
    sa.Index("ix_speaker_stats_statements", "statements"),
)

chain_counts = sa.Table(
    "chain_counts",
    metadata,
    sa.Column("key", sa.String(40), primary_key=True),  # aggregates.chain_key
    sa.Column("reported_by", sa.Text),
    sa.Column("via_text", sa.Text),
    sa.Column("speaker_entity_id", sa.Integer, index=True),
    sa.Column("speaker_name", sa.Text),  # only when the speaker is unresolved
    sa.Column("n", sa.Integer, nullable=False, index=True),
)

errors = sa.Table(
    "errors",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("stage", sa.String(16), nullable=False),  # read | analyse | store | watch
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)


# --- watching feeds and saved searches (``saidwhat watch``; migration 0012) ---------------

watch_sources = sa.Table(
    "watch_sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("url", sa.String(2000), nullable=False, unique=True),
    # the validators of the last 200, sent back as If-None-Match / If-Modified-Since
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("last_polled", sa.DateTime(timezone=True)),
    sa.Column("last_status", sa.String(40)),  # new | not-modified | error
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),  # in a row
    sa.Column("next_poll", sa.DateTime(timezone=True)),  # backoff after failures
    sa.Column("last_error", sa.Text),
    sa.Column("items_new", sa.Integer, nullable=False, server_default="0"),  # in all
)

saved_searches = sa.Table(
    "saved_searches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("filters", sa.Text, nullable=False),  # QueryFilters as JSON
    sa.Column("webhook", sa.String(2000)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # statements up to this id existed when the search was saved or last checked
    sa.Column("last_statement_id", sa.Integer, nullable=False, server_default="0"),
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "search_id",
        sa.Integer,
        sa.ForeignKey("saved_searches.id", ondelete="CASCADE"),
        nullable=False,
    ),
    # no foreign key: the alert history outlives a statement re-analysed away; what
    # matched is kept with it
    sa.Column("statement_id", sa.Integer, nullable=False),
    sa.Column("article_id", sa.String(16), nullable=False),
    sa.Column("speaker", sa.Text),
    sa.Column("act", sa.String(16)),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("date", sa.String(10)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("webhook_status", sa.Text),  # null: no webhook; sent; failed: <reason>
    sa.UniqueConstraint("search_id", "statement_id", name="uq_alerts_search_statement"),
)
