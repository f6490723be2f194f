"""Narrative actions are not statements (learned-tagger issue, item 5): a deed told with
a verb PolNeAR counts as an attribution of an attitude (`refused to meet`, `sought a
deal`, `imposed a boycott`) is kept as kind ``action``, out of default listings, while
words said with the same constructions stay statements. On an article written for the
purpose, through the real engine."""

from __future__ import annotations

import pytest

from saidwhat.analyse import analyse
from saidwhat.reading.records import article_from_text
from saidwhat.schema import UNLISTED_KINDS, Analysis

TEXT = """ date 2026-03-05 ANKARA (Reuters) - President Kemal Aydin refused to meet the delegation on Thursday. His government has sought a new trade deal with Brussels for months. Last year the ministry imposed a boycott on imported steel.

Foreign Minister Selin Kaya rejected the proposal as unworkable. She refused to rule out new sanctions. Kaya repeated her insistence that the border would stay closed, and she accused the delegation of bad faith.
"""


@pytest.fixture(scope="module")
def analysis(nlp) -> Analysis:  # type: ignore[no-untyped-def]
    return analyse(article_from_text(TEXT), nlp)


def kind_of(a: Analysis, words: str) -> str | None:
    found = [s.kind for s in a.statements if words in s.content_text]
    return found[0] if found else None


@pytest.mark.parametrize(
    "words", ["the delegation on Thursday", "a new trade deal", "a boycott on imported steel"]
)
def test_deeds_are_actions_not_listed(analysis, words: str) -> None:
    assert kind_of(analysis, words) in ("action", None)  # kept as an action, or not at all
    assert "action" in UNLISTED_KINDS


def test_at_least_one_deed_is_kept_for_the_evaluation(analysis) -> None:
    assert any(s.kind == "action" for s in analysis.statements)


@pytest.mark.parametrize(
    "words", ["the proposal", "the border would stay closed", "the delegation of bad faith"]
)
def test_words_said_in_the_same_constructions_stay_statements(analysis, words: str) -> None:
    assert kind_of(analysis, words) == "statement"


def test_no_source_and_seeming_are_agentless(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        " date 2026-03-05 ANKARA (Reuters) - Asked about the strike, the ministry gave no "
        "details. The ceasefire appears to be holding in the north. It seems the talks "
        "will resume next week.\n"
    )
    a = analyse(article_from_text(text), nlp)
    for words in ("to be holding", "the talks will resume"):
        kinds = [s.kind for s in a.statements if words in s.content_text]
        assert kinds in ([], ["hedge"]), (words, kinds)
    assert all(
        s.kind != "statement"
        for s in a.statements
        if s.speaker is None and s.speaker_mention is None
    )


def test_evidence_that_suggests_is_the_writers_inference(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        " date 2026-04-12 LONDON (Reuters) - Evidence on the ground suggests the opposite "
        "holds true. A report by Amnesty suggests hundreds died. Minister Anna Hale "
        "suggested the talks would fail.\n"
    )
    a = analyse(article_from_text(text), nlp)
    assert kind_of(a, "the opposite holds true") == "author"
    assert kind_of(a, "hundreds died") == "statement"
    assert kind_of(a, "the talks would fail") == "statement"
