"""Acts a reader would give (learned-tagger issue, item 5): a negated rejection rejects
nothing, a negated acknowledgement denies, a vow of harm threatens, agreeing to act
commits, an allegation accuses, a published estimate asserts, and a statement that
mentions someone else's proposal does not propose. On an article written for the
purpose, through the real engine."""

from __future__ import annotations

import pytest

from saidwhat.analyse import analyse
from saidwhat.reading.records import article_from_text
from saidwhat.schema import Analysis

TEXT = (
    " date 2026-04-12 LONDON (Reuters) - Prime Minister Anna Hale and President Tom Reyes "
    "agreed to keep working closely on the response. Defence Secretary Ben Wallis did not "
    "rule out the possibility of a wider conflict. The Revolutionary Guards have vowed "
    "vengeance for the attack. Senator Mark Dunn said the party opposed a proposal to ban "
    "the boycott. The agency estimates that more than 68 million people were forced to "
    "flee their homes last year. The attorney general alleged a shocking pattern of "
    "illegality. Foreign Minister Lena Brik said Norway was ready to host the next round.\n"
)


@pytest.fixture(scope="module")
def analysis(nlp) -> Analysis:  # type: ignore[no-untyped-def]
    return analyse(article_from_text(TEXT), nlp)


@pytest.mark.parametrize(
    ("words", "act"),
    [
        ("keep working closely", "promise"),
        ("possibility of a wider conflict", "assert"),
        ("vengeance for the attack", "threaten"),
        ("opposed a proposal", "assert"),
        ("68 million people", "assert"),
        ("pattern of illegality", "accuse"),
        ("ready to host the next round", "propose"),
    ],
)
def test_the_act_fits_the_words(analysis, words: str, act: str) -> None:
    acts = [s.act for s in analysis.statements if words in s.content_text]
    assert acts == [act]
