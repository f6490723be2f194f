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

import dataclasses
import itertools
import re
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from saidwhat.attribution.budget import Deadline, OverBudget
from saidwhat.attribution.component import (
    COMPONENT,
    USER_DATA_KEY,
    analyse_parsed,
    attribution_component,
)
from saidwhat.attribution.options import AttributionModels, AttributionOptions
from saidwhat.nlp import PARSE_WHOLE_CHARS, load_pipeline, make_doc, parse_text
from saidwhat.reading.records import with_outlets
from saidwhat.schema import Analysis, Article

__all__ = [
    "COMPONENT",
    "USER_DATA_KEY",
    "AnalysisFailed",
    "AttributionOptions",
    "OverBudget",
    "analyse",
    "analyse_doc",
    "analyse_many",
    "failure_reason",
    "with_settings",
]


def analyse_doc(
    article: Article, doc: Doc, model: str = "", options: AttributionOptions | None = None
) -> Analysis:
    """Extract entities and statements from an article already parsed into ``doc``.

    Without a pipeline there is no component to hold the models, so this reads the model
    files ``options`` names on each call; for many documents use ``analyse_many`` or
    ``analyse``, which load them once per pipeline.
    """
    models = AttributionModels.load(options)
    return analyse_parsed(_read_for(article, options, models), doc, models, model=model)


def _read_for(
    article: Article, options: AttributionOptions | None, models: AttributionModels
) -> Article:
    """The article as the options' outlets table reads it: readers use the shipped
    table, so with a user's file (``--outlets``) the dateline and sign-off are found
    again with it (``(The Northern Ledger)`` is a dateline only where the file says
    the Ledger is an outlet). Without one the article is returned as it is."""
    if options is None or not options.outlets:
        return article
    return with_outlets(article, models.outlets)


def sentence_starts(article: Article) -> list[int]:
    """Where the body starts again after the wire furniture the reader found (the title
    line, the ` date ` line, the dateline), and where each paragraph starts: a sentence
    starts there, whatever the parser would make of a headline with no full stop run
    into the first paragraph."""
    spans = [article.title_span, article.date_prefix]
    spans.append(article.dateline.span if article.dateline else None)
    starts = [s.end for s in spans if s is not None and s.end < len(article.text)]
    # and every paragraph: a closing quote mark before a blank line otherwise starts the
    # next paragraph's sentence, and its subject comes out the root (`Stepanenko, who
    # signed for Kyiv, called the deal ...` lost its speaker)
    starts += [m.end() for m in _PARAGRAPH_BREAK.finditer(article.text)]
    return sorted(set(starts))


_PARAGRAPH_BREAK = re.compile(r"\n\s*(?=\S)")


def _model_label(nlp: Language) -> str:
    return (
        f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
    )


def analyse(
    article: Article, nlp: Language | None = None, options: AttributionOptions | None = None
) -> Analysis:
    """Analyse one article with ``nlp`` (default: the configured pipeline).

    Raises ``OverBudget`` when the article takes longer than the options' time budget,
    counted from the start of its parse (a long text is parsed in pieces, so the clock
    is read along the way, not only at the end)."""
    nlp = nlp or load_pipeline()
    component = attribution_component(nlp)
    models = component.models_for(options)
    article = _read_for(article, options or component.options, models)
    deadline = Deadline((options or component.options).time_budget)
    with nlp.select_pipes(disable=[COMPONENT]):
        doc = parse_text(nlp, article.text, deadline, sentence_starts(article))
    return analyse_parsed(article, doc, models, model=_model_label(nlp), deadline=deadline)


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

    The time budget: an article longer than ``PARSE_BATCHED_CHARS`` (in one process;
    ``nlp.PARSE_WHOLE_CHARS`` with several) is analysed alone by ``analyse``, its clock
    running from the start of its parse; the shorter ones are parsed in batches by
    ``nlp.pipe`` and their clock starts at the extraction, their parse being bounded by
    their length (the worst crafted 20,000 characters parse in a few seconds).
    """
    nlp = nlp or load_pipeline()
    component = attribution_component(nlp)
    models = component.models_for(options)  # loaded here, before the workers start
    articles = (_read_for(a, options or component.options, models) for a in articles)
    label = _model_label(nlp)
    alone_from = PARSE_WHOLE_CHARS if n_process > 1 else PARSE_BATCHED_CHARS
    for alone, run in itertools.groupby(articles, key=lambda a: len(a.text) > alone_from):
        if alone:  # each parsed under its own clock, in this process
            for article in run:
                try:
                    yield analyse(article, nlp, options)
                except Exception as exc:
                    yield AnalysisFailed(f"{article.path or article.id}: {failure_reason(exc)}")
            continue
        pairs = ((make_doc(nlp, a.text, sentence_starts(a)), (a, options)) for a in run)
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


def with_settings(
    nlp: Language, seconds: float | None, engine: str | None = None, outlets: str | None = None
) -> AttributionOptions:
    """The options of ``nlp``'s attribution component with another time budget (None:
    no limit) and, when given, another engine and outlets file: what ``--time-budget``,
    ``--engine`` and ``--outlets`` run with, the pipeline's other settings kept."""
    options = dataclasses.replace(attribution_component(nlp).options, time_budget=seconds)
    if outlets is not None:
        options = dataclasses.replace(options, outlets=outlets)
    return options if engine is None else dataclasses.replace(options, engine=engine)


# Texts up to this length are parsed in batches (``nlp.pipe``: faster, but a text's parse
# is not clocked on its own); longer ones alone, under their clock. Real articles are
# mostly shorter (the Guardian sample's median is about 5,000 characters).
PARSE_BATCHED_CHARS = 20_000


def failure_reason(exc: Exception) -> str:
    """One line: an over-budget message as it is, anything else with its type."""
    return str(exc) if isinstance(exc, OverBudget) else f"{type(exc).__name__}: {exc}"
