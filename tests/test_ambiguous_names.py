"""A name that means several people is a question back, on every face, never a merge.

Found by a new user: ``quotes --speaker Orlov`` returned Pavel Orlov's, Irina Orlov's
(and an organisation's) statements together, and ``speaker Orlov`` silently picked one.
Here the small query corpus (whose Irina Orlov, the mayor, is also "Orlov") gets a
second Orlov, Pavel, the defence minister, and "Orlov" must be ``AmbiguousSpeaker`` in
the library, exit status 2 listing both in the CLI, 409 with both in the API and a page
to choose from on the web; an id, or a name only one of them has, still works.
On SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from fastapi.testclient import TestClient

import query_corpus as qc
import store_support as sup
from saidwhat.cli import main
from saidwhat.query import (
    AmbiguousArticle,
    AmbiguousSpeaker,
    QueryFilters,
    find_article,
    find_speaker,
    get_speaker,
    list_speakers,
    search_statements,
    source_chains,
    speaker_timeline,
)
from saidwhat.store.tables import articles
from saidwhat.web import create_app

pg_url, store_url, store = sup.pg_url, sup.store_url, sup.store  # fixtures

MINISTER = qc.build(
    "Moscow, Dec 14 (Reuters) Defence Minister Pavel Orlov said on Sunday that the "
    'strikes would continue. "We will not stop," Pavel Orlov told reporters.',
    date="2025-12-14",
    source="Reuters",
    people=[("m", "Pavel Orlov", ["defence minister"], ["Orlov"])],
    statements=[
        {"words": "the strikes would continue", "cue": "said", "speaker": "m", "act": "warn"},
        {"words": "We will not stop", "cue": "told", "speaker": "m"},
    ],
)


@pytest.fixture
def two_orlovs(store):  # type: ignore[no-untyped-def]
    qc.load(store)
    store.add_analysis(MINISTER)
    irina = find_speaker(store, "Irina Orlov")
    pavel = find_speaker(store, "Pavel Orlov")
    assert irina is not None and pavel is not None and irina != pavel
    return {"irina": irina, "pavel": pavel}


def test_the_library_raises_with_the_candidates(store, two_orlovs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AmbiguousSpeaker) as caught:
        search_statements(store, QueryFilters(speaker="Orlov"))
    err = caught.value
    by_name = {c.name: c for c in err.candidates}
    assert set(by_name) == {"Irina Orlov", "Pavel Orlov"} and err.more == 0
    assert by_name["Pavel Orlov"].id == two_orlovs["pavel"]
    assert by_name["Pavel Orlov"].statements == 2
    assert "defence minister" in by_name["Pavel Orlov"].roles
    assert "mayor" in by_name["Irina Orlov"].roles
    assert "Irina Orlov" in str(err) and "\n" not in str(err)
    # every reader that takes a speaker asks back instead of choosing
    for call in (
        lambda: get_speaker(store, "orlov"),
        lambda: find_speaker(store, "ORLOV"),
        lambda: speaker_timeline(store, "Orlov"),
        lambda: list_speakers(store, QueryFilters(speaker="Orlov")),
        lambda: source_chains(store, QueryFilters(speaker="Orlov")),
    ):
        with pytest.raises(AmbiguousSpeaker):
            call()


def test_an_id_or_a_name_only_one_has_names_one_person(store, two_orlovs) -> None:  # type: ignore[no-untyped-def]
    pavel = search_statements(store, QueryFilters(speaker=two_orlovs["pavel"]))
    assert pavel.total == 2 and {r.speaker for r in pavel.items} == {"Pavel Orlov"}
    by_name = search_statements(store, QueryFilters(speaker="pavel orlov"))
    assert [r.id for r in by_name.items] == [r.id for r in pavel.items]
    irina = search_statements(store, QueryFilters(speaker=str(two_orlovs["irina"])))
    assert irina.total >= 1 and {r.speaker for r in irina.items} == {"Irina Orlov"}
    assert get_speaker(store, "Pavel").id == two_orlovs["pavel"]  # a loose match of one


@pytest.mark.parametrize(
    "args",
    [
        ["quotes", "--speaker", "Orlov"],
        ["speaker", "Orlov"],
        ["chains", "--speaker", "Orlov"],
        ["speakers", "--speaker", "Orlov"],
    ],
)
def test_the_cli_exits_2_listing_the_candidates(store_url, store, two_orlovs, args) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, [*args, "--db", store_url])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "matches more than one entity" in result.output
    lines = result.output.splitlines()
    pavel = next(line for line in lines if "Pavel Orlov" in line)
    assert pavel.split()[0] == str(two_orlovs["pavel"]) and "defence minister" in pavel
    assert any("Irina Orlov" in line and "mayor" in line for line in lines)
    chosen = CliRunner().invoke(
        main, ["quotes", "--speaker", str(two_orlovs["pavel"]), "--db", store_url]
    )
    assert chosen.exit_code == 0 and "Irina Orlov" not in chosen.output


def test_the_api_answers_409_with_the_candidates(store_url, store, two_orlovs) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(store_url)) as client:
        for path in ("/api/statements", "/api/speakers", "/api/chains"):
            r = client.get(path, params={"speaker": "Orlov"})
            assert r.status_code == 409, (path, r.text)
            body = r.json()
            assert body["name"] == "Orlov" and "matches 2 entities" in body["detail"]
            assert {c["name"] for c in body["candidates"]} == {"Irina Orlov", "Pavel Orlov"}
            assert all({"id", "type", "statements", "roles"} <= set(c) for c in body["candidates"])
        ok = client.get("/api/statements", params={"speaker": two_orlovs["pavel"]})
        assert ok.status_code == 200 and ok.json()["total"] == 2


def test_the_search_page_offers_a_choice_keeping_the_other_filters(
    store_url, store, two_orlovs
) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(store_url)) as client:
        page = client.get("/", params={"speaker": "Orlov", "act": "warn", "offset": "10"})
        assert page.status_code == 409
        assert "matches more than one speaker" in page.text
        pavel_link = f"/?speaker={two_orlovs['pavel']}&amp;act=warn"
        assert pavel_link in page.text  # the same search, the person chosen, from page 1
        assert f"/?speaker={two_orlovs['irina']}&amp;act=warn" in page.text
        assert f'href="/speakers/{two_orlovs["pavel"]}"' in page.text
        chosen = client.get(pavel_link.replace("&amp;", "&"))
        assert chosen.status_code == 200 and "the strikes would continue" in chosen.text


# -- article ids shortened as tables show them ------------------------------------------


def _ids(store) -> list[str]:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        return sorted(conn.scalars(sa.select(articles.c.id)))


def _shared_prefix(ids: list[str]) -> tuple[str, list[str]]:
    """A prefix two or more of the corpus's ids start with (the ids are content hashes,
    so this is fixed by the corpus text), and those ids."""
    for a, b in zip(ids, ids[1:], strict=False):
        if a[0] == b[0]:
            prefix = a[: next(i for i in range(16) if a[i] != b[i])]
            return prefix, [i for i in ids if i.startswith(prefix)]
    raise AssertionError(f"no two ids share a first digit: {ids}")


def test_an_id_prefix_of_several_articles_lists_them(store_url, store, two_orlovs) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(store)
    prefix, sharing = _shared_prefix(ids)
    with pytest.raises(AmbiguousArticle) as caught:
        find_article(store, prefix)
    assert sorted(c.id for c in caught.value.candidates) == sharing
    unique = next(i for i in ids if i not in sharing)
    assert find_article(store, unique[:3]) == unique  # short, but only one id starts so

    cli = CliRunner().invoke(main, ["article", prefix, "--db", store_url])
    assert cli.exit_code == 2 and "Traceback" not in cli.output
    assert all(i in cli.output for i in sharing)
    missing = CliRunner().invoke(main, ["quotes", "--article", "0000", "--db", store_url])
    assert missing.exit_code == 1 and "no article '0000'" in missing.output

    with TestClient(create_app(store_url), follow_redirects=False) as client:
        r = client.get(f"/api/articles/{prefix}")
        assert r.status_code == 409
        assert sorted(c["id"] for c in r.json()["candidates"]) == sharing
        short = client.get(f"/api/articles/{unique[:8].upper()}", params={"text": "false"})
        assert short.status_code == 307
        assert short.headers["location"] == f"/api/articles/{unique}?text=false"
        assert client.get(short.headers["location"]).json()["article"]["id"] == unique
        page = client.get(f"/articles/{prefix}")
        assert page.status_code == 409
        assert all(f'href="/articles/{i}"' in page.text for i in sharing)
        assert client.get(f"/articles/{unique[:8]}").headers["location"] == f"/articles/{unique}"
        assert client.get("/api/articles/0000").status_code == 404
