"""The read commands through click's CliRunner, and the export formats round-tripping.

The CLI is thin, so these tests check wiring: options reach ``QueryFilters``, the
machine-readable outputs parse and carry the same rows the library returns, errors are
one clear line with a non-zero exit.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

import query_corpus as qc
import store_support as sup
from saidwhat.cli import main
from saidwhat.query import QueryFilters, search_statements
from saidwhat.query.export import export_statements
from saidwhat.store import open_store

pg_url, store_url, store = sup.pg_url, sup.store_url, sup.store  # fixtures


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "corpus.db"
    with open_store(path) as s:
        qc.load(s)
    return str(path)


def run(*args: str, db: str | None = None):  # type: ignore[no-untyped-def]
    env = {"COLUMNS": "200"} | ({"SAIDWHAT_DB": db} if db else {})
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_quotes_json_matches_library(db):
    result = run("quotes", "--speaker", "peskov", "--act", "assert", "--json", db=db)
    assert result.exit_code == 0, result.output
    rows = jsonl(result.stdout)
    with open_store(db) as s:
        expected = search_statements(s, QueryFilters(speaker="peskov", act="assert"))
    assert [r["id"] for r in rows] == [r.id for r in expected.items]
    assert len(rows) == 3 and {r["speaker"] for r in rows} == {"Dmitry Peskov"}


def test_quotes_db_option_beats_env(db, tmp_path):
    result = CliRunner().invoke(
        main, ["quotes", "--db", db, "--json"], env={"SAIDWHAT_DB": str(tmp_path / "x.db")}
    )
    assert result.exit_code == 0 and len(jsonl(result.stdout)) == 8


def test_quotes_filters_and_csv(db):
    result = run("quotes", "--about", "corridor", "--since", "2025-12-11", "--csv", db=db)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 3
    assert {r["reported_by"] for r in rows} == {"IANS", "Tribune", "Tass"}
    via = run("quotes", "--via", "interfax", "--csv", db=db)
    (row,) = csv.DictReader(io.StringIO(via.stdout))
    assert row["via"] == "local media; Interfax"


def test_quotes_table_shows_chain_and_total(db):
    result = run("quotes", "--outlet", "IANS", db=db)
    assert result.exit_code == 0
    assert "1 statement" in result.stdout and "1 statements" not in result.stdout
    assert "IANS ← Tass ←" in result.stdout


def test_hostile_text_is_just_a_search(db):
    result = run("quotes", "--about", "'; DROP TABLE statements; --", "--json", db=db)
    assert result.exit_code == 0 and result.stdout == ""
    assert len(jsonl(run("quotes", "--json", db=db).stdout)) == 8


def test_bad_date_and_missing_store_are_one_line_errors(db, tmp_path):
    bad = CliRunner().invoke(main, ["quotes", "--db", db, "--since", "11/12/2025"])
    assert bad.exit_code == 2 and "since: '11/12/2025' is not an ISO date" in bad.output
    missing = CliRunner().invoke(main, ["stats", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and "no such store" in missing.output
    assert not (tmp_path / "none.db").exists()


def test_speakers_and_speaker(db):
    ranked = jsonl(run("speakers", "--json", db=db).stdout)
    assert [(s["name"], s["statements"]) for s in ranked] == [
        ("Dmitry Peskov", 5),
        ("Irina Orlov", 2),
    ]
    page = run("speaker", "Peskov", db=db)
    assert page.exit_code == 0
    assert "Kremlin spokesman" in page.stdout and "2025-12-11" in page.stdout
    assert "█" in page.stdout  # the timeline sparkline
    doc = json.loads(run("speaker", "peskov", "--json", db=db).stdout)
    assert doc["speaker"]["name"] == "Dmitry Peskov"
    assert sum(p["count"] for p in doc["timeline"]) == 5
    assert doc["topics"][0] == {"term": "corridor", "count": 2}
    unknown = run("speaker", "Nobody Atall", db=db)
    assert unknown.exit_code == 1 and "no speaker matches" in unknown.output


def test_article_marks_statements(db):
    article_id = qc.REUTERS.article.id
    shown = run("article", article_id, db=db)
    assert shown.exit_code == 0
    assert '"[1]The bridges will not survive' in shown.stdout.replace("\n", " ")
    assert "[2]that Russia had struck" in shown.stdout.replace("\n", " ")
    # the end of each content is marked too, so the extent shows without colour
    flat = shown.stdout.replace("\n", " ")
    assert "repairs,[/1]" in flat and flat.index("[1]") < flat.index("[/1]")
    assert flat.count("[/2]") == flat.count("[2]") >= 1
    doc = json.loads(run("article", article_id, "--json", db=db).stdout)
    assert doc["text"] == qc.REUTERS.article.text
    assert [s["act"] for s in doc["statements"]] == ["warn", "deny"]
    assert run("article", "nope", db=db).exit_code == 1
    short = run("article", article_id[:8], db=db)  # as the quotes table shows ids
    assert short.exit_code == 0 and "Mayor warns on bridges" in short.stdout
    assert article_id[:8] in run("quotes", "--outlet", "Reuters", db=db).stdout
    in_article = jsonl(run("quotes", "--article", article_id[:8], "--json", db=db).stdout)
    assert [r["act"] for r in in_article] == ["warn", "deny"]


def test_stats_and_chains(db):
    doc = json.loads(run("stats", "--json", db=db).stdout)
    assert (doc["articles"], doc["copies"], doc["statements"], doc["claims"]) == (5, 1, 8, 7)
    assert run("stats", db=db).exit_code == 0
    chains = jsonl(run("chains", "--speaker", "Peskov", "--json", db=db).stdout)
    assert {(c["outlet"], tuple(c["via"])) for c in chains} == {
        ("Tass", ()),
        ("IANS", ("Tass",)),
        ("Tribune", ("Tass",)),
        ("Reuters", ()),
    }


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_round_trips(store, tmp_path, fmt):
    qc.load(store)
    out = tmp_path / f"statements.{fmt}"
    n = export_statements(store, out, fmt, QueryFilters())  # all, whatever the page size
    rows = search_statements(store, QueryFilters(limit=None)).items
    assert n == len(rows) == 8
    if fmt == "jsonl":
        back = jsonl(out.read_text(encoding="utf-8"))
    elif fmt == "csv":
        back = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    else:
        import pyarrow.parquet as pq

        back = pq.read_table(out).to_pylist()
    by_id = {int(r["id"]): r for r in back}
    assert set(by_id) == {r.id for r in rows}
    for r in rows:
        got = by_id[r.id]
        assert (got["content"], got["speaker"], got["act"]) == (r.content, r.speaker, r.act)
        assert int(got["start"]) == r.start and str(got["date"]) == r.date
        via = got["via"].split("; ") if fmt == "csv" and got["via"] else got["via"] or []
        assert list(via) == r.via
        if fmt != "csv":
            assert [v["name"] for v in got["via_links"]] == r.via


def test_export_command_with_filters(db, tmp_path):
    out = tmp_path / "peskov.jsonl"
    result = run("export", "--format", "jsonl", "--out", str(out), "--speaker", "Peskov", db=db)
    assert result.exit_code == 0, result.output
    assert "5 statements written" in result.stderr
    assert {r["speaker"] for r in jsonl(out.read_text())} == {"Dmitry Peskov"}
    empty = tmp_path / "none.parquet"
    run("export", "--format", "parquet", "--out", str(empty), "--act", "threaten", db=db)
    import pyarrow.parquet as pq

    table = pq.read_table(empty)
    assert table.num_rows == 0 and "content" in table.column_names
    two = tmp_path / "two.csv"
    result = run("export", "--format", "csv", "--out", str(two), "--limit", "2", db=db)
    assert "2 statements written" in result.stderr
    assert len(list(csv.DictReader(two.open(encoding="utf-8")))) == 2


# -- one --format everywhere, the old spellings kept -----------------------------------------

LISTINGS = [["quotes"], ["speakers"], ["chains"], ["quotes", "--speaker", "peskov", "--limit", "2"]]


@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
def test_listings_take_every_format_and_the_old_flags(db, command):
    table = run(*command, db=db)
    assert table.exit_code == 0 and run(*command, "--format", "table", db=db).stdout == table.stdout
    lines = run(*command, "--format", "jsonl", db=db)
    assert lines.exit_code == 0 and lines.stdout == run(*command, "--json", db=db).stdout
    records = jsonl(lines.stdout)
    assert records  # the corpus has rows for each of these
    doc = run(*command, "--format", "json", db=db)
    assert doc.exit_code == 0 and len(doc.stdout.splitlines()) == 1  # one document
    assert json.loads(doc.stdout) == records
    as_csv = run(*command, "--format", "csv", db=db)
    assert as_csv.exit_code == 0 and as_csv.stdout == run(*command, "--csv", db=db).stdout
    assert len(list(csv.DictReader(io.StringIO(as_csv.stdout)))) == len(records)


@pytest.mark.parametrize(
    "command", [["speaker", "peskov"], ["article", qc.REUTERS.article.id], ["stats"]], ids=" ".join
)
def test_documents_take_table_and_json_and_the_old_flag(db, command):
    table = run(*command, db=db)
    assert table.exit_code == 0 and run(*command, "--format", "table", db=db).stdout == table.stdout
    doc = run(*command, "--format", "json", db=db)
    assert doc.exit_code == 0 and doc.stdout == run(*command, "--json", db=db).stdout
    assert isinstance(json.loads(doc.stdout), dict)
    refused = run(*command, "--format", "csv", db=db)
    assert refused.exit_code == 2 and "'csv' is not one of" in refused.output


def test_two_output_choices_are_a_usage_error(db):
    both = run("quotes", "--json", "--csv", db=db)
    assert both.exit_code == 2 and "--json and --csv exclude each other" in both.output
    mixed = run("speakers", "--csv", "--format", "json", db=db)
    assert mixed.exit_code == 2 and "--csv and --format json exclude each other" in mixed.output
    same = run("chains", "--json", "--format", "jsonl", db=db)  # the same choice twice is fine
    assert same.exit_code == 0 and same.stdout == run("chains", "--json", db=db).stdout


def test_hidden_flags_stay_out_of_the_help():
    shown = CliRunner().invoke(main, ["quotes", "--help"]).output
    assert "--format" in shown and "--json" not in shown and "--csv" not in shown


def test_errors_takes_every_format(tmp_path):
    path = tmp_path / "errors.db"
    with open_store(path) as s:
        s.record_error("feeds/broken.xml", "not a feed, not HTML")
        s.record_error("a.txt", "empty file")
    lines = run("errors", "--format", "jsonl", db=str(path))
    rows = jsonl(lines.stdout)
    assert {(r["path"], r["reason"]) for r in rows} == {
        ("feeds/broken.xml", "not a feed, not HTML"),
        ("a.txt", "empty file"),
    }
    # json printed an object per line here before --format meant one thing; it still does
    assert run("errors", "--format", "json", db=str(path)).stdout == lines.stdout
    as_csv = list(
        csv.DictReader(io.StringIO(run("errors", "--format", "csv", db=str(path)).stdout))
    )
    assert [r["path"] for r in as_csv] == [r["path"] for r in rows]
    table = run("errors", db=str(path))
    assert table.exit_code == 0 and "2 failed inputs" in table.stdout


# -- --db: readers refuse a missing store, writers create it ----------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["quotes"],
        ["speakers"],
        ["speaker", "peskov"],
        ["article", "abc"],
        ["chains"],
        ["stats"],
        ["export", "--format", "jsonl", "--out", "x.jsonl"],
        ["serve"],  # without a write token
    ],
    ids=lambda c: c[0],
)
def test_read_commands_refuse_a_missing_store_in_one_line(tmp_path, command):
    missing = tmp_path / "typo.db"
    result = CliRunner().invoke(
        main, [*command, "--db", str(missing)], env={"SAIDWHAT_TOKEN": None}
    )
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and str(missing) in lines[0] and "no such store" in lines[0]
    assert not missing.exists()


def test_errors_on_a_missing_store_lists_none_as_before(tmp_path):
    fresh = tmp_path / "fresh.db"
    result = CliRunner().invoke(main, ["errors", "--db", str(fresh)])
    assert result.exit_code == 0 and "0 failed inputs" in result.output
