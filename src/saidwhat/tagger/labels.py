"""What the tagger predicts: BIO tags on three channels, and spans read back from them.

Each wordpiece gets one tag per channel (content, cue, source): O outside, B at the first
piece of a span, I inside. Channels are separate because one piece can be in a content and
in the source of an attribution nested inside it. On the content channel only outermost
contents are tagged: the engine keeps one attribution per stretch of text (the outer one
of `X said Y thinks Z`), and a B inside an outer content would cut it in two.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from saidwhat.encoder.wordpieces import Wordpieces

CHANNELS = ("content", "cue", "source")
OUTSIDE, BEGIN, INSIDE = 0, 1, 2
TAGS = 3


@dataclass(frozen=True)
class TaggedSpan:
    """A span read off one channel, in characters, with the mean probability that each of
    its pieces carries the tag it was read with (B for the first, I for the rest)."""

    channel: str
    start: int
    end: int
    score: float


def outermost(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans not contained in another span of the list."""
    ordered = sorted(set(spans), key=lambda s: (s[0], -s[1]))
    out: list[tuple[int, int]] = []
    for s, e in ordered:
        if out and s >= out[-1][0] and e <= out[-1][1]:
            continue
        out.append((s, e))
    return out


def gold_tags(
    pieces: Wordpieces,
    spans_by_channel: dict[str, Sequence[tuple[int, int]]],
) -> np.ndarray:
    """(pieces, channels) tags for character spans per channel. A piece belongs to a span
    when its characters lie inside it; contents are reduced to the outermost."""
    tags = np.zeros((len(pieces), len(CHANNELS)), dtype=np.int64)
    for c, channel in enumerate(CHANNELS):
        spans = spans_by_channel.get(channel, ())
        if channel == "content":
            spans = outermost(spans)
        for start, end in sorted(spans):
            inside = np.nonzero((pieces.starts >= start) & (pieces.ends <= end))[0]
            if len(inside) == 0:
                continue
            fresh = inside[tags[inside, c] == OUTSIDE]
            if len(fresh) == 0:
                continue
            tags[fresh, c] = INSIDE
            tags[fresh[0], c] = BEGIN
    return tags


def read_spans(pieces: Wordpieces, probs: np.ndarray) -> list[TaggedSpan]:
    """Spans from (pieces, channels, tags) probabilities: each piece takes its most likely
    tag; a span starts at B (or at an I after O) and runs over the I pieces after it."""
    out: list[TaggedSpan] = []
    best = probs.argmax(-1)
    for c, channel in enumerate(CHANNELS):
        k = 0
        n = len(pieces)
        while k < n:
            if best[k, c] == OUTSIDE:
                k += 1
                continue
            first = k
            scores = [probs[k, c, best[k, c]]]
            k += 1
            while k < n and best[k, c] == INSIDE:
                scores.append(probs[k, c, INSIDE])
                k += 1
            out.append(
                TaggedSpan(
                    channel,
                    int(pieces.starts[first]),
                    int(pieces.ends[k - 1]),
                    float(np.mean(scores)),
                )
            )
    return out
