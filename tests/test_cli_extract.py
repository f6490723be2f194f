"""`saidwhat extract` end to end: tables, JSON lines, and a batch with bad files in it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from saidwhat.cli import main
from saidwhat.reading.records import MAX_ARTICLE_CHARS

GOOD = (
    " date 2026-03-05 Geneva, Mar 5 (IANS) Foreign Minister Oleg Voronin said on Thursday "
    'that the talks would resume. "We are ready," he added.\n\n--IANS\n\nakl/as\n'
)


def write_batch(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (tmp_path / "latin1.txt").write_bytes("Le pr\xe9sident a dit non.".encode("latin-1"))
    (tmp_path / "huge.txt").write_text("word " * (MAX_ARTICLE_CHARS // 5 + 10), encoding="utf-8")
    (tmp_path / "quotes.txt").write_text('"" “” " ” “ ""', encoding="utf-8")
    return tmp_path


def test_json_lines_carry_the_schema(tmp_path, nlp):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "good.txt"), "--format", "json"])
    assert result.exit_code == 0, result.output
    docs = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(docs) == 1
    doc = docs[0]
    assert doc["schema_version"] and doc["article"]["path"].endswith("good.txt")
    assert doc["article"]["text"] == GOOD
    assert doc["article"]["agency"] == "IANS"
    acts = {(s["speaker_name"], s["type"]) for s in doc["statements"]}
    assert ("Oleg Voronin", "indirect") in acts and ("Oleg Voronin", "direct") in acts
    added = next(s for s in doc["statements"] if s["type"] == "direct")
    assert added["date"] == "2026-03-05"  # `he added` shares the date of `said on Thursday`


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path, nlp):
    folder = write_batch(tmp_path)
    result = CliRunner().invoke(main, ["extract", str(folder), "--format", "json"])
    assert result.exit_code == 1
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    paths = sorted(d["article"]["path"].rsplit("/", 1)[-1] for d in lines)
    assert paths == ["good.txt", "quotes.txt"]  # the quotes-only text is no error
    quotes_only = next(d for d in lines if d["article"]["path"].endswith("quotes.txt"))
    assert quotes_only["statements"] == []
    errors = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(errors) == 4, result.stderr
    joined = "\n".join(errors)
    for name, words in [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("latin1.txt", "UTF-8"),
        ("huge.txt", "limit"),
    ]:
        line = next((e for e in errors if name in e), None)
        assert line is not None and words in line, joined
    assert "Traceback" not in result.output + result.stderr


def test_table_output(tmp_path, nlp):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "good.txt")])
    assert result.exit_code == 0
    assert "Oleg Voronin" in result.stdout and "IANS" in result.stdout


def test_jsonl_is_json_here_one_document_per_article_per_line(tmp_path, nlp):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "again.txt").write_text(GOOD.replace("Voronin", "Petrov"), encoding="utf-8")
    as_json = CliRunner().invoke(main, ["extract", str(tmp_path), "--format", "json"])
    as_lines = CliRunner().invoke(main, ["extract", str(tmp_path), "--format", "jsonl"])
    assert as_json.exit_code == as_lines.exit_code == 0
    assert as_lines.stdout == as_json.stdout
    assert len([json.loads(x) for x in as_lines.stdout.splitlines() if x.strip()]) == 2


def test_ingest_creates_a_missing_store(tmp_path, nlp):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    db = tmp_path / "new" / "store.db"
    db.parent.mkdir()
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "good.txt"), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    assert db.exists() and "1 added" in result.stderr
    stats = json.loads(CliRunner().invoke(main, ["stats", "--db", str(db), "--json"]).stdout)
    assert stats["articles"] == 1


def test_extract_shows_progress_on_a_terminal_only(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """On a terminal a progress line counts articles, statements and errors; --quiet, or
    stderr read by a script, gets the error lines alone."""
    from rich.console import Console

    from saidwhat.cli import main as cli

    (tmp_path / "a.txt").write_text(
        'Anna Berg said on Monday that "the talks will resume".\n', encoding="utf-8"
    )
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    plain = CliRunner().invoke(cli, ["extract", str(tmp_path), "--format", "jsonl"])
    assert "extract 1 articles" not in plain.stderr and "articles" not in plain.stderr
    monkeypatch.setattr(Console, "is_terminal", property(lambda self: True))
    shown = CliRunner().invoke(cli, ["extract", str(tmp_path), "--format", "jsonl"])
    assert "extract" in shown.stderr and "1 errors" in shown.stderr
    quiet = CliRunner().invoke(cli, ["extract", str(tmp_path), "--format", "jsonl", "-q"])
    assert "articles" not in quiet.stderr and "empty.txt" in quiet.stderr
