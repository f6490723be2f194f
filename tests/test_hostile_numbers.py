"""Numbers and dates at the edges: never a traceback, never a 500.

A hostile run found 20-digit ``--limit``/``--offset``/``--speaker`` values ending in an
``OverflowError`` traceback, ``quotes --speaker 99999999999`` in PostgreSQL's "integer
out of range", page offsets of 23 digits answering 500, and articles dated at the
calendar's ends failing on "yesterday" / "tomorrow".
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import query_corpus as qc
import store_support as sup
from saidwhat.analyse import analyse
from saidwhat.cli import main
from saidwhat.reading.dates import resolve
from saidwhat.reading.records import article_from_text
from saidwhat.store import open_store
from saidwhat.web import create_app

pg_url, store_url = sup.pg_url, sup.store_url  # fixtures
HUGE = "9" * 20


@pytest.fixture
def loaded(store_url: str) -> str:
    with open_store(store_url) as s:
        qc.load(s)
    return store_url


def cli(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "200"})


@pytest.mark.parametrize(
    "args",
    [
        ["quotes", "--limit", HUGE],
        ["quotes", "--offset", HUGE],
        ["speakers", "--limit", HUGE],
        ["chains", "--limit", HUGE],
        ["quotes", "--limit", "-1"],
    ],
)
def test_huge_counts_are_usage_errors(loaded: str, args: list[str]) -> None:
    result = cli(*args, "--db", loaded)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "is not in the range" in result.output


def test_export_refuses_a_huge_limit(loaded: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "x.jsonl"
    result = cli("export", str(out), "--format", "jsonl", "--limit", HUGE, "--db", loaded)
    assert result.exit_code == 2 and "is not in the range" in result.output
    assert not out.exists()


@pytest.mark.parametrize("speaker", ["99999999999", HUGE])
def test_an_id_no_store_can_hold_matches_nobody(loaded: str, speaker: str) -> None:
    result = cli("quotes", "--speaker", speaker, "--format", "json", "--db", loaded)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "[]"
    one = cli("speaker", speaker, "--db", loaded)
    assert one.exit_code != 0 and "Traceback" not in one.output
    assert not isinstance(one.exception, OverflowError)


def test_pages_clamp_huge_offsets_and_the_api_refuses_them(loaded: str) -> None:
    with TestClient(create_app(loaded)) as client:
        for path in ("/", "/speakers"):
            assert client.get(path, params={"offset": "9" * 23}).status_code == 200
        api = client.get("/api/statements", params={"offset": "9" * 23})
        assert api.status_code == 422
        assert client.get("/api/statements", params={"speaker": HUGE}).status_code == 400


@pytest.mark.parametrize(
    ("expression", "day"),
    [("yesterday", "0001-01-01"), ("tomorrow", "9999-12-31"), ("last week", "0001-01-03")],
)
def test_a_day_the_calendar_lacks_is_no_date(expression: str, day: str) -> None:
    found = resolve(expression, day)
    assert found.date is None and found.range is None


def test_articles_at_the_calendars_ends_analyse() -> None:
    for day, word in (("0001-01-01", "yesterday"), ("9999-12-31", "tomorrow")):
        art = article_from_text(
            f" date {day} The minister said {word} that the talks would resume.", path="x.txt"
        )
        analysis = analyse(art)
        assert analysis.statements and analysis.statements[0].date is None
