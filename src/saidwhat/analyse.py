"""Article -> Analysis: the one entry point of extraction.

``analyse`` is pure: no database, no network, no globals beyond the loaded spaCy pipeline.
The CLI, a web request and a Dask worker all call it. For many articles, ``analyse_many``
runs the extraction *inside* spaCy's pipeline (the ``saidwhat_attribution`` component), so
``nlp.pipe(n_process=N)`` parallelises parsing and extraction together.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from saidwhat.nlp import load_pipeline
from saidwhat.schema import Analysis, Article

COMPONENT = "saidwhat_attribution"
USER_DATA_KEY = "saidwhat"


def analyse_doc(article: Article, doc: Doc, model: str = "") -> Analysis:
    """Extract entities and statements from an article already parsed into ``doc``."""
    from saidwhat.attribution import extract

    entities, statements = extract(doc, article)
    return Analysis(article=article, entities=entities, statements=statements, model=model)


def _model_label(nlp: Language) -> str:
    return (
        f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
    )


def analyse(article: Article, nlp: Language | None = None) -> Analysis:
    """Analyse one article with ``nlp`` (default: the configured pipeline)."""
    nlp = nlp or load_pipeline()
    with nlp.select_pipes(disable=[p for p in (COMPONENT,) if p in nlp.pipe_names]):
        doc = nlp(article.text)
    return analyse_doc(article, doc, model=_model_label(nlp))


@Language.component(COMPONENT)
def attribution_component(doc: Doc) -> Doc:
    """Run the extraction where the Doc is parsed (a worker process with n_process > 1).

    The Article travels as the pipe context (``as_tuples=True``); the result travels
    back in ``doc.user_data`` as the plain JSON document, which spaCy serialises.
    """
    article = getattr(doc, "_context", None)
    if isinstance(article, Article):
        try:
            analysis = analyse_doc(article, doc)
            doc.user_data[USER_DATA_KEY] = analysis.to_dict()
        except Exception as exc:  # one bad article must not kill the worker
            doc.user_data[USER_DATA_KEY] = {"error": f"{type(exc).__name__}: {exc}"}
    return doc


class AnalysisFailed(RuntimeError):
    """Extraction raised on one article; the message names the article."""


def analyse_many(
    articles: Iterable[Article],
    nlp: Language | None = None,
    n_process: int = 1,
    batch_size: int = 16,
) -> Iterator[Analysis | AnalysisFailed]:
    """Analyse articles in order, in ``n_process`` processes; yields failures, never raises.

    A failure is yielded in place of its Analysis so that a batch goes on past it.
    """
    nlp = nlp or load_pipeline()
    if COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, last=True)
    label = _model_label(nlp)
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, n_process=n_process, batch_size=batch_size):
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
