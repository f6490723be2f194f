"""Statement embeddings, the vector index and search by meaning (issue 12, items 1-2).

A tiny hand-made corpus (six statements) keeps the encoder's cost to a fraction of a
second; the same tests run on SQLite and PostgreSQL (``store_url``).
"""

from __future__ import annotations

import numpy as np
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

import store_support as sup
from saidwhat.cli import main
from saidwhat.encoder.sentences import from_bytes, load_sentence_encoder, to_bytes
from saidwhat.query import QueryFilters, open_reader, search_statements
from saidwhat.query.similar import content_words, like_ranking
from saidwhat.schema import Analysis
from saidwhat.store import open_store
from saidwhat.store.tables import statement_vectors
from saidwhat.store.vector_index import IndexOptions, VectorIndex, vector_index
from saidwhat.store.vectors import fill_missing, missing_count, read_vectors

pg_url, store_url = sup.pg_url, sup.store_url  # fixtures

PEACE = "We are working on peace, not on a ceasefire"
LASTING = "Our aim is a lasting settlement rather than a pause in the fighting"
GRAIN = "The grain corridor will reopen for ships next Tuesday"
BUDGET = "The ministry will publish the budget figures in May"
TRUCE = "A truce is only a break before the next offensive"
FOOTBALL = "The national team trained for two hours before the match"


def corpus() -> list[Analysis]:
    """Three articles, two speakers, six statements."""
    a = sup.make_analysis(
        f'"{PEACE}," Peskov said. "{GRAIN}," Peskov added.',
        date="2026-03-02",
        source="Daily Example",
        people=[("e1", "Dmitry Peskov", ["Kremlin spokesman"])],
        quotes=[("e1", PEACE, "said"), ("e1", GRAIN, "added")],
    )
    b = sup.make_analysis(
        f'"{LASTING}," Kovalenko said. "{BUDGET}," Kovalenko said later.',
        date="2026-03-05",
        source="Other Paper",
        people=[("e1", "Marta Kovalenko", ["spokeswoman"])],
        quotes=[("e1", LASTING, "said"), ("e1", BUDGET, "said later")],
    )
    c = sup.make_analysis(
        f'"{TRUCE}," Velikov said. "{FOOTBALL}," Velikov noted.',
        date="2026-03-09",
        source="Third Wire",
        people=[("e1", "Anton Velikov", ["minister"])],
        quotes=[("e1", TRUCE, "said"), ("e1", FOOTBALL, "noted")],
    )
    return [a, b, c]


