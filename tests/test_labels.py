"""Attribution by layout: headline and transcript labels, signed quotes, odd quote marks."""

from __future__ import annotations

import pytest

from saidwhat.analyse import analyse
from saidwhat.attribution.quotes import find_quotes
from saidwhat.reading.records import article_from_text
from saidwhat.schema import Analysis


@pytest.fixture(scope="module")
def run(nlp):
    def _run(text: str) -> Analysis:
        return analyse(article_from_text(text, date="2026-03-05"), nlp)

    return _run


def with_text(a: Analysis, contains: str):
    return [s for s in a.statements if contains in s.content_text]


def test_headline_label_is_a_statement_of_the_named_speaker(run):
    a = run(
        "Voronin: Talks Will Resume in March.\n\n"
        "Foreign Minister Oleg Voronin told reporters in Geneva on Monday that the "
        "delegations would meet again after the holidays."
    )
    [st] = with_text(a, "Talks Will Resume in March")
    assert st.content_text == "Talks Will Resume in March"
    assert st.cue.text == ":"
    assert st.speaker_mention.text == "Voronin"
    assert a.entity(st.speaker).name == "Oleg Voronin"


def test_headline_rubric_is_no_speaker(run):
    a = run(
        "The Latest: Talks Resume in Geneva.\n\n"
        "Delegations from both countries arrived in Geneva on Monday for a new round."
    )
    assert with_text(a, "Talks Resume") == []


def test_transcript_labels_give_each_turn_its_speaker(run):
    a = run(
        "Foreign Minister Oleg Voronin spoke to Radio Nord on Sunday.\n\n"
        "Partial transcript:\n\n"
        "HOST: Will you sign the agreement this week?\n\n"
        "VORONIN: Not this week. We need to see the maps first.\n\n"
        "HOST: And if the maps are ready?\n\n"
        "VORONIN: Then we will talk again."
    )
    [answer] = with_text(a, "Not this week")
    assert answer.content_text == "Not this week. We need to see the maps first."
    assert answer.type == "direct"
    assert answer.cue.text == ":"
    assert a.entity(answer.speaker).name == "Oleg Voronin"
    [question] = with_text(a, "Will you sign")
    assert question.speaker_mention.text == "HOST"
    assert len(with_text(a, "Then we will talk again")) == 1


def test_quoted_transcript_turn_runs_over_its_paragraphs(run):
    a = run(
        "Oleg Voronin was interviewed by Anna Berg on Sunday.\n\n"
        '"BERG: Will you sign?\n\n'
        '"VORONIN: Not this week.\n\n'
        '"We need to see the maps first, and the parliament has to vote.\n\n'
        '"(CROSSTALK.)\n\n'
        '"BERG: Thank you, minister."'
    )
    [turn] = with_text(a, "Not this week")
    assert [c.text for c in turn.content] == [
        "Not this week.",
        "We need to see the maps first, and the parliament has to vote.",
    ]
    assert a.entity(turn.speaker).name == "Oleg Voronin"
    assert with_text(a, "CROSSTALK") == []


def test_upper_case_notices_are_not_transcripts(run):
    a = run(
        "Oleg Voronin said on Monday that the talks would resume.\n\n"
        "CORRECTION: An earlier version of this story misspelled the minister's name."
    )
    assert with_text(a, "earlier version") == []


def test_signed_quote_with_initials_and_no_break_space(run):
    a = run("“Nobody asked us what we wanted for our town.”\u00a0― Maria T. Lopez, 34")
    [st] = a.statements
    assert st.speaker_mention.text == "Maria T. Lopez"
    assert st.content_text == "Nobody asked us what we wanted for our town."


def test_closing_mark_that_opens_a_paragraph_opens_a_quote():
    text = "”We are afraid of what comes next.” ― Ana Ruiz"
    [q] = find_quotes(text)
    assert text[q.start : q.end] == "We are afraid of what comes next."


def test_quote_inside_a_quote_does_not_break_it():
    text = "“I would rather live in what he calls “hell” than live under him.” ― Ana Ruiz"
    quotes = find_quotes(text)
    assert [text[q.start : q.end] for q in quotes] == [
        "I would rather live in what he calls “hell” than live under him."
    ]


def test_quoted_title_before_the_speaker_is_not_part_of_the_statement(run):
    a = run('On this week\'s broadcast of "Morning Hour," Oleg Voronin said the talks were over.')
    [st] = a.statements
    assert "Morning Hour" not in st.content_text
    assert st.content_text.startswith("the talks were over")


@pytest.mark.parametrize(
    "headline, mention",
    [
        ("EXCLUSIVE – Oleg Voronin: Do Not Trust the Border Maps.", "Oleg Voronin"),
        ("Voronin to Parliament: The Border Maps Are Wrong.", "Voronin"),
        ("Newspaper: Border maps were drawn in secret.", "Newspaper"),
    ],
)
def test_headline_label_forms(run, headline, mention):
    a = run(headline + "\n\nForeign Minister Oleg Voronin spoke in Geneva on Monday.")
    [st] = [s for s in a.statements if s.cue is not None and s.cue.text == ":"]
    assert st.speaker_mention.text == mention
    assert "Border" in st.content_text or "Border" in st.content_text.title()
