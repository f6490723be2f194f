"""The ``saidwhat_attribution`` spaCy component: extraction where the Doc is parsed.

Running the extraction inside spaCy's pipeline lets ``nlp.pipe(n_process=N)`` parallelise
parsing and extraction together. The component is built from its config (the fields of
``AttributionOptions``) and holds the models loaded from it, so there is no module-level
state: two pipelines with two configs extract differently, side by side. ``nlp.to_disk``
saves the loaded weights with the pipeline and ``spacy.load`` of that folder restores them
(import this module first, so that spaCy knows the factory; ``saidwhat.analyse`` does).

The Article travels as the pipe context (``as_tuples=True``), alone or as ``(article,
options)`` to run with other options than the component's own; the result travels back
in ``doc.user_data`` as the plain JSON document, which spaCy serialises.
"""

# No ``from __future__ import annotations`` here: spaCy reads the factory's type hints at
# run time to check its config.

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from saidwhat.attribution.budget import Deadline, OverBudget
from saidwhat.attribution.options import (
    AttributionModels,
    AttributionOptions,
    TaggerChoices,
    load_encoder,
    load_tagger,
)
from saidwhat.attribution.pipeline import extract
from saidwhat.encoder.sentences import to_bytes
from saidwhat.reading.outlets import load_outlets
from saidwhat.schema import Analysis, Article

COMPONENT = "saidwhat_attribution"
USER_DATA_KEY = "saidwhat"
MODELS_FILE = "models.json"


def analyse_parsed(
    article: Article,
    doc: Doc,
    models: AttributionModels,
    model: str = "",
    deadline: Deadline | None = None,
    embed: bool = True,
) -> Analysis:
    """The Analysis of ``article`` already parsed into ``doc``, with ``models``; raises
    ``OverBudget`` if ``deadline`` runs out between two passes. With an encoder in the
    models (and ``embed``), its statements' embeddings too."""
    entities, statements = extract(doc, article, models, deadline)
    analysis = Analysis(article=article, entities=entities, statements=statements, model=model)
    if embed and models.encoder is not None:
        embed_statements([analysis], models.encoder)
    return analysis


def embed_statements(analyses: list[Analysis], encoder: Any) -> None:
    """Fill each analysis's ``embeddings`` with one encoder call over all their
    statements: a batch of articles makes larger matrix products than one article."""
    texts = [st.content_text for a in analyses for st in a.statements]
    vectors = iter(encoder.encode(texts) if texts else [])
    for a in analyses:
        a.embeddings = {st.id: to_bytes(next(vectors)) for st in a.statements}


