"""``Candidate``: one possible attribution, as the passes of the engine shape it.

Its own module because every pass takes and returns candidates: proposal (``candidates``),
decision (``cues``), ends (``boundaries``), quotes (``direct``), chains, speakers and
statements all import it, and none of them should import a pass to get it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token


@dataclass
class Candidate:
    """One possible attribution. Offsets are character offsets into the Doc text."""

    cue: Token
    lemma: str
    pattern: str
    content: list[tuple[int, int]]
    cue_tokens: list[Token] = field(default_factory=list)
    source: Token | None = None  # head token of the source noun phrase
    source_span: tuple[int, int] | None = None
    via: list[tuple[int, int] | None] = field(default_factory=list)  # intermediaries' spans
    noun: Token | None = None  # the noun of `expressed gratitude`, `dismissed claims`
    type: str = "indirect"
    act: str | None = None

    @property
    def start(self) -> int:
        return min(s for s, _ in self.content)

    @property
    def end(self) -> int:
        return max(e for _, e in self.content)

    @property
    def cue_span(self) -> tuple[int, int]:
        toks = self.cue_tokens or [self.cue]
        return min(t.idx for t in toks), max(t.idx + len(t) for t in toks)
