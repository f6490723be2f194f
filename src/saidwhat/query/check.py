"""Quote check: was this said, by whom, first where, and in which wordings?

``check_quote`` searches the corpus by meaning (``query.similar``, the same ranking as
``--like``) and keeps, among the 100 best, the statements that say the quote: those that
hold at least ``MIN_COVERAGE`` of its words in the same order (a quote cut out of a
longer statement, or lightly reworded), or whose meaning is at least ``threshold`` close
(cosine of the embeddings) while holding at least ``MIN_COVERAGE_NEAR`` of its words.
Why not the cosine alone: a quote nobody said comes as close as 0.9 to a statement on
the same topic ("Ukraine will attack Russian refineries again" to a warning against such
attacks), closer than some faithful rewordings; the words in order separate them far
better (``bench/check_threshold.py`` measures both on the example corpus). From
those matches it tells who said it (and, when a speaker is named, whether that person
said it, someone else did, or nobody in the corpus did), the earliest report, the
source chain of every report, every outlet that carried it, and each distinct wording
set against the quote word by word (``textdiff``: equal, added, dropped; the kinds of
drift: a negation, a number, other words).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from saidwhat.query.common import Readable, engine_of
from saidwhat.query.filters import QueryFilters
from saidwhat.query.speaker_match import speaker_entity_ids
from saidwhat.query.statements import StatementRow, search_statements
from saidwhat.textdiff import drift, word_diff

CHECK_THRESHOLD = 0.8  # cosine, with at least MIN_COVERAGE_NEAR of the words
MIN_COVERAGE = 0.65  # of the quote's words, in order: a match whatever the cosine
MIN_COVERAGE_NEAR = 0.5
MAX_MATCHES = 100
VERDICTS = ("said", "someone_else", "nobody")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class CheckReport:
    """One report of a matching statement, with its source chain (outlet first, the
    speaker last)."""

    statement_id: int
    similarity: float  # cosine of the embeddings
    coverage: float  # share of the quote's words the statement holds in the same order
    content: str
    speaker_id: int | None
    speaker: str | None
    act: str
    date: str | None
    article_id: str
    title: str | None
    outlet: str | None
    chain: list[str]


@dataclass
class WordDiffPiece:
    op: str  # equal | added | dropped (against the checked quote)
    text: str


@dataclass
class Wording:
    """One distinct wording among the matches (case and punctuation aside)."""

    text: str
    similarity: float
    reports: int
    speakers: list[str]
    outlets: list[str]
    diff: list[WordDiffPiece]
    drift: list[str]  # negation | number | words; empty: the quote's own words


@dataclass
class SpeakerCount:
    id: int | None
    name: str
    reports: int


@dataclass
class QuoteCheck:
    """What the corpus holds about one quote."""

    text: str
    threshold: float
    speaker: str | None = None  # the speaker asked about
    verdict: str | None = None  # said | someone_else | nobody (with a speaker asked)
    said_by: list[SpeakerCount] = field(default_factory=list)
    earliest: CheckReport | None = None
    outlets: list[str] = field(default_factory=list)
    wordings: list[Wording] = field(default_factory=list)
    matches: list[CheckReport] = field(default_factory=list)  # oldest first

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def says_it(similarity: float, covered: float, threshold: float = CHECK_THRESHOLD) -> bool:
    """Does a statement this close in meaning, holding this share of the quote's words,
    say the quote? (The rule of the module docstring.)"""
    return covered >= MIN_COVERAGE or (similarity >= threshold and covered >= MIN_COVERAGE_NEAR)


def _report(row: StatementRow, covered: float) -> CheckReport:
    chain = [row.reported_by or row.outlet or "?", *row.via, row.speaker or "?"]
    return CheckReport(
        statement_id=row.id,
        similarity=round(float(row.similarity or 0.0), 4),
        coverage=round(covered, 4),
        content=row.content,
        speaker_id=row.speaker_id,
        speaker=row.speaker,
        act=row.act,
        date=row.date or row.article_date,
        article_id=row.article_id,
        title=row.title,
        outlet=row.reported_by or row.outlet,
        chain=chain,
    )


def coverage(quote: str, text: str) -> float:
    """The share of the quote's words that ``text`` holds in the same order (case and
    punctuation aside): 1.0 for a quote cut out of a longer statement."""
    pieces = word_diff(quote, text)
    total = sum(len(p.text.split()) for p in pieces if p.op != "added")
    equal = sum(len(p.text.split()) for p in pieces if p.op == "equal")
    return equal / total if total else 0.0


def _wording_key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _wordings(quote: str, matches: list[CheckReport]) -> list[Wording]:
    groups: dict[str, list[CheckReport]] = {}
    for m in matches:
        groups.setdefault(_wording_key(m.content), []).append(m)
    out = []
    for group in groups.values():
        text = group[0].content
        out.append(
            Wording(
                text=text,
                similarity=max(m.similarity for m in group),
                reports=len(group),
                speakers=list(dict.fromkeys(m.speaker or "?" for m in group)),
                outlets=list(dict.fromkeys(m.outlet for m in group if m.outlet)),
                diff=[WordDiffPiece(p.op, p.text) for p in word_diff(quote, text)],
                drift=drift(quote, text),
            )
        )
    return sorted(out, key=lambda w: -w.similarity)


def check_quote(
    source: Readable,
    text: str,
    speaker: str | None = None,
    threshold: float = CHECK_THRESHOLD,
) -> QuoteCheck:
    """The statements of the corpus that say ``text`` (see the module docstring);
    ``AmbiguousSpeaker`` if ``speaker`` names several people."""
    text = " ".join(text.split())
    if not text:
        raise ValueError("text: the quote to check is empty")
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold: {threshold} is not between 0 and 1")
    engine = engine_of(source)
    page = search_statements(engine, QueryFilters(like=text, limit=MAX_MATCHES), with_total=False)
    found = [_report(r, coverage(text, r.content)) for r in page.items]
    matches = sorted(
        (m for m in found if says_it(m.similarity, m.coverage, threshold)),
        key=lambda m: (m.date or "9999", m.statement_id),
    )
    result = QuoteCheck(text=text, threshold=threshold, matches=matches)
    counts: dict[tuple[int | None, str], int] = {}
    for m in matches:
        key = (m.speaker_id, m.speaker or "?")
        counts[key] = counts.get(key, 0) + 1
    result.said_by = [
        SpeakerCount(i, name, n) for (i, name), n in sorted(counts.items(), key=lambda kv: -kv[1])
    ]
    result.earliest = matches[0] if matches else None
    result.outlets = sorted({m.outlet for m in matches if m.outlet})
    result.wordings = _wordings(text, matches)
    if speaker:
        result.speaker = speaker
        with engine.connect() as conn:
            ids = set(speaker_entity_ids(conn, speaker))
        name = speaker.strip().lower()
        by_them = [
            m
            for m in matches
            if (m.speaker_id in ids) or (not ids and name in (m.speaker or "").lower())
        ]
        result.verdict = "said" if by_them else "someone_else" if matches else "nobody"
    return result