def embedded(analysis: Analysis) -> Analysis:
    """The analysis with its statements' vectors, as ``AttributionOptions(embeddings=True)``
    gives them."""
    vectors = load_sentence_encoder().encode([s.content_text for s in analysis.statements])
    analysis.embeddings = {
        s.id: to_bytes(v) for s, v in zip(analysis.statements, vectors, strict=True)
    }
    return analysis


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    """PostgreSQL index files go to this test's folder, not the user's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def meaning_store(store_url):
    store = open_store(store_url)
    for analysis in corpus():
        store.add_analysis(embedded(analysis))
    store.close()
    return store_url


def test_encoder_batches_give_the_vectors_of_single_texts():
    enc = load_sentence_encoder()
    texts = [PEACE, "short", GRAIN + " " + BUDGET]
    together = enc.encode(texts)
    alone = np.stack([enc.encode([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-5)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(from_bytes(to_bytes(together[0])), together[0])


def test_embeddings_stay_out_of_the_json_unless_asked():
    analysis = embedded(corpus()[0])
    assert "embeddings" not in analysis.to_dict()
    back = Analysis.from_dict(analysis.to_dict(embeddings=True))
    assert back.embeddings == analysis.embeddings and len(back.embeddings) == 2


def test_vectors_round_trip_through_the_store(meaning_store):
    store = open_reader(meaning_store)
    with store.engine.connect() as conn:
        ids = list(conn.scalars(sa.select(statement_vectors.c.statement_id)))
        stored = read_vectors(conn, ids)
        assert missing_count(conn) == 0
    assert len(ids) == 6
    expected = load_sentence_encoder().encode([PEACE])[0]
    assert any(np.allclose(v, expected, atol=1e-6) for v in stored.values())


def test_reindex_fills_statements_stored_without_vectors(store_url):
    store = open_store(store_url)
    for analysis in corpus():
        store.add_analysis(analysis)  # no embeddings
    with store.engine.connect() as conn:
        assert missing_count(conn) == 6
    store.close()
    result = CliRunner().invoke(main, ["reindex", "--db", store_url, "--quiet"])
    assert result.exit_code == 0, result.output
    assert "6 statements embedded" in result.output
    store = open_reader(store_url)
    with store.engine.connect() as conn:
        assert missing_count(conn) == 0
    again = CliRunner().invoke(main, ["reindex", "--db", store_url, "--quiet"])
    assert "0 statements embedded" in again.output
    page = search_statements(store, QueryFilters(like="aiming for lasting peace, not a pause"))
    assert page.items[0].content in (PEACE, LASTING)


def test_reindex_of_a_missing_store_is_an_error(tmp_path):
    result = CliRunner().invoke(main, ["reindex", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no such store" in result.output


def test_fill_missing_encodes_each_distinct_text_once(store_url):
    store = open_store(store_url)
    for outlet in ("A", "B", "C"):
        store.add_analysis(sup.wire_story(outlet, extra=f"Edited by {outlet}."))
    seen: list[str] = []

    class Counting:
        def encode(self, texts):
            seen.extend(texts)
            return load_sentence_encoder().encode(texts)

    assert fill_missing(store.engine, Counting()) == 3
    assert len(seen) == 1  # one wire quote, three reports
    store.close()


def test_like_ranks_paraphrases_first_and_keeps_every_filter(meaning_store):
    store = open_reader(meaning_store)
    page = search_statements(store, QueryFilters(like="striving for peace instead of a truce"))
    top = [r.content for r in page.items[:3]]
    assert set(top) == {PEACE, LASTING, TRUCE}
    assert page.items[0].similarity is not None and page.items[0].similarity > 0.4
    assert FOOTBALL not in top
    # a filter applies as it does without --like
    only = search_statements(store, QueryFilters(like="lasting peace", speaker="Kovalenko"))
    assert {r.speaker for r in only.items} == {"Marta Kovalenko"}
    assert only.items[0].content == LASTING
    dated = search_statements(store, QueryFilters(like="lasting peace", since="2026-03-06"))
    assert {r.content for r in dated.items} <= {TRUCE, FOOTBALL}
    assert dated.items[0].content == TRUCE


def test_more_like_this_leaves_the_statement_itself_out(meaning_store):
    store = open_reader(meaning_store)
    peace = search_statements(store, QueryFilters(about="ceasefire")).items[0]
    similar = search_statements(store, QueryFilters(like_id=peace.id, limit=2))
    assert peace.id not in [r.id for r in similar.items]
    assert similar.items[0].content in (LASTING, TRUCE)
    with pytest.raises(LookupError):
        search_statements(store, QueryFilters(like_id=999_999))


def test_hybrid_keeps_an_exact_wording_found_by_one_side(meaning_store):
    """The full-text side alone finds 'budget'; the vector side alone ranks by meaning;
    the fusion holds every statement either side found."""
    store = open_reader(meaning_store)
    f = QueryFilters(like="budget figures")
    with store.engine.connect() as conn:
        from saidwhat.query.filters import where_clauses

        where = where_clauses(conn, f)
        text = like_ranking(conn, f, where, mode="text")
        vector = like_ranking(conn, f, where, mode="vector")
        hybrid = like_ranking(conn, f, where)
    assert len(text.ids) == 1  # only one statement has either word
    assert set(hybrid.ids) == set(text.ids) | set(vector.ids)
    assert hybrid.ids[0] == text.ids[0] == vector.ids[0]


def test_content_words_drop_stop_words():
    assert content_words("We are working on peace, not a ceasefire") == [
        "working",
        "peace",
        "ceasefire",
    ]


def test_cli_quotes_like_shows_similarity(meaning_store):
    result = CliRunner().invoke(
        main, ["quotes", "--db", meaning_store, "--like", "a lasting peace", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert '"similarity": 0.' in first and ("lasting" in first or "peace" in first)


def test_vector_index_catches_up_and_survives_a_restart(tmp_path):
    url = str(tmp_path / "idx.db")
    store = open_store(url)
    first, *rest = corpus()
    store.add_analysis(embedded(first))
    index = VectorIndex(tmp_path / "idx.vectors")
    with store.engine.connect() as conn:
        assert index.catch_up(conn) == 2
    for analysis in rest:
        store.add_analysis(embedded(analysis))
    with store.engine.connect() as conn:
        assert index.catch_up(conn) == 4  # only the new ones
        assert index.catch_up(conn) == 0
    query = load_sentence_encoder().encode([FOOTBALL])[0]
    with store.engine.connect() as conn:
        football = next(
            i for i, v in read_vectors(conn, list(range(1, 7))).items() if v @ query > 0.99
        )
    assert index.search(query, 1) == [football]
    reopened = VectorIndex(tmp_path / "idx.vectors")
    assert len(reopened) == 6 and reopened.search(query, 1) == [football]
    with store.engine.connect() as conn:
        assert reopened.catch_up(conn) == 0
    store.close()


def test_an_index_file_of_another_store_is_rebuilt(tmp_path):
    a, b = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    path = tmp_path / "shared.vectors"
    for url, analyses in ((a, corpus()[:2]), (b, corpus()[1:])):
        store = open_store(url)
        for analysis in analyses:
            store.add_analysis(embedded(analysis))
        with store.engine.connect() as conn:
            VectorIndex(path).catch_up(conn)
        store.close()
    # b's vectors differ from a's at the same ids: the index must hold b's now
    store = open_store(b)
    query = load_sentence_encoder().encode([FOOTBALL])[0]
    with store.engine.connect() as conn:
        index = VectorIndex(path)
        index.catch_up(conn)
        best = index.search(query, 1)[0]
        assert float(read_vectors(conn, [best])[best] @ query) > 0.99
    store.close()


def test_index_options_place_the_file(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    assert vector_index(engine, IndexOptions(persist=False)).path is None
    engine2 = sa.create_engine(f"sqlite:///{tmp_path / 'y.db'}")
    assert vector_index(engine2).path == tmp_path / "y.db.vectors"


def test_the_analysis_embeds_its_statements_when_asked(nlp, tmp_path):
    """AttributionOptions(embeddings=True) through analyse_many (the spaCy component, as
    ingest runs it): a vector per statement, equal to the encoder's; off by default."""
    from saidwhat.analyse import AttributionOptions, analyse_many
    from saidwhat.schema import Article

    article = Article(text=f'"{PEACE}," Kremlin spokesman Dmitry Peskov told reporters.')
    other = Article(text=f'"{BUDGET}," the finance minister Olga Berg said on Monday.')
    (plain,) = analyse_many([article], nlp=nlp)
    # two articles: the component embeds a batch of articles in one encoder call
    rich, rich2 = analyse_many(
        [article, other], nlp=nlp, options=AttributionOptions(embeddings=True)
    )
    assert plain.statements and plain.embeddings == {}
    for analysis in (rich, rich2):
        assert analysis.statements
        assert set(analysis.embeddings) == {s.id for s in analysis.statements}
        first = analysis.statements[0]
        expected = load_sentence_encoder().encode([first.content_text])[0]
        assert np.allclose(from_bytes(analysis.embeddings[first.id]), expected, atol=1e-5)
    # and ingest stores them
    store = open_store(str(tmp_path / "i.db"))
    store.add_analysis(rich)
    with store.engine.connect() as conn:
        assert missing_count(conn) == 0
    store.close()


