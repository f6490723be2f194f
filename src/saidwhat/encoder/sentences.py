"""Sentence embeddings of statement contents: all-MiniLM-L6-v2, mean pooled, normalised.

The same weights and forward pass as the tagger (``bert``), used the way the model was
trained for sentences: ``[CLS] text [SEP]`` cut at 256 wordpieces (the model's
``max_seq_length``), mean pooling over the real pieces, L2 normalisation. Texts are
encoded in batches of similar length, so that a short statement is not padded to the
longest one of the article. ``load_sentence_encoder`` reads the weights once per process
(an ``n_process`` worker or a Dask worker loads its own copy on first use, as the tagger
does).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from functools import lru_cache
from typing import Any

import numpy as np

from saidwhat.encoder.bert import HIDDEN, BertEncoder
from saidwhat.encoder.weights import load_base_weights
from saidwhat.encoder.wordpieces import CLS_ID, SEP_ID, WordpieceTokenizer

MAX_PIECES = 256  # all-MiniLM-L6-v2's max_seq_length (sentence_bert_config.json)
DIMENSIONS = HIDDEN
MODEL_NAME = "all-MiniLM-L6-v2"


class SentenceEncoder:
    """Texts -> (n, 384) float32 unit vectors."""

    def __init__(self, batch_size: int = 32) -> None:
        self.tokenizer = WordpieceTokenizer()
        self.bert = BertEncoder(load_base_weights(), flat_dense=True)
        self.batch_size = batch_size
        self._threads: Any = None  # threadpoolctl's controller, made on first use

    def _one_thread(self) -> AbstractContextManager[Any]:
        if self._threads is None:
            from threadpoolctl import ThreadpoolController

            self._threads = ThreadpoolController()
        return self._threads.limit(limits=1, user_api="blas")

    def pieces(self, text: str) -> np.ndarray:
        ids = self.tokenizer(text).ids[: MAX_PIECES - 2]
        return np.concatenate([[CLS_ID], ids, [SEP_ID]]).astype(np.int64)

    def encode(self, texts: Sequence[str], one_thread: bool = False) -> np.ndarray:
        """One unit vector per text, in order (an empty text gets the vector of ``[CLS]
        [SEP]``, as the model gives it).

        ``one_thread``: on one BLAS thread, for a search query. Its matrices are too small
        to share out, and on a busy two-core machine a second thread waiting for a core
        made a query take 400 ms instead of 30 (bench/like_latency.py). Not the default:
        the setting is the process's, and an analysis shares it with the tagger."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        rows = [self.pieces(t) for t in texts]
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        with self._one_thread() if one_thread else nullcontext():
            for start in range(0, len(order), self.batch_size):
                chunk = order[start : start + self.batch_size]
                length = max(len(rows[i]) for i in chunk)
                ids = np.zeros((len(chunk), length), dtype=np.int64)
                mask = np.zeros((len(chunk), length), dtype=np.int64)
                for j, i in enumerate(chunk):
                    ids[j, : len(rows[i])] = rows[i]
                    mask[j, : len(rows[i])] = 1
                out[chunk] = self.bert.sentence_embeddings(ids, mask)
        return out


@lru_cache(maxsize=1)
def load_sentence_encoder() -> SentenceEncoder:
    """The sentence encoder, built once per process (the weights are 90 MB)."""
    return SentenceEncoder()


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as stored: little-endian float32, 1,536 bytes for 384 dimensions."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    """A stored vector back as float32."""
    return np.frombuffer(blob, dtype="<f4")
