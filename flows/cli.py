"""The `newsindex` command line: parses arguments and calls a flow or a pipelines function, nothing more."""

from __future__ import annotations

import gc
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no network here; it only logs errors
# Prefect's client-side telemetry: a device id and an event queue started on import (0.25 s of every command),
# sending to the network a research machine may not have. A user who wants it sets DO_NOT_TRACK=0.
os.environ.setdefault("DO_NOT_TRACK", "1")

import typer  # noqa: E402
from elasticsearch import exceptions as es_exc  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from flows import render  # noqa: E402
from flows.commands import (  # noqa: E402
    EXIT_CLUSTER,
    EXIT_FAILED,
    EXIT_USAGE,
    Languages,
    Many,
    Since,
    Until,
    client_or_exit,
    corpus_or_exit,
    err,
    fail,
    out,
    say_error,
)
from flows.prefect_server import use_running_server  # noqa: E402
from pipelines.index.client import (
    ClusterUnavailable,  # noqa: E402
    lost_cluster_message,  # noqa: E402
)
from pipelines.settings import config_errors, get_settings  # noqa: E402
from pipelines.sources.files import InputError, check_paths  # noqa: E402

use_running_server()  # before anything imports prefect: its settings are read at import

app = typer.Typer(help="Turn raw news articles into a clean, searchable Elasticsearch corpus.", no_args_is_help=True)
es_app = typer.Typer(help="The embedded Elasticsearch node (used when NEWSINDEX_ES_URL is unset).")
index_app = typer.Typer(help="Versioned indices behind the corpus alias.")
app.add_typer(es_app, name="es")
app.add_typer(index_app, name="index")







# ---------------------------------------------------------------- embedded Elasticsearch
@es_app.command("up")
def es_up(nodes: Annotated[int, typer.Option(help="nodes in the one JVM (3 for cluster tests)")] = 1) -> None:
    """Fetch (once) and start the embedded Elasticsearch node on 127.0.0.1; idempotent."""
    from pipelines import local_es

    settings = get_settings()
    if not settings.embedded:
        out.print(f"NEWSINDEX_ES_URL is set: using {settings.display_url}, nothing started")
        return
    try:
        with out.status("starting Elasticsearch (the first run fetches jars with Maven)…"):
            url = local_es.up(port=settings.es_port, nodes=nodes)
    except local_es.LocalESError as exc:
        fail(str(exc), EXIT_FAILED)
    out.print(f"Elasticsearch is up at [bold]{url}[/]")


@es_app.command("down")
def es_down() -> None:
    """Stop the embedded node cleanly; idempotent."""
    from pipelines import local_es

    stopped = local_es.down()
    out.print("Elasticsearch stopped" if stopped else "Elasticsearch was not running")


@es_app.command("status")
def es_status() -> None:
    """Version, health, indices and counts of the cluster in use."""
    from pipelines.index.lifecycle import list_indices

    settings = get_settings()
    client = client_or_exit()
    info, health = client.info(), client.cluster.health()
    render.status(out, settings.display_url, info, health, list_indices(client, settings.index))


