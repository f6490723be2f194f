"""Faceted search: facet counts, several values per filter, sorts and downloads.

The store is a small synthetic corpus (``bench/generate_corpus.py``: 120 articles, 12
speakers, 20 outlets, intermediaries, acts and two years of dates) written through the
real ``Store.add_analysis``, on SQLite and PostgreSQL. Every facet count is checked two
ways: against a brute-force count over the rows the search returns without that
facet's filter, and against the total of the search that chooses that value.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import store_support as sup
from saidwhat.cli import main as cli
from saidwhat.linking.names import normalise
from saidwhat.query import (
    QueryFilters,
    UnknownValue,
    count_statements,
    iter_statements,
    search_statements,
)
from saidwhat.query.facets import FACETS, check_facets, facet_counts
from saidwhat.store import Store, open_store
from saidwhat.web import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate_corpus import generate  # noqa: E402

pg_url, store_url = sup.pg_url, sup.store_url  # fixtures

ARTICLES, SEED, SPEAKERS = 120, 5, 12


def fill(store: Store) -> None:
    for analysis in generate(ARTICLES, SEED, SPEAKERS):
        store.add_analysis(analysis)


@pytest.fixture
def store(store_url: str):  # type: ignore[no-untyped-def]
    s = open_store(store_url)
    fill(s)
    yield s
    s.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("facets") / "facets.db"
    s = open_store(db)
    fill(s)
    s.close()
    return db


@pytest.fixture(scope="module")
def client(served: Path):  # type: ignore[no-untyped-def]
    with TestClient(create_app(served)) as c:
        yield c


def rows(store: Store, f: QueryFilters) -> list:  # type: ignore[type-arg]
    return list(iter_statements(store, f.replace(limit=None, offset=0)))


def brute(store: Store, f: QueryFilters, name: str) -> Counter[str]:
    """The facet ``name`` counted by hand over the rows matching ``f`` without its own
    filter."""
    own = {"date": ("since", "until")}.get(name, (name,))
    counts: Counter[str] = Counter()
    for r in rows(store, f.replace(**dict.fromkeys(own))):
        if name == "speaker" and r.speaker_id is not None:
            counts[str(r.speaker_id)] += 1
        elif name in ("act", "type", "speaker_kind") and getattr(r, name) is not None:
            counts[getattr(r, name)] += 1
        elif name == "date" and r.date:
            counts[r.date[:7]] += 1
    return counts


FILTER_SETS = [
    QueryFilters(),
    QueryFilters(act=("deny", "warn")),
    QueryFilters(since="2024-06", until="2025-03"),
    QueryFilters(about="pipeline"),
]


@pytest.mark.parametrize("f", FILTER_SETS, ids=["none", "two acts", "dates", "words"])
def test_facet_counts_equal_brute_force_counts(store: Store, f: QueryFilters) -> None:
    facets = facet_counts(store, f, top=100)
    for name in ("speaker", "act", "type", "speaker_kind"):
        got = {v.value: v.count for v in getattr(facets, name) if v.count}
        assert got == dict(brute(store, f, name)), name
    assert facets.date is not None and facets.date.unit == "month"  # two years of dates
    by_month = {b.since: b.count for b in facets.date.buckets if b.count}
    assert by_month == dict(brute(store, f, "date"))
    months = [b.since for b in facets.date.buckets]
    assert months == sorted(months) and len(months) == len(set(months))  # empty ones too


@pytest.mark.parametrize("f", FILTER_SETS[:3], ids=["none", "two acts", "dates"])
def test_choosing_a_value_matches_its_count(store: Store, f: QueryFilters) -> None:
    """Each listed value, added to the filters (replacing its facet's own), matches as
    many statements as the facet said: the outlet facet (reported by, or published by)
    and the via facet (a substring of the chain) as the filters read them."""
    facets = facet_counts(store, f, top=6)
    for name in ("speaker", "act", "outlet", "via"):
        values = getattr(facets, name)
        assert values, name
        for v in values:
            assert count_statements(store, f.replace(**{name: v.value})) == v.count, (name, v)
    assert facets.outlet is not None
    # outlets by hand: reported by it, or in an article it published
    top = facets.outlet[0]
    by_hand = sum(
        1
        for r in rows(store, f)
        if normalise(top.value) in {normalise(r.reported_by or ""), normalise(r.outlet or "")}
    )
    assert by_hand == top.count
    for b in facets.date.buckets[:6] if facets.date else []:
        assert count_statements(store, f.replace(since=b.since, until=b.until)) >= b.count


def test_multi_select_is_or_within_and_across(store: Store) -> None:
    facets = facet_counts(store, QueryFilters(), ["act", "speaker", "outlet"])
    a, b = facets.act[0], facets.act[1]  # type: ignore[index]
    both = QueryFilters(act=(a.value, b.value))
    assert count_statements(store, both) == a.count + b.count
    s1, s2 = facets.speaker[0], facets.speaker[1]  # type: ignore[index]
    two = QueryFilters(speaker=(s1.value, s2.value))
    assert count_statements(store, two) == s1.count + s2.count
    by_hand = sum(1 for r in rows(store, two) if r.act in (a.value, b.value))
    assert count_statements(store, two.replace(act=(a.value, b.value))) == by_hand
    # a facet keeps its siblings (counted without its own filter) and marks the chosen
    chosen = facet_counts(store, both, ["act"]).act
    assert chosen is not None and len(chosen) == len(facets.act or [])
    assert {v.value for v in chosen if v.selected} == {a.value, b.value}
    o1, o2 = facets.outlet[0], facets.outlet[1]  # type: ignore[index]
    either = count_statements(store, QueryFilters(outlet=(o1.value, o2.value)))
    assert max(o1.count, o2.count) < either <= o1.count + o2.count


def test_a_chosen_value_outside_the_top_is_still_listed(store: Store) -> None:
    every = facet_counts(store, QueryFilters(), ["speaker"], top=100).speaker
    assert every is not None and len(every) > 3
    last = every[-1]
    shown = facet_counts(store, QueryFilters(speaker=last.value), ["speaker"], top=3).speaker
    assert shown is not None and len(shown) == 4 and shown[-1].value == last.value
    assert shown[-1].selected and shown[-1].count == last.count


def test_sorts(store: Store) -> None:
    newest = search_statements(store, QueryFilters(limit=None)).items
    oldest = search_statements(store, QueryFilters(limit=None), sort="oldest").items
    assert [r.id for r in oldest] != [r.id for r in newest]
    days = [r.article_date for r in oldest]
    assert days == sorted(days)
    assert sorted(r.id for r in oldest) == sorted(r.id for r in newest)
    with pytest.raises(UnknownValue) as err:
        search_statements(store, QueryFilters(), sort="loudest")
    assert err.value.allowed == ["newest", "oldest", "relevance"]
    with pytest.raises(UnknownValue):
        check_facets("speaker,colour")


def test_relevance_puts_the_better_match_first(store_url: str) -> None:
    """Two statements with the search word: the one that is mostly that word ranks
    first by relevance though it is older; newest first puts the other first."""
    s = open_store(store_url)
    text_a = (
        'Moscow (Example) Anna Berg said: "The corridor, the corridor, the corridor '
        'matters." She added nothing.'
    )
    text_b = (
        'Moscow (Example) Lev Tamm said: "We discussed budgets, schools, roads, '
        'harbours, railways, hospitals, taxes and, briefly, the corridor." He left.'
    )
    for text, name, words, day in (
        (text_a, "Anna Berg", "The corridor, the corridor, the corridor matters.", "2025-01-02"),
        (
            text_b,
            name_b := "Lev Tamm",
            "We discussed budgets, schools, roads, harbours, railways, hospitals, taxes "
            "and, briefly, the corridor.",
            "2025-06-01",
        ),
    ):
        s.add_analysis(
            sup.make_analysis(
                text, date=day, people=[("p", name, [])], quotes=[("p", words, "said")]
            )
        )
    f = QueryFilters(about="corridor")
    newest = [r.speaker for r in search_statements(s, f, sort="newest").items]
    ranked = [r.speaker for r in search_statements(s, f, sort="relevance").items]
    assert newest == [name_b, "Anna Berg"]
    assert ranked == ["Anna Berg", name_b]
    # the whole result in that order too (a download of it)
    assert [r.speaker for r in iter_statements(s, f.replace(limit=None), sort="relevance")] == (
        ranked
    )
    s.close()


# -- API ---------------------------------------------------------------------------------


def test_api_facets_are_the_query_facets(client: TestClient, served: Path) -> None:
    got = client.get(
        "/api/statements", params={"facets": "speaker,act,type,outlet,via,date", "act": "deny"}
    ).json()
    assert set(got) == {"items", "total", "limit", "offset", "facets"}
    assert {"id", "title", "date", "outlet", "url"} == set(got["items"][0]["article"])
    store = open_store(served)
    want = facet_counts(store, QueryFilters(act="deny"), ["speaker", "act", "outlet", "date"])
    store.close()
    assert got["facets"]["act"] == [v.__dict__ for v in want.act or []]
    assert got["facets"]["speaker"] == [v.__dict__ for v in want.speaker or []]
    assert got["facets"]["outlet"] == [v.__dict__ for v in want.outlet or []]
    assert got["facets"]["date"]["buckets"][0] == (
        want.date.buckets[0].__dict__ if want.date else None
    )
    assert got["facets"]["speaker_kind"] is None  # not asked for
    deny = next(v for v in got["facets"]["act"] if v["value"] == "deny")
    assert deny["selected"] and deny["count"] == got["total"]
    # each speaker's count is the total its filter gives
    for v in got["facets"]["speaker"][:3]:
        n = client.get("/api/statements", params={"act": "deny", "speaker": v["value"]}).json()
        assert n["total"] == v["count"]
    assert client.get("/api/statements").json()["facets"] is None


def test_api_multi_select_and_sort(client: TestClient) -> None:
    one = client.get("/api/statements", params={"act": "deny"}).json()["total"]
    other = client.get("/api/statements", params={"act": "warn"}).json()["total"]
    both = client.get("/api/statements", params=[("act", "deny"), ("act", "warn")]).json()
    assert both["total"] == one + other > 0
    facets = client.get("/api/statements", params={"facets": "outlet,speaker"}).json()["facets"]
    o1, o2 = facets["outlet"][0]["value"], facets["outlet"][1]["value"]
    either = client.get("/api/statements", params=[("outlet", o1), ("outlet", o2)]).json()
    assert either["total"] > max(facets["outlet"][0]["count"], facets["outlet"][1]["count"])
    s1, s2 = facets["speaker"][0], facets["speaker"][1]
    pair = [("speaker", s1["value"]), ("speaker", s2["value"])]
    assert client.get("/api/statements", params=pair).json()["total"] == s1["count"] + s2["count"]
    old = client.get("/api/statements", params={"sort": "oldest", "limit": 200}).json()["items"]
    dates = [i["article"]["date"] for i in old]
    assert dates == sorted(dates)


@pytest.mark.parametrize(
    ("params", "field", "allowed"),
    [
        ({"sort": "loudest"}, "sort", ["newest", "oldest", "relevance"]),
        ({"facets": "speaker,colour"}, "facets", list(FACETS)),
        ({"act": "lie"}, "act", None),
    ],
)
def test_api_unknown_values_are_422_listing_the_valid_ones(
    client: TestClient,
    params: dict,
    field: str,
    allowed: list[str] | None,  # type: ignore[type-arg]
) -> None:
    for path in ("/api/statements", "/api/statements.csv"):
        r = client.get(path, params=params)
        assert r.status_code == 422, path
        detail = r.json()["detail"][0]
        assert detail["loc"] == ["query", field]
        if allowed is not None:
            assert detail["allowed"] == allowed
    assert client.get("/api/statements.xml").status_code in (404, 422)


def api_ids(client: TestClient, params: list[tuple[str, str]]) -> list[int]:
    """Every id of a result, paging through the API."""
    ids: list[int] = []
    while True:
        page = client.get(
            "/api/statements", params=[*params, ("limit", "200"), ("offset", str(len(ids)))]
        ).json()
        ids += [i["id"] for i in page["items"]]
        if len(ids) >= page["total"]:
            return ids


@pytest.mark.parametrize(
    "params",
    [
        [("act", "deny"), ("act", "warn"), ("sort", "oldest")],
        [("about", "pipeline"), ("sort", "relevance")],
        [],
    ],
    ids=["two acts oldest", "words by relevance", "everything"],
)
def test_downloads_are_exactly_the_result(
    client: TestClient, params: list[tuple[str, str]]
) -> None:
    import pyarrow.parquet as pq

    want = api_ids(client, params)
    assert len(want) > 200 or params  # paging through more than one page somewhere
    paged = [*params, ("limit", "3"), ("offset", "1")]  # paging is ignored by downloads
    r = client.get("/api/statements.csv", params=paged)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert [int(row["id"]) for row in csv.DictReader(io.StringIO(r.text))] == want
    r = client.get("/api/statements.jsonl", params=paged)
    assert [json.loads(line)["id"] for line in r.text.splitlines()] == want
    r = client.get("/api/statements.parquet", params=paged)
    assert r.status_code == 200
    assert pq.read_table(io.BytesIO(r.content)).column("id").to_pylist() == want


# -- CLI ---------------------------------------------------------------------------------


def test_cli_sort_facets_several_values_and_whole_result(served: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    runner = CliRunner()
    base = ["quotes", "--db", str(served), "--act", "deny", "--act", "warn"]
    r = runner.invoke(cli, [*base, "--sort", "oldest", "--format", "jsonl", "--limit", "0"])
    assert r.exit_code == 0, r.output
    listed = [json.loads(line) for line in r.output.splitlines()]
    store = open_store(served)
    f = QueryFilters(act=("deny", "warn"), limit=None)
    assert [x["id"] for x in listed] == [
        x.id for x in search_statements(store, f, sort="oldest").items
    ]
    facets = facet_counts(store, f, ["act", "speaker"])
    store.close()
    r = runner.invoke(cli, [*base, "--facets", "act,speaker", "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["total"] == len(listed)
    assert doc["facets"]["act"] == [v.__dict__ for v in facets.act or []]
    r = runner.invoke(cli, [*base, "--facets", "act,date", "--width", "120"])
    assert r.exit_code == 0 and "per month" in r.output and "* deny" in r.output
    out = tmp_path / "result.parquet"
    r = runner.invoke(cli, [*base, "--sort", "oldest", "--format", "parquet", "--output", str(out)])
    assert r.exit_code == 0, r.output
    assert pq.read_table(out).column("id").to_pylist() == [x["id"] for x in listed]
    bad = runner.invoke(cli, [*base, "--facets", "colour"])
    assert bad.exit_code == 2 and "speaker, speaker_kind, act" in bad.output
    assert runner.invoke(cli, [*base, "--format", "parquet"]).exit_code == 2


def test_a_hit_links_its_original_only_when_it_is_a_web_address(tmp_path: Path) -> None:
    s = open_store(tmp_path / "urls.db")
    for n, url in enumerate(("https://example.org/truce", "javascript:alert(1)")):
        text = f'Geneva (Example) Anna Berg{n} said: "The corridor stays open {n}." Nothing else.'
        a = sup.make_analysis(
            text,
            people=[("p", f"Anna Berg{n}", [])],
            quotes=[("p", f"The corridor stays open {n}.", "said")],
        )
        a.article.url = url
        s.add_analysis(a)
    s.close()
    with TestClient(create_app(tmp_path / "urls.db")) as c:
        html = c.get("/", params={"about": "corridor"}).text
        assert html.count('class="original"') == 1
        assert 'href="https://example.org/truce"' in html and "javascript:" not in html
        assert html.count("<mark>corridor</mark>") == 2
        urls = {i["article"]["url"] for i in c.get("/api/statements").json()["items"]}
        assert urls == {"https://example.org/truce", "javascript:alert(1)"}
        bad = c.get("/", params={"sort": "loudest"})
        assert bad.status_code == 400 and "newest, oldest, relevance" in bad.text


def test_a_search_by_meaning_downloads_and_counts_its_own_ranking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``like``, the result is the ranked statements (a few, here: two candidates
    from each side), not every statement the other filters pass: the facets count
    those and the download holds those, best first."""
    import saidwhat.query.similar as similar
    from test_meaning import corpus, embedded

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(similar, "CANDIDATES", 2)
    db = tmp_path / "meaning.db"
    s = open_store(db)
    for analysis in corpus():
        s.add_analysis(embedded(analysis))
    everything = count_statements(s, QueryFilters())
    s.close()
    with TestClient(create_app(db)) as c:
        params = {"like": "lasting peace", "facets": "act,speaker", "limit": 200}
        got = c.get("/api/statements", params=params).json()
        ids = [i["id"] for i in got["items"]]
        assert 0 < len(ids) == got["total"] < everything
        assert sum(v["count"] for v in got["facets"]["act"]) == len(ids)
        lines = c.get("/api/statements.jsonl", params={"like": "lasting peace"}).text
        assert [json.loads(line)["id"] for line in lines.splitlines()] == ids
