"""What every CLI command module shares: exit codes, the error line, and a connected client or a clean exit."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer
from elasticsearch import Elasticsearch
from rich.console import Console

from pipelines.index.client import ClusterUnavailable, no_corpus_message
from pipelines.index.search import check_date_bound
from pipelines.settings import get_settings

EXIT_FAILED, EXIT_USAGE, EXIT_CLUSTER = 1, 2, 3

# The search filters that `search`, `export` and `stories` share (option names come from the parameter names).
Many = Annotated[list[str] | None, typer.Option(help="repeatable")]
Languages = Annotated[list[str] | None, typer.Option(help="ISO 639-1, repeatable")]
Stories = Annotated[list[str] | None, typer.Option(help="story id, repeatable")]


def calendar_date(value: str | None) -> str | None:
    """A date bound that is no date is a usage error, said before any cluster is asked (see check_date_bound)."""
    if value is None:
        return None
    try:
        return check_date_bound(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


Since = Annotated[str | None, typer.Option(help="published on or after YYYY-MM-DD", callback=calendar_date)]
Until = Annotated[str | None, typer.Option(help="published on or before YYYY-MM-DD", callback=calendar_date)]
out = Console()
err = Console(stderr=True)


def say_error(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)


def fail(message: str, code: int = EXIT_FAILED) -> NoReturn:
    say_error(message)
    raise typer.Exit(code)


def client_or_exit() -> Elasticsearch:
    """A client whose cluster answered, or exit 3 with the URL (before any Prefect start-up)."""
    from pipelines.index.client import connect

    try:
        return connect(get_settings())
    except ClusterUnavailable as exc:
        fail(str(exc), EXIT_CLUSTER)


def corpus_or_exit(client: Elasticsearch) -> str:
    """The corpus alias, or exit 1 saying it does not exist yet."""
    name = get_settings().index
    if not client.indices.exists_alias(name=name):
        fail(no_corpus_message(get_settings(), name))
    return name
