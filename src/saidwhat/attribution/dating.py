"""When a statement was made: the date phrase around its cue, resolved to a day or range.

``said on Thursday`` in an article of Thursday 2025-12-11 is 2025-12-11; ``Earlier this
month`` bounds the date to 2025-12-01..2025-12-10. A statement without a date phrase that
continues the previous statement of the same speaker (``he added``) shares its date.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc

from saidwhat.attribution.candidate import Candidate
from saidwhat.reading.dates import resolve
from saidwhat.schema import Article, Statement


class StatementDater:
    """Finds and resolves the date phrase of each statement of one article."""

    def __init__(self, doc: Doc, article: Article, boiler: list[tuple[int, int]]) -> None:
        self.doc = doc
        self.article_date = article.date
        self.dates = [
            e
            for e in doc.ents
            if e.label_ == "DATE" and not any(s <= e.start_char < t for s, t in boiler)
        ]
        self.starts = [e.start_char for e in self.dates]  # in order: doc.ents are

    def phrase(self, cand: Candidate) -> str | None:
        """The date phrase of the cue's sentence outside content and source, nearest the cue."""
        sent = cand.cue.sent
        excluded = list(cand.content)
        if cand.source_span:
            excluded.append(cand.source_span)
        best, best_dist = None, None
        # only the dates of the cue's sentence, found by bisection: an article of
        # thousands of statements must not walk every date for each of them
        first = bisect.bisect_left(self.starts, sent.start_char)
        last = bisect.bisect_left(self.starts, sent.end_char)
        for ent in self.dates[first:last]:
            if any(s <= ent.start_char < e for s, e in excluded):
                continue
            dist = abs(ent.start_char - cand.cue.idx)
            if best_dist is None or dist < best_dist:
                best, best_dist = ent.text, dist
        return best

    def date(self, cand: Candidate, st: Statement, previous: Statement | None) -> None:
        phrase = self.phrase(cand) if cand.cue_tokens else None
        if phrase is not None:
            resolved = resolve(phrase, self.article_date)
            st.date_text = phrase
            st.date, st.date_range = resolved.date, resolved.range
            if resolved.date or resolved.range:
                return
        if previous is not None and st.speaker is not None and previous.speaker == st.speaker:
            st.date, st.date_range = previous.date, previous.date_range
            st.date_text = st.date_text or previous.date_text
