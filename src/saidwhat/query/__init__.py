"""The read side of the store: the only code that writes SQL for reading.

The CLI (``cli/query.py``), the REST API and the web pages call these functions; each
takes a ``Store`` (``open_reader``, which never writes, or ``open_store``) or an
``sa.Engine`` and returns plain dataclasses with ``to_dict()``. Those dataclasses are
also the REST API's response models: the rows that the API serves as they are
(``SpeakerRow``, ``ChainRow``, ``Stats``, ...) and, in ``query.documents``, statements and
articles under the extraction schema's field names (``ReportedStatement``,
``ArticleDocument``). The same SQLAlchemy Core queries run on SQLite and PostgreSQL; the
only dialect-specific part, full-text search, lives in ``saidwhat.store.fts``.
``store_generation`` says, with one cheap query, whether anything shown has changed
(the web app's ETags are keyed on it).

    from saidwhat.query import QueryFilters, open_reader, search_statements
    store = open_reader("corpus.db")
    page = search_statements(store, QueryFilters(speaker="Peskov", about="talks", since="2025-12"))
    for row in page.items:
        print(row.date, row.speaker, row.act, row.content, row.via, row.outlet_count)
"""

from saidwhat.query.common import (
    Page,
    Readable,
    StoreNotFound,
    StoreOutdated,
    engine_of,
    open_reader,
)
from saidwhat.query.compare import Comparison, SpeakerSide, UnknownSpeaker, compare_speakers
from saidwhat.query.corpus import (
    ArticleCopy,
    ArticleDetail,
    ArticleEntity,
    ChainRow,
    OutletRow,
    Stats,
    StatsDocument,
    count_chains,
    count_outlets,
    get_article,
    list_outlets,
    source_chains,
    stats,
    stats_document,
)
from saidwhat.query.documents import (
    ArticleDocument,
    ReportedStatement,
    SpeakerProfile,
    article_document,
    speaker_profile,
)
from saidwhat.query.filters import QueryFilters, UnknownValue, speaker_entity_ids
from saidwhat.query.generation import store_generation
from saidwhat.query.names import (
    AmbiguousArticle,
    AmbiguousSpeaker,
    ArticleCandidate,
    SpeakerCandidate,
    find_article,
)
from saidwhat.query.speakers import (
    RoleSpan,
    SpeakerDetail,
    SpeakerRow,
    TimelinePoint,
    find_speaker,
    get_speaker,
    list_speakers,
    speaker_timeline,
    speaker_topics,
)
from saidwhat.query.statements import (
    StatementRow,
    count_statements,
    get_statement,
    iter_statements,
    search_statements,
)

__all__ = [
    "AmbiguousArticle",
    "AmbiguousSpeaker",
    "ArticleCandidate",
    "SpeakerCandidate",
    "ArticleCopy",
    "ArticleDetail",
    "ArticleDocument",
    "ArticleEntity",
    "ChainRow",
    "Comparison",
    "OutletRow",
    "Page",
    "QueryFilters",
    "Readable",
    "ReportedStatement",
    "RoleSpan",
    "SpeakerDetail",
    "SpeakerProfile",
    "SpeakerRow",
    "SpeakerSide",
    "StatementRow",
    "Stats",
    "StoreNotFound",
    "StoreOutdated",
    "UnknownSpeaker",
    "TimelinePoint",
    "article_document",
    "compare_speakers",
    "count_statements",
    "engine_of",
    "find_article",
    "find_speaker",
    "get_article",
    "get_speaker",
    "get_statement",
    "iter_statements",
    "count_chains",
    "count_outlets",
    "list_outlets",
    "list_speakers",
    "open_reader",
    "speaker_entity_ids",
    "UnknownValue",
    "speaker_profile",
    "search_statements",
    "source_chains",
    "speaker_timeline",
    "speaker_topics",
    "stats",
    "stats_document",
    "StatsDocument",
    "store_generation",
]
