"""Windows over a document's wordpieces, so content that runs across sentences and
paragraphs is seen whole.

A document is cut into windows of at most ``WINDOW`` pieces that overlap by
``WINDOW - STRIDE``; each piece's label is read from the window where it sits furthest
from an edge (its *owner*), so no piece is judged without context on both sides when a
window gives it some. Training and tagging use the same cutting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from saidwhat.encoder.wordpieces import CLS_ID, PAD_ID, SEP_ID

WINDOW = 254  # pieces per window, plus [CLS] and [SEP]
STRIDE = 192


@dataclass(frozen=True)
class Window:
    """Pieces ``start`` to ``end`` (exclusive) of the document."""

    start: int
    end: int


def cut(n_pieces: int, window: int = WINDOW, stride: int = STRIDE) -> list[Window]:
    """Overlapping windows covering ``n_pieces``; the last one ends at the document's end."""
    if n_pieces <= window:
        return [Window(0, n_pieces)]
    out = []
    start = 0
    while True:
        end = min(start + window, n_pieces)
        out.append(Window(max(0, end - window), end))
        if end == n_pieces:
            return out
        start += stride


def owners(windows: list[Window], n_pieces: int) -> np.ndarray:
    """For each piece, the index of the window in which it is most central."""
    best = np.full(n_pieces, -1, dtype=np.int64)
    margin = np.full(n_pieces, -1, dtype=np.int64)
    for k, w in enumerate(windows):
        idx = np.arange(w.start, w.end)
        m = np.minimum(idx - w.start, w.end - 1 - idx)
        better = m > margin[idx]
        best[idx[better]] = k
        margin[idx[better]] = m[better]
    return best


def batch_arrays(ids: np.ndarray, windows: list[Window]) -> tuple[np.ndarray, np.ndarray]:
    """Padded (ids, mask) for windows of one document, with [CLS] and [SEP] around each."""
    length = max(w.end - w.start for w in windows) + 2
    out = np.full((len(windows), length), PAD_ID, dtype=np.int64)
    mask = np.zeros((len(windows), length), dtype=np.int64)
    for k, w in enumerate(windows):
        n = w.end - w.start
        out[k, 0] = CLS_ID
        out[k, 1 : n + 1] = ids[w.start : w.end]
        out[k, n + 1] = SEP_ID
        mask[k, : n + 2] = 1
    return out, mask
