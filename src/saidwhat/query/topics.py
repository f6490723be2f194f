"""Topic terms: the most frequent content words and two-word phrases of some texts.

Deliberately simple (no parser, no model): a stop-word list and counts are enough to
show what a speaker keeps talking about, and they run in milliseconds on thousands of
statements. Phrases are kept only when seen at least twice, and a word that mostly
occurs inside a kept phrase does not repeat it in the list. Forms of one word count
together under the most frequent one ("russia", "russian", "russians"; "talk", "talks":
``word_key``), and nouns that say nothing about a topic ("side", "end", "part") are
stop words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)

_STOP_TEXT = """
    a about above after again against all almost also although always am among an and
    another any anyone anything are around as at be became because been before being
    below between both but by can cannot could did do does doing done down during each
    either else enough even ever every few for from further get gets getting given go
    going got had has have having he her here hers herself him himself his how however i
    if in into is it its itself just last least less let like made make many may me
    might more most much must my myself near need needs neither never new next no nor
    not nothing now of off often on once one only or other others our ours ourselves out
    over own per perhaps put quite rather really said same say says see seem seemed
    several shall she should since so some something still such than that the their
    theirs them themselves then there these they thing things this those though through
    thus to told too toward towards under until up upon us very via was way we well were
    what whatever when where whether which while who whom whose why will with within
    without would yet you your yours yourself yourselves mr mrs ms dr today yesterday
    tomorrow week year years day days time monday tuesday wednesday thursday friday
    saturday sunday want wants wanted added according stated asked think know
    side sides end ends part parts place places lot lots kind kinds point points case
    cases issue issues matter matters fact facts number numbers way ways area areas
"""

# Endings that make one word's forms (plurals, demonyms): "russ|ia", "russ|ian(s)",
# "ukrain|e", "ukrain|ian", "syri|a", "syri|an", "talk|s". Longest first; only when at
# least ``_MIN_STEM`` letters stay, so "plan" or "iran" keep their own letters.
_ENDINGS = ("ians", "ian", "ans", "ies", "an", "ns", "es", "ia", "s", "e", "a", "n")
_MIN_STEM = 4
STOP_WORDS = frozenset(_STOP_TEXT.split())


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters, inner apostrophes and hyphens), possessive 's dropped."""
    out = []
    for w in _WORD.findall(text.lower()):
        w = w.replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        out.append(w)
    return out


def _content(w: str) -> bool:
    return len(w) > 2 and w not in STOP_WORDS


def word_key(w: str) -> str:
    """The key that the forms of one word share (see ``_ENDINGS``)."""
    for ending in _ENDINGS:
        if w.endswith(ending) and len(w) - len(ending) >= _MIN_STEM:
            return w[: -len(ending)]
    return w


def top_terms(texts: Iterable[str], limit: int = 20) -> list[tuple[str, int]]:
    """(term, count) pairs, most frequent first; terms are words or "word word" phrases."""
    forms: dict[str, Counter[str]] = {}  # word key -> its surface forms
    pairs: Counter[str] = Counter()
    for text in texts:
        toks = words(text)
        for i, w in enumerate(toks):
            if not _content(w):
                continue
            forms.setdefault(word_key(w), Counter())[w] += 1
            if i + 1 < len(toks) and _content(toks[i + 1]):
                pairs[f"{w} {toks[i + 1]}"] += 1
    kept = {p: n for p, n in pairs.items() if n >= 2}
    covered: Counter[str] = Counter()
    for p, n in kept.items():
        for w in p.split():
            covered[w] = max(covered[w], n)
    singles = {}
    for counts in forms.values():  # shown as the most frequent form, counted together
        shown = max(counts.items(), key=lambda f: (f[1], -len(f[0]), f[0]))[0]
        singles[shown] = sum(counts.values())
    terms = dict(kept)
    for w, n in singles.items():
        if covered[w] < n * 0.8:  # the word also stands on its own often enough
            terms[w] = n
    return sorted(terms.items(), key=lambda t: (-t[1], t[0]))[:limit]
