"""`newsindex config`: the settings a command would run with, and where each one came from."""

from __future__ import annotations

import typer
from rich.table import Table

from flows.commands import out
from pipelines.settings import effective, get_settings


def register(app: typer.Typer) -> None:
    @app.command("config")
    def config() -> None:
        """Show the effective settings and where each comes from (NEWSINDEX_ variable, config file, default)."""
        table = Table(title="effective settings")
        for column in ("setting", "value", "from"):
            table.add_column(column)
        for key, value, origin in effective(get_settings()):
            table.add_row(key, value, origin)
        out.print(table)
