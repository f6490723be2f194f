"""Rows a reader can trust, on short articles written for the purpose, with both engines:
interviews and broadcasts as via, a quote of three paragraphs as one statement, a court's
ruling, agentless hedges, beliefs, and a column's own voice."""

from __future__ import annotations

import dataclasses

import pytest

from saidwhat.analyse import analyse, with_settings
from saidwhat.reading.records import article_from_text

INTERVIEW = """Coastal towns brace for storm season

PORTO VELHO, March 3 (Reuters) - Mayor Ines Duarte told the BBC that the town had not received any of the promised money.

"I think we have waited long enough," she said in an interview with the Associated Press. "There is no question that the sea wall must be raised. I agree with the engineers on that.

"We have asked three times. Nobody has answered.

"We will keep asking until somebody does."

Speaking on BBC One, the interior minister, Rui Sousa, said funds would be released within weeks.

A court ruled that the contract was void. It is understood that the regional government will announce new flood defences next week. The plan is thought to cost about 40 million euros.

Officials fear the sea wall could fail.
"""

COLUMN = """The Ledger view on the harbour plan: a bridge too far

The transport director, Mara Lind, says the harbour bridge will reopen on Monday. We doubt it. I have walked across that bridge every week for ten years, and I can tell you that the repairs are nowhere near finished.

Lind insists the cables have been checked. I think the council should publish the engineers' report before anyone drives across it.
"""

ENGINES = ["rules", "neural"]


def run(nlp, text, engine):
    options = dataclasses.replace(with_settings(nlp, None), engine=engine)
    return analyse(article_from_text(text), nlp, options)


@pytest.fixture(scope="module", params=ENGINES)
def interview(request, nlp):
    return run(nlp, INTERVIEW, request.param)


@pytest.fixture(scope="module", params=ENGINES)
def column(request, nlp):
    return run(nlp, COLUMN, request.param)


def find(analysis, words):
    return next((s for s in analysis.statements if words in s.content_text), None)


def test_a_three_paragraph_quote_is_one_statement(interview):
    st = find(interview, "waited long enough")
    assert st is not None and st.type == "direct" and st.speaker_name == "Ines Duarte"
    assert "sea wall must be raised" in st.content_text
    assert "until somebody does" in st.content_text
    inner = ("I agree", "Nobody has answered", "There is no question")
    assert not any(
        s is not st and any(w in s.content_text for w in inner) for s in interview.statements
    )


def test_interviews_and_broadcasts_are_via(interview):
    told = find(interview, "promised money")
    assert told is not None and told.speaker_name == "Ines Duarte"
    assert [v.name for v in told.via] == ["BBC"]
    speaking = find(interview, "released within weeks")
    assert speaking is not None and speaking.speaker_name == "Rui Sousa"
    assert [v.name for v in speaking.via] == ["BBC One"]
    ap = find(interview, "waited long enough")
    assert [v.name for v in ap.via] == ["AP"]  # the outlets table's canonical name


def test_a_court_ruling_is_not_a_rejection(interview):
    st = find(interview, "contract was void")
    assert st is not None and st.act == "assert"


def test_agentless_hedges_name_nobody(interview):
    for words in ("announce new flood defences", "cost about 40 million"):
        st = find(interview, words)
        assert st is not None and st.kind == "hedge", words
        assert st.speaker is None and st.speaker_name is None


def test_a_fear_is_a_belief(interview):
    st = find(interview, "sea wall could fail")
    assert st is not None and st.kind == "belief"


def test_a_columns_own_voice_is_the_author_not_a_person_it_names(column):
    for words in ("repairs are nowhere near finished", "publish the engineers' report"):
        st = find(column, words)
        assert st is not None, words
        assert st.kind == "author" and st.speaker is None and st.speaker_name == "the author"
    for st in column.statements:
        if st.speaker_mention is not None and st.speaker_mention.text in ("I", "We"):
            assert st.speaker is None, st.content_text
    reopen = find(column, "reopen on Monday")
    assert reopen is not None and reopen.speaker_name == "Mara Lind"
    assert reopen.speaker_mention.text == "The transport director, Mara Lind"


def test_a_quote_reopened_without_its_paragraph_break_is_one_quote() -> None:
    """Text whose paragraph breaks were lost (one line per article, as some scrapers give
    it): `“A,” he said. “B. “C.”` is one quote from the second mark on; B is not cut off
    and no verb inside it becomes a statement of its own."""
    from saidwhat.attribution.quotes import find_quotes

    text = (
        "“These claims are wrong,” he said. “They feed the propaganda that is trying to "
        "justify an attack. “It is ludicrous to bomb a city of three million.” Aid "
        "workers said the roads were closed. She called it “hell” on earth."
    )
    quotes = [(text[q.start : q.end], q.close_mark is not None) for q in find_quotes(text)]
    assert quotes == [
        ("These claims are wrong,", True),
        (
            "They feed the propaganda that is trying to justify an attack. “It is ludicrous "
            "to bomb a city of three million.",
            True,
        ),
        ("hell", True),
    ]


def test_according_to_an_outlet_after_a_speaker_is_the_via(nlp) -> None:  # type: ignore[no-untyped-def]
    from saidwhat.analyse import analyse
    from saidwhat.reading.records import article_from_text

    text = (
        " date 2026-03-05 WASHINGTON (Reuters) - Senator Mark Hale said the vote would come on "
        'Friday.\n\n"We will not be rushed," Hale said, according to the Associated Press.\n'
    )
    a = analyse(article_from_text(text), nlp)
    (st,) = [s for s in a.statements if "not be rushed" in s.content_text]
    assert st.speaker_name == "Mark Hale" and [v.name for v in st.via] == ["AP"]
    assert not [s for s in a.statements if s.speaker_name == "AP"]


def test_a_trailing_report_frame_is_the_via_not_content(nlp) -> None:  # type: ignore[no-untyped-def]
    from saidwhat.analyse import analyse
    from saidwhat.reading.records import article_from_text

    text = (
        " date 2026-03-05 WASHINGTON (Reuters) - White House counselor Kellyanne Conway said "
        'Wednesday that Trump would "certainly" consider a short-term extension, the '
        "Washington Post reported. Iraq's deputy speaker Hassan al-Kaabi said the comments "
        'were a "blatant violation", according to local media.\n'
    )
    a = analyse(article_from_text(text), nlp)
    conway = next(s for s in a.statements if s.speaker_name == "Kellyanne Conway")
    assert conway.content_text.endswith("short-term extension")
    assert [v.name for v in conway.via] == ["The Washington Post"]
    kaabi = next(s for s in a.statements if "blatant violation" in s.content_text)
    assert "according to" not in kaabi.content_text
    assert [v.name for v in kaabi.via] == ["local media"]
