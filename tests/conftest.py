"""Shared fixtures: the spaCy pipeline (loaded once per session) and the shared data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"


@pytest.fixture(scope="session")
def nlp():
    """The configured spaCy pipeline; ``load_pipeline`` is cached, so this costs one load."""
    from saidwhat.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``<repo>/../shared`` (evaluation data, corpus, seed); skips where it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED.resolve()} is absent (shared data lives outside the repository)")
    return SHARED.resolve()
