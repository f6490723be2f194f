"""Attribution: who said what in one parsed article (Article + spaCy Doc -> statements).

The face of the engine. What callers use:

- ``extract(doc, article, models)``: entities and statements of a parsed article; the
  passes, in order, are in ``pipeline``.
- ``AttributionOptions``: every setting (engine, learned models or lexicon, threshold,
  model paths), and ``AttributionModels``: the models loaded once from the options.
- ``AttributionComponent``: the ``saidwhat_attribution`` spaCy component, which holds the
  loaded models and saves them with the pipeline (``component``).

The entry points for an Article (``analyse``, ``analyse_many``) are in ``saidwhat.analyse``.
"""

from saidwhat.attribution.component import COMPONENT, AttributionComponent
from saidwhat.attribution.options import (
    AttributionModelMissing,
    AttributionModels,
    AttributionOptions,
)
from saidwhat.attribution.pipeline import extract

__all__ = [
    "COMPONENT",
    "AttributionComponent",
    "AttributionModelMissing",
    "AttributionModels",
    "AttributionOptions",
    "extract",
]
