"""Word-level differences between two wordings of one statement.

A fact-checker comparing "We are working on peace, not a ceasefire" with a report's "we
are working for peace and not for a truce" needs to see which words differ, and above
all whether the difference changes the meaning: a number changed ("2,000 troops" /
"3,000 troops") or a negation added or dropped ("will" / "will not"). ``word_diff`` gives
the pieces to mark (equal, added, dropped); ``drift`` names the kinds of change. Case and
punctuation are not differences: reports re-case and re-punctuate quotes all the time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\w+(?:[.,']\w+)*|[^\w\s]", re.UNICODE)
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
NEGATIONS = frozenset(
    "not no never nothing nobody none neither nor cannot can't won't don't doesn't didn't "
    "isn't aren't wasn't weren't hasn't haven't hadn't shouldn't wouldn't couldn't n't".split()
)
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty "
    "fifty hundred thousand million billion half dozen".split()
)


@dataclass(frozen=True)
class Piece:
    """A run of words: ``op`` is ``equal``, ``added`` (only in the second wording) or
    ``dropped`` (only in the first)."""

    op: str
    text: str


def _words(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text) if t[0].isalnum() or t[0] == "_"]


def word_diff(first: str, second: str) -> list[Piece]:
    """The second wording against the first, as equal / added / dropped runs of words
    (compared case-insensitively, punctuation left out)."""
    a, b = _words(first), _words(second)
    matcher = SequenceMatcher(a=[w.lower() for w in a], b=[w.lower() for w in b], autojunk=False)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("equal", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            pieces.append(Piece("dropped", " ".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", " ".join(b[j1:j2])))
    return pieces


def _is_number(word: str) -> bool:
    return bool(_NUMBER.match(word)) or word.lower() in NUMBER_WORDS


def drift(first: str, second: str) -> list[str]:
    """The kinds of change from the first wording to the second, most serious first:
    ``negation`` (a negation added or dropped), ``number`` (a number changed, added or
    dropped), ``words`` (any other word added or dropped); empty when only case or
    punctuation differ."""
    changed = [p for p in word_diff(first, second) if p.op != "equal"]
    words = [w.lower() for p in changed for w in p.text.split()]
    kinds = []
    if any(w in NEGATIONS or w.endswith("n't") for w in words):
        kinds.append("negation")
    if any(_is_number(w) for w in words):
        kinds.append("number")
    if changed and len(kinds) < len({"negation", "number"} | set(kinds)) + 1:
        others = [w for w in words if not (w in NEGATIONS or w.endswith("n't") or _is_number(w))]
        if others:
            kinds.append("words")
    return kinds
