"""Counts read as English: "1 statement", "2 statements", in the CLI and on the pages."""

from __future__ import annotations

from click.testing import CliRunner
from fastapi.testclient import TestClient

from saidwhat.cli import main
from saidwhat.store import open_store
from saidwhat.web import create_app
from saidwhat.wording import counted
from store_support import make_analysis


def test_counted_says_one_and_many() -> None:
    assert counted(1, "statement") == "1 statement"
    assert counted(0, "statement") == "0 statements"
    assert counted(2, "entity") == "2 entities" and counted(1, "entity") == "1 entity"
    assert counted(3, "syndicated copy") == "3 syndicated copies"


def test_one_statement_is_one_statement_everywhere(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "one.db")
    text = "Anna Berg said the talks would resume. Nothing else was said that day."
    analysis = make_analysis(
        text,
        people=[("e1", "Anna Berg", ["minister"])],
        quotes=[("e1", "the talks would resume", "said")],
    )
    with open_store(db) as store:
        store.add_analysis(analysis)
    runner = CliRunner()
    quotes = runner.invoke(main, ["quotes", "--db", db], env={"COLUMNS": "200"})
    assert quotes.exit_code == 0 and "1 statement" in quotes.output
    assert "1 statements" not in quotes.output
    speaker = runner.invoke(main, ["speaker", "Anna Berg", "--db", db], env={"COLUMNS": "200"})
    assert "1 statement (1 distinct claim)" in speaker.output
    out = tmp_path / "one.jsonl"
    export = runner.invoke(main, ["export", "--db", db, "--format", "jsonl", "--out", str(out)])
    assert export.exit_code == 0 and "1 statement written" in export.output
    with TestClient(create_app(db)) as client:
        sid = client.get("/api/speakers").json()["items"][0]["id"]
        page = client.get(f"/speakers/{sid}").text
        assert "1 statement · 1 distinct claim · 1 article" in page
        outlets = client.get("/outlets").text
        assert "1 statements" not in outlets and "1 statement" in outlets


def test_quotes_full_shows_a_long_statement_whole(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A table cuts a statement at 160 characters; --full shows it whole, and --width
    sets the table's width."""
    words = " ".join(f"point{i}" for i in range(60))  # about 420 characters
    text = f"Anna Berg said {words} and nothing more. The meeting then ended."
    analysis = make_analysis(text, people=[("e1", "Anna Berg", [])], quotes=[("e1", words, "said")])
    db = str(tmp_path / "long.db")
    with open_store(db) as store:
        store.add_analysis(analysis)
    runner = CliRunner()
    cut = runner.invoke(main, ["quotes", "--db", db, "--width", "300"])
    assert cut.exit_code == 0 and "point59" not in cut.output and "…" in cut.output
    whole = runner.invoke(main, ["quotes", "--db", db, "--full", "--width", "300"])
    assert whole.exit_code == 0 and "point59" in whole.output
    assert max(len(line) for line in whole.output.splitlines()) <= 300
    narrow = runner.invoke(main, ["quotes", "--db", db, "--width", "10"])
    assert narrow.exit_code == 2  # under 40 columns no table is readable
