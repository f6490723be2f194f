"""The read API against SQLite and PostgreSQL: filters, speakers, articles, chains, stats.

Each test loads the small hand-made corpus of ``query_corpus`` into a fresh store (a
SQLite file, or the emptied PostgreSQL test database) and asks questions whose answers
follow from that corpus.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

import query_corpus as qc
import store_support as sup
from saidwhat.query import (
    QueryFilters,
    StoreNotFound,
    count_chains,
    count_outlets,
    count_statements,
    find_article,
    get_article,
    get_speaker,
    iter_statements,
    list_outlets,
    list_speakers,
    open_reader,
    search_statements,
    source_chains,
    speaker_timeline,
    speaker_topics,
    stats,
)
from saidwhat.query.topics import top_terms
from saidwhat.store.tables import statements

pg_url, store_url, store = sup.pg_url, sup.store_url, sup.store  # fixtures


@pytest.fixture
def corpus(store):
    return qc.load(store)


def contents(store, **filters) -> list[str]:
    page = search_statements(store, QueryFilters(**filters))
    return [r.content for r in page.items]


def test_all_statements_newest_first_with_article_fields(store, corpus):
    page = search_statements(store, QueryFilters())
    assert page.total == 8 and len(page.items) == 8
    # newest reports first: by article date, statements of an article in text order
    keys = [(r.article_date, r.article_id) for r in page.items]
    assert keys == sorted(keys, reverse=True)
    denial = next(r for r in page.items if r.act == "deny")
    assert (denial.date, denial.date_from, denial.date_to, denial.article_date) == (
        "2025-12-08",
        "2025-12-08",
        "2025-12-10",
        "2025-12-12",
    )
    bridges = next(r for r in page.items if "bridges" in r.content)
    assert (bridges.title, bridges.outlet, bridges.reported_by) == (
        "Mayor warns on bridges",
        "Reuters",
        "Reuters",
    )
    assert (bridges.speaker, bridges.act, bridges.type, bridges.cue) == (
        "Irina Orlov",
        "warn",
        "direct",
        "said",
    )
    assert bridges.local_id == "s1" and bridges.cites == [] and bridges.denies is None
    text = corpus["reuters"].article.text
    assert text[bridges.start : bridges.end] == bridges.content
    assert text[slice(*bridges.speaker_span)] == "Irina Orlov"


def test_speaker_by_name_alias_case_and_id(store, corpus):
    by_name = contents(store, speaker="Dmitry Peskov")
    assert len(by_name) == 5
    assert contents(store, speaker="PESKOV") == by_name  # alias, any case
    assert contents(store, speaker="dmitry peskov") == by_name
    speaker_id = search_statements(store, QueryFilters(speaker="Peskov")).items[0].speaker_id
    assert contents(store, speaker=speaker_id) == by_name
    assert contents(store, speaker=str(speaker_id)) == by_name
    assert contents(store, speaker="Orlov") == [
        "a moratorium on strikes against energy infrastructure",
        "The bridges will not survive another winter without repairs,",
    ]
    assert contents(store, speaker="Nobody Atall") == []
    assert contents(store, speaker=999_999) == []


def test_unresolved_speaker_found_by_its_text(store, corpus):
    assert contents(store, speaker="a western diplomat") == [
        "the proposal had little chance of support in the coming weeks"
    ]


def test_full_text_about_is_stemmed_and_combines(store, corpus):
    assert len(contents(store, about="corridor")) == 3
    assert contents(store, about="bridge") == [
        "The bridges will not survive another winter without repairs,"
    ]
    assert contents(store, about="corridor", since="2026-01-01") == [
        "the corridor talks would resume after the holidays"
    ]
    assert contents(store, about="corridor banana") == []  # every word must occur


HOSTILE = [
    "'; DROP TABLE statements; --",
    '"unbalanced',
    "corridor OR 1=1",
    "NEAR(corridor talks) * ^ : -",
    "%' OR '1'='1",
    "",
    "   ",
    "\\",
]


def test_hostile_input_only_searches(store, corpus):
    for evil in HOSTILE:
        for field in ("about", "speaker", "outlet", "via"):
            page = search_statements(store, QueryFilters(**{field: evil}))
            assert page.total is not None, (field, evil)
    # "corridor OR 1=1" is three plain words, not an OR: nothing has "or", "1" and "corridor"
    assert contents(store, about="corridor OR 1=1") == []
    with store.engine.connect() as conn:  # the table is still there, whole
        assert conn.execute(sa.select(sa.func.count()).select_from(statements)).scalar() == 8
    assert contents(store, via="%") == []  # LIKE wildcards are literal


def test_act_and_type_filters(store, corpus):
    assert contents(store, act="deny") == [
        "that Russia had struck the power plant earlier in the week"
    ]
    assert len(contents(store, act=["deny", "warn"])) == 2
    assert len(contents(store, act="deny,warn,promise")) == 3
    assert len(contents(store, type="indirect")) == 5
    assert contents(store, act="threaten") == []


def test_date_filters_and_ranges_overlap(store, corpus):
    dec = contents(store, since="2025-12", until="2025-12")
    assert len(dec) == 6
    assert contents(store, since="2026") == [
        "the corridor talks would resume after the holidays",
        "that the delegation would travel to Geneva",
    ]
    # the denial is dated only 2025-12-08..2025-12-10: overlapping windows find it
    denial = "that Russia had struck the power plant earlier in the week"
    assert denial in contents(store, since="2025-12-09", until="2025-12-09")
    assert denial in contents(store, since="2025-12-10", until="2025-12-30")
    assert denial not in contents(store, since="2025-12-11")
    assert denial not in contents(store, until="2025-12-07")


def test_date_tests_agree_with_and_without_a_narrow_filter(store, corpus):
    """Dates are tested row by row beside a speaker filter and through the date indexes
    alone; both forms must select the same statements."""
    windows = [
        ("2025-12-09", "2025-12-09"),
        ("2025-12", None),
        (None, "2025-12-11"),
        ("2026", None),
    ]
    for since, until in windows:
        alone = search_statements(store, QueryFilters(since=since, until=until, limit=None))
        peskov = [r.id for r in alone.items if r.speaker == "Dmitry Peskov"]
        narrowed = search_statements(
            store, QueryFilters(speaker="Peskov", since=since, until=until, limit=None)
        )
        assert [r.id for r in narrowed.items] == peskov, (since, until)


def test_bad_dates_are_clear_errors():
    with pytest.raises(ValueError, match="since: '12/11/2025' is not an ISO date"):
        QueryFilters(since="12/11/2025")
    with pytest.raises(ValueError, match="until: '2025-02-30' is not a real date"):
        QueryFilters(until="2025-02-30")


def test_outlet_and_via(store, corpus):
    assert len(contents(store, outlet="reuters")) == 2
    assert len(contents(store, outlet="IANS")) == 1
    assert len(contents(store, via="tass")) == 2
    assert contents(store, via="interfax") == [
        "a moratorium on strikes against energy infrastructure"
    ]
    (chain,) = search_statements(store, QueryFilters(via="interfax")).items
    assert [v["name"] for v in chain.via_links] == ["local media", "Interfax"]
    assert contents(store, outlet="Herald", via="local media", speaker="Orlov") == [
        "a moratorium on strikes against energy infrastructure"
    ]


def test_syndicated_claim_counts_once(store, corpus):
    wire_rows = search_statements(store, QueryFilters(about="detail")).items
    assert len(wire_rows) == 2
    assert {r.outlet_count for r in wire_rows} == {2}
    assert {r.reported_by for r in wire_rows} == {"IANS", "Tribune"}
    assert count_statements(store, QueryFilters()) == 8
    assert count_statements(store, QueryFilters(distinct_claims=True)) == 7
    distinct = search_statements(store, QueryFilters(about="detail", distinct_claims=True))
    assert distinct.total == 1 and len(distinct.items) == 1


def test_paging(store, corpus):
    everything = [r.id for r in search_statements(store, QueryFilters(limit=None)).items]
    first = search_statements(store, QueryFilters(limit=3))
    second = search_statements(store, QueryFilters(limit=3, offset=3))
    assert first.total == second.total == 8
    assert [r.id for r in first.items + second.items] == everything[:6]
    streamed = [r.id for r in iter_statements(store, QueryFilters(limit=None), batch=2)]
    assert sorted(streamed) == sorted(everything)


def test_totals_counted_with_the_page_agree_with_a_count(store, corpus):
    """Words, an outlet or an intermediary: the page and its total come from one query
    (COUNT(*) OVER ()); on every page, past the last one too, the total is the same as a
    separate count, and the pages are the whole ordered result cut in pieces."""
    for filters in (
        {"about": "moratorium"},
        {"outlet": "reuters"},
        {"via": "tass"},
        {"about": "energy", "outlet": "Herald"},
        {"via": "local media", "act": "propose"},
        {"about": "nothing-matches-this"},
    ):
        everything = search_statements(store, QueryFilters(limit=None, **filters)).items
        expected = count_statements(store, QueryFilters(**filters))
        assert len(everything) == expected, filters
        seen = []
        for offset in range(0, expected + 3, 1):
            page = search_statements(store, QueryFilters(limit=1, offset=offset, **filters))
            assert page.total == expected, (filters, offset)
            seen += [r.id for r in page.items]
        assert seen == [r.id for r in everything], filters


def test_list_speakers_ranks_with_roles(store, corpus):
    page = list_speakers(store)
    assert [(s.name, s.statements, s.claims) for s in page.items] == [
        ("Dmitry Peskov", 5, 4),
        ("Irina Orlov", 2, 2),
    ]
    assert page.total == 2
    peskov = page.items[0]
    assert peskov.roles == ["Kremlin spokesman"]
    assert (peskov.first_date, peskov.last_date) == ("2025-12-08", "2026-01-05")
    about = list_speakers(store, QueryFilters(about="moratorium"))
    assert [s.name for s in about.items] == ["Irina Orlov"]


def test_get_speaker_profile(store, corpus):
    orlov = get_speaker(store, "orlov")
    assert orlov is not None and orlov.name == "Irina Orlov"
    assert [(r.role, r.first_seen, r.last_seen, r.count) for r in orlov.roles] == [
        ("mayor", "2025-12-12", "2025-12-20", 2)
    ]
    assert orlov.acts == {"propose": 1, "warn": 1}
    assert orlov.outlets == {"Herald": 1, "Reuters": 1}
    assert orlov.via == {"local media; Interfax": 1}
    assert get_speaker(store, orlov.id).name == "Irina Orlov"
    assert get_speaker(store, "Nobody Atall") is None


def test_speaker_timeline_and_topics(store, corpus):
    points = [(p.day, p.act, p.count) for p in speaker_timeline(store, "Peskov")]
    assert points == [
        ("2025-12-08", "deny", 1),
        ("2025-12-11", "assert", 2),
        ("2026-01-05", "assert", 1),
        ("2026-01-05", "promise", 1),
    ]
    assert speaker_timeline(store, "Peskov", QueryFilters(since="2026")) == [
        p for p in speaker_timeline(store, "Peskov") if p.day >= "2026"
    ]
    terms = dict(speaker_topics(store, "Peskov"))
    assert terms["corridor"] == 2  # the syndicated quote counts once
    assert "the" not in terms and "would" not in terms
    assert speaker_topics(store, "Nobody Atall") == []


def test_top_terms_prefers_repeated_phrases():
    texts = ["The energy truce must hold", "An energy truce now", "energy prices rise"]
    terms = dict(top_terms(texts))
    assert terms["energy truce"] == 2
    assert terms["energy"] == 3  # also stands alone ("energy prices")
    assert "truce" not in terms  # only ever inside the phrase


def test_top_terms_count_a_words_forms_together_and_skip_empty_nouns():
    texts = [
        "Russia will not sign, on either side",
        "Russian troops stay until the end",
        "the Russians and Ukraine talk",
        "Ukrainian officials talk; the talks go on",
    ]
    terms = dict(top_terms(texts))
    assert terms["russia"] == 3 or terms["russian"] == 3 or terms["russians"] == 3
    assert sum(1 for t in terms if t.startswith("russ")) == 1
    assert sum(n for t, n in terms.items() if t.startswith("ukrain")) == 2
    assert terms["talk"] == 3  # "talk", "talk", "talks"
    assert "side" not in terms and "end" not in terms
    assert "plan" in dict(top_terms(["the plan", "a plan"])) and "iran" in dict(top_terms(["iran"]))


def test_get_article_with_statements_entities_and_copies(store, corpus):
    herald = corpus["herald"].article
    detail = get_article(store, herald.id)
    assert detail is not None and detail.text == herald.text
    assert [s.content for s in detail.statements] == [
        "a moratorium on strikes against energy infrastructure",
        "the proposal had little chance of support in the coming weeks",
    ]
    for s in detail.statements:
        assert detail.text[s.start : s.end] == s.content
    (orlov,) = detail.entities
    assert (orlov.name, orlov.roles) == ("Irina Orlov", ["mayor"])
    assert [detail.text[m["start"] : m["end"]] for m in orlov.mentions] == ["Irina Orlov"]
    ians = get_article(store, corpus["ians"].article.id)
    assert [c["reported_by"] for c in ians.copies] == ["Tribune"]
    assert get_article(store, "0000000000000000") is None
    assert find_article(store, herald.id) == herald.id
    assert find_article(store, herald.id[:6].upper()) == herald.id
    assert find_article(store, "0000") is None
    assert find_article(store, "%") is None


def test_chain_and_outlet_counts_are_the_lists_lengths(store, corpus):
    for filters, min_count in ((QueryFilters(limit=None), 1), (QueryFilters(limit=None), 2)):
        listed = source_chains(store, filters, min_count=min_count)
        assert count_chains(store, filters, min_count=min_count) == len(listed)
        grouped = count_chains(store, filters, min_count=min_count, precomputed=False)
        assert grouped == len(listed)
    narrowed = QueryFilters(via="tass", limit=None)
    assert count_chains(store, narrowed) == len(source_chains(store, narrowed))
    assert count_outlets(store) == len(list_outlets(store))
    assert list_outlets(store, limit=2, offset=1) == list_outlets(store)[1:3]


def test_source_chains(store, corpus):
    chains = {(c.outlet, tuple(c.via), c.speaker): c.count for c in source_chains(store)}
    assert chains[("IANS", ("Tass",), "Dmitry Peskov")] == 1
    assert chains[("Herald", ("local media", "Interfax"), "Irina Orlov")] == 1
    assert chains[("Tass", (), "Dmitry Peskov")] == 2
    only_tass = source_chains(store, QueryFilters(via="Tass"))
    assert {c.outlet for c in only_tass} == {"IANS", "Tribune"}


def test_stats_and_outlets(store, corpus):
    s = stats(store)
    assert (s.articles, s.stories, s.copies, s.statements, s.claims) == (5, 4, 1, 8, 7)
    assert (s.people, s.speakers, s.outlets, s.errors) == (2, 2, 5, 0)
    assert (s.first_date, s.last_date) == ("2025-12-11", "2026-01-05")
    assert s.acts["assert"] == 4 and sum(s.acts.values()) == 8
    outlets = {o.name: (o.articles, o.statements) for o in list_outlets(store)}
    assert outlets == {
        "Herald": (1, 2),
        "IANS": (1, 1),
        "Reuters": (1, 2),
        "Tass": (1, 2),
        "Tribune": (1, 1),
    }


def test_merged_entities_are_not_listed(store, corpus):
    """A merged entity never shows as a speaker, and its old id still finds the statements."""
    from saidwhat.store.tables import entities

    orlov = get_speaker(store, "Irina Orlov")
    with store.engine.begin() as conn:
        new_id = conn.execute(
            sa.insert(entities).returning(entities.c.id),
            {
                "type": "PERSON",
                "name": "Irina Orlova",
                "key": "irina orlova",
                "aliases": [],
                "name_counts": {},
                "article_count": 0,
            },
        ).scalar_one()
        conn.execute(
            sa.update(entities).where(entities.c.id == new_id).values(merged_into=orlov.id)
        )
    assert [s.name for s in list_speakers(store).items] == ["Dmitry Peskov", "Irina Orlov"]
    assert len(contents(store, speaker=new_id)) == 2  # follows merged_into
    assert len(contents(store, speaker="Irina Orlova")) == 0  # only live names match


def test_open_reader_refuses_missing_sqlite(tmp_path):
    with pytest.raises(StoreNotFound, match="no such store"):
        open_reader(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()


def test_sqlite_reads_do_not_wait_for_a_writer(tmp_path):
    """A read runs while an ingest transaction holds the write lock (WAL snapshot)."""
    from concurrent.futures import ThreadPoolExecutor

    from saidwhat.store import open_store

    with open_store(tmp_path / "busy.db") as store:
        qc.load(store)
        with store.engine.begin() as writer, ThreadPoolExecutor(1) as pool:
            writer.execute(sa.delete(statements).where(statements.c.act == "deny"))
            reading = pool.submit(count_statements, store, QueryFilters())
            assert reading.result(timeout=10) == 8  # the committed state, not blocked
        assert count_statements(store, QueryFilters()) == 7
