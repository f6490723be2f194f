"""The per-article time budget: how long one article may take before it is given up.

A crafted article (hundreds of thousands of quote marks, a million characters, thousands
of quoted paragraphs) must not hold a batch, a worker or the web server for minutes. The
budget is a number of seconds in ``AttributionOptions.time_budget`` (None: no limit);
``Deadline`` is its clock for one article. The clock is read between the stages of the
analysis (between the chunks of a long text's parse and between the passes of the
engine), so an article over its budget stops at the next stage boundary with
``OverBudget``, whose one-line message names where it stopped. Every stage is linear or
n log n in the article's length, and a text longer than ``nlp.PARSE_CHUNK_CHARS`` is
parsed in chunks, so a stage boundary is never far away.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

DEFAULT_TIME_BUDGET = 10.0  # seconds an article may take; the figure


class OverBudget(RuntimeError):
    """The article took longer than its time budget; the message is one line."""


@dataclass
class Deadline:
    """The clock of one article's analysis. ``seconds`` None never runs out."""

    seconds: float | None
    started: float = field(default_factory=time.monotonic)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def check(self, stage: str) -> None:
        """Raise ``OverBudget`` if the budget is spent (``stage``: what just finished)."""
        if self.seconds is None:
            return
        elapsed = self.elapsed()
        if elapsed > self.seconds:
            raise OverBudget(
                f"not analysed within the time budget of {self.seconds:g} s "
                f"(stopped after {elapsed:.1f} s, at {stage}); "
                f"raise it with --time-budget if the article is real"
            )
