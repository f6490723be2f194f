"""Scoring saidwhat against gold attributions (``saidwhat eval``).

``gold`` reads brat (PolNeAR) and JSONL gold, ``scoring`` holds the metric definitions
and ``evaluate`` (no spaCy), ``run`` analyses gold texts and scores them, ``report``
formats results. The spaCy-dependent parts are not imported here.
"""

from saidwhat.evaluation.gold import Attribution, GoldDoc, GoldError, read_gold
from saidwhat.evaluation.scoring import Counts, Scores, evaluate, normalise, score_document

__all__ = [
    "Attribution",
    "Counts",
    "GoldDoc",
    "GoldError",
    "Scores",
    "evaluate",
    "normalise",
    "read_gold",
    "score_document",
]
