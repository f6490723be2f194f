"""The read API over the real example corpus (examples/articles, original fiction),
extracted by the real pipeline and stored by ``saidwhat.ingest`` / ``Store.add_analysis``.

The assertions follow the storyline documented in examples/README.md (Velikov rejects,
then proposes a moratorium; Markin denies strike reports; syndicated copies), and check
that every answer is consistent with the rows it summarises.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import store_support as sup
from saidwhat.analyse import AnalysisFailed, analyse_many
from saidwhat.ingest import ingest
from saidwhat.query import (
    QueryFilters,
    count_statements,
    get_article,
    get_speaker,
    list_speakers,
    search_statements,
    speaker_timeline,
    stats,
)
from saidwhat.reading.readers import iter_inputs
from saidwhat.reading.records import ReadError
from saidwhat.store import open_store

pg_url, store_url = sup.pg_url, sup.store_url  # fixtures

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"


@pytest.fixture(scope="module")
def analyses(nlp):
    articles = [a for a in iter_inputs([str(EXAMPLES)]) if not isinstance(a, ReadError)]
    done = [a for a in analyse_many(articles, nlp=nlp) if not isinstance(a, AnalysisFailed)]
    assert len(done) == len(articles) > 30
    return done


@pytest.fixture
def example_store(store_url, analyses):
    store = open_store(store_url)
    for a in analyses:
        store.add_analysis(a)
    yield store
    store.close()


def test_ingest_path_gives_the_same_store(tmp_path, nlp, analyses):
    with open_store(tmp_path / "ingested.db") as store:
        ingest([str(EXAMPLES)], store, nlp, progress=False)
        s = stats(store)
        speakers = [(r.name, r.statements) for r in list_speakers(store).items]
    with open_store(tmp_path / "added.db") as store:
        for a in analyses:
            store.add_analysis(a)
        assert (s.articles, s.statements, s.claims, s.copies) == (
            stats(store).articles,
            stats(store).statements,
            stats(store).claims,
            stats(store).copies,
        )
        assert speakers == [(r.name, r.statements) for r in list_speakers(store).items]


def test_storyline_speakers_acts_and_timeline(example_store):
    velikov = get_speaker(example_store, "velikov")
    assert velikov is not None and velikov.name == "Anton Velikov"
    assert "propose" in velikov.acts and ({"reject", "deny"} & set(velikov.acts))
    assert any("Foreign Minister" in r.role for r in velikov.roles)
    points = speaker_timeline(example_store, velikov.id)
    assert sum(p.count for p in points) == velikov.statements
    assert all("2026-03-01" <= p.day <= "2026-03-22" for p in points)
    rejects = search_statements(example_store, QueryFilters(speaker="Velikov", act="reject"))
    proposals = search_statements(example_store, QueryFilters(speaker="Velikov", act="propose"))
    assert rejects.total == velikov.acts.get("reject", 0)
    assert proposals.total == velikov.acts["propose"]
    assert {(r.speaker, r.act) for r in rejects.items + proposals.items} <= {
        ("Anton Velikov", "reject"),
        ("Anton Velikov", "propose"),
    }
    markin = search_statements(example_store, QueryFilters(speaker="Markin", act="deny"))
    assert markin.total and all(r.speaker == "Yevgeny Markin" for r in markin.items)


def test_filters_agree_with_the_rows(example_store):
    everything = search_statements(example_store, QueryFilters(limit=None)).items
    truce = search_statements(example_store, QueryFilters(about="truce", limit=None))
    assert 0 < truce.total < len(everything)
    assert all(
        "truce" in r.content.lower() or "truce" in (r.speaker or "").lower() for r in truce.items
    )
    window = search_statements(
        example_store, QueryFilters(since="2026-03-09", until="2026-03-15", limit=None)
    ).items
    assert window and all(
        (r.date_to or r.date) >= "2026-03-09" and r.date <= "2026-03-15" for r in window
    )
    tass = search_statements(example_store, QueryFilters(outlet="tass", limit=None)).items
    assert tass and {r.reported_by for r in tass} == {"TASS"}
    assert len(tass) == sum(1 for r in everything if r.reported_by == "TASS")
    via = search_statements(example_store, QueryFilters(via="local media", limit=None)).items
    assert via and all(any("local media" in v for v in r.via) for r in via)
    # syndicated copies: fewer distinct claims than reports, and the counts agree
    distinct = count_statements(example_store, QueryFilters(distinct_claims=True))
    assert distinct < len(everything)
    assert distinct == len({r.fingerprint for r in everything})


def test_article_spans_point_into_the_text(example_store):
    s = stats(example_store)
    assert s.copies >= 1
    page = search_statements(example_store, QueryFilters(limit=None))
    copied = next(r for r in page.items if r.outlet_count > 1)
    detail = get_article(example_store, copied.article_id)
    assert detail is not None and detail.copies
    for st in detail.statements:
        for span in st.content_spans:
            assert detail.text[span["start"] : span["end"]] == span["text"]
        if st.speaker_span:
            assert detail.text[slice(*st.speaker_span)] == st.speaker_text