class AttributionComponent:
    """Holds the options and the models loaded from them; analyses the Article in context.

    The models are read on first use (or restored by ``from_disk``), so building the
    component for ``spacy.load`` does not read the packaged files only to replace them.
    """

    def __init__(self, name: str, options: AttributionOptions) -> None:
        self.name = name
        self.options = options
        self._models: dict[AttributionOptions, AttributionModels] = {}

    @property
    def models(self) -> AttributionModels:
        """The models of the component's own options."""
        return self.models_for(None)

    def models_for(self, options: AttributionOptions | None) -> AttributionModels:
        """The models for ``options`` (None: the component's own), loaded once each."""
        options = self.options if options is None else options
        if options not in self._models:
            self._models[options] = AttributionModels.load(options)
        return self._models[options]

    def _analyse(self, doc: Doc) -> tuple[Analysis | None, Any]:
        """The doc's Analysis (no embeddings yet) and the encoder that should embed it
        (None: none asked); (None, None) when there is no Article or it failed (the
        error is then in ``doc.user_data``)."""
        context = getattr(doc, "_context", None)
        article, options = context if isinstance(context, tuple) else (context, None)
        if not isinstance(article, Article):
            return None, None
        # the clock starts here: the parse of a text short enough to go through
        # ``nlp.pipe`` whole is bounded by its length (longer ones are parsed in
        # chunks under the clock, by ``analyse``)
        deadline = Deadline((options or self.options).time_budget)
        try:
            models = self.models_for(options)
            return analyse_parsed(article, doc, models, deadline=deadline, embed=False), (
                models.encoder
            )
        except OverBudget as exc:
            doc.user_data[USER_DATA_KEY] = {"error": str(exc)}
        except Exception as exc:  # one bad article must not kill the worker
            doc.user_data[USER_DATA_KEY] = {"error": f"{type(exc).__name__}: {exc}"}
        return None, None

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        """``__call__`` for each doc (spaCy's ``nlp.pipe`` calls this), with the
        statements of a whole batch of articles embedded by one encoder call: about 6 ms
        a statement instead of 10 article by article (bench/embed_cost.py)."""
        for batch in minibatch(docs, size=batch_size):
            done = [(doc, *self._analyse(doc)) for doc in batch]
            asked = [(a, e) for _, a, e in done if a is not None and e is not None]
            error = None
            if asked:
                try:
                    embed_statements([a for a, _ in asked], asked[0][1])
                except Exception as exc:  # the batch's articles fail, not the worker
                    error = {"error": f"embeddings: {type(exc).__name__}: {exc}"}
            for doc, analysis, encoder in done:
                if analysis is not None:
                    doc.user_data[USER_DATA_KEY] = (
                        error
                        if error is not None and encoder is not None
                        else analysis.to_dict(embeddings=True)
                    )
                yield doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the loaded models (not a path to them): the folder is the whole pipeline."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        models = self.models
        doc = {
            "decision": models.decision,
            "threshold": models.threshold,
            "cue_weights": models.cue_weights,
            "boundary_weights": models.boundary_weights,
            "confidence_weights": models.confidence_weights,
            "confidence_platt": list(models.confidence_platt),
        }
        (path / MODELS_FILE).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "AttributionComponent":
        """Restore the models saved by ``to_disk`` as the models of the own options."""
        doc = json.loads((Path(path) / MODELS_FILE).read_text(encoding="utf-8"))
        self._models = {
            self.options: AttributionModels(
                decision=doc["decision"],
                threshold=float(doc["threshold"]),
                cue_weights=dict(doc["cue_weights"]),
                boundary_weights=dict(doc["boundary_weights"]),
                tagger=load_tagger(self.options.tagger_model)
                if self.options.engine == "neural"
                else None,
                choices=self.options.tagger_choices,
                confidence_weights=dict(doc.get("confidence_weights", {})),
                confidence_platt=tuple(doc.get("confidence_platt", (1.0, 0.0))),
                encoder=load_encoder() if self.options.embeddings else None,
                outlets=load_outlets(self.options.outlets),
            )
        }
        return self


@Language.factory(COMPONENT, default_config=AttributionOptions().to_config())
def make_attribution_component(
    nlp: Language,
    name: str,
    engine: str,
    decision: str,
    threshold: float | None,
    cue_model: str | None,
    boundary_model: str | None,
    time_budget: float | None,
    tagger_model: str | None = None,
    confidence_model: str | None = None,
    tagger_drop_below: float = TaggerChoices.drop_below,
    tagger_add_above: float = TaggerChoices.add_above,
    tagger_reshape: bool = TaggerChoices.reshape,
    embeddings: bool = False,
    outlets: str | None = None,
) -> AttributionComponent:
    """Build the component from its config (see ``AttributionOptions``)."""
    options = AttributionOptions(
        engine=engine,
        decision=decision,
        threshold=threshold,
        cue_model=cue_model,
        boundary_model=boundary_model,
        time_budget=time_budget,
        tagger_model=tagger_model,
        confidence_model=confidence_model,
        tagger_drop_below=tagger_drop_below,
        tagger_add_above=tagger_add_above,
        tagger_reshape=tagger_reshape,
        embeddings=embeddings,
        outlets=outlets,
    )
    return AttributionComponent(name, options)


def attribution_component(nlp: Language) -> AttributionComponent:
    """The pipeline's attribution component, added last (with the default options) if the
    pipeline has none yet."""
    if COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, last=True)
    component = nlp.get_pipe(COMPONENT)
    if not isinstance(component, AttributionComponent):
        raise TypeError(f"{COMPONENT!r} in this pipeline is not an AttributionComponent")
    return component
