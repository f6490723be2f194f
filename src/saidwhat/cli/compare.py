"""``saidwhat compare``: two or more speakers side by side on a topic.

Thin like the other read commands: the filters become a ``QueryFilters`` and
``query.compare.compare_speakers`` does the work; ``views.compare_table`` renders it.
"""

from __future__ import annotations

from typing import Any

import click

from saidwhat.cli.options import (
    JSON_DOCUMENT_ALIAS,
    STATEMENT_FILTERS,
    StoreLocation,
    filter_options,
    format_option,
    limit_option,
    make_filters,
    store_option,
)
from saidwhat.cli.output import wide_console, write_json
from saidwhat.cli.views import compare_table


@click.command("compare")
@click.argument("speakers", nargs=-1, required=True)
@filter_options(*(name for name in STATEMENT_FILTERS if name != "speaker"))
@limit_option(10, help="Statements shown per speaker.")
@format_option("table", "json", aliases=JSON_DOCUMENT_ALIAS)
@click.option("--full", is_flag=True, help="Statements in full (not cut at 200).")
@store_option(create=False)
def compare_command(
    db: StoreLocation, speakers: tuple[str, ...], limit: int, fmt: str, full: bool, **opts: Any
) -> None:
    """Speakers side by side: what each said (on --about words), when, with which acts.

    SPEAKERS are 2 to 6 names or ids, e.g. ``saidwhat compare Peskov Zelensky --about
    ceasefire``; a name that means several people is an error listing them (exit 2).
    """
    from saidwhat.query.compare import UnknownSpeaker, compare_speakers

    f = make_filters(limit or None, **opts)
    with db.open() as store:
        try:
            comparison = compare_speakers(store, speakers, f)
        except (ValueError, UnknownSpeaker) as exc:
            raise click.UsageError(str(exc)) from exc
    if fmt == "json":
        write_json(comparison.to_dict())
        return
    wide_console().print(compare_table(comparison, cut=None if full else 200))


COMMANDS = [compare_command]
