"""A filter value outside its fixed set is an error naming the valid ones, everywhere.

A new user found ``quotes --act lie`` and ``--type quote`` listing nothing with exit
status 0, as if nobody had ever lied: indistinguishable from a true empty answer. Now
the library raises ``UnknownValue`` (a ValueError), the CLI exits 2 with the list, the
API answers 422 with ``allowed`` beside FastAPI's own validation errors, and the search
page shows the message; valid values still match in any case and comma-separated.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from saidwhat.cli import main
from saidwhat.query import QueryFilters, UnknownValue
from saidwhat.schema import SPEECH_ACTS, STATEMENT_TYPES
from saidwhat.store import open_store
from saidwhat.web import create_app


def test_the_library_names_the_valid_values() -> None:
    with pytest.raises(UnknownValue) as caught:
        QueryFilters(act=("deny", "lie"))
    assert caught.value.field == "act" and caught.value.value == "lie"
    assert caught.value.allowed == list(SPEECH_ACTS) and "deny" in str(caught.value)
    with pytest.raises(ValueError, match="type: 'quote' is not one of: direct"):
        QueryFilters(type="quote")
    assert QueryFilters(act="DENY, reject", type=STATEMENT_TYPES).act == "DENY, reject"


@pytest.fixture
def db(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "empty.db"
    open_store(path).close()
    return str(path)


@pytest.mark.parametrize(
    "args",
    [
        ["quotes", "--act", "lie"],
        ["quotes", "--type", "quote"],
        ["speakers", "--act", "deny", "--act", "boast"],
        ["chains", "--act", "lie"],
        ["export", "--act", "lie", "--format", "jsonl", "--out", "-"],
    ],
)
def test_the_cli_exits_2_listing_them(db: str, args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--db", db])
    assert result.exit_code == 2, result.output
    assert "is not one of:" in result.output and "Traceback" not in result.output


def test_the_api_answers_422_and_the_page_says_so(db: str) -> None:
    with TestClient(create_app(db)) as client:
        for path in ("/api/statements", "/api/speakers", "/api/chains"):
            r = client.get(path, params={"act": "lie"})
            assert r.status_code == 422, path
            (err,) = r.json()["detail"]
            assert err["loc"] == ["query", "act"] and err["input"] == "lie"
            assert err["allowed"] == list(SPEECH_ACTS)
        r = client.get("/api/statements", params={"type": "quote"})
        assert r.status_code == 422 and r.json()["detail"][0]["allowed"] == list(STATEMENT_TYPES)
        assert client.get("/api/statements", params={"act": "Deny"}).status_code == 200
        page = client.get("/", params={"act": "lie"}, headers={"accept": "text/html"})
        assert page.status_code == 400 and "is not one of:" in page.text
