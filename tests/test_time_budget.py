"""The per-article time budget: an article over it is one error line and the rest goes on.

A hostile run found crafted articles (a million characters, 200,000 quote marks) holding
``extract``, ``ingest``, a batch worker or the web server for minutes. Every entry point
now gives up an article whose analysis passes its budget, at the next stage boundary; a
long text is parsed in pieces so that the parse itself has boundaries. These tests force
the budget out with tiny budgets (never by timing a slow machine) and check that the
message is one line, that the neighbours are analysed, and that the pieces give back
exactly the text.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time

import pytest
from click.testing import CliRunner

from saidwhat.analyse import (
    PARSE_BATCHED_CHARS,
    AnalysisFailed,
    OverBudget,
    analyse,
    analyse_many,
    with_settings,
)
from saidwhat.attribution import AttributionOptions
from saidwhat.attribution.budget import DEFAULT_TIME_BUDGET, Deadline
from saidwhat.batch import analyse_partition
from saidwhat.cli import main
from saidwhat.nlp import (
    PARSE_CHUNK_CHARS,
    PARSE_WHOLE_CHARS,
    load_pipeline,
    parse_text,
    text_pieces,
)
from saidwhat.reading.records import article_from_text

GOOD = (
    "date 2025-12-11\n\n"
    'Anna Berg, the energy minister, said on Thursday that the talks would resume. "We are '
    'ready to sign," she told reporters.\n'
)
TINY = 1e-9  # runs out at the first stage boundary


def long_text(chars: int) -> str:
    """Plain sentences in paragraphs, past the length that is parsed in pieces."""
    paragraph = "The minister said the talks would resume next week, officials confirmed. " * 4
    out = []
    while sum(map(len, out)) < chars:
        out.append(paragraph.strip() + "\n\n")
    return "".join(out)


def test_a_deadline_without_seconds_never_runs_out() -> None:
    deadline = Deadline(None, started=time.monotonic() - 10_000)
    deadline.check("anything")


def test_a_spent_deadline_says_where_it_stopped_in_one_line() -> None:
    deadline = Deadline(2.0, started=time.monotonic() - 3)
    with pytest.raises(OverBudget) as caught:
        deadline.check("the parse")
    message = str(caught.value)
    assert "\n" not in message
    assert "time budget of 2 s" in message and "at the parse" in message
    assert "--time-budget" in message


def test_the_budget_is_an_option_and_must_be_positive() -> None:
    assert AttributionOptions().time_budget == DEFAULT_TIME_BUDGET == 10.0
    assert AttributionOptions(time_budget=None).time_budget is None
    for bad in (0, -1.0):
        with pytest.raises(ValueError, match="time_budget"):
            AttributionOptions(time_budget=bad)
    nlp = load_pipeline()
    assert with_settings(nlp, 3.0).time_budget == 3.0
    assert with_settings(nlp, 3.0).decision == AttributionOptions().decision


def test_text_pieces_join_back_and_cut_at_breaks() -> None:
    rng = random.Random(3)
    words = ["talks", "resume", "\n\n", "\n", " ", "minister", "“quote”", "\t", "x" * 40]
    for _ in range(40):
        text = "".join(
            rng.choice(words) + rng.choice([" ", ""]) for _ in range(rng.randrange(0, 900))
        )
        size = rng.randrange(20, 400)
        pieces = list(text_pieces(text, size))
        assert "".join(pieces) == text
        assert all(0 < len(p) <= size for p in pieces)
    paragraphs = "".join(f"Paragraph {i} is here.\n\n" for i in range(100))
    for piece in list(text_pieces(paragraphs, 200))[:-1]:
        assert piece.endswith("\n\n")  # a paragraph break is the first choice of cut
    assert list(text_pieces("x" * 25, 10)) == ["x" * 10, "x" * 10, "x" * 5]  # no space: at size


def test_a_long_text_parsed_in_pieces_is_the_text_with_its_sentences_and_names() -> None:
    nlp = load_pipeline()
    text = "Anna Berg said the talks would resume.\n\n" + long_text(PARSE_WHOLE_CHARS + 100)
    with nlp.select_pipes(disable=[p for p in nlp.pipe_names if p == "saidwhat_attribution"]):
        doc = parse_text(nlp, text, Deadline(None))
    assert doc.text == text
    assert len(list(doc.sents)) > len(text) // PARSE_CHUNK_CHARS
    assert any(e.text == "Anna Berg" for e in doc.ents)


def test_a_short_text_is_parsed_whole_as_spacy_would() -> None:
    nlp = load_pipeline()
    doc = parse_text(nlp, GOOD, Deadline(None))
    whole = nlp(GOOD)
    assert [(t.text, t.dep_, t.head.i) for t in doc] == [(t.text, t.dep_, t.head.i) for t in whole]


def test_analyse_gives_up_an_article_over_its_budget() -> None:
    article = article_from_text(GOOD, path="good.txt")
    with pytest.raises(OverBudget, match="time budget"):
        analyse(article, load_pipeline(), AttributionOptions(time_budget=TINY))
    assert analyse(article, load_pipeline(), AttributionOptions(time_budget=None)).statements


def test_analyse_many_goes_on_past_articles_over_budget_in_order() -> None:
    """Short articles go through ``nlp.pipe`` (the component's clock), a long one is
    parsed alone in pieces under its own clock; the order of the results is the input's."""
    nlp = load_pipeline()
    articles = [
        article_from_text(GOOD, path="a.txt"),
        article_from_text(long_text(PARSE_WHOLE_CHARS + 10), path="long.txt"),
        article_from_text(GOOD.replace("Thursday", "Friday"), path="b.txt"),
    ]
    over = list(analyse_many(articles, nlp=nlp, options=AttributionOptions(time_budget=TINY)))
    assert [type(r) for r in over] == [AnalysisFailed] * 3
    assert [str(r).split(":")[0] for r in over] == ["a.txt", "long.txt", "b.txt"]
    assert all("time budget" in str(r) and "\n" not in str(r) for r in over)
    fine = list(analyse_many(articles, nlp=nlp, options=AttributionOptions(time_budget=None)))
    assert [r.article.path for r in fine] == ["a.txt", "long.txt", "b.txt"]  # type: ignore[union-attr]
    assert all(not isinstance(r, AnalysisFailed) and r.statements for r in fine)


def test_a_batch_partition_reports_an_article_over_budget_and_keeps_the_rest() -> None:
    articles = [article_from_text(GOOD, path="a.txt"), article_from_text(GOOD * 2, path="b.txt")]
    over = analyse_partition("p0", articles, [0, 1], time_budget=TINY)
    assert over.articles == 0 and [f.path for f in over.failures] == ["a.txt", "b.txt"]
    assert all(f.reason.startswith("not analysed within the time budget") for f in over.failures)
    fine = analyse_partition("p0", articles, [0, 1], time_budget=None)
    assert fine.articles == 2 and not fine.failures


def test_extract_reports_each_article_over_budget_on_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD, encoding="utf-8")
    runner = CliRunner()
    over = runner.invoke(
        main, ["extract", str(tmp_path), "--format", "json", "--time-budget", "1e-9"]
    )
    assert over.exit_code == 1
    errors = [line for line in over.output.splitlines() if line.startswith("error")]
    assert len(errors) == 2 and all("time budget" in line for line in errors)
    assert "Traceback" not in over.output
    fine = runner.invoke(main, ["extract", str(tmp_path), "--format", "json", "--time-budget", "0"])
    assert fine.exit_code == 0
    assert [json.loads(line)["article"]["path"] for line in fine.stdout.splitlines()] == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b.txt"),
    ]


