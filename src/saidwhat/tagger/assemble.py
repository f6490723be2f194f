"""Attributions from tagged spans alone: each content with its nearest cue, each cue with
its nearest source.

This is the tagger read on its own (what ``bench/train_tagger.py`` scores per epoch, and
what the neural engine adds where the rules proposed nothing). Nearness is in characters
between span edges, within ``reach``: news puts the cue right before or after its content
(`"...," she said` / `said that ...`) and the source beside the cue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from saidwhat.tagger.labels import TaggedSpan

CUE_REACH = 120
SOURCE_REACH = 80


@dataclass(frozen=True)
class TaggedAttribution:
    """A content span with the cue and source the tagger put beside it (None if none)."""

    content: TaggedSpan
    cue: TaggedSpan | None
    source: TaggedSpan | None

    @property
    def score(self) -> float:
        parts = [self.content.score] + [p.score for p in (self.cue, self.source) if p]
        return min(parts)


def gap(a: TaggedSpan, b: TaggedSpan) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, max(a.start, b.start) - min(a.end, b.end))


def nearest(
    anchor: TaggedSpan, spans: Sequence[TaggedSpan], reach: int, outside: bool = True
) -> TaggedSpan | None:
    """The span closest to ``anchor`` within ``reach`` characters; with ``outside`` only
    those not inside it (a cue inside a content belongs to a nested attribution)."""
    best: TaggedSpan | None = None
    best_gap = reach + 1
    for span in spans:
        if outside and span.start >= anchor.start and span.end <= anchor.end:
            continue
        g = gap(anchor, span)
        if g < best_gap:
            best, best_gap = span, g
    return best


def assemble(spans: Sequence[TaggedSpan]) -> list[TaggedAttribution]:
    """One attribution per content span that has a cue within reach."""
    by_channel: dict[str, list[TaggedSpan]] = {"content": [], "cue": [], "source": []}
    for span in spans:
        by_channel[span.channel].append(span)
    out = []
    for content in by_channel["content"]:
        cue = nearest(content, by_channel["cue"], CUE_REACH)
        if cue is None:
            continue
        source = nearest(cue, by_channel["source"], SOURCE_REACH, outside=False)
        out.append(TaggedAttribution(content, cue, source))
    return out
