"""CLI for the index lifecycle: `reindex`, `export`, `index rollback | prune | abort`; pipelines does the work."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TextIO

import typer

from flows import render_lifecycle as render
from flows.commands import (
    EXIT_FAILED,
    EXIT_USAGE,
    Languages,
    Many,
    Since,
    Stories,
    Until,
    calendar_date,
    client_or_exit,
    corpus_or_exit,
    err,
    fail,
    out,
)
from pipelines.settings import get_settings


def reindex(
    re_extract: Annotated[bool, typer.Option("--re-extract", help="rebuild from the raw inputs through today's "
                                                                  "extractor instead of copying")] = False,
) -> None:
    """Build a new index from today's template, fill it, check the count, swap both aliases at once."""
    from pipelines.index.reindex import ReindexError
    from pipelines.index.reindex import reindex as run_reindex
    from pipelines.sources.web.raw_store import WarcRawStore

    # Web pages are re-extracted from the WARC files the web flow writes (flows/web.py); read only if needed.
    raw_store = WarcRawStore(get_settings().cache_dir / "raw")
    client = client_or_exit()
    name = corpus_or_exit(client)
    out.print(f"reindexing [bold]{name}[/]: searches keep using the live index; an ingest meanwhile writes into "
              "the new one")
    try:
        with render.progress_bar(out, "re-extracting" if re_extract else "copying") as progress:
            report = run_reindex(client, name, re_extract=re_extract, raw_store=raw_store, progress=progress)
    except ReindexError as exc:
        fail(str(exc))
    render.summary(out, f"reindex of {name}", report.rows(),
                   caption=f"aliases {name} and {name}-write now on {report.target}; {report.source} kept "
                           "(`newsindex index rollback` swaps back)")


def rollback(to: Annotated[str | None, typer.Option(help="index to point at (default: the one before)")] = None
             ) -> None:
    """Point both aliases back at the previous index, in one call."""
    from pipelines.index.lifecycle import LifecycleError
    from pipelines.index.lifecycle import rollback as run_rollback
    from pipelines.index.reindex import describe_lock, read_lock

    client = client_or_exit()
    name = corpus_or_exit(client)
    if lock := read_lock(client, name):
        fail(f"{describe_lock(lock)}; wait for it, or `newsindex index abort` if it died")
    try:
        swap = run_rollback(client, name, to)
    except LifecycleError as exc:
        fail(str(exc))
    render.summary(out, f"rollback of {name}", [("from", swap.previous), ("to", swap.current),
                                                 ("ingested into the former since it was built",
                                                  str(swap.only_in_previous))])
    if swap.only_in_previous:
        out.print(f"[yellow]{swap.only_in_previous} documents were ingested into {swap.previous} after it was "
                  "built and are not in the index now live; rerun the ingest to add them[/]")


def prune(
    keep: Annotated[int, typer.Option(min=1, help="how many of the newest indices to keep")] = 2,
    yes: Annotated[bool, typer.Option("--yes", help="delete without asking")] = False,
) -> None:
    """Delete old indices, keeping the N newest; an index behind an alias is never deleted."""
    from pipelines.index.lifecycle import corpus_indices
    from pipelines.index.lifecycle import prune as run_prune
    from pipelines.index.reindex import describe_lock, read_lock

    client = client_or_exit()
    name = get_settings().index
    if lock := read_lock(client, name):
        fail(f"{describe_lock(lock)}; prune after it finishes")
    indices = corpus_indices(client, name)
    if not yes and len(indices) > keep and not typer.confirm(
            f"delete up to {len(indices) - keep} of {len(indices)} indices of '{name}'?"):
        raise typer.Exit(EXIT_FAILED)
    deleted = run_prune(client, name, keep)
    render.summary(out, f"prune of {name}", [("indices before", str(len(indices))), ("deleted", str(len(deleted))),
                                              *[("  " + d, "deleted") for d in deleted]])


def abort() -> None:
    """Undo a reindex that died: aliases back, documents ingested meanwhile kept, partial index and lock removed."""
    from pipelines.index.reindex import abort as run_abort

    lock = run_abort(client_or_exit(), get_settings().index)
    if lock is None:
        out.print("no reindex is running: nothing to abort")
        return
    render.summary(out, "reindex aborted", [("aliases back on", str(lock.get("source"))),
                                             ("deleted", str(lock.get("target"))),
                                             ("started", str(lock.get("started")))])


@contextmanager
def _output(path: str) -> Iterator[TextIO]:
    """The export file, or standard output for `-` (left open: it is not ours)."""
    if path == "-":
        yield sys.stdout
        return
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        yield fh


def export(
    query: Annotated[str, typer.Argument(help='Lucene syntax: "exact phrase", AND/OR/NOT, prefix*, field:value')] = "",
    out_path: Annotated[str, typer.Option("--out", help="output file, or - for standard output")] = "-",
    fmt: Annotated[str, typer.Option("--format", help="csv or jsonl")] = "jsonl",
    fields: Annotated[str | None, typer.Option(help="comma-separated columns (default: the metadata, no text)")] = None,
    outlet: Many = None,
    author: Many = None,
    language: Languages = None,
    source: Many = None,
    story: Stories = None,
    domain: Annotated[list[str] | None, typer.Option(help="outlet domain, repeatable")] = None,
    since: Since = None,
    until: Until = None,
    ingested_since: Annotated[str | None, typer.Option(help="ingested on or after (incremental export)",
                                                       callback=calendar_date)] = None,
    no_duplicates: Annotated[bool, typer.Option("--no-duplicates", help="leave out exact duplicates")] = False,
) -> None:
    """Stream every matching article to CSV or JSONL (point in time + search_after, flat memory)."""
    from pipelines.index.export import check_fields
    from pipelines.index.export import export as run_export
    from pipelines.index.search import SearchRequest

    if fmt not in ("csv", "jsonl"):
        fail("--format must be csv or jsonl", EXIT_USAGE)
    try:
        chosen = check_fields(fields.split(",") if fields else None)
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)
    req = SearchRequest(query=query, outlets=outlet or [], authors=author or [], languages=language or [],
                        sources=source or [], stories=story or [], outlet_domains=domain or [], since=since,
                        until=until, ingested_since=ingested_since, include_duplicates=not no_duplicates)
    client = client_or_exit()
    name = corpus_or_exit(client)
    to_stdout = out_path == "-"
    console = err if to_stdout else out
    started = time.perf_counter()
    with _output(out_path) as fh, render.progress_bar(console, f"exporting {fmt}") as progress:
        stats = run_export(client, name, req, fh, fmt=fmt, fields=chosen, progress=progress)  # type: ignore[arg-type]
    render.summary(console, f"export of {name}", [
        ("matching", str(stats.total)), ("written", str(stats.written)), ("fields", ", ".join(stats.fields)),
        ("seconds", f"{time.perf_counter() - started:.2f}"), ("docs/s", f"{stats.docs_per_second:.0f}")],
        caption=None if to_stdout else f"to {out_path}")


def register(app: typer.Typer) -> None:
    """Top-level `reindex` and `export`; `rollback`, `prune` and `abort` under the existing `index` group."""
    app.command()(reindex)
    app.command()(export)
    index_app = next((g.typer_instance for g in app.registered_groups if g.name == "index"), None)
    if index_app is None:
        index_app = typer.Typer(help="Versioned indices behind the corpus alias.")
        app.add_typer(index_app, name="index")
    index_app.command()(rollback)
    index_app.command()(prune)
    index_app.command()(abort)
