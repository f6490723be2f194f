"""Token and character ranges: the span toolbox every pass shares.

Candidates carry character offsets into the Doc text; the parse gives token ranges. These
helpers turn one into the other with the edge punctuation, dangling conjunctions and
trailing comments trimmed the same way everywhere, so two passes never disagree on where
a piece of content ends.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Generic, TypeVar

from spacy.tokens import Doc, Token

T = TypeVar("T")

EDGE_PUNCT = set(",;:.—–-()[]")


def token_range_chars(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Character extent of tokens ``start:end`` with punctuation trimmed from both edges."""

    def edge(tok: Token) -> bool:
        return tok.is_space or tok.is_quote or tok.text in EDGE_PUNCT

    while start < end and edge(doc[start]):
        start += 1
    # A dangling conjunction (`... growth and`) starts what the parse cut off: drop it.
    while end > start and (edge(doc[end - 1]) or doc[end - 1].dep_ == "cc"):
        end -= 1
    if end <= start:
        return None
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])


def subtree_range(tok: Token, exclude: Token | None = None) -> tuple[int, int]:
    """Token range of ``tok``'s subtree; stops before ``exclude``'s subtree when given."""
    start, end = tok.left_edge.i, tok.right_edge.i + 1
    if exclude is not None:
        ex_start, ex_end = exclude.left_edge.i, exclude.right_edge.i + 1
        if ex_start <= start < ex_end:
            start = ex_end
        elif start < ex_start < end:
            end = ex_start
    return start, end


def trim_trailing_comment(doc: Doc, start: int, end: int) -> int:
    """End of ``start:end`` without a trailing comment set off by a comma: a participle
    (`, calling them "incorrect"`) or a non-restrictive relative clause (`, who is 70`).
    Both are the reporter's words about what was said, not part of it."""
    for t in doc[start:end]:
        trailing = (
            (t.dep_ == "advcl" and t.tag_ == "VBG") or t.dep_ == "relcl"
        ) and t.right_edge.i + 1 >= end - 1
        if (
            trailing
            and t.i > start
            and t.left_edge.i - 1 > start
            and doc[t.left_edge.i - 1].text == ","
        ):
            return t.left_edge.i - 1
    return end


TEXT_KEY = "saidwhat.text"


def doc_text(doc: Doc) -> str:
    """The doc's text, read once per doc: ``Doc.text`` joins every token on each read, so
    a pass that looks at the text around each of 5,000 quotes through it is quadratic.
    The copy lives in ``doc.user_data`` until ``forget_doc_text`` (the pipeline's end)."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def forget_doc_text(doc: Doc) -> None:
    """Drop the copy ``doc_text`` made (it must not travel with a serialised doc)."""
    doc.user_data.pop(TEXT_KEY, None)


class IntervalIndex(Generic[T]):
    """Items with a character extent ``[start, end)``, found by overlap in log time.

    Extents may nest, so beside the sorted starts the index keeps the running maximum of
    the ends: everything before the first position whose reach passes ``lo`` ends by
    ``lo``. An article of thousands of quoted paragraphs asks "what touches this range"
    for every quote and candidate; a scan made that quadratic."""

    def __init__(self, extents: Iterable[tuple[int, int, T]]) -> None:
        self._items = sorted(extents, key=lambda x: (x[0], x[1]))
        self._starts = [s for s, _, _ in self._items]
        self._reach: list[int] = []
        furthest = -1
        for _, e, _ in self._items:
            furthest = max(furthest, e)
            self._reach.append(furthest)

    def overlapping(self, lo: int, hi: int) -> list[tuple[int, int, T]]:
        """The extents with ``start < hi`` and ``end > lo``, in order of start."""
        first = bisect.bisect_right(self._reach, lo)
        last = bisect.bisect_left(self._starts, hi)
        return [x for x in self._items[first:last] if x[1] > lo]


class GrowingCover:
    """Character spans that grow while a pass walks the text in order: "is this range
    covered yet?" in log time.

    The spans given at the start are indexed once (``IntervalIndex``). A span added while
    handling the range that starts at ``at`` starts at or before every later range's
    start (the pass goes forward), so it overlaps a later range exactly when it ends past
    that range's start, and the furthest end (``reach``) answers for all of them. Should a
    span be added ahead of its ``at``, or a range be asked about behind one already seen,
    every added span is compared instead, so the answer is always exact."""

    def __init__(self, contents: Iterable[Iterable[tuple[int, int]]]) -> None:
        self.index: IntervalIndex[None] = IntervalIndex(
            (s, e, None) for spans in contents for s, e in spans
        )
        self.added: list[tuple[int, int]] = []
        self.reach = -1  # the furthest end of an added span
        self.frontier = -1  # the latest ``at`` spans were added at

    def add(self, at: int, spans: Iterable[tuple[int, int]]) -> None:
        """Spans added while handling the range that starts at ``at``."""
        self.frontier = max(self.frontier, at)
        for start, end in spans:
            self.added.append((start, end))
            self.reach = max(self.reach, end)
            if start > at:
                self.frontier = 2**62  # a span ahead of its range: compare them all

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``start:end`` overlaps a span given or added."""
        if self.index.overlapping(start, end):
            return True
        if start >= self.frontier:
            return self.reach > start
        return any(s < end and start < e for s, e in self.added)
