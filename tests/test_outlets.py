"""Outlets and agencies as data (README, "Outlets and agencies"): the shipped table, a
user's file on top of it, and what reads it (datelines, sign-offs, entity typing, via
links), one construct each, on short articles written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

import store_support as sup
from saidwhat.analyse import analyse
from saidwhat.attribution.options import AttributionOptions
from saidwhat.cli import main
from saidwhat.ingest.upload import store_articles
from saidwhat.linking.names import entity_key
from saidwhat.reading.outlets import KINDS, OutletFileError, load_outlets, read_outlet_file
from saidwhat.reading.records import article_from_text
from saidwhat.reading.wire import find_signoff
from saidwhat.store.tables import articles, entities

pg_url, store_url, store = sup.pg_url, sup.store_url, sup.store  # fixtures

HEADER = "name,aliases,kind,country\n"
LEDGER_STORY = (
    "OSLO (The Northern Ledger) — Norway's special envoy Helena Strand said on Monday "
    "that the talks would go on.\n"
)


def write(path: Path, rows: str) -> str:
    path.write_text(HEADER + rows, encoding="utf-8")
    return str(path)


@pytest.fixture
def ledger_file(tmp_path: Path) -> str:
    return write(tmp_path / "outlets.csv", "The Northern Ledger,Northern Ledger,newspaper,NO\n")


# --- the loader ---------------------------------------------------------------------------


def test_shipped_table_names_outlets_in_any_spelling():
    outlets = load_outlets()
    assert len(outlets) >= 150
    assert {o.kind for o in outlets.outlets} == set(KINDS)
    for spelling in ("TASS", "Tass", "ITAR-TASS", "tass"):
        assert outlets.canonical_name(spelling) == "TASS"
    for spelling in ("AP", "Associated Press", "The Associated Press", "the associated  press"):
        assert outlets.canonical_name(spelling) == "AP"
    kenya = outlets.canonical("the Kenya News Agency")
    assert kenya is not None and (kenya.name, kenya.kind, kenya.country) == (
        "Kenya News Agency",
        "agency",
        "KE",
    )
    assert outlets.canonical("Kremlin") is None and outlets.canonical("") is None


def test_loaded_once_per_path(ledger_file):
    assert load_outlets() is load_outlets()
    assert load_outlets(ledger_file) is load_outlets(ledger_file)


@pytest.mark.parametrize(
    ("rows", "line", "problem"),
    [
        ("Reuters,,agency,GB\nDaily Planet,,paper,US\n", 3, "kind 'paper'"),
        ("Daily Planet,,newspaper,USA\n", 2, "country 'USA'"),
        ("Daily Planet,newspaper,US\n", 2, "3 fields"),
        ("Daily Planet,,newspaper,US\nThe Planet,Daily Planet,newspaper,US\n", 3, "line 2"),
        (",Planet,newspaper,US\n", 2, "empty name"),
    ],
)
def test_a_bad_row_names_file_and_line(tmp_path, rows, line, problem):
    path = write(tmp_path / "bad.csv", rows)
    with pytest.raises(OutletFileError) as err:
        read_outlet_file(path)
    assert f"{path}:{line}:" in str(err.value) and problem in str(err.value)


def test_a_file_without_the_header_is_refused(tmp_path):
    path = tmp_path / "no_header.csv"
    path.write_text("# comment\nname,kind\nX,agency\n", encoding="utf-8")
    with pytest.raises(OutletFileError, match=r"no_header.csv:2: the header lacks aliases"):
        read_outlet_file(path)


def test_user_rows_add_to_and_override_the_shipped_ones(tmp_path):
    path = write(
        tmp_path / "mine.csv",
        "# our own\n"
        "TASS,TASS Russian News Agency,agency,RU\n"
        "Kremlin Wire,RIA,agency,RU\n"
        "The Northern Ledger,,newspaper,NO\n",
    )
    shipped, mine = load_outlets(), load_outlets(path)
    assert shipped.canonical("TASS Russian News Agency") is None
    assert mine.canonical_name("TASS Russian News Agency") == "TASS"
    assert shipped.canonical_name("RIA") == "RIA Novosti"
    assert mine.canonical_name("RIA") == "Kremlin Wire"  # an alias the user's row takes over
    assert mine.canonical_name("RIA Novosti") == "RIA Novosti"  # the rest of the row stays
    assert mine.canonical_name("northern ledger") == "The Northern Ledger"
    assert mine.canonical_name("Reuters") == "Reuters"  # the shipped rows are still there


# --- readers: dateline and sign-off -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("MOSCOW, Dec 11 (IANS) Russian Foreign Minister Sergei Lavrov said on Monday ...", "IANS"),
        ("MOSCOW, March 9. /Tass/. Russia may consider proposals, the minister said.", "TASS"),
        (
            "NAIROBI (Kenya News Agency) - The road will open in May, officials said.",
            "Kenya News Agency",
        ),
        ("LONDON (Press Association) - The bill passed, the minister said.", "PA Media"),
    ],
)
def test_dateline_agency_is_the_canonical_outlet(text, agency):
    art = article_from_text(text)
    assert art.dateline is not None and art.dateline.agency == agency
    assert art.agency == agency


def test_signoff_reads_the_table():
    text = "The talks went on into the night, the envoy said.\n\n-- Kyodo News\n"
    found = find_signoff(text)
    assert found is not None and found[1] == "Kyodo"


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("By Jane Doe, Associated Press", "AP"),
        ("By JANE DOE and JOHN ROE | Reuters", "Reuters"),
        ("By Jane Doe (AFP)", "AFP"),
        ("By Jane Doe, Associated Press Writer", "AP"),
        ("By Reuters staff", "Reuters"),
        ("By Jane Doe", None),
    ],
)
def test_byline_outlet(line, outlet):
    text = f"Talks resume in Geneva\n\n{line}\n\nGENEVA — The talks resumed, officials said.\n"
    art = article_from_text(text)
    assert art.title == "Talks resume in Geneva"
    assert [f.text for f in art.furniture] == [line]  # not article text
    assert art.agency == outlet
    assert art.dateline is not None and art.dateline.place == "GENEVA"


def test_a_sentence_starting_with_by_is_no_byline():
    art = article_from_text("By Monday the talks had ended, officials said.\n")
    assert art.furniture == [] and art.agency is None


def test_a_byline_outlet_from_a_user_file(ledger_file):
    text = "By Kari Berg, The Northern Ledger\n\nOSLO — The talks went on, Strand said.\n"
    assert article_from_text(text).agency is None
    assert article_from_text(text, outlets=load_outlets(ledger_file)).agency == (
        "The Northern Ledger"
    )


def test_a_dateline_outlet_from_a_user_file(ledger_file):
    assert article_from_text(LEDGER_STORY).dateline is None  # not an outlet we ship
    art = article_from_text(LEDGER_STORY, outlets=load_outlets(ledger_file))
    assert art.dateline is not None and art.dateline.agency == "The Northern Ledger"
    assert art.dateline.span.text == "OSLO (The Northern Ledger) —"


def test_the_engine_reads_the_dateline_with_the_options_file(nlp, ledger_file):
    a = analyse(article_from_text(LEDGER_STORY), nlp, AttributionOptions(outlets=ledger_file))
    assert a.article.agency == "The Northern Ledger"
    ledger = [e for e in a.entities if e.name == "The Northern Ledger"]
    assert len(ledger) == 1 and ledger[0].type == "MEDIA"
    assert [e.name for e in a.entities if e.name in ("OSLO", "Oslo")] == []
    (st,) = a.statements
    assert st.speaker_name == "Helena Strand" and st.reported_by == "The Northern Ledger"
    without = analyse(article_from_text(LEDGER_STORY), nlp)
    assert without.article.agency is None


# --- entity typing and chains -------------------------------------------------------------


def test_tass_and_Tass_are_one_entity(nlp):
    a = analyse(
        article_from_text(
            "Tass quoted Oleg Voronin as saying the talks would resume. Later TASS quoted "
            "Voronin as saying they would not."
        ),
        nlp,
    )
    media = [e for e in a.entities if e.type == "MEDIA"]
    assert [(e.name, sorted(m.text for m in e.mentions)) for e in media] == [
        ("TASS", ["TASS", "Tass"])
    ]
    assert [s.speaker_name for s in a.statements] == ["Oleg Voronin", "Oleg Voronin"]
    assert [[v.name for v in s.via] for s in a.statements] == [["TASS"], ["TASS"]]


def test_tass_and_Tass_are_one_entity_in_the_store(nlp, store):
    for text in ("Tass quoted Oleg Voronin as saying the talks would resume.",
                 "TASS quoted Oleg Voronin as saying the talks had ended."):  # fmt: skip
        store.add_analysis(analyse(article_from_text(text), nlp))
    with store.engine.connect() as conn:
        names = conn.execute(
            sa.select(entities.c.name).where(
                entities.c.type == "MEDIA", entities.c.merged_into.is_(None)
            )
        ).scalars()
        assert list(names) == ["TASS"]
    # an entity stored under another spelling merges with it by key
    assert entity_key("MEDIA", "Tass") == entity_key("MEDIA", "TASS")


def test_kenya_news_agency_quoted_a_person(nlp):
    a = analyse(
        article_from_text(
            "NAIROBI (Reuters) - The Kenya News Agency quoted Mwangi as saying the road "
            "would open in May.\n"
        ),
        nlp,
    )
    (st,) = a.statements  # and no second statement by "Kenya"
    assert st.speaker_name == "Mwangi"
    assert [v.name for v in st.via] == ["Kenya News Agency"]
    assert st.reported_by == "Reuters"
    agency = next(e for e in a.entities if e.name == "Kenya News Agency")
    assert agency.type == "MEDIA" and "news agency" in agency.roles
    assert "Kenya" not in {e.name for e in a.entities}


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        (
            "KUALA LUMPUR (Reuters) - Bernama, citing diplomatic sources, reported that the "
            "talks would resume on Friday.\n",
            "Bernama",
        ),
        (
            "MOSCOW (AP) — Russia's RIA Novosti news agency, citing diplomatic sources, "
            "reported that the talks would resume on Friday.\n",
            "RIA Novosti",
        ),
    ],
)
def test_citing_diplomatic_sources_makes_the_sources_speak(nlp, text, agency):
    a = analyse(article_from_text(text), nlp)
    (st,) = a.statements
    assert st.speaker is None and st.speaker_name == "diplomatic sources"
    assert [v.name for v in st.via] == [agency]
    assert st.speaker_kind == "anonymous"


def test_the_newspaper_is_the_outlet_named_before(nlp):
    a = analyse(
        article_from_text(
            "MOSCOW (Reuters) - Kommersant reported that the talks would resume. The "
            "newspaper said the delegation would arrive on Friday.\n"
        ),
        nlp,
    )
    assert [(s.speaker_name, s.speaker_kind) for s in a.statements] == [
        ("Kommersant", "named"),
        ("Kommersant", "named"),
    ]
    kommersant = next(e for e in a.entities if e.name == "Kommersant")
    assert kommersant.type == "MEDIA"
    assert "The newspaper" in {m.text for m in kommersant.mentions}


def test_a_person_named_like_an_outlet_stays_a_person(nlp):
    a = analyse(
        article_from_text("Michael Bloomberg said on Monday that he would not run again."), nlp
    )
    assert [(e.name, e.type) for e in a.entities] == [("Michael Bloomberg", "PERSON")]
    assert a.statements[0].speaker_name == "Michael Bloomberg"


def test_posted_articles_are_read_with_the_servers_outlets_file(nlp, store, ledger_file):
    """What ``serve --outlets`` hands the web ingest (``WebOptions.outlets``)."""
    outcome = store_articles(store, [article_from_text(LEDGER_STORY)], nlp, outlets=ledger_file)
    assert outcome.errors == [] and [s.status for s in outcome.stored] == ["added"]
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(articles.c.agency, articles.c.reported_by)).one()
    assert tuple(row) == ("The Northern Ledger", "The Northern Ledger")


# --- the command line ---------------------------------------------------------------------


def test_cli_outlets_option_and_environment(tmp_path, ledger_file):
    story = tmp_path / "story.txt"
    story.write_text(LEDGER_STORY, encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(main, ["extract", str(story), "--format", "json", "--outlets", ledger_file])
    assert ok.exit_code == 0, ok.output
    assert '"agency": "The Northern Ledger"' in ok.output
    by_env = runner.invoke(
        main,
        ["extract", str(story), "--format", "json"],
        env={"SAIDWHAT_OUTLETS": ledger_file},
    )
    assert '"agency": "The Northern Ledger"' in by_env.output
    bad = write(tmp_path / "bad.csv", "Daily Planet,,paper,US\n")
    refused = runner.invoke(main, ["extract", str(story), "--outlets", bad])
    assert refused.exit_code == 2
    assert f"{bad}:2: kind 'paper'" in refused.output
