"""Counts in words: "1 statement", "2 statements", for the CLI and the pages alike.

A summary that says "1 statements" or "1 partitions" reads as careless, and a reader who
sees carelessness in the wording doubts the figures next to it.
"""

from __future__ import annotations

#: Irregular plurals of the nouns the summaries count.
_PLURALS = {"entity": "entities", "copy": "copies", "syndicated copy": "syndicated copies"}


def counted(n: int, noun: str) -> str:
    """``n`` and ``noun``, the noun plural unless ``n`` is one: ``counted(1, "error")``."""
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {_PLURALS.get(noun, noun + 's')}"
