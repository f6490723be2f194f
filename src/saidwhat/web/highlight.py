"""Cutting an article's text into pieces for the article page's highlighting.

The page shows the text exactly as stored, with each statement's content in its
speaker's colour and the cue and speaker mention marked. Marks may overlap (a cue inside
a mixed quote, two statements sharing a sentence), so the text is cut at every mark
boundary and each piece lists all the marks covering it. The template then renders each
piece as an escaped text node inside one ``<span>``: no markup is ever built by string
concatenation, so article text (``<script>`` and all) can only ever appear as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# How strongly a mark claims a piece when several overlap: the speaker mention and the
# cue are small and sit inside or next to quotes, so they win over the content.
_PRIORITY = {"speaker": 3, "cue": 2, "quote": 1, "boiler": 0}


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # quote | cue | speaker | boiler
    statement: str | None = None  # key of the statement the mark belongs to
    colour: str | None = None


@dataclass
class Piece:
    text: str
    marks: list[Mark] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        return sorted({m.kind for m in self.marks}, key=lambda k: -_PRIORITY.get(k, 0))

    @property
    def lead(self) -> Mark | None:
        """The mark that decides the piece's look (colour, statement link)."""
        if not self.marks:
            return None
        return max(self.marks, key=lambda m: (_PRIORITY.get(m.kind, 0), -(m.end - m.start)))

    @property
    def statements(self) -> list[str]:
        return list(dict.fromkeys(m.statement for m in self.marks if m.statement))

    @property
    def quote_colour(self) -> str | None:
        """The colour of the innermost quote covering the piece (its background)."""
        quotes = [m for m in self.marks if m.kind == "quote" and m.colour]
        if not quotes:
            return None
        return min(quotes, key=lambda m: m.end - m.start).colour


def statement_marks(statements: Iterable[Mapping[str, Any]]) -> list[Mark]:
    """Marks from statement dicts in the extraction schema's shape.

    Each dict needs ``key`` and ``colour`` (added by the page) and the schema fields
    ``content`` (spans), ``cue`` and ``speaker_mention`` (spans or None).
    """
    marks: list[Mark] = []
    for st in statements:
        key, colour = str(st["key"]), st.get("colour")
        for span in st.get("content") or []:
            marks.append(Mark(span["start"], span["end"], "quote", key, colour))
        for kind, name in (("cue", "cue"), ("speaker", "speaker_mention")):
            span = st.get(name)
            if span:
                marks.append(Mark(span["start"], span["end"], kind, key, colour))
    return marks


# What each kind of boilerplate span is called where the page lists it as metadata.
BOILERPLATE_LABELS = {
    "dateline": "dateline",
    "signoff": "sign-off",
    "slug": "editor's slug",
    "furniture": "page furniture",
}
# Shown dimmed in place (it opens the first sentence); the others are taken out of the
# text and listed with the article's metadata instead.
IN_PLACE = {"dateline"}


def boilerplate_marks(spans: Mapping[str, Any]) -> list[Mark]:
    """Marks for the article's boilerplate, kept in the page for the offsets: the
    dateline dimmed in place (``m-boiler``); the ` date YYYY-MM-DD` prefix (the header
    shows the date) and the sign-off, slug and page furniture (READ MORE, captions: the
    header lists them, see ``boilerplate_items``) not shown in the text (``m-prefix``,
    ``m-aside``), so a reader never takes them for the article's words."""
    marks = []
    for name, value in spans.items():
        kind = "prefix" if name == "date_prefix" else "boiler" if name in IN_PLACE else "aside"
        for s in value if isinstance(value, list) else [value]:
            if s:
                marks.append(Mark(s["start"], s["end"], kind))
    return marks


def boilerplate_items(text: str, spans: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, text) of each boilerplate span but the date prefix, in text order: the
    article page's "not article text" list."""
    found = []
    for name, value in spans.items():
        label = BOILERPLATE_LABELS.get(name)
        for s in (value if isinstance(value, list) else [value]) if label else []:
            if s and 0 <= s["start"] < s["end"] <= len(text):
                found.append((s["start"], label, text[s["start"] : s["end"]].strip()))
    return [(label, piece) for _, label, piece in sorted(found) if piece]


def cut(text: str, marks: Sequence[Mark]) -> list[Piece]:
    """The text cut at every mark boundary; pieces with the marks covering them.

    Marks outside the text or empty are ignored (a stale offset must not break the page).
    """
    n = len(text)
    valid = [m for m in marks if 0 <= m.start < m.end <= n]
    bounds = sorted({0, n, *(m.start for m in valid), *(m.end for m in valid)})
    pieces: list[Piece] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        if a == b:
            continue
        covering = [m for m in valid if m.start <= a and b <= m.end]
        if pieces and not covering and not pieces[-1].marks:
            pieces[-1].text += text[a:b]
        else:
            pieces.append(Piece(text[a:b], covering))
    return pieces