def test_ingest_refreshes_a_kept_index_and_builds_none(tmp_path):
    from saidwhat.store.vector_index import refresh_kept_index

    url = str(tmp_path / "r.db")
    store = open_store(url)
    first, second, third = corpus()
    store.add_analysis(embedded(first))
    assert refresh_kept_index(store.engine) == 0  # never searched: no file, none built
    assert not (tmp_path / "r.db.vectors").exists()
    with store.engine.connect() as conn:
        vector_index(store.engine).catch_up(conn)  # a search builds and keeps it
    store.add_analysis(embedded(second))
    assert refresh_kept_index(store.engine) == 2
    store.close()
    reopened = VectorIndex(tmp_path / "r.db.vectors")
    assert len(reopened) == 4 and reopened.high_water == 4


def test_common_words_rank_nothing_on_the_text_side(store_url, monkeypatch):
    """A word in more statements than the cap is left out of the full-text side (its
    ranking costs much and tells little); when every word is common, all must occur."""
    import saidwhat.query.similar as similar

    store = open_store(store_url)
    for outlet in ("A", "B", "C"):
        store.add_analysis(sup.wire_story(outlet, extra=f"Edited by {outlet}."))
    for analysis in corpus():
        store.add_analysis(analysis)
    monkeypatch.setattr(similar, "COMMON_MIN", 2)
    monkeypatch.setattr(similar, "COMMON_SHARE", 0.0)
    with store.engine.connect() as conn:
        assert similar.rare_words(conn, ["corridor", "budget"]) == ["budget"]
        where = [statements_c_kind_is_statement()]
        only_common = similar.text_ranking(conn, ["corridor", "detail"], where, 10)
        assert len(only_common) == 3  # the three reports holding both words
        assert similar.text_ranking(conn, ["corridor", "budget"], where, 10) != []
    store.close()


def statements_c_kind_is_statement():
    from saidwhat.store.tables import statements

    return statements.c.kind == "statement"
