"""Quote marks: pair them into quoted spans, one paragraph at a time.

Works on characters, not tokens, so that stray or unbalanced marks can never break the
parse: an unpaired opening mark runs to the end of its paragraph, and a paragraph that
opens a quote without closing it continues into the next paragraph when that one opens
with a quote mark again (the newspaper convention for multi-paragraph quotes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENING = {"“", "«", "„", '"'}
CLOSING = {"”", "»", '"', "“"}
CLOSERS = {"„": ("“", "”", '"'), "«": ("»",)}
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Quote:
    """A quoted passage: ``start:end`` is the text inside the marks (marks excluded)."""

    start: int
    end: int
    open_mark: int  # offset of the opening mark
    close_mark: int | None  # offset of the closing mark, None when the quote was left open

    @property
    def outer_start(self) -> int:
        return self.open_mark

    @property
    def outer_end(self) -> int:
        return self.close_mark + 1 if self.close_mark is not None else self.end


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


def _is_opening_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() or before in "([{—–-/:;,":
        return not after.isspace()
    return False


def _paragraph_quotes(text: str, start: int, end: int) -> list[tuple[int, int | None]]:
    """(open_mark, close_mark) pairs in one paragraph; close None when left open."""
    pairs: list[tuple[int, int | None]] = []
    open_at: int | None = None
    for i in range(start, end):
        ch = text[i]
        if ch not in OPENING and ch not in CLOSING:
            continue
        if open_at is None:
            if ch == '"' and not _is_opening_straight(text, i):
                continue  # a stray closing mark: ignore it
            if ch not in OPENING:
                continue
            open_at = i
        else:
            opener = text[open_at]
            if ch in CLOSERS.get(opener, ("”", '"')):
                pairs.append((open_at, i))
                open_at = None
            elif ch == "“" and opener == "“":
                # a new opening curly mark before the old one closed: the old one was stray
                pairs.append((open_at, None))
                open_at = i
    if open_at is not None:
        pairs.append((open_at, None))
    return pairs


def find_quotes(text: str) -> list[Quote]:
    """All quoted passages of the text, in order, multi-paragraph quotes joined."""
    quotes: list[Quote] = []
    pending: Quote | None = None  # an open quote waiting for the next paragraph
    for p_start, p_end in paragraphs(text):
        pairs = _paragraph_quotes(text, p_start, p_end)
        lead = p_start + len(text[p_start:p_end]) - len(text[p_start:p_end].lstrip())
        if pending is not None:
            if pairs and pairs[0][0] == lead:  # the paragraph re-opens the quote: it goes on
                _, close = pairs.pop(0)
                if close is None:
                    pending = Quote(
                        pending.start, _rstrip_end(text, lead, p_end), pending.open_mark, None
                    )
                    continue
                quotes.append(Quote(pending.start, close, pending.open_mark, close))
            else:
                quotes.append(pending)
            pending = None
        for open_mark, close in pairs:
            if close is None:
                pending = Quote(
                    open_mark + 1, _rstrip_end(text, open_mark + 1, p_end), open_mark, None
                )
            else:
                quotes.append(Quote(open_mark + 1, close, open_mark, close))
    if pending is not None:
        quotes.append(pending)
    return [q for q in quotes if q.end > q.start]


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def quoted_fraction(quotes: list[Quote], start: int, end: int) -> float:
    """How much of ``start:end`` lies inside quote marks (0..1)."""
    if end <= start:
        return 0.0
    covered = 0
    for q in quotes:
        lo, hi = max(start, q.outer_start), min(end, q.outer_end)
        if hi > lo:
            covered += hi - lo
    return min(1.0, covered / (end - start))
