"""``python -m saidwhat.cli``: the same command line as the ``saidwhat`` script."""

from saidwhat.cli.main import main

main()
