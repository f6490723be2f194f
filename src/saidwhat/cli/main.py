"""The ``saidwhat`` command group: every command, registered in one place.

The group is built from the command modules (``analyse``, ``query``, ``batch``,
``web``); none of them imports this module, so adding a command is one module and one
line here, with no import running back up.
"""

from __future__ import annotations

import click

from saidwhat.cli import admin, analyse, batch, query, web


@click.group()
@click.version_option(package_name="saidwhat")
def main() -> None:
    """saidwhat: who said what, about what, when, and through whom."""


for module in (analyse, query, batch, web, admin):
    for command in module.COMMANDS:
        main.add_command(command)
