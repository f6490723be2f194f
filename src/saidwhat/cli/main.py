"""The ``saidwhat`` command group: every command, registered in one place.

The group is built from the command modules (``analyse``, ``query``, ``batch``,
``web``); none of them imports this module, so adding a command is one module and one
line here, with no import running back up.
"""

from __future__ import annotations

from typing import Any

import click

from saidwhat.cli import admin, analyse, batch, compare, meaning, query, watch, web


class AmbiguousName(click.ClickException):
    """A speaker name that means several entities, or an article id prefix several ids
    start with: exit status 2 (a usage error: the command needs a more precise
    argument), the candidates one per line."""

    exit_code = 2

    def __init__(self, exc: Any) -> None:
        lines = [exc.question]
        lines += [f"  {c.line()}" for c in exc.candidates]
        if exc.more:
            lines.append(f"  ... and {exc.more} more")
        super().__init__("\n".join(lines))


class SaidwhatGroup(click.Group):
    """The command group; turns an ambiguous speaker name or article id prefix in any
    command into one message listing the candidates instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LookupError as exc:
            from saidwhat.query.names import Ambiguous  # only when it happens

            if isinstance(exc, Ambiguous):
                raise AmbiguousName(exc) from exc
            raise


@click.group(cls=SaidwhatGroup)
@click.version_option(package_name="saidwhat")
def main() -> None:
    """saidwhat: who said what, about what, when, and through whom."""


for module in (analyse, query, compare, meaning, batch, web, watch, admin):
    for command in module.COMMANDS:
        main.add_command(command)
