"""The served example corpus for the API and browser tests, built once per test session.

``examples/articles/`` (original fiction written for the project) goes through the real
``saidwhat.ingest`` into a SQLite store; two hand-built articles are added on top so
some facts do not depend on extraction quality:

* a wire chain: IANS reporting a minister through Tass (``IANS ← Tass ← speaker``);
* a hostile article: ``<script>``, HTML and odd Unicode (RTL override, combining marks,
  emoji, zero-width joiner) in the text, the speaker's name, role and quote.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from saidwhat.schema import Analysis, Article, Entity, Mention, Span, Statement, ViaLink

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "articles"

# window.__pwned / document.title would change if any of this ever ran in a page.
SCRIPT = "<script>window.__pwned=1;document.title='pwned'</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
HOSTILE_NAME = "Zoë <i>Ağaoğlu</i>\u200d"
HOSTILE_ROLE = "Minister <u>of</u> Tests"
HOSTILE_QUOTE = (
    f"{SCRIPT} We will <b>never</b> {IMG} yield \u202ereversed\u202c on the ẑ̷a̴l̶g̷o̵ "
    "question 🙂 ' OR 1=1; DROP TABLE statements; --"
)
CHAIN_SPEAKER = "Boris Tallinov"


def _span(text: str, piece: str, start_at: int = 0) -> Span:
    i = text.index(piece, start_at)
    return Span(i, i + len(piece), piece)


def chain_analysis() -> Analysis:
    """IANS quoting a (fictional) minister through Tass."""
    text = (
        " date 2026-03-12 Moscow, Mar 12 (IANS) Deputy Energy Minister Boris Tallinov "
        'told Tass that "the grid repair brigades will work through the weekend" in the '
        "eastern regions.\n\nHe gave no further details.\n\n--IANS\n\nab/cd"
    )
    article = Article(text=text, date="2026-03-12", source="IANS", agency="IANS", path="chain.txt")
    name = _span(text, CHAIN_SPEAKER)
    speaker = Entity(
        "E1",
        CHAIN_SPEAKER,
        "PERSON",
        roles=["Deputy Energy Minister"],
        mentions=[Mention(name.start, name.end, name.text)],
    )
    tass_span = _span(text, "Tass")
    tass = Entity("E2", "Tass", "MEDIA", mentions=[Mention(tass_span.start, tass_span.end, "Tass")])
    st = Statement(
        id="S1",
        type="direct",
        act="promise",
        content=[_span(text, "the grid repair brigades will work through the weekend")],
        cue=_span(text, "told"),
        speaker_mention=name,
        speaker="E1",
        speaker_name=CHAIN_SPEAKER,
        via=[ViaLink(name="Tass", span=tass_span, entity="E2")],
        reported_by="IANS",
        date="2026-03-12",
    )
    return Analysis(article=article, entities=[speaker, tass], statements=[st], model="hand")


def hostile_analysis() -> Analysis:
    """An article whose text, speaker name, role and quote are full of markup."""
    text = (
        f" date 2026-03-13 {SCRIPT} Geneva, Mar 13 (Meridian Wire) {HOSTILE_ROLE} "
        f'{HOSTILE_NAME} said: "{HOSTILE_QUOTE}" she said.\n\n'
        "<style>body{display:none}</style> Nobody else commented."
    )
    article = Article(
        text=text,
        date="2026-03-13",
        source="Meridian Wire",
        path="hostile.txt",
        url="javascript:window.__pwned=3",
        title=f"{SCRIPT} Hostile \u202e<em>title</em>",
    )
    name = _span(text, HOSTILE_NAME)
    ent = Entity(
        "E1",
        HOSTILE_NAME,
        "PERSON",
        roles=[HOSTILE_ROLE],
        mentions=[Mention(name.start, name.end, name.text)],
    )
    st = Statement(
        id="S1",
        type="direct",
        act="reject",
        content=[_span(text, HOSTILE_QUOTE)],
        cue=_span(text, "said", name.end),
        speaker_mention=name,
        speaker="E1",
        speaker_name=HOSTILE_NAME,
        via=[ViaLink(name=f"{IMG}\u202eagency")],
        reported_by="Meridian Wire",
        date="2026-03-13",
    )
    return Analysis(article=article, entities=[ent], statements=[st], model="hand")


@dataclass(frozen=True)
class Corpus:
    db: Path
    chain_article: str
    hostile_article: str


_BUILT: dict[str, Corpus] = {}


def build_corpus(tmp_path_factory: pytest.TempPathFactory, nlp) -> Corpus:  # type: ignore[no-untyped-def]
    """The example corpus store (built on first use, then shared by the session)."""
    if "corpus" in _BUILT:
        return _BUILT["corpus"]
    from saidwhat.ingest import ingest
    from saidwhat.store import open_store

    if not EXAMPLES.is_dir():
        pytest.skip(f"{EXAMPLES} is missing")
    db = tmp_path_factory.mktemp("web-corpus") / "corpus.db"
    with open_store(db) as store:
        report = ingest([str(EXAMPLES)], store, nlp=nlp, progress=False)
        assert report.errors == 0, report.failures
        chain, hostile = chain_analysis(), hostile_analysis()
        store.add_analysis(chain)
        store.add_analysis(hostile)
    _BUILT["corpus"] = Corpus(db, chain.article.id, hostile.article.id)
    return _BUILT["corpus"]
