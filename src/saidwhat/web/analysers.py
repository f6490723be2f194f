"""The pipelines that analyse posted articles: a few, each used by one request at a time.

Why a pool and not the process's one pipeline: the write endpoints are plain ``def``,
so FastAPI runs each in its thread pool and a long analysis never blocks the event loop
or a read. But two posts analysed at once on one spaCy ``Language`` would share its
mutable parts (the vocabulary and string store grow with new words, the attribution
component is added on first use), which spaCy does not promise to be safe across
threads. So each of ``analysis_slots`` slots holds its own pipeline, loaded on its
first use; a post takes a free one for the time its analysis runs. A post that finds
every slot busy for ``analysis_wait`` seconds is answered 503 with Retry-After, so
writers queueing behind a slow article cannot take every thread that reads need.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi import HTTPException
from spacy.language import Language

from saidwhat.web.options import WebOptions


def _load(first: bool) -> Language:
    from saidwhat import nlp

    # the first slot shares the process's cached pipeline; the others get their own
    return nlp.load_pipeline() if first else nlp.load_pipeline.__wrapped__()


class PipelinePool:
    """``analysis_slots`` pipelines; ``checkout()`` lends one (``load`` is for tests:
    it gets True for the first pipeline the pool loads)."""

    def __init__(self, options: WebOptions, load: Callable[[bool], Language] = _load) -> None:
        self.slots = options.analysis_slots
        self.wait = options.analysis_wait
        self._load = load
        self._free = threading.Semaphore(self.slots)
        self._lock = threading.Lock()
        self._idle: list[Language] = []
        self._loaded = 0
        self._loading = threading.Lock()  # one model load at a time

    @contextmanager
    def checkout(self) -> Iterator[Language]:
        if not self._free.acquire(timeout=self.wait):
            raise HTTPException(
                503,
                f"all {self.slots} analysis slots stayed busy for {self.wait:g} s; try again",
                headers={"Retry-After": "5"},
            )
        try:
            nlp = self._take()
            try:
                yield nlp
            finally:
                with self._lock:
                    self._idle.append(nlp)
        finally:
            self._free.release()

    def _take(self) -> Language:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        with self._loading:
            first = self._loaded == 0
            nlp = self._load(first)
            self._loaded += 1
        return nlp