# ---------------------------------------------------------------- ingest / extract / search
@app.command()
def ingest(
    paths: Annotated[list[str] | None, typer.Argument(help="files and folders (recursive), or http(s) URLs")] = None,
    source: Annotated[str | None, typer.Option(help="name of the source, stored on every article "
                                                    "(default: files, or web)")] = None,
    urls_file: Annotated[Path | None, typer.Option("--urls-file", help="a file of URLs, one a line")] = None,
    feed: Annotated[list[str] | None, typer.Option(help="RSS or Atom feed URL, repeatable")] = None,
    sitemap: Annotated[list[str] | None, typer.Option(help="sitemap or sitemap index URL, repeatable")] = None,
    refetch: Annotated[bool, typer.Option(help="fetch URLs already indexed again (else they are skipped)")] = False,
) -> None:
    """Run the Prefect ingest flows over files and folders and over web pages, then print the run summaries.

    Files go to the `ingest-files` flow, URLs, feeds and sitemaps to `ingest-web`; given both, both run
    and each prints its own summary.
    """
    from flows.cli_web import read_urls_file, split_inputs

    try:
        files, urls = split_inputs(paths or [])
        urls += read_urls_file(urls_file)
        check_paths(files)
    except InputError as exc:
        fail(str(exc), EXIT_USAGE)
    if not (files or urls or feed or sitemap):
        fail("nothing to ingest: give PATH... or URL..., --urls-file, --feed or --sitemap", EXIT_USAGE)
    client_or_exit()  # fail fast, with the URL, before Prefect starts
    from flows.ingest import run_ingest_files
    from flows.web import ingest_web

    reports = []
    try:
        with render.live_counts(out) as progress:
            if files:
                reports.append(run_ingest_files(files, source=source or "files", progress=progress))
            if urls or feed or sitemap:
                reports.append(ingest_web(urls, feed or [], sitemap or [], source=source or "web",
                                          progress=progress, refetch=refetch))
    except (ClusterUnavailable, es_exc.ConnectionError, es_exc.ConnectionTimeout) as exc:
        fail(lost_cluster_message(get_settings(), exc), EXIT_CLUSTER)
    for report in reports:
        render.run_summary(out, report)
    if all(r["documents"] and r["quarantined"] == r["documents"] for r in reports):
        raise typer.Exit(EXIT_FAILED)


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="files and folders (recursive)")],
    fmt: Annotated[str, typer.Option("--format", help="jsonl or table")] = "jsonl",
    explain: Annotated[bool, typer.Option(help="per field: chosen value, rule, rejected candidates")] = False,
    source: Annotated[str, typer.Option()] = "files",
) -> None:
    """Print Article records without touching any cluster."""
    from pipelines.explain import explain_paths

    if fmt not in ("jsonl", "table"):
        fail("--format must be jsonl or table", EXIT_USAGE)
    try:
        check_paths(paths)
    except InputError as exc:
        fail(str(exc), EXIT_USAGE)
    items = explain_paths(paths, get_settings(), source)
    if explain:
        render.explain(out, items)
    elif fmt == "table":
        render.articles_table(out, items)
    else:
        for item in items:
            record = item.article.model_dump(mode="json") if item.article else {
                "source_path": item.path, "locator": item.locator, "error": item.error}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Lucene syntax: "exact phrase", AND/OR/NOT, prefix*, field:value')] = "",
    outlet: Many = None,
    author: Many = None,
    language: Languages = None,
    source: Many = None,
    since: Since = None,
    until: Until = None,
    size: Annotated[int, typer.Option(min=0, max=10000)] = 10,
    sort: Annotated[str, typer.Option(help="relevance, date or date_asc")] = "relevance",
    interval: Annotated[str, typer.Option(help="histogram interval: day, week, month, quarter, year")] = "month",
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Full-text search with facets by outlet, author and language, and a date histogram."""
    from pipelines.index.search import SearchRequest
    from pipelines.index.search import search as run_search

    if sort not in ("relevance", "date", "date_asc") or interval not in ("day", "week", "month", "quarter", "year"):
        fail("unknown --sort or --interval value", EXIT_USAGE)
    req = SearchRequest(query=query, outlets=outlet or [], authors=author or [], languages=language or [],
                        sources=source or [], since=since, until=until, size=size, sort=sort, interval=interval)
    client = client_or_exit()
    result = run_search(client, corpus_or_exit(client), req)
    if as_json:
        sys.stdout.write(json.dumps(asdict(result), ensure_ascii=False, indent=2) + "\n")
    else:
        render.search_result(out, query, result)


@index_app.command("list")
def index_list() -> None:
    """Concrete indices of the corpus, their aliases, counts and mapping versions."""
    from pipelines.index.lifecycle import list_indices

    render.indices(out, list_indices(client_or_exit(), get_settings().index))


def _register_command_modules() -> None:
    """Each capability adds its commands in its own module `flows/cli_<area>.py` with `register(app)`."""
    import importlib
    import pkgutil

    import flows

    for info in sorted(pkgutil.iter_modules(flows.__path__), key=lambda m: m.name):
        if info.name.startswith("cli_"):
            importlib.import_module(f"flows.{info.name}").register(app)


_register_command_modules()


def main() -> None:
    """The `newsindex` command. On the way out, every object is frozen out of the garbage collector: the
    interpreter's final collections walk all of Prefect's and langdetect's objects, 0.5-0.9 s of every
    command for memory the process is about to hand back anyway."""
    try:
        app()
    except ValidationError as exc:  # a setting in the environment or config/newsindex.toml is invalid
        say_error("invalid configuration")
        for line in config_errors(exc):
            err.print(f"  {line}", highlight=False, markup=False)
        raise SystemExit(EXIT_USAGE) from None
    finally:
        gc.freeze()


if __name__ == "__main__":
    main()
