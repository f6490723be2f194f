"""The searched words marked in a hit: which pieces of a statement's text to ``<mark>``.

The text search is stemmed (FTS5's Porter tokenizer, PostgreSQL's English stemmer), so
"monitors" finds "monitor" and "talks" finds "talking". Marking repeats that closely
enough to show why a row matched: a word is marked when its crude stem (a common
English ending cut off) equals a searched word's. Like ``highlight``, it returns plain
pieces, never markup: the template wraps the marked ones in ``<mark>`` and escapes all.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)
# longest first; a stem keeps at least three letters
_ENDINGS = ("ations", "ation", "ings", "ing", "edly", "ies", "ied", "ed", "es", "ly", "s", "e")


def stem(word: str) -> str:
    """A crude English stem: the word lower-cased, one common ending cut off."""
    w = word.lower()
    for ending in _ENDINGS:
        if w.endswith(ending) and len(w) - len(ending) >= 3:
            return w[: -len(ending)]
    return w


def marked_pieces(text: str, about: str | None) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, marked) where the marked pieces are words that the
    search words ``about`` match; one unmarked piece when there is nothing to mark."""
    wanted = {stem(w) for w in _WORD.findall(about or "")}
    if not wanted or not text:
        return [(text, False)]
    pieces: list[tuple[str, bool]] = []
    at = 0
    for m in _WORD.finditer(text):
        if stem(m.group()) in wanted:
            if m.start() > at:
                pieces.append((text[at : m.start()], False))
            pieces.append((m.group(), True))
            at = m.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces
