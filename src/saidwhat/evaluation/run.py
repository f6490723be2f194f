"""Run the extraction over gold texts and score it: the work behind ``saidwhat eval``.

Kept apart from ``scoring`` because this is the only part that needs spaCy.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from spacy.language import Language

from saidwhat.attribution.options import AttributionOptions
from saidwhat.evaluation.gold import GoldDoc
from saidwhat.evaluation.scoring import Scores, evaluate
from saidwhat.schema import Article, Statement


@dataclass
class SplitResult:
    """Scores of one split, with what it took to get them."""

    name: str
    scores: Scores
    seconds: float
    failures: list[str] = field(default_factory=list)


def predict(
    docs: Sequence[GoldDoc],
    nlp: Language | None = None,
    n_process: int = 1,
    on_doc: Callable[[], None] | None = None,
    options: AttributionOptions | None = None,
) -> tuple[dict[str, list[Statement]], list[str]]:
    """Statements per doc id from ``analyse_many`` over the gold texts, and failure messages.

    A document whose analysis fails predicts nothing (its gold still counts), so a
    crash costs recall instead of silently shrinking the test set.
    """
    from saidwhat.analyse import AnalysisFailed, analyse_many

    articles = (Article(text=d.text, path=d.path, id=d.id) for d in docs)
    predictions: dict[str, list[Statement]] = {}
    failures: list[str] = []
    results = analyse_many(articles, nlp=nlp, n_process=n_process, options=options)
    for doc, result in zip(docs, results, strict=True):
        if isinstance(result, AnalysisFailed):
            failures.append(str(result))
            predictions[doc.id] = []
        else:
            predictions[doc.id] = result.statements
        if on_doc is not None:
            on_doc()
    return predictions, failures


def evaluate_split(
    name: str,
    docs: Sequence[GoldDoc],
    nlp: Language | None = None,
    n_process: int = 1,
    on_doc: Callable[[], None] | None = None,
    options: AttributionOptions | None = None,
) -> SplitResult:
    """Analyse and score one split; ``seconds`` is the wall time of analysis and scoring.

    ``options`` (threshold, models, engine) go to the extraction as they are; None is the
    pipeline's own.
    """
    started = time.perf_counter()
    predictions, failures = predict(
        docs, nlp=nlp, n_process=n_process, on_doc=on_doc, options=options
    )
    scores = evaluate(docs, predictions)
    return SplitResult(name, scores, time.perf_counter() - started, failures)
