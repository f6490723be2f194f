"""Wordpieces with their character offsets, from the base model's own tokenizer.

The tagger labels wordpieces but the engine works in characters, so every piece keeps
the (start, end) it covers in the original text; ``[CLS]``/``[SEP]`` are added per window
by the caller, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from saidwhat.encoder.weights import EncoderUnavailable, base_model_dir

CLS_ID = 101
SEP_ID = 102
PAD_ID = 0


@dataclass(frozen=True)
class Wordpieces:
    """A text as wordpiece ids and the character span of each piece."""

    ids: np.ndarray  # int64, one per piece
    starts: np.ndarray  # int64 character offsets
    ends: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


class WordpieceTokenizer:
    """The base model's tokenizer without special tokens or truncation."""

    def __init__(self, path: Path | None = None) -> None:
        try:
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise EncoderUnavailable("the neural engine needs the tokenizers package") from exc
        self._tokenizer = Tokenizer.from_file(str(path or base_model_dir() / "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()

    def __call__(self, text: str) -> Wordpieces:
        encoding = self._tokenizer.encode(text, add_special_tokens=False)
        offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)
        return Wordpieces(
            ids=np.asarray(encoding.ids, dtype=np.int64),
            starts=offsets[:, 0].copy(),
            ends=offsets[:, 1].copy(),
        )
