"""The headline line at the top of plain text: given (repeated in the text) or detected.

A text file often starts with its headline on a line of its own; recording it as a span
(never cutting it out) lets the title reach the store and keeps it out of statements.
Detection is strict (one short line in headline case, followed by a blank line or a
dateline), because a first sentence taken for a title would be lost to attribution.
"""

from __future__ import annotations

from saidwhat.reading.outlets import Outlets
from saidwhat.reading.wire import find_dateline
from saidwhat.schema import Span

MAX_TITLE_CHARS = 200  # a headline is one short line


def find_title(
    text: str, start: int = 0, given: str | None = None, outlets: Outlets | None = None
) -> Span | None:
    """The headline line at ``start``: the line repeating ``given``, else a detected one
    (``outlets``: the table whose names make a dateline; None: the shipped one)."""
    if given:
        return _given_title_span(text, start, given)
    return _detect_title(text, start, outlets)


def skip_space(text: str, pos: int) -> int:
    """The first non-space position at or after ``pos``."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _first_line(text: str, pos: int) -> tuple[int, int] | None:
    start = skip_space(text, pos)
    if start >= len(text):
        return None
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _given_title_span(text: str, pos: int, title: str) -> Span | None:
    """The first line when it repeats the given title (trafilatura output does)."""
    line = _first_line(text, pos)
    if line and " ".join(text[line[0] : line[1]].split()) == " ".join(title.split()):
        return Span.of(text, *line)
    return None


def _detect_title(text: str, pos: int, outlets: Outlets | None = None) -> Span | None:
    """A headline line: short, one line, followed by more text, not a sentence.

    A line ending in ``.`` still counts when it is in headline case or the next paragraph
    opens with a dateline (PolNeAR's titles end with a full stop; ledes rarely are
    Title Case or precede a dateline).
    """
    line = _first_line(text, pos)
    if line is None:
        return None
    start, end = line
    rest = skip_space(text, end)
    if end - start >= MAX_TITLE_CHARS or rest >= len(text) or "\n" not in text[end:rest]:
        return None
    if text.count("\n", end, rest) == 1 and text[rest].islower():
        return None  # hard-wrapped prose: the sentence goes on on the next line
    words = text[start:end].split()
    if not any(c.isalpha() for c in text[start:end]) or len(words) > 40:
        return None
    if find_dateline(text, start, outlets) is not None:
        return None  # the first line is the dateline and lede, not a headline
    line_text = text[start:end].rstrip("\"'”’»)]")
    last = line_text[-1:]
    if last not in ".,;:" or line_text.endswith(("...", "…")):
        return Span.of(text, start, end)
    if last == "." and (_headline_case(words) or find_dateline(text, rest, outlets) is not None):
        return Span.of(text, start, end)
    return None


_MINOR_WORDS = {"a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "by",
                "with", "as", "vs", "vs.", "from", "into", "over", "is"}  # fmt: skip


def _headline_case(words: list[str]) -> bool:
    content = [w for w in words if w.lower() not in _MINOR_WORDS and any(c.isalpha() for c in w)]
    if len(content) < 3:
        return False
    capped = sum(1 for w in content if w.lstrip("\"'“‘(")[:1].isupper())
    return capped / len(content) >= 0.8
