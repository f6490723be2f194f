"""The indexes that keep extraction n log n agree with the scans they replaced.

A hostile run found articles of a few thousand quoted paragraphs taking a minute: every
quote re-read the whole text (``Doc.text`` joins all tokens on each read), asked every
other quote whether it overlapped, and every candidate was compared with every other.
The fast paths must give exactly the answers the scans gave, nested quotes included.
"""

from __future__ import annotations

import random
from types import SimpleNamespace

from saidwhat.analyse import analyse
from saidwhat.attribution import AttributionModels, AttributionOptions, extract
from saidwhat.attribution.pipeline import drop_nested
from saidwhat.attribution.quotes import Quote, QuoteList, find_quotes, in_quote, quoted_fraction
from saidwhat.attribution.spans import TEXT_KEY, GrowingCover
from saidwhat.nlp import load_pipeline
from saidwhat.reading.records import article_from_text


def random_quotes(rng: random.Random, n: int) -> list[Quote]:
    quotes = []
    for _ in range(n):
        start = rng.randrange(0, 900)
        end = start + rng.randrange(1, 120)  # overlapping and nested extents
        quotes.append(Quote(start + 1, end, start, end, 1))
    return quotes


def test_the_quote_index_answers_as_a_scan_does() -> None:
    rng = random.Random(7)
    for _ in range(30):
        plain = random_quotes(rng, rng.randrange(0, 60))
        indexed = QuoteList(plain)
        for _ in range(40):
            a = rng.randrange(0, 1000)
            b = a + rng.randrange(0, 200)
            assert quoted_fraction(indexed, a, b) == quoted_fraction(plain, a, b)
            assert in_quote(indexed, a) == in_quote(plain, a)


def brute_drop_nested(cands: list[SimpleNamespace]) -> list[SimpleNamespace]:
    return [
        c
        for c in cands
        if not any(o is not c and any(s <= c.cue.idx < e for s, e in o.content) for o in cands)
    ]


def test_drop_nested_keeps_what_the_pairwise_rule_kept() -> None:
    rng = random.Random(11)
    for _ in range(50):
        cands = []
        for _ in range(rng.randrange(0, 40)):
            spans = []
            for _ in range(rng.randrange(0, 3)):
                s = rng.randrange(0, 500)
                spans.append((s, s + rng.randrange(1, 80)))
            cands.append(
                SimpleNamespace(cue=SimpleNamespace(idx=rng.randrange(0, 580)), content=spans)
            )
        assert drop_nested(cands) == brute_drop_nested(cands)  # type: ignore[arg-type]


def test_many_quoted_paragraphs_are_each_one_statement_and_leave_no_text_copy() -> None:
    text = "".join(f'"We will not give in on point {i}," she said.\n\n' for i in range(300))
    assert isinstance(find_quotes(text), QuoteList)
    nlp = load_pipeline()
    article = article_from_text(text, path="many.txt")
    analysis = analyse(article, nlp)
    assert len(analysis.statements) == 300
    assert all(s.type == "direct" for s in analysis.statements)
    doc = nlp(text)
    extract(doc, article, AttributionModels.load(AttributionOptions()))
    assert TEXT_KEY not in doc.user_data  # the copy never travels with a serialised doc


def test_the_growing_cover_answers_as_a_scan_does() -> None:
    """``GrowingCover`` (covered quotes in ``quote_candidates``) against a scan of every
    span, with spans added in text order, ahead of their range, and ranges asked out of
    order."""
    rng = random.Random(5)
    for _ in range(60):
        given = []
        for _ in range(rng.randrange(0, 20)):
            s = rng.randrange(0, 800)
            given.append([(s, s + rng.randrange(1, 60))])
        cover = GrowingCover(given)
        spans = [span for spans_ in given for span in spans_]
        at = 0
        for _ in range(40):
            at = at + rng.randrange(0, 30) if rng.random() < 0.9 else rng.randrange(0, at + 1)
            lo, hi = at, at + rng.randrange(1, 50)
            expected = any(s < hi and lo < e for s, e in spans)
            assert cover.overlaps(lo, hi) == expected
            if rng.random() < 0.4:
                ahead = rng.random() < 0.1
                s = at + (rng.randrange(1, 40) if ahead else 0)
                added = [(s, s + rng.randrange(1, 60))]
                cover.add(at, added)
                spans += added


def test_quotes_that_no_cue_covers_stay_linear() -> None:
    """Hundreds of quote paragraphs with no cue of their own go on with the speaker
    before them (one statement, every paragraph a part of its content), found without
    comparing each quote with every content already taken."""
    head = 'Anna Berg, the minister, said: "We will talk again next week."\n\n'
    text = head + "".join(f'"Point {i} stands and will not be given up."\n\n' for i in range(600))
    unlimited = AttributionOptions(time_budget=None)  # a loaded CI machine is slow
    analysis = analyse(article_from_text(text, path="bare.txt"), load_pipeline(), unlimited)
    (statement,) = analysis.statements
    assert len(statement.content) == 601
    assert statement.content[-1].text == "Point 599 stands and will not be given up."
    speaker = next(e for e in analysis.entities if e.id == statement.speaker)
    assert speaker.name == "Anna Berg"