def test_the_budget_comes_from_the_environment_and_is_validated(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    runner = CliRunner()
    over = runner.invoke(
        main, ["extract", str(tmp_path / "a.txt")], env={"SAIDWHAT_TIME_BUDGET": "1e-9"}
    )
    assert over.exit_code == 1 and "time budget" in over.output
    bad = runner.invoke(main, ["extract", str(tmp_path / "a.txt"), "--time-budget", "-1"])
    assert bad.exit_code == 2 and "--time-budget" in bad.output


def test_ingest_records_an_article_over_budget_and_stores_the_others(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A long article with a budget its parse cannot meet beside good ones: the good ones
    are stored, the long one is one row in ``errors``, and re-running with no limit
    stores it without touching the others."""
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "long.txt").write_text(long_text(PARSE_WHOLE_CHARS + 10), encoding="utf-8")
    db = tmp_path.parent / f"{tmp_path.name}.db"
    runner = CliRunner()
    # the good article's extraction takes milliseconds, the long one's parse seconds
    first = runner.invoke(
        main, ["ingest", str(tmp_path), "--db", str(db), "-q", "--time-budget", "0.5"]
    )
    assert first.exit_code == 1, first.output
    assert "Traceback" not in first.output
    with sqlite3.connect(db) as conn:
        paths = [p for (p,) in conn.execute("select path from articles")]
        errors = [m for (m,) in conn.execute("select path || ' ' || reason from errors")]
    assert paths == [str(tmp_path / "good.txt")]
    assert len(errors) == 1 and "long.txt" in errors[0] and "time budget" in errors[0]
    again = runner.invoke(
        main, ["ingest", str(tmp_path), "--db", str(db), "-q", "--time-budget", "0"]
    )
    assert again.exit_code == 0, again.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from articles").fetchone() == (2,)


def test_a_longer_article_is_clocked_from_the_start_of_its_parse() -> None:
    """Past PARSE_BATCHED_CHARS an article is parsed alone, component by component under
    its clock (a crafted text of a few tens of thousands of characters can take longer
    to parse than to extract); a short one in a batch is clocked from its extraction."""
    nlp = load_pipeline()
    mid = article_from_text(long_text(PARSE_BATCHED_CHARS + 10), path="mid.txt")
    short = article_from_text(GOOD, path="short.txt")
    results = list(
        analyse_many([mid, short], nlp=nlp, options=AttributionOptions(time_budget=TINY))
    )
    assert "at the parse (" in str(results[0])
    assert "at the parse" not in str(results[1]) and "time budget" in str(results[1])


# -- the web server ---------------------------------------------------------------------


def test_the_api_and_the_ingest_page_refuse_an_article_over_the_server_budget(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """A posted article over ``WebOptions.time_budget`` is a 400 with the one-line reason
    (no exception text, nothing stored); the same article under no limit is stored."""
    from fastapi.testclient import TestClient

    from saidwhat.web import create_app
    from saidwhat.web.options import WebOptions

    headers = {"Authorization": "Bearer budget-token"}
    tight = create_app(
        tmp_path / "w.db", token="budget-token", options=WebOptions(time_budget=TINY)
    )
    with TestClient(tight) as client:
        r = client.post("/api/articles", json={"text": GOOD}, headers=headers)
        assert r.status_code == 400, r.text
        detail = r.json()["detail"]
        assert "time budget" in detail and "\n" not in detail and "Traceback" not in detail
        page = client.post("/ingest", data={"text": GOOD, "token": "budget-token"})
        assert page.status_code == 400 and "time budget" in page.text
        assert client.get("/api/stats").json()["articles"] == 0
    free = create_app(tmp_path / "w.db", token="budget-token", options=WebOptions(time_budget=None))
    with TestClient(free) as client:
        r = client.post("/api/articles", json={"text": GOOD}, headers=headers)
        assert r.status_code == 201, r.text
        assert client.get("/api/stats").json()["articles"] == 1


def test_serve_takes_the_budget_into_the_workers_options(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``saidwhat serve --time-budget`` (0: no limit) reaches the options every worker
    process builds its app from; a negative one is a usage error."""
    import uvicorn

    from saidwhat.cli.web import DB_ENV, OPTIONS_ENV, TOKEN_ENV_ENV
    from saidwhat.store import open_store
    from saidwhat.web.options import WebOptions

    db = tmp_path / "s.db"
    open_store(db).close()
    for name in (DB_ENV, OPTIONS_ENV, TOKEN_ENV_ENV):
        monkeypatch.setenv(name, "")  # restored after the test
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    runner = CliRunner()
    for given, expected in (("2.5", 2.5), ("0", None)):
        r = runner.invoke(main, ["serve", "--db", str(db), "--time-budget", given])
        assert r.exit_code == 0, r.output
        assert WebOptions.from_json(os.environ[OPTIONS_ENV]).time_budget == expected
    bad = runner.invoke(main, ["serve", "--db", str(db), "--time-budget", "-1"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_store_articles_keeps_the_budget_of_its_options_unless_given_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A caller's ``options`` carry their own budget; ``time_budget=`` replaces it only
    when passed (the web server passes its own)."""
    from saidwhat.ingest.upload import store_articles
    from saidwhat.store import open_store

    nlp = load_pipeline()
    tight = with_settings(nlp, TINY)
    with open_store(tmp_path / "o.db") as store:
        refused = store_articles(store, [article_from_text(GOOD)], nlp, tight)
        assert not refused.stored and "time budget" in refused.errors[0]
        freed = store_articles(store, [article_from_text(GOOD)], nlp, tight, time_budget=None)
        assert [s.status for s in freed.stored] == ["added"] and not freed.errors
