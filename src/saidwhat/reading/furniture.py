"""Page furniture in scraped article text: the web page's own words, not the story's.

A scraper that keeps a page's text keeps its furniture too: ``Story continues below
advertisement``, ``READ MORE: ...``, ``WATCH: ...``, ``Related: ...``, newsletter sign-ups,
photo captions and credits, and correction notes. Read as prose they become statements
(``Story continues below advertisement`` spoken by "Story"). Like the dateline, they are
found here as spans (the text is never rewritten, so offsets stay valid) and
``Article.boilerplate_spans`` keeps every pass of the engine out of them.

The patterns are anchored where furniture sits: at the start of a line, after a bullet
(``•``) or after the end of a sentence, and a pattern runs to the end of its line or
sentence only. A reporter's sentence that merely contains "read more" or "watch" is left
alone: the word must open the segment and be followed by the colon, bar or dash that
furniture uses.
"""

from __future__ import annotations

import re

from saidwhat.schema import Span

# where a piece of furniture may begin: a line start, a bullet, or a sentence's end
_OPEN = r"(?:(?<=^)|(?<=\n)|(?<=[.!?”\"’)]\s)|(?<=•\s)|(?<=•))[ \t]*"
_TO_EOL = r"[^\n]*"
_TO_SENTENCE = r"[^\n]*?(?:[.!?](?=\s|$)|(?=\n)|$)"

_LEADS = (
    r"read more|read more here|more on this story|related(?: articles?| stories| content)?"
    r"|see also|also read|watch|listen|video|live|explainer|more from [\w ]{1,40}"
)
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "advertisement",
        re.compile(
            _OPEN + r"(?:story|article) continues (?:below|after)(?: (?:this|the))? "
            r"(?:advertisement|advert|ad)\b\.?|" + _OPEN + r"advertisement(?=\s*(?:\n|$))",
            re.I | re.M,
        ),
    ),
    ("link", re.compile(_OPEN + r"(?:" + _LEADS + r")\s*[:|–—]" + _TO_EOL, re.I)),
    (
        "signup",
        re.compile(
            _OPEN + r"(?:don[’']t forget,? )?(?:you can )?(?:sign up|subscribe|register) "
            r"(?:to|for|here|now)\b" + _TO_SENTENCE,
            re.I,
        ),
    ),
    (
        "credit",
        re.compile(
            r"(?:photograph|photo|picture|image|illustration|composite)(?: credit)?s?:"
            r"[ \t][^\n]{1,100}?(?=\.(?:\s|$)|\n|$)|\((?:photo|image|picture)s? (?:by|credit|:)"
            r"[^)\n]{1,80}\)",
            re.I,
        ),
    ),
    (
        "correction",
        re.compile(
            _OPEN + r"(?:•\s*)?(?:this (?:article|story|piece) was (?:amended|corrected|updated)"
            r"|an earlier version of this (?:article|story)|correction:)" + _TO_EOL,
            re.I,
        ),
    ),
    (
        "letters",
        re.compile(
            _OPEN + r"(?:join the debate|have an opinion on anything you[’']ve read)" + _TO_EOL,
            re.I,
        ),
    ),
)


def find_furniture(text: str, skip: list[Span] | None = None) -> list[Span]:
    """Every piece of page furniture in ``text``, in order, none overlapping another or
    the spans in ``skip`` (dateline, sign-off: already metadata)."""
    taken = [(s.start, s.end) for s in skip or ()]
    found: list[tuple[int, int]] = []
    for _kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end <= start:
                continue
            if any(s < end and start < e for s, e in taken + found):
                continue
            found.append((start, end))
    return [Span.of(text, s, e) for s, e in sorted(found)]
