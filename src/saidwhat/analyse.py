"""Article -> Analysis: the one entry point of extraction.

``analyse`` is pure: no database, no network, no globals beyond the loaded spaCy pipeline.
The CLI, a web request and a Dask worker all call it. For many articles, ``analyse_many``
runs the extraction *inside* spaCy's pipeline (the ``saidwhat_attribution`` component,
``attribution.component``), so ``nlp.pipe(n_process=N)`` parallelises parsing and
extraction together.

Every entry point takes ``options: AttributionOptions | None``: None runs with the
options of the pipeline's component (the defaults unless the pipeline was built or saved
with others); given options are used for that call only and change nothing for the next.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from saidwhat.attribution.component import (
    COMPONENT,
    USER_DATA_KEY,
    analyse_parsed,
    attribution_component,
)
from saidwhat.attribution.options import AttributionModels, AttributionOptions
from saidwhat.nlp import load_pipeline
from saidwhat.schema import Analysis, Article

__all__ = [
    "COMPONENT",
    "USER_DATA_KEY",
    "AnalysisFailed",
    "AttributionOptions",
    "analyse",
    "analyse_doc",
    "analyse_many",
]


def analyse_doc(
    article: Article, doc: Doc, model: str = "", options: AttributionOptions | None = None
) -> Analysis:
    """Extract entities and statements from an article already parsed into ``doc``.

    Without a pipeline there is no component to hold the models, so this reads the model
    files ``options`` names on each call; for many documents use ``analyse_many`` or
    ``analyse``, which load them once per pipeline.
    """
    return analyse_parsed(article, doc, AttributionModels.load(options), model=model)


def _model_label(nlp: Language) -> str:
    return (
        f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
    )


def analyse(
    article: Article, nlp: Language | None = None, options: AttributionOptions | None = None
) -> Analysis:
    """Analyse one article with ``nlp`` (default: the configured pipeline)."""
    nlp = nlp or load_pipeline()
    models = attribution_component(nlp).models_for(options)
    with nlp.select_pipes(disable=[COMPONENT]):
        doc = nlp(article.text)
    return analyse_parsed(article, doc, models, model=_model_label(nlp))


class AnalysisFailed(RuntimeError):
    """Extraction raised on one article; the message names the article."""


def analyse_many(
    articles: Iterable[Article],
    nlp: Language | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    options: AttributionOptions | None = None,
) -> Iterator[Analysis | AnalysisFailed]:
    """Analyse articles in order, in ``n_process`` processes; yields failures, never raises.

    A failure is yielded in place of its Analysis so that a batch goes on past it. (A
    model file the options name that is missing raises before the first article.)
    """
    nlp = nlp or load_pipeline()
    attribution_component(nlp).models_for(options)  # loaded here, before the workers start
    label = _model_label(nlp)
    pairs = ((a.text, (a, options)) for a in articles)
    for doc, (article, _) in nlp.pipe(
        pairs, as_tuples=True, n_process=n_process, batch_size=batch_size
    ):
        result = doc.user_data.get(USER_DATA_KEY)
        if result is None:
            yield AnalysisFailed(f"{article.path or article.id}: no analysis produced")
        elif "error" in result:
            yield AnalysisFailed(f"{article.path or article.id}: {result['error']}")
        else:
            analysis = Analysis.from_dict(result)
            analysis.article = article
            analysis.model = label
            yield analysis
