"""Property-based tests (hypothesis) over the readers and the extraction.

The hostile run broke the readers with single bad values (a lone surrogate, deep JSON,
wrong field types) and held the engine for minutes with crafted quote structures. Here
random mutations of the bundled example articles, random files in every format the
readers take, and random quote structures must never raise: a reader yields Articles or
one-line ReadErrors, the engine returns statements whose spans are the text they point
into, or gives the article up with ``OverBudget``, and each article finishes within its
budget (with slack for a loaded machine). The seed is fixed (``derandomize``) and the
number of examples bounded, so CI runs the same cases in well under a minute.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saidwhat.analyse import OverBudget, analyse
from saidwhat.attribution import AttributionOptions
from saidwhat.nlp import load_pipeline
from saidwhat.reading.readers import read_path
from saidwhat.reading.records import ReadError, article_from_text
from saidwhat.schema import Analysis, Article

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples" / "articles").glob("*.txt"))
EXAMPLE_TEXTS = [p.read_text(encoding="utf-8") for p in EXAMPLES]
BUDGET = 10.0  # the default; an article must finish (or be given up) near it
SLACK = 1.5  # the clock is read at stage boundaries, and CI machines are loaded


def fixed(max_examples: int) -> settings:
    """The settings of every property here, with its number of examples."""
    return settings(
        max_examples=max_examples,
        derandomize=True,  # the same examples on every run
        database=None,  # nothing written into the checkout
        deadline=None,  # parse times vary with the machine; the budget check is ours
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


QUOTE_MARKS = ['"', "“", "”", "«", "»", "„", "'", "''", "‘", "’"]
NOISE = QUOTE_MARKS + ["\n", "\n\n", "\r\n", " ", "\t", "\u00a0", "—", ":", ",", ".", "\u202e"]
NOISE += ["\ud800", "\x00", "\ufeff", "é", "日本", "😀", "said", "told", "according to"]


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    """An example article with random cuts, insertions, duplications and line-end changes."""
    text = draw(st.sampled_from(EXAMPLE_TEXTS))
    for _ in range(draw(st.integers(0, 12))):
        if not text:
            break
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "duplicate", "crlf"]))
        if op == "insert":
            text = text[:at] + draw(st.sampled_from(NOISE)) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 200)) :]
        elif op == "duplicate":
            text = text[:at] + text[at : at + draw(st.integers(1, 400))] * 2 + text[at:]
        else:
            text = text.replace("\n", "\r\n")
    return text


SPEECH = ["said", "told reporters", "added", "warned", "denied", "wrote", "responded:"]
NAMES = ["Anna Berg", "the minister", "he", "She", "officials", "Pavel Orlov", "a source"]


@st.composite
def quote_structure(draw: st.DrawFn) -> str:
    """Paragraphs of quotes nested, unbalanced, spanning paragraphs, beside speech verbs."""
    paragraphs = []
    for _ in range(draw(st.integers(1, 25))):
        parts = []
        for _ in range(draw(st.integers(1, 6))):
            kind = draw(st.sampled_from(["open", "close", "words", "cue", "pair", "nest"]))
            if kind == "open":
                parts.append(draw(st.sampled_from(QUOTE_MARKS)))
            elif kind == "close":
                parts.append(draw(st.sampled_from(QUOTE_MARKS)) + ",")
            elif kind == "words":
                parts.append(draw(st.sampled_from(["We will not", "the talks resume", "no"])))
            elif kind == "cue":
                parts.append(f"{draw(st.sampled_from(NAMES))} {draw(st.sampled_from(SPEECH))}")
            elif kind == "pair":
                parts.append("“We are ready to sign this week,” ")
            else:
                parts.append("“He said ‘they told us «never»’ again”")
        paragraphs.append(" ".join(parts))
    return draw(st.sampled_from(["\n\n", "\n", " "])).join(paragraphs)


def check_analysis(article: Article, analysis: Analysis) -> None:
    """Every span of every statement is the text it points into."""
    text = article.text
    for statement in analysis.statements:
        assert statement.content, statement
        spans = [statement.cue, statement.speaker_mention, statement.denies]
        for span in [*statement.content, *(s for s in spans if s is not None)]:
            assert 0 <= span.start <= span.end <= len(text)
            assert text[span.start : span.end] == span.text


def analyse_within_budget(text: str) -> None:
    nlp = load_pipeline()
    article = article_from_text(text, path="mutated.txt")
    started = time.monotonic()
    try:
        analysis = analyse(article, nlp, AttributionOptions(time_budget=BUDGET))
    except OverBudget:
        pass
    else:
        check_analysis(article, analysis)
    assert time.monotonic() - started <= BUDGET * SLACK


@fixed(40)
@given(mutated_text())
def test_mutated_examples_never_raise_and_keep_their_spans(text: str) -> None:
    if "\ud800" in text or "\x00" in text or not text.strip():
        return  # the readers refuse these before the engine sees them (tested below)
    analyse_within_budget(text)


@fixed(40)
@given(quote_structure())
def test_random_quote_structures_never_raise(text: str) -> None:
    analyse_within_budget(text)


def file_contents() -> st.SearchStrategy[tuple[str, bytes]]:
    """(suffix, bytes) of a random file in one of the formats the readers take."""
    text = mutated_text()
    values = st.one_of(
        st.none(), st.integers(), st.floats(allow_nan=True), st.booleans(), text, st.lists(text)
    )
    records = st.dictionaries(
        st.sampled_from(["text", "title", "date", "url", "source", "body", "x"]), values
    )

    def jsonl(rows: list[dict[str, object]]) -> bytes:
        return "\n".join(json.dumps(r) for r in rows).encode("utf-8", "surrogatepass")

    return st.one_of(
        st.tuples(st.just(".txt"), text.map(lambda t: t.encode("utf-8", "surrogatepass"))),
        st.tuples(st.just(".txt"), text.map(lambda t: t.encode("utf-16", "surrogatepass"))),
        st.tuples(st.just(".jsonl"), st.lists(records, max_size=5).map(jsonl)),
        st.tuples(
            st.just(".json"),
            st.lists(records, max_size=5).map(lambda r: json.dumps(r).encode()),
        ),
        st.tuples(
            st.just(".json"),
            st.integers(1, 3000).map(lambda n: ("[" * n + "]" * n).encode()),
        ),
        st.tuples(
            st.sampled_from([".html", ".xml", ".rss"]),
            text.map(
                lambda t: (
                    f"<html><head><title>{t[:80]}</title></head><body><p>{t}</p></body></html>"
                ).encode("utf-8", "surrogatepass")
            ),
        ),
        st.tuples(st.sampled_from([".txt", ".jsonl", ".json", ".html"]), st.binary(max_size=3000)),
    )


@fixed(150)
@given(file_contents())
def test_readers_yield_articles_or_one_line_errors(
    tmp_path_factory: pytest.TempPathFactory, content: tuple[str, bytes]
) -> None:
    suffix, data = content
    path = tmp_path_factory.mktemp("prop") / f"input{suffix}"
    path.write_bytes(data)
    for item in read_path(path):
        if isinstance(item, ReadError):
            message = str(item)
            assert str(path) in message and "\n" not in message
            assert "Traceback" not in message
        else:
            assert isinstance(item, Article) and item.text.strip()
            item.text.encode("utf-8")  # no lone surrogate gets through
            assert "\x00" not in item.text
