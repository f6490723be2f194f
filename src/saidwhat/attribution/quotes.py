"""Quote marks: pair them into quoted spans, one paragraph at a time.

Works on characters, not tokens, so that stray or unbalanced marks can never break the
parse: an unpaired opening mark runs to the end of its paragraph, and a paragraph that
opens a quote without closing it continues into the next paragraph when that one opens
with a quote mark again (the newspaper convention for multi-paragraph quotes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from saidwhat.attribution.spans import IntervalIndex

OPENING = {"“", "«", "„", '"'}
CLOSING = {"”", "»", '"', "“"}
CLOSERS = {"„": ("“", "”", '"'), "«": ("»",)}


@dataclass(frozen=True)
class Quote:
    """A quoted passage: ``start:end`` is the text inside the marks (marks excluded)."""

    start: int
    end: int
    open_mark: int  # offset of the opening mark
    close_mark: int | None  # offset of the closing mark, None when the quote was left open
    close_len: int = 1  # `''` (two apostrophes) is a quote mark in some house styles

    @property
    def outer_start(self) -> int:
        return self.open_mark

    @property
    def outer_end(self) -> int:
        return self.close_mark + self.close_len if self.close_mark is not None else self.end


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph extents (blank-line separated; a single newline also separates lines of
    wire copy, so both are treated as breaks)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in re.finditer(r"\n+", text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _marks(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(offset, length, mark) of the quote marks of a paragraph; `''` counts as `"`."""
    marks = []
    i = start
    while i < end:
        if text.startswith("''", i):
            marks.append((i, 2, '"'))
            i += 2
            continue
        if text[i] in OPENING or text[i] in CLOSING:
            marks.append((i, 1, text[i]))
        i += 1
    return marks


def _is_opening_mark(text: str, i: int, length: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + length] if i + length < len(text) else " "
    return (before.isspace() or before in "([{—–-/:;,") and not after.isspace()


def _paragraph_quotes(text: str, start: int, end: int) -> list[tuple[int, int, int | None, int]]:
    """(open_mark, open_len, close_mark, close_len); close None when left open."""
    pairs: list[tuple[int, int, int | None, int]] = []
    opened: tuple[int, int, str] | None = None
    marks = _marks(text, start, end)
    nested = 0  # inner “...” pairs inside an open curly quote
    for k, (pos, length, ch) in enumerate(marks):
        if opened is not None and nested and ch == "”":
            nested -= 1
            continue
        if opened is None:
            if ch == '"' and not _is_opening_mark(text, pos, length):
                continue  # a stray closing mark: ignore it
            # `”Fear. I am truly afraid ...”`: a closing curly mark that opens a paragraph is
            # a typo for the opening one (no quote can close before anything was said).
            wrong_way = ch == "”" and pos == _lead(text, start, end)
            if ch not in OPENING and not wrong_way:
                continue
            opened = (pos, length, ch)
            continue
        o_pos, o_len, opener = opened
        if ch in CLOSERS.get(opener, ("”", '"')):
            pairs.append((o_pos, o_len, pos, length))
            opened = None
        elif ch == "“" and opener == "“" and _after_sentence(text, o_pos + o_len, pos):
            # `“They feed into ... results. “It's ludicrous ...”`: a paragraph of a
            # multi-paragraph quote re-opening it, in text whose paragraph breaks were lost
            # (one line per article): the same quote goes on
            continue
        elif ch == "“" and opener == "“" and sum(c == "”" for _, _, c in marks[k + 1 :]) >= 2:
            # `“I'd rather live in what he calls “hell” than ...”`: a quote inside a quote
            nested += 1
        elif ch == "“" and opener == "“":
            # a new opening curly mark before the old one closed: the old one was stray
            pairs.append((o_pos, o_len, None, 1))
            opened = (pos, length, ch)
    if opened is not None:
        pairs.append((opened[0], opened[1], None, 1))
    return pairs


def _after_sentence(text: str, start: int, pos: int) -> bool:
    """Whether the mark at ``pos`` follows a finished sentence of the quote opened at
    ``start`` (`... results. “`), as a re-opened paragraph does."""
    before = text[start:pos].rstrip()
    return len(before) > 1 and before[-1] in ".?!…"


def _lead(text: str, start: int, end: int) -> int:
    """Offset of the first non-space character of a paragraph."""
    return start + len(text[start:end]) - len(text[start:end].lstrip())


def find_quotes(text: str) -> QuoteList:
    """All quoted passages of the text, in order, multi-paragraph quotes joined."""
    quotes: list[Quote] = []
    pending: Quote | None = None  # an open quote waiting for the next paragraph
    for p_start, p_end in paragraphs(text):
        pairs = _paragraph_quotes(text, p_start, p_end)
        lead = _lead(text, p_start, p_end)
        if pending is not None:
            if pairs and pairs[0][0] == lead:  # the paragraph re-opens the quote: it goes on
                _, _, close, close_len = pairs.pop(0)
                if close is None:
                    end = _rstrip_end(text, lead, p_end)
                    pending = Quote(pending.start, end, pending.open_mark, None)
                    continue
                quotes.append(Quote(pending.start, close, pending.open_mark, close, close_len))
            else:
                quotes.append(pending)
            pending = None
        for k, (open_mark, open_len, close, close_len) in enumerate(pairs):
            inner = open_mark + open_len
            if close is None and k + 1 < len(pairs):  # left open, then a new quote opens
                quotes.append(
                    Quote(inner, _rstrip_end(text, inner, pairs[k + 1][0]), open_mark, None)
                )
            elif close is None:
                pending = Quote(inner, _rstrip_end(text, inner, p_end), open_mark, None)
            else:
                quotes.append(Quote(inner, close, open_mark, close, close_len))
    if pending is not None:
        quotes.append(pending)
    return QuoteList(q for q in quotes if q.end > q.start)


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


class QuoteList(list[Quote]):
    """``find_quotes``' result: the quotes in order, plus an index by position
    (``spans.IntervalIndex`` over the marks-included extents), so that "which quotes
    touch this range" is a bisection instead of a scan. It is rebuilt if the list grows;
    the passes never edit it in place."""

    _index: IntervalIndex[Quote] | None = None
    _indexed: int = -1

    def touching(self, start: int, end: int) -> list[Quote]:
        """The quotes whose marks-included extent overlaps ``start:end``."""
        if self._index is None or self._indexed != len(self):
            self._index = IntervalIndex((q.outer_start, q.outer_end, q) for q in self)
            self._indexed = len(self)
        return [q for _, _, q in self._index.overlapping(start, end)]


def touching(quotes: list[Quote], start: int, end: int) -> list[Quote]:
    """The quotes whose marks-included extent overlaps ``start:end``, in order of start
    (an index lookup on ``find_quotes``' result, a scan on a plain list)."""
    if isinstance(quotes, QuoteList):
        return quotes.touching(start, end)
    return [q for q in quotes if q.outer_start < end and q.outer_end > start]


def in_quote(quotes: list[Quote], offset: int) -> bool:
    """Whether ``offset`` lies inside a quote, its marks included."""
    return any(q.outer_start <= offset < q.outer_end for q in touching(quotes, offset, offset + 1))


def quoted_fraction(quotes: list[Quote], start: int, end: int) -> float:
    """How much of ``start:end`` lies inside quote marks (0..1)."""
    if end <= start:
        return 0.0
    covered = 0
    for q in touching(quotes, start, end):
        lo, hi = max(start, q.outer_start), min(end, q.outer_end)
        if hi > lo:
            covered += hi - lo
    return min(1.0, covered / (end - start))
