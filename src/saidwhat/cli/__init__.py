"""The ``saidwhat`` command line: a thin layer over the library.

``main`` is the click group (``saidwhat = "saidwhat.cli:main"``). The layout:
``main`` registers the commands; ``options`` declares each shared option once (``--db``,
``--format``, the filters, ``--limit``, ``--model``, ``--jobs``); ``analyse`` (extract,
eval, ingest), ``query`` (the read commands), ``batch`` (batch, load) and ``web`` (serve)
hold the commands; ``views`` renders rich tables and ``output`` writes the
machine-readable formats.
"""

from saidwhat.cli.main import main

__all__ = ["main"]
